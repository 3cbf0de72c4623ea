package io.openbio.processors.ekyc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.inference.embed.ScoreCalibration;
import io.openbio.inference.embed.Template;
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
 * IDLive {@code /check} FACE_MATCH_VALIDATION stage: the selfie template against the document
 * portrait template; {@code probability} is the face-analysis library's calibrated same-person
 * probability of their cosine similarity (threshold 0.5; derivation in inference/EVALUATION.md).
 * Needs no model: the templates were made by the prepare stage.
 */
public final class MatchProcessor implements StreamProcessor {
    public static final String NAME = "ekyc-match";

    private final ScoreCalibration calibration = ScoreCalibration.load();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TopicSpec<?>> inputs() {
        return List.of(Topics.EKYC_MATCHES);
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        TopicSpec<EkycWork> in = Topics.EKYC_MATCHES;
        builder.stream(in.name(), Consumed.with(in.keySerde(), in.valueSerde(serdes)).withName("matches"))
                .filter((k, w) -> w != null)
                .mapValues(this::match)
                .to(Topics.EKYC_PARTS.name(), Produced.with(Topics.EKYC_PARTS.keySerde(), Topics.EKYC_PARTS.valueSerde(serdes)));
        return builder.build();
    }

    EkycPart match(EkycWork work) {
        String json;
        try {
            Template face = Template.decode(work.getFaceTemplate());
            Template doc = Template.decode(work.getDocTemplate());
            ObjectNode node = EkycJson.JSON.createObjectNode();
            node.put("probability", calibration.probability(face.similarity(doc)));
            node.put("status_code", "OK");
            json = node.toString();
        } catch (RuntimeException e) {
            json = EkycJson.validationError("Failed to compare the faces");
        }
        return EkycPrepareProcessor.section(work.getEnvelope().getRequestId(), EkycJson.VALIDATION, json);
    }
}
