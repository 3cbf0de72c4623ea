package io.openbio.inference.attributes;

import io.openbio.inference.detect.BoundingBox;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Age of the largest face of an image (BioServer's POST /v2/ages), from
 * {@link io.openbio.inference.FaceAnalyzer#estimateAge}.
 *
 * @param age     the fr_age model's estimate in years (SSR-Net), absent when no face is visible or
 *                the face is too poor (quality negative); its measured error: EVALUATION.md, "Age"
 * @param quality {@link #NO_PERSON} (-10000) when no face is found; otherwise the
 *                {@link io.openbio.inference.quality.TemplateQuality} of the face, negative when the
 *                face is below the platform's measured minimum size (then no age is given)
 * @param face    the box of the face that was estimated (largest first), absent when none was found
 */
public record AgeEstimate(OptionalDouble age, int quality, Optional<BoundingBox> face) {
    /** The seed's quality for "no person visible". */
    public static final int NO_PERSON = -10000;

    public AgeEstimate {
        if (age.isPresent() && quality < 0) {
            throw new IllegalArgumentException("an age needs a non-negative quality, got " + quality);
        }
    }

    public static AgeEstimate noPerson() {
        return new AgeEstimate(OptionalDouble.empty(), NO_PERSON, Optional.empty());
    }

    /** BioServer's aboveThreshold (age at or above {@code threshold}); absent when there is no age. */
    public Optional<Boolean> aboveThreshold(double threshold) {
        return age.isPresent() ? Optional.of(age.getAsDouble() >= threshold) : Optional.empty();
    }
}
