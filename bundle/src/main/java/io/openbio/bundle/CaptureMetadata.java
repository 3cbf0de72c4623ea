package io.openbio.bundle;

import java.util.Map;

/**
 * What the capture client records about a capture besides the images.
 *
 * @param nonce              the server-issued nonce ({@code POST /bundle/nonce})
 * @param captureStartMillis capture start, milliseconds since the Unix epoch
 * @param captureEndMillis   capture end, milliseconds since the Unix epoch
 * @param device             free-form device facts, e.g. {@code model}, {@code os}, {@code browser}, {@code userAgent}
 * @param camera             the camera; may be null
 * @param clientName         the capture client's name; may be null
 * @param clientVersion      the capture client's version; may be null
 */
public record CaptureMetadata(String nonce, long captureStartMillis, long captureEndMillis,
        Map<String, String> device, CameraInfo camera,
        String clientName, String clientVersion) {}
