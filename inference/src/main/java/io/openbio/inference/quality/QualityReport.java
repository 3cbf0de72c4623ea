package io.openbio.inference.quality;

/**
 * Image-quality measurements of one face (measurements, not model outputs), in the spirit of the
 * Digital Identity Service quality fields.
 *
 * @param sharpness              variance of the Laplacian of the aligned 112x112 grey face (higher = sharper)
 * @param brightness             mean grey level of the aligned face, 0..255
 * @param contrast               standard deviation of the grey level of the aligned face
 * @param uniqueIntensityLevels  number of distinct grey levels (0..256) in the aligned face
 * @param eyeDistance            inter-eye distance in source pixels
 * @param faceSize               face box height in source pixels
 * @param faceRelativeArea       face box area / image area
 */
public record QualityReport(double sharpness, double brightness, double contrast, int uniqueIntensityLevels,
                            double eyeDistance, double faceSize, double faceRelativeArea) {
}
