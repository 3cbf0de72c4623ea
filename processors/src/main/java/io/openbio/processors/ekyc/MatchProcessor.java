package io.openbio.processors.ekyc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.inference.embed.ScoreCalibration;
import io.openbio.inference.embed.Template;
import io.openbio.schemas.Topics;

/**
 * IDLive {@code /check} FACE_MATCH_VALIDATION stage: the selfie template against the document
 * portrait template; {@code probability} is the face-analysis library's calibrated same-person
 * probability of their cosine similarity (threshold 0.5; derivation in inference/EVALUATION.md).
 * Needs no model: the templates were made by the prepare stage.
 */
public final class MatchProcessor extends SectionStage {
    public static final String NAME = "ekyc-match";

    private final ScoreCalibration calibration = ScoreCalibration.load();

    public MatchProcessor() {
        super(Topics.EKYC_MATCHES);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String sectionName() {
        return EkycJson.VALIDATION;
    }



    @Override
    EkycPart section(EkycWork work) {
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
