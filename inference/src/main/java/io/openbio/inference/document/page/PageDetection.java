package io.openbio.inference.document.page;

import io.openbio.inference.document.Quad;

/**
 * Where the page is in the photo ({@code DocumentDetection}).
 *
 * @param corners          the outline in photo pixels, in page order (see {@link PageGeometry#pageOrder};
 *                         turned 180 degrees when the portrait was found only that way up)
 * @param confidence       the outline's edge support, 0..1 ({@link OutlineSupport}): a measured fit, not
 *                         a probability
 * @param cornerOutOfImage the document leaves the frame (its outline runs along the photo's border, or
 *                         a corner lies outside the photo); the corners are then those of the part in
 *                         the photo
 * @param aspectRatio      long side over short side of the outline as photographed
 * @param format           the size the page was normalised to
 */
public record PageDetection(Quad corners, double confidence, boolean cornerOutOfImage, double aspectRatio,
                            PageFormat format) {
}
