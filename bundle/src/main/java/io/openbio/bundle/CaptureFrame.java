package io.openbio.bundle;

/**
 * One captured image.
 *
 * @param image           the encoded image exactly as captured (e.g. JPEG bytes)
 * @param contentType     its media type, e.g. {@code image/jpeg}
 * @param timestampMillis when the frame was captured, milliseconds since the Unix epoch
 * @param width           pixel width as the client measured it; may be null
 * @param height          pixel height as the client measured it; may be null
 */
public record CaptureFrame(byte[] image, String contentType, long timestampMillis, Integer width, Integer height) {

    /** Never prints the image bytes, only their length. */
    @Override
    public String toString() {
        return "CaptureFrame[image=" + (image == null ? "null" : image.length + " bytes")
                + ", contentType=" + contentType + ", timestampMillis=" + timestampMillis
                + ", width=" + width + ", height=" + height + "]";
    }
}
