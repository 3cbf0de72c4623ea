package io.openbio.processors.capture;

import io.openbio.bundle.BundleException;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;
import io.openbio.bundle.KeyResolver;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.CapturedFrame;
import io.openbio.events.ExtractedImage;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.StageTrace;
import io.openbio.inference.InferenceException;
import io.openbio.inference.image.ImageDecoder;
import io.openbio.inference.image.JpegImages;
import io.openbio.processors.core.Envelopes;
import io.openbio.processors.core.Outcome;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.Sealing;
import io.openbio.processors.core.ServerKeys;
import io.openbio.processors.core.Stages;
import io.openbio.processors.core.StepStage;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Stage;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.function.Supplier;

/**
 * Capture stage 1: decrypts the bundle of a capture request with the server's private keys. It reads
 * the IAD capture requests and the active-liveness challenge captures ({@code POST /challenge/verify},
 * {@link Topics#CHALLENGE_REQUESTS}): both go on to the nonce stage the same way.
 * {@code iad.extract_image} ends here with the first image (as JPEG: other formats are re-encoded); {@code iad.check_capture_liveness} goes
 * on to the nonce stage, keyed by the bundle's nonce. A bundle that cannot be read ends the request
 * with the IAD Server's 400: "Failed to parse file", "Failed to decrypt message" or "Failed to read
 * a meta data".
 */
public final class DecryptProcessor extends StepStage<RequestEnvelope, CaptureAnalysis> {
    public static final String NAME = CaptureContract.DECRYPT.name();
    public static final String CHECK_LIVENESS = CaptureContract.CHECK_CAPTURE_LIVENESS;
    public static final String EXTRACT_IMAGE = CaptureContract.EXTRACT_IMAGE;
    public static final String BUNDLE_PART = "bundle";
    /** IDLive {@code POST /decrypt}: answered like extract_image. */
    public static final String DECRYPT = EkycContract.DECRYPT;

    private final Supplier<KeyResolver> keys;
    private final ImageDecoder decoder = new ImageDecoder();

    public DecryptProcessor() {
        this(ServerKeys::shared);
    }

    public DecryptProcessor(Supplier<KeyResolver> keys) {
        super(List.of(Topics.CAPTURE_REQUESTS, Topics.CHALLENGE_REQUESTS), "capture-requests", Topics.CAPTURE_DECRYPTED);
        this.keys = keys;
    }

    @Override
    public Stage stage() {
        return CaptureContract.DECRYPT;
    }

    /** A capture goes on keyed by its bundle's nonce, so the nonce stage sees every use of a nonce in one task. */
    @Override
    protected String nextKey(String key, CaptureAnalysis capture) {
        return capture.getNonce();
    }

    @Override
    protected Outcome<CaptureAnalysis> step(RequestEnvelope request) {
        List<StageTrace> trace = List.of(Results.trace(NAME));
        try {
            byte[] bytes = Envelopes.part(request, BUNDLE_PART).orElse(new byte[0]);
            CaptureBundle bundle;
            String kid;
            try {
                kid = BundleReader.header(bytes).kid();
                bundle = BundleReader.read(bytes, keys.get());
            } catch (BundleException e) {
                return Outcome.done(Results.error(request, trace, 400, "UNKNOWN", e.apiMessage()));
            }
            if (EXTRACT_IMAGE.equals(request.getOperation()) || DECRYPT.equals(request.getOperation())) {
                CaptureFrame first = bundle.frames().get(0);
                byte[] jpeg;
                try {
                    // both references promise image/jpeg: a PNG (or WebP...) capture is re-encoded
                    jpeg = JpegImages.asJpeg(first.image(), decoder);
                } catch (InferenceException e) {
                    return Outcome.done(Results.error(request, trace, 400, "UNKNOWN", "Failed to parse file"));
                }
                return Outcome.done(Results.resultFor(request, trace)
                        .setPayload(Sealing.extractedImage(request, jpeg, "image/jpeg"))
                        .build());
            }
            return Outcome.next(analysis(request, kid, bundle, trace));
        } catch (RuntimeException e) {
            return Outcome.done(Stages.unexpected(NAME, request, trace, e));
        }
    }

    /** A decrypted bundle as a {@link CaptureAnalysis} (without its request's parts), for the capture signals. */
    public static CaptureAnalysis analysis(RequestEnvelope request, String kid, CaptureBundle bundle, List<StageTrace> trace) {
        CaptureMetadata meta = bundle.metadata();
        RequestEnvelope withoutBundle = RequestEnvelope.newBuilder(request).setParts(List.of()).build();
        return CaptureAnalysis.newBuilder()
                .setEnvelope(withoutBundle)
                .setReceivedAt(request.getCreatedAt() == null ? Instant.now() : request.getCreatedAt())
                .setKeyId(kid)
                .setNonce(meta.nonce() == null ? "" : meta.nonce())
                .setCaptureStart(meta.captureStartMillis())
                .setCaptureEnd(meta.captureEndMillis())
                .setDevice(meta.device() == null ? new HashMap<>() : new HashMap<>(meta.device()))
                .setCameraLabel(meta.camera() == null ? null : meta.camera().label())
                .setCameraWidth(meta.camera() == null ? null : meta.camera().width())
                .setCameraHeight(meta.camera() == null ? null : meta.camera().height())
                .setClientName(meta.clientName())
                .setClientVersion(meta.clientVersion())
                // what the bundle declares about its challenge (SPEC 5.2); judged by the challenge-verify stage
                .setClaimedChallengeId(meta.challenge() == null ? null : meta.challenge().id())
                .setClaimedActions(meta.challenge() == null ? null : meta.challenge().actions())
                .setFrames(bundle.frames().stream().map(f -> new CapturedFrame(Sealing.sealImage(request, f.image()),
                        f.contentType(), f.timestampMillis(), f.width(), f.height())).toList())
                .setTrace(trace)
                .build();
    }

}
