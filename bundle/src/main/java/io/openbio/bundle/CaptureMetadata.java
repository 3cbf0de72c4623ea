package io.openbio.bundle;

import java.util.Map;

/**
 * What the capture client records about a capture besides the images.
 *
 * @param nonce              the server-issued nonce ({@code POST /bundle/nonce}, or {@code POST /challenge})
 * @param captureStartMillis capture start, milliseconds since the Unix epoch
 * @param captureEndMillis   capture end, milliseconds since the Unix epoch
 * @param device             free-form device facts, e.g. {@code model}, {@code os}, {@code browser}, {@code userAgent}
 * @param camera             the camera; may be null
 * @param clientName         the capture client's name; may be null
 * @param clientVersion      the capture client's version; may be null
 * @param challenge          the active-liveness challenge the capture answers (SPEC.md 5.2); null for a
 *                           passive capture. With one, the bundle may carry up to
 *                           {@link io.openbio.bundle.format.BundleFormat#MAX_CHALLENGE_FRAMES} frames
 */
public record CaptureMetadata(String nonce, long captureStartMillis, long captureEndMillis,
        Map<String, String> device, CameraInfo camera,
        String clientName, String clientVersion, CaptureChallenge challenge) {

    /** A passive capture: no challenge. */
    public CaptureMetadata(String nonce, long captureStartMillis, long captureEndMillis,
            Map<String, String> device, CameraInfo camera, String clientName, String clientVersion) {
        this(nonce, captureStartMillis, captureEndMillis, device, camera, clientName, clientVersion, null);
    }
}
