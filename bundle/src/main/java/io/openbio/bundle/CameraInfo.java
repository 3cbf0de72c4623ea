package io.openbio.bundle;

/**
 * The camera a capture came from, as the capture client saw it.
 *
 * @param label      the device label the platform reports (e.g. {@code MediaDeviceInfo.label}); may be null
 * @param width      the stream's width in pixels; may be null
 * @param height     the stream's height in pixels; may be null
 * @param facingMode {@code user}, {@code environment}, ... or null
 */
public record CameraInfo(String label, Integer width, Integer height, String facingMode) {}
