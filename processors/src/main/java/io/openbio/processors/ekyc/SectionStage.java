package io.openbio.processors.ekyc;

import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.serde.EventSerdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/**
 * An eKYC stage that turns one work item into one section of the /check answer: reads its work
 * topic, writes the section to {@link Topics#EKYC_PARTS} for the assembler.
 */
abstract class SectionStage implements StreamProcessor {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SectionStage.class);
    private final TopicSpec<EkycWork> input;

    SectionStage(TopicSpec<EkycWork> input) {
        this.input = input;
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
        try {
            return section(work);
        } catch (RuntimeException e) {
            String id = work.getEnvelope() == null ? null : work.getEnvelope().getRequestId();
            log.error("{} failed for request {}: {}", name(), id, e.toString());
            return EkycPrepareProcessor.section(id, sectionName(),
                    EkycJson.sectionError(sectionName(), work.getCheckModel(), "The " + sectionName() + " stage failed"));
        }
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input.name(), input.consumed(serdes).withName(name() + "-work"))
                .filter((k, w) -> w != null)
                .mapValues(this::safeSection)
                .to(Topics.EKYC_PARTS.name(), Topics.EKYC_PARTS.produced(serdes));
        return builder.build();
    }
}
