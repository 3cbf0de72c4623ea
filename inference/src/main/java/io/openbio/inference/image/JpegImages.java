package io.openbio.inference.image;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;

/**
 * Images answered as {@code image/jpeg}, as the IAD Server ({@code /extract_image}) and IDLive
 * ({@code /decrypt}) references promise: JPEG bytes go out unchanged, byte for byte; any other
 * format {@link ImageDecoder} reads (PNG, WebP, BMP, GIF) is decoded under its limits and decode
 * budget, EXIF orientation applied, and re-encoded as a JPEG of quality {@value #QUALITY}.
 */
public final class JpegImages {
    /** High enough that the re-encoded picture serves face analysis like the original (JPEG's 4:2:0 and quantisation). */
    public static final int QUALITY = 95;

    private JpegImages() {
    }

    /** True when the bytes start with the JPEG SOI marker and a marker byte (FF D8 FF). */
    public static boolean isJpeg(byte[] bytes) {
        return bytes != null && bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8
                && (bytes[2] & 0xFF) == 0xFF;
    }

    /**
     * The image as JPEG bytes.
     *
     * @throws InferenceException INVALID_IMAGE, IMAGE_TRUNCATED or IMAGE_TOO_LARGE for bytes that are not
     *                            a usable image (as {@link ImageDecoder#decode})
     */
    public static byte[] asJpeg(byte[] bytes, ImageDecoder decoder) {
        if (isJpeg(bytes)) {
            return bytes;
        }
        byte[] jpeg = ImageOps.encodeJpeg(decoder.decode(bytes).image(), QUALITY);
        if (!isJpeg(jpeg)) {
            throw new InferenceException(ErrorCode.INVALID_IMAGE, "the image could not be encoded as JPEG");
        }
        return jpeg;
    }
}
