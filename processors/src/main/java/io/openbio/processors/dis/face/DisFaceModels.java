package io.openbio.processors.dis.face;

import io.openbio.inference.dis.DisScores;
import io.openbio.inference.dis.PortraitSegmenter;
import io.openbio.inference.model.ModelRepository;

/**
 * The DIS-specific models and measures of this process, loaded on first use and shared by every task: the
 * similarity score mapping ({@link DisScores}, the committed calibration) and the portrait segmentation
 * ({@link PortraitSegmenter}, {@code hm_selfie}) of the removed-background crop.
 */
final class DisFaceModels {
    private static volatile DisScores scores;
    private static volatile PortraitSegmenter segmenter;

    private DisFaceModels() {
    }

    static DisScores scores() {
        DisScores local = scores;
        if (local == null) {
            synchronized (DisFaceModels.class) {
                local = scores;
                if (local == null) {
                    local = DisScores.load();
                    scores = local;
                }
            }
        }
        return local;
    }

    static PortraitSegmenter segmenter() {
        PortraitSegmenter local = segmenter;
        if (local == null) {
            synchronized (DisFaceModels.class) {
                local = segmenter;
                if (local == null) {
                    local = new PortraitSegmenter(ModelRepository.fromEnvironment());
                    segmenter = local;
                }
            }
        }
        return local;
    }
}
