package io.openbio.processors.ekyc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.bundle.BundleException;
import io.openbio.bundle.KeyResolver;
import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.Signal;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.document.Calibration;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.liveness.LivenessResult;
import io.openbio.inference.unavailable.Check;
import io.openbio.inference.unavailable.CheckResult;
import io.openbio.processors.capture.CaptureSignals;
import io.openbio.processors.capture.DecryptProcessor;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.Faces;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.ServerKeys;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.ekyc.CheckModel;
import io.openbio.schemas.serde.EventSerdes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IDLive {@code /check} FACE_CHECK stage: the {@code face_result} section. It reads the requests
 * ({@link Topics#EKYC_REQUESTS}) itself, in its own consumer group, rather than work from the prepare
 * stage, so the section is computed while {@link EkycPrepareProcessor} analyses the document: it
 * opens the selfie (decrypting a capture bundle with the server's keys, for its injection signals),
 * finds its face with the prepare stage's own {@link EkycPrepareProcessor#selfie} logic and writes one
 * section per request that asks for FACE_CHECK to {@link Topics#EKYC_PARTS}. A request the prepare
 * stage answers with a 400 (unreadable checkModel, a bundle that does not open) gets nothing here. A
 * selfie whose face is not as asked (FACE_NOT_FOUND, MULTIPLE_FACES...) gets every pipeline failing
 * with that status.
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
    public static final String NAME = "ekyc-face-check";
    public static final String PAD_PIPELINE = "openbio-pad-1";
    public static final String DEEPFAKE_PIPELINE = "openbio-dfd-1";
    private static final Logger log = LoggerFactory.getLogger(FaceCheckProcessor.class);

    private final Supplier<FaceAnalyzer> analyzer;
    private final Supplier<KeyResolver> keys;

    public FaceCheckProcessor() {
        this(Analyzers::shared);
    }

    public FaceCheckProcessor(Supplier<FaceAnalyzer> analyzer) {
        this(analyzer, ServerKeys::shared);
    }

    /** {@code keys}: the server's capture-bundle private keys, asked for only by encrypted requests. */
    public FaceCheckProcessor(Supplier<FaceAnalyzer> analyzer, Supplier<KeyResolver> keys) {
        super();
        this.analyzer = analyzer;
        this.keys = keys;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String sectionName() {
        return EkycJson.FACE;
    }

    @Override
    public List<TopicSpec<?>> inputs() {
        return List.of(Topics.EKYC_REQUESTS);
    }

    @Override
    KStream<String, EkycPart> sections(StreamsBuilder builder, EventSerdes serdes) {
        TopicSpec<RequestEnvelope> in = Topics.EKYC_REQUESTS;
        return builder.stream(in.name(), Consumed.with(in.keySerde(), in.valueSerde(serdes)).withName(name() + "-requests"))
                .filter((k, request) -> request != null)
                .mapValues(request -> faceSection(request));
    }

    /** A request's selfie work and its decoded image (null when the face was not found). */
    record SelfieWork(EkycWork work, DecodedImage image) {
    }

    /**
     * The face section of {@code request}, or null when it has none (no FACE_CHECK, or a request the
     * prepare stage answers with a 400). Never throws: an unexpected failure is the section's ERROR form.
     */
    EkycPart faceSection(RequestEnvelope request) {
        SelfieWork selfie;
        try {
            selfie = read(request);
        } catch (RuntimeException e) {
            log.error("{} failed for request {}: {}", NAME, request.getRequestId(), e.toString());
            return errorSection(request.getRequestId(), request.getAttributes().get("checkModel"));
        }
        if (selfie == null) {
            return null;
        }
        return safeSection(selfie.work(), () -> section(selfie.work(), selfie.image()));
    }

    /** The work this stage makes of {@code request} itself (see {@link #read(RequestEnvelope)}); null: write nothing. */
    EkycWork work(RequestEnvelope request) {
        SelfieWork selfie = read(request);
        return selfie == null ? null : selfie.work();
    }

    /**
     * The selfie of {@code request} as the prepare stage reads it: null when the request asks for no
     * FACE_CHECK or the prepare stage answers it with a 400 (checkModel unreadable, bundle not opened).
     * A request without a selfie gets FACE_NOT_FOUND, as the prepare stage sets it.
     */
    SelfieWork read(RequestEnvelope request) {
        CheckModel model;
        try {
            model = CheckModel.parse(request.getAttributes().getOrDefault("checkModel", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!model.wants("FACE_CHECK")) {
            return null;
        }
        boolean encrypted = EkycPrepareProcessor.encrypted(request);
        EkycPrepareProcessor.Opened face;
        try {
            face = EkycPrepareProcessor.open(request, "face", encrypted, keys);
        } catch (BundleException e) {
            return null;
        }
        RequestEnvelope bare = RequestEnvelope.newBuilder(request).setParts(List.of()).build();
        EkycWork.Builder work = EkycWork.newBuilder().setEnvelope(bare).setCheckModel(model.toJson()).setEncrypted(encrypted);
        if (face == null) {
            // the gateway refuses FACE_CHECK without a selfie; answered as the prepare stage did
            return new SelfieWork(work.setFaceStatus("FACE_NOT_FOUND").build(), null);
        }
        work.setFaceImage(ByteBuffer.wrap(face.image()));
        if (face.bundle() != null) {
            work.setSignals(new ArrayList<>(CaptureSignals.evaluate(
                    DecryptProcessor.analysis(request, face.kid(), face.bundle(), List.of(Results.trace(NAME))))));
        }
        DecodedImage image = null;
        try {
            EkycPrepareProcessor.Selfie found = EkycPrepareProcessor.selfie(analyzer.get(), face.image(), model);
            work.setFace(Faces.toEvent(found.face()));
            image = found.image();
        } catch (InferenceException e) {
            work.setFaceStatus(EkycPrepareProcessor.statusOf(e));
        }
        return new SelfieWork(work.build(), image);
    }

    @Override
    EkycPart section(EkycWork work) {
        return section(work, null);
    }

    /**
     * The section for {@code work}; {@code decoded} is its selfie already decoded, or null to decode
     * it here. A selfie whose face status is not OK fails every requested pipeline with that status.
     */
    EkycPart section(EkycWork work, DecodedImage decoded) {
        CheckModel model = CheckModel.parse(work.getCheckModel());
        String status = work.getFaceStatus();
        if (!"OK".equals(status)) {
            return EkycPrepareProcessor.section(work.getEnvelope().getRequestId(), EkycJson.FACE,
                    EkycJson.failedChecks(model.facePipelines(), status, EkycJson.messageFor(status), false));
        }
        ObjectNode root = EkycJson.JSON.createObjectNode();
        ArrayNode results = root.putArray("results");
        byte[] image = new byte[work.getFaceImage().remaining()];
        work.getFaceImage().duplicate().get(image);
        Double passive = null;
        String passiveError = null;
        for (CheckModel.Pipeline p : model.facePipelines()) {
            ObjectNode e;
            switch (p.type()) {
                case "PRESENTATION_ATTACK" -> {
                    e = EkycJson.entry(p, p.pipeline() == null ? PAD_PIPELINE : p.pipeline());
                    if (p.pipeline() != null && !PAD_PIPELINE.equals(p.pipeline())) {
                        error(e, "Unknown pipeline '" + p.pipeline() + "'; available: " + PAD_PIPELINE);
                        break;
                    }
                    if (passive == null && passiveError == null) {
                        try {
                            DecodedImage selfie = decoded != null ? decoded : analyzer.get().decode(image);
                            LivenessResult live = analyzer.get().liveness(selfie, Faces.fromEvent(work.getFace()));
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
                        e.put("status_code", "OK");
                    } else {
                        e.put("error", EkycJson.messageFor(passiveError));
                        e.put("status_code", passiveError);
                    }
                }
                case "DEEPFAKE_ATTACK" -> {
                    e = EkycJson.entry(p, p.pipeline() == null ? DEEPFAKE_PIPELINE : p.pipeline());
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
