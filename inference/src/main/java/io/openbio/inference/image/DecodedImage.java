package io.openbio.inference.image;

/**
 * A decoded, upright image.
 *
 * @param image          pixels after the EXIF orientation was applied
 * @param format         container format as ImageIO names it (jpeg, png, ...)
 * @param exifOrientation EXIF orientation tag found (1 = none / absent, 2..8 = transformed)
 * @param storedWidth    width as stored in the file, before orientation
 * @param storedHeight   height as stored in the file, before orientation
 */
public record DecodedImage(RgbImage image, String format, int exifOrientation, int storedWidth, int storedHeight) {
    public int width() {
        return image.width();
    }

    public int height() {
        return image.height();
    }
}
