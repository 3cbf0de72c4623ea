package io.openbio.inference;

import io.openbio.inference.attributes.FaceAttributes;
import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.Template;
import io.openbio.inference.liveness.LivenessResult;
import io.openbio.inference.quality.QualityReport;

/** Everything the library can say about the single face of an image. */
public record FaceAnalysis(int imageWidth, int imageHeight, Face face, Template template, LivenessResult liveness,
                           FaceAttributes attributes, QualityReport quality) {
}
