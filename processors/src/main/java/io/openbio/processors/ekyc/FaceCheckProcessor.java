package io.openbio.processors.ekyc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.events.Signal;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.document.Calibration;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.liveness.LivenessResult;
import io.openbio.inference.unavailable.Check;
import io.openbio.inference.unavailable.CheckResult;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.Faces;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.ekyc.CheckModel;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IDLive {@code /check} FACE_CHECK stage: the {@code face_result} section.
 * <ul>
 * <li>PRESENTATION_ATTACK (pipeline {@value #PAD_PIPELINE}): the passive liveness models' combined
 * probability for the selfie face, with the requested calibration ({@link Calibration}: a log-odds shift that puts the decision at raw 0.25 / 0.5 / 0.75 for SOFT / REGULAR / HARD).</li>
 * <li>DEEPFAKE_ATTACK: the face-analysis library's pluggable deepfake check; no deepfake model is
 * available to this platform by default, so the entry is {@code status_code: ERROR} with an
 * {@code error} saying so — never a made-up probability.</li>
 * <li>INJECTION_ATTACK: only for encrypted selfies (capture bundles): 1.0 when every injection
 * signal of the bundle passed (timing, virtual camera, duplicated frames, resolution, EXIF), 0.0 when
 * one failed; the assembler also sets it to 0.0 when the nonce stage found the bundle's nonce
 * replayed, unknown, expired or another tenant's. A plain image carries no capture evidence, so the
 * entry is ERROR.</li>
 * </ul>
 */
public final class FaceCheckProcessor extends SectionStage {
    public static final String PAD_PIPELINE = "openbio-pad-1";
    public static final String DEEPFAKE_PIPELINE = "openbio-dfd-1";
    /**
     * Names a request may give each face pipeline: ours, and the ids the IDLive reference's examples
     * use ({@code pad-r-1}, {@code dfd-1}), so a client written against the seed keeps working. The
     * answer echoes the name the request gave; another name is that entry's ERROR.
     */
    public static final Set<String> PAD_NAMES = Set.of(PAD_PIPELINE, "pad-r-1");
    public static final Set<String> DEEPFAKE_NAMES = Set.of(DEEPFAKE_PIPELINE, "dfd-1");
    private static final Logger log = LoggerFactory.getLogger(FaceCheckProcessor.class);

    private final Supplier<FaceAnalyzer> analyzer;

    public FaceCheckProcessor() {
        this(Analyzers::shared);
    }

    public FaceCheckProcessor(Supplier<FaceAnalyzer> analyzer) {
        super(Topics.EKYC_FACE_CHECKS);
        this.analyzer = analyzer;
    }

    @Override
    public Stage stage() {
        return EkycContract.FACE_CHECK;
    }

    @Override
    String sectionName() {
        return EkycJson.FACE;
    }

    @Override
    EkycPart section(EkycWork work) {
        CheckModel model = CheckModel.parse(work.getCheckModel());
        ObjectNode root = EkycJson.JSON.createObjectNode();
        ArrayNode results = root.putArray("results");
        byte[] image = io.openbio.processors.core.Sealing.openImage(work.getEnvelope(), work.getFaceImage());
        Double passive = null;
        String passiveError = null;
        for (CheckModel.Pipeline p : model.facePipelines()) {
            ObjectNode e;
            switch (p.type()) {
                case "PRESENTATION_ATTACK" -> {
                    e = EkycJson.entry(p, EkycJson.pipelineOf(p));
                    if (p.pipeline() != null && !PAD_NAMES.contains(p.pipeline())) {
                        error(e, "Unknown pipeline '" + p.pipeline() + "'; available: " + PAD_PIPELINE + " (also named pad-r-1)");
                        break;
                    }
                    if (passive == null && passiveError == null) {
                        try {
                            DecodedImage decoded = analyzer.get().decode(image);
                            LivenessResult live = analyzer.get().liveness(decoded, Faces.fromEvent(work.getFace()));
                            passive = live.probability();
                        } catch (InferenceException ex) {
                            passiveError = ex.code().name();
                        } catch (RuntimeException ex) {
                            log.error("presentation attack check failed for request {}", work.getEnvelope().getRequestId(), ex);
                            passiveError = "ERROR";
                        }
                    }
                    if (passive != null) {
                        e.put("probability", Calibration.of(p.calibration()).apply(passive));
                        // deprecated in the reference and undefined there; here the face detector's
                        // confidence for the face the check ran on (a model output, 0..1)
                        if (work.getFace() != null) {
                            e.put("quality", work.getFace().getScore());
                        }
                        e.put("status_code", "OK");
                    } else {
                        e.put("error", EkycJson.messageFor(passiveError));
                        e.put("status_code", passiveError);
                    }
                }
                case "DEEPFAKE_ATTACK" -> {
                    e = EkycJson.entry(p, EkycJson.pipelineOf(p));
                    if (p.pipeline() != null && !DEEPFAKE_NAMES.contains(p.pipeline())) {
                        error(e, "Unknown pipeline '" + p.pipeline() + "'; available: " + DEEPFAKE_PIPELINE + " (also named dfd-1)");
                        break;
                    }
                    CheckResult result = analyzer.get().check(Check.DEEPFAKE, image);
                    if (result.available()) {
                        e.put("probability", Calibration.of(p.calibration()).apply(result.probability()));
                        e.put("status_code", "OK");
                    } else {
                        error(e, "No deepfake detection model is configured on this server");
                    }
                }
                default -> {
                    e = EkycJson.JSON.createObjectNode();
                    e.put("type", "INJECTION_ATTACK");
                    if (!work.getEncrypted()) {
                        error(e, "Injection attack detection needs an encrypted capture bundle (encrypted=true)");
                    } else {
                        boolean clean = work.getSignals().stream().allMatch(Signal::getPassed);
                        e.put("probability", clean ? 1.0 : 0.0);
                        e.put("status_code", "OK");
                    }
                }
            }
            results.add(e);
        }
        return EkycPrepareProcessor.section(work.getEnvelope().getRequestId(), EkycJson.FACE, root.toString());
    }

    private static void error(ObjectNode entry, String message) {
        entry.put("error", message);
        entry.put("status_code", "ERROR");
    }
}
