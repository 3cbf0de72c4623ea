package io.openbio.inference.document.page;

import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.RgbImage;

/**
 * The document portrait: the largest face found on the normalised page and the crop around it.
 *
 * @param face the face, in normalised-page pixels
 * @param box  the crop rectangle on the page: {@value DocumentPageAnalyzer#PORTRAIT_WIDTH_TEXT} x the face
 *             box wide, at the ICAO portrait aspect 35:45, centred on the face (a little below its
 *             centre), clipped to the page
 * @param crop the cropped pixels
 */
public record PagePortrait(Face face, BoundingBox box, RgbImage crop) {
}
