package io.openbio.processors.ekyc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.inference.InferenceException;
import io.openbio.inference.document.Calibration;
import io.openbio.inference.document.DocumentAnalysis;
import io.openbio.inference.document.DocumentAnalyzer;
import io.openbio.inference.document.DocumentAttack;
import io.openbio.inference.document.DocumentCheckResult;
import io.openbio.inference.document.DocumentStatus;
import io.openbio.inference.document.QualityWarning;
import io.openbio.processors.core.Analyzers;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.ekyc.CheckModel;
import java.util.function.Supplier;

/**
 * IDLive {@code /check} DOC_CHECK stage: the {@code doc_result} section. The face-analysis library's
 * document analyzer finds the document and its portrait (DOCUMENT_NOT_FOUND, DOCUMENT_CROPPED,
 * DOCUMENT_PHOTO_NOT_FOUND) and runs each requested check — SCREEN_REPLAY_ATTACK,
 * PRINTED_COPY_ATTACK, PORTRAIT_SUBSTITUTION_ATTACK, DIGITAL_MANIPULATION_ATTACK — as its own
 * pipeline (image-forensics detectors by default, an ONNX model where one is configured; see
 * inference/README.md and inference/EVALUATION.md for what they catch and miss).
 */
public final class DocCheckProcessor extends SectionStage {

    private final Supplier<DocumentAnalyzer> documents;

    public DocCheckProcessor() {
        this(Analyzers::documents);
    }

    public DocCheckProcessor(Supplier<DocumentAnalyzer> documents) {
        super(Topics.EKYC_DOC_CHECKS);
        this.documents = documents;
    }

    @Override
    public Stage stage() {
        return EkycContract.DOC_CHECK;
    }

    @Override
    String sectionName() {
        return EkycJson.DOC;
    }

    @Override
    EkycPart section(EkycWork work) {
        CheckModel model = CheckModel.parse(work.getCheckModel());
        String id = work.getEnvelope().getRequestId();
        byte[] image = io.openbio.processors.core.Sealing.openImage(work.getEnvelope(), work.getDocImage());
        DocumentAnalysis analysis;
        try {
            analysis = documents.get().analyze(image);
        } catch (InferenceException e) {
            String status = e.code() == io.openbio.inference.ErrorCode.IMAGE_TOO_LARGE ? "ERROR" : "DOCUMENT_NOT_FOUND";
            return EkycPrepareProcessor.section(id, EkycJson.DOC,
                    EkycJson.failedChecks(model.docPipelines(), status, "Failed to read the document image", true,
                            EkycJson.documentPipelines(documents.get())));
        }
        ObjectNode root = EkycJson.JSON.createObjectNode();
        ArrayNode results = root.putArray("results");
        for (CheckModel.Pipeline p : model.docPipelines()) {
            DocumentCheckResult result = documents.get().check(DocumentAttack.valueOf(p.type()), p.pipeline(), analysis,
                    Calibration.of(p.calibration()));
            ObjectNode entry = results.addObject();
            entry.put("type", p.type());
            entry.put("pipeline", result.pipeline());
            entry.put("calibration", p.calibration());
            if (result.status() == DocumentStatus.OK) {
                entry.put("probability", result.probability());
            } else if (result.status() == DocumentStatus.ERROR) {
                entry.put("error", result.detail());
            }
            ArrayNode warnings = entry.putArray("quality_warnings");
            for (QualityWarning w : result.qualityWarnings()) {
                warnings.add(w.name());
            }
            entry.put("status_code", result.status().name());
        }
        return EkycPrepareProcessor.section(id, EkycJson.DOC, root.toString());
    }
}
