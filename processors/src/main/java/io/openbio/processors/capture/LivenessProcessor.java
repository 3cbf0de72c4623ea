package io.openbio.processors.capture;

import io.openbio.events.CaptureAnalysis;
import io.openbio.events.CaptureLivenessResult;
import io.openbio.events.ResultEvent;
import io.openbio.events.Signal;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.liveness.LivenessResult;
import io.openbio.processors.core.Analyzers;
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
import java.util.Map;
import java.util.function.Supplier;

/**
 * Capture stage 3 (the last): finds the one face of the capture's first frame, then the capture
 * liveness probability.
 *
 * <p>Face: the face-analysis library's single-face rule (FACE_NOT_FOUND, MULTIPLE_FACES,
 * FACE_TOO_SMALL, INVALID_IMAGE end the request with a 400 carrying that error code). Until issue 15
 * this was a stage of its own ({@code face-detect}, writing {@code openbio.capture.faces}); sharing
 * this stage saves an exactly-once hop (a transaction and its commit markers) and a second decode of
 * the frame, and both steps load the same models, so nothing scaled them apart (BENCHMARKS.md, "What a
 * Kafka hop costs").
 *
 * <p>{@code probability = passive liveness probability} of the face (the face-analysis library's
 * passive liveness models) <b>when every injection signal passed</b> (the nonce stage's
 * {@code nonce}, and {@link CaptureSignals}: {@code timing}, {@code virtual_camera},
 * {@code frame_duplication}, {@code resolution}); <b>0</b> when any of them failed, because a bundle
 * that was replayed, forged or fed from a virtual camera is not a live capture whatever its pixels
 * look like. The signals, the passive score and each model's score are in the result and in the
 * audit record.
 */
public final class LivenessProcessor extends StepStage<CaptureAnalysis, CaptureAnalysis> {
    public static final String NAME = CaptureContract.LIVENESS.name();

    private final Supplier<FaceAnalyzer> analyzer;

    public LivenessProcessor() {
        this(Analyzers::shared);
    }

    public LivenessProcessor(Supplier<FaceAnalyzer> analyzer) {
        super(Topics.CAPTURE_NONCE_CHECKED, "captures-checked", null);
        this.analyzer = analyzer;
    }

    @Override
    public Stage stage() {
        return CaptureContract.LIVENESS;
    }

    /** The last capture stage: every capture ends with its verdict or its face error. */
    @Override
    protected Outcome<CaptureAnalysis> step(CaptureAnalysis capture) {
        return Outcome.done(score(capture));
    }

    ResultEvent score(CaptureAnalysis capture) {
        List<StageTrace> trace = new ArrayList<>(capture.getTrace());
        trace.add(Results.trace(NAME));
        try {
            byte[] bytes = io.openbio.processors.core.Sealing.frame(capture, capture.getFrames().get(0));
            DecodedImage image = analyzer.get().decode(bytes);
            Face face = analyzer.get().detect(image);

            List<Signal> signals = new ArrayList<>(capture.getSignals());
            signals.addAll(CaptureSignals.evaluate(capture));
            boolean injectionFree = signals.stream().allMatch(Signal::getPassed);

            LivenessResult passive = analyzer.get().liveness(image, face);
            for (Map.Entry<String, Double> model : passive.modelScores().entrySet()) {
                signals.add(new Signal("model:" + model.getKey(), model.getValue() >= LivenessResult.THRESHOLD,
                        "passive liveness model score", model.getValue()));
            }
            signals.add(new Signal("passive_liveness", passive.live(), "combined passive liveness", passive.probability()));

            double probability = injectionFree ? passive.probability() : 0.0;
            return Results.resultFor(capture.getEnvelope(), trace)
                    .setPayload(new CaptureLivenessResult(probability, passive.probability(), signals))
                    .build();
        } catch (InferenceException e) {
            return Stages.inferenceError(capture.getEnvelope(), trace, e);
        } catch (RuntimeException e) {
            return Stages.unexpected(NAME, capture.getEnvelope(), trace, e);
        }
    }
}
