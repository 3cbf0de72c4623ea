package io.openbio.inference.quality;

import io.openbio.inference.detect.BoundingBox;

/**
 * Image-quality measurements of one face (measurements, not model outputs), in the spirit of the
 * Digital Identity Service quality fields. "Aligned face" is the 112x112 ArcFace crop; its inner
 * face is x 16..95, y 20..107. Formulas in inference/README.md.
 *
 * @param sharpness              variance of the Laplacian of the aligned grey face (higher = sharper)
 * @param brightness             mean grey level of the aligned face, 0..255
 * @param contrast               standard deviation of the grey level of the aligned face
 * @param uniqueIntensityLevels  number of distinct grey levels (0..256) in the aligned face
 * @param eyeDistance            inter-eye distance in source pixels
 * @param faceSize               face box height in source pixels
 * @param faceRelativeArea       face box area / image area
 * @param shadow                 lateral shadow: |mean grey of the image-left inner half - image-right inner half| / the larger, 0..1
 * @param noseShadow             |mean grey of the cheek patch left of the nose - right of the nose| / the larger, 0..1
 * @param specularity            share of inner-face pixels that are specular highlights (max RGB >= 240 and
 *                               chroma (max - min) / max < 0.2), 0..1
 * @param backgroundUniformity   1 - min(1, sd / 64) of the grey level of the background ring (box scaled 2.2
 *                               minus box scaled 1.4, above the chin line), 0..1 (1 = flat)
 * @param backgroundStdDev       that standard deviation, grey levels
 * @param crop                   portrait crop in source pixels: square of side 2 x box height around the box
 *                               centre, shrunk and shifted to stay inside the image
 */
public record QualityReport(double sharpness, double brightness, double contrast, int uniqueIntensityLevels,
                            double eyeDistance, double faceSize, double faceRelativeArea,
                            double shadow, double noseShadow, double specularity,
                            double backgroundUniformity, double backgroundStdDev, BoundingBox crop) {
}
