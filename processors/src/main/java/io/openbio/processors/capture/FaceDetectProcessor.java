package io.openbio.processors.capture;

import io.openbio.events.CaptureAnalysis;
import io.openbio.events.DetectedFace;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.Faces;
import io.openbio.processors.core.Outcome;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.Stages;
import io.openbio.processors.core.StepStage;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.Stage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Capture stage 3: finds the one face of the capture's first frame (the face-analysis library's
 * single-face rule: FACE_NOT_FOUND, MULTIPLE_FACES, FACE_TOO_SMALL end the request with a 400
 * carrying that error code).
 */
public final class FaceDetectProcessor extends StepStage<CaptureAnalysis, CaptureAnalysis> {
    public static final String NAME = CaptureContract.FACE_DETECT.name();

    private final Supplier<FaceAnalyzer> analyzer;

    public FaceDetectProcessor() {
        this(Analyzers::shared);
    }

    public FaceDetectProcessor(Supplier<FaceAnalyzer> analyzer) {
        super(Topics.CAPTURE_NONCE_CHECKED, "captures-checked", Topics.CAPTURE_FACES);
        this.analyzer = analyzer;
    }

    @Override
    public Stage stage() {
        return CaptureContract.FACE_DETECT;
    }

    @Override
    protected Outcome<CaptureAnalysis> step(CaptureAnalysis capture) {
        List<StageTrace> trace = new ArrayList<>(capture.getTrace());
        trace.add(Results.trace(NAME));
        try {
            byte[] bytes = io.openbio.processors.core.Sealing.frame(capture, capture.getFrames().get(0));
            DecodedImage image = analyzer.get().decode(bytes);
            Face face = analyzer.get().detect(image);
            DetectedFace detected = Faces.toEvent(face);
            return Outcome.next(CaptureAnalysis.newBuilder(capture).setFaces(List.of(detected)).setTrace(trace).build());
        } catch (InferenceException e) {
            return Outcome.done(Stages.inferenceError(capture.getEnvelope(), trace, e));
        } catch (RuntimeException e) {
            return Outcome.done(Stages.unexpected(NAME, capture.getEnvelope(), trace, e));
        }
    }
}
