package io.openbio.processors.ekyc;

import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.serde.EventSerdes;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

/**
 * An eKYC stage that turns one work item into one section of the /check answer: reads its work
 * topic, writes the section to {@link Topics#EKYC_PARTS} for the assembler. A stage that reads
 * another topic (the face check reads the requests themselves) uses the no-argument constructor and
 * overrides {@link #inputs()} and {@link #sections}.
 */
abstract class SectionStage implements StreamProcessor {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SectionStage.class);
    /** The work topic this stage reads; null for a stage with another input. */
    private final TopicSpec<EkycWork> input;

    SectionStage(TopicSpec<EkycWork> input) {
        this.input = java.util.Objects.requireNonNull(input, "input");
    }

    /** A stage whose input is not a work topic: it overrides {@link #inputs()} and {@link #sections}. */
    SectionStage() {
        this.input = null;
    }

    /** The section this stage makes for {@code work}; may throw on an unexpected failure (see {@link #safeSection}). */
    abstract EkycPart section(EkycWork work);

    /** The name of the answer's section this stage fills ({@link EkycJson#FACE}, ...). */
    abstract String sectionName();

    /**
     * Never throws: an unexpected failure (a bug, a malformed work item) becomes the section's ERROR
     * form, so the request is answered and the partition is not blocked by a record that fails on
     * every retry. Logged with the request id only, never the work's images or templates.
     */
    EkycPart safeSection(EkycWork work) {
        return safeSection(work, () -> section(work));
    }

    /** {@link #safeSection(EkycWork)} for a section computed otherwise than by {@link #section(EkycWork)}. */
    EkycPart safeSection(EkycWork work, Supplier<EkycPart> section) {
        try {
            return section.get();
        } catch (RuntimeException e) {
            String id = work.getEnvelope() == null ? null : work.getEnvelope().getRequestId();
            log.error("{} failed for request {}: {}", name(), id, e.toString());
            return errorSection(id, work.getCheckModel());
        }
    }

    /** The section's ERROR form: "The &lt;section&gt; stage failed", one entry per requested pipeline where it has them. */
    EkycPart errorSection(String requestId, String checkModel) {
        return EkycPrepareProcessor.section(requestId, sectionName(),
                EkycJson.sectionError(sectionName(), checkModel, "The " + sectionName() + " stage failed"));
    }

    @Override
    public List<TopicSpec<?>> inputs() {
        if (input == null) {
            throw new IllegalStateException(name() + ": a stage without a work topic overrides inputs()");
        }
        return List.of(input);
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        sections(builder, serdes)
                .filter((k, part) -> part != null)
                .to(Topics.EKYC_PARTS.name(), Produced.with(Topics.EKYC_PARTS.keySerde(), Topics.EKYC_PARTS.valueSerde(serdes)));
        return builder.build();
    }

    /**
     * The sections this stage writes to {@link Topics#EKYC_PARTS}, keyed by request id; a null
     * value writes nothing. By default one per work item of the work topic, never throwing
     * ({@link #safeSection(EkycWork)}).
     */
    KStream<String, EkycPart> sections(StreamsBuilder builder, EventSerdes serdes) {
        if (input == null) {
            throw new IllegalStateException(name() + ": a stage without a work topic overrides sections()");
        }
        return builder.stream(input.name(), Consumed.with(input.keySerde(), input.valueSerde(serdes)).withName(name() + "-work"))
                .filter((k, w) -> w != null)
                .mapValues(work -> safeSection(work));
    }
}
