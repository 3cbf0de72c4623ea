package io.openbio.processors.ekyc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.schemas.ekyc.CheckModel;
import io.openbio.inference.document.DocumentAttack;
import java.util.List;
import java.util.function.Function;

/** Builders for the IDLive /check result sections (seed 002 field names). */
public final class EkycJson {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String FACE = "face_result";
    public static final String DOC = "doc_result";
    public static final String VALIDATION = "face_validation_result";
    public static final String SEARCH = "face_search_result";

    private EkycJson() {
    }

    /** The section a check operation answers in. */
    public static String sectionOf(String operation) {
        return switch (operation) {
            case "FACE_CHECK" -> FACE;
            case "DOC_CHECK" -> DOC;
            case "FACE_MATCH_VALIDATION" -> VALIDATION;
            case "FACE_MATCH_SEARCH" -> SEARCH;
            default -> throw new IllegalArgumentException(operation);
        };
    }

    public static ObjectNode entry(CheckModel.Pipeline p, String pipelineName) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", p.type());
        if (pipelineName != null) {
            node.put("pipeline", pipelineName);
        }
        node.put("calibration", p.calibration());
        return node;
    }

    /**
     * {"results":[...]} with one entry per pipeline, every one failing with {@code statusCode}; each
     * entry names its pipeline as a successful one would ({@link #pipelineOf}).
     */
    public static String failedChecks(List<CheckModel.Pipeline> pipelines, String statusCode, String error, boolean quality) {
        return failedChecks(pipelines, statusCode, error, quality, EkycJson::pipelineOf);
    }

    /** As above, with the stage's own pipeline names (e.g. a document check's configured ONNX pipeline). */
    public static String failedChecks(List<CheckModel.Pipeline> pipelines, String statusCode, String error, boolean quality,
                                      Function<CheckModel.Pipeline, String> names) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode results = root.putArray("results");
        for (CheckModel.Pipeline p : pipelines) {
            ObjectNode e;
            if ("INJECTION_ATTACK".equals(p.type())) {
                // as the seed shows it: no pipeline, no calibration
                e = JSON.createObjectNode().put("type", p.type());
            } else {
                e = entry(p, names.apply(p));
            }
            if (error != null) {
                e.put("error", error);
            }
            if (quality) {
                e.putArray("quality_warnings");
            }
            e.put("status_code", statusCode);
            results.add(e);
        }
        return root.toString();
    }

    /** Pipeline names of the document checks as {@code analyzer} runs them (its ONNX pipelines where configured). */
    public static Function<CheckModel.Pipeline, String> documentPipelines(io.openbio.inference.document.DocumentAnalyzer analyzer) {
        return p -> p.pipeline() != null ? p.pipeline() : analyzer.pipelineName(DocumentAttack.valueOf(p.type()));
    }

    /**
     * The pipeline an entry of {@code p} names: the requested one, else the one that runs by default
     * for its type ({@link FaceCheckProcessor#PAD_PIPELINE}, {@link FaceCheckProcessor#DEEPFAKE_PIPELINE},
     * the document checks' built-in {@code default-*} pipelines); null for INJECTION_ATTACK.
     */
    public static String pipelineOf(CheckModel.Pipeline p) {
        if (p.pipeline() != null) {
            return p.pipeline();
        }
        return switch (p.type()) {
            case "PRESENTATION_ATTACK" -> FaceCheckProcessor.PAD_PIPELINE;
            case "DEEPFAKE_ATTACK" -> FaceCheckProcessor.DEEPFAKE_PIPELINE;
            case "INJECTION_ATTACK" -> null;
            default -> DocumentAttack.valueOf(p.type()).defaultPipeline();
        };
    }

    /**
     * The ERROR form of {@code section} when its stage failed or did not answer: for the face and
     * document sections one ERROR entry per requested pipeline (the section keeps its
     * {@code {"results":[...]}} shape), for the others {@code {"error", "status_code": "ERROR"}}.
     */
    public static String sectionError(String section, String checkModelJson, String error) {
        if (FACE.equals(section) || DOC.equals(section)) {
            try {
                CheckModel model = CheckModel.parse(checkModelJson == null ? "" : checkModelJson);
                return failedChecks(FACE.equals(section) ? model.facePipelines() : model.docPipelines(), "ERROR", error, DOC.equals(section));
            } catch (IllegalArgumentException e) {
                // no readable check model: the plain error form below
            }
        }
        return validationError(error);
    }

    public static String validationError(String error) {
        ObjectNode node = JSON.createObjectNode();
        node.put("error", error);
        node.put("status_code", "ERROR");
        return node.toString();
    }

    /** The error message the seed shows for a validation status code. */
    public static String messageFor(String statusCode) {
        return switch (statusCode) {
            case "FACE_NOT_FOUND" -> "Failed to detect face";
            case "FACE_TOO_SMALL" -> "Face is too small";
            case "MULTIPLE_FACES" -> "More faces than max_faces were found";
            case "INVALID_IMAGE", "IMAGE_TOO_LARGE" -> "Failed to read the image";
            case "DOCUMENT_NOT_FOUND" -> "Failed to detect document";
            case "DOCUMENT_CROPPED" -> "Document is cropped";
            case "DOCUMENT_PHOTO_NOT_FOUND" -> "Failed to detect the document photo";
            default -> "Error";
        };
    }
}
