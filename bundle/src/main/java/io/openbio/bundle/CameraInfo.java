package io.openbio.bundle;

/**
 * The camera a capture came from, as the capture client saw it.
 *
 * @param label      the device label the platform reports (e.g. {@code MediaDeviceInfo.label}); may be null
 * @param width      the stream's width in pixels; may be null. With {@code height}, a claim the server
 *                   checks (SPEC.md 6.3): every frame must be {@code width x height} or
 *                   {@code height x width}; declare the frames' size, or nothing
 * @param height     the stream's height in pixels; may be null
 * @param facingMode {@code user}, {@code environment}, ... or null
 */
public record CameraInfo(String label, Integer width, Integer height, String facingMode) {}
