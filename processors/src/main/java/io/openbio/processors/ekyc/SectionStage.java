package io.openbio.processors.ekyc;

import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.serde.EventSerdes;
import java.util.List;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * An eKYC stage that turns one work item into one section of the /check answer: reads its work
 * topic, writes the section to {@link Topics#EKYC_PARTS} for the assembler.
 */
abstract class SectionStage implements StreamProcessor {
    private final TopicSpec<EkycWork> input;

    SectionStage(TopicSpec<EkycWork> input) {
        this.input = input;
    }

    /** The section this stage makes for {@code work}; never throws for a bad input (an ERROR entry instead). */
    abstract EkycPart section(EkycWork work);

    @Override
    public List<TopicSpec<?>> inputs() {
        return List.of(input);
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input.name(), Consumed.with(input.keySerde(), input.valueSerde(serdes)).withName(name() + "-work"))
                .filter((k, w) -> w != null)
                .mapValues(this::section)
                .to(Topics.EKYC_PARTS.name(), Produced.with(Topics.EKYC_PARTS.keySerde(), Topics.EKYC_PARTS.valueSerde(serdes)));
        return builder.build();
    }
}
