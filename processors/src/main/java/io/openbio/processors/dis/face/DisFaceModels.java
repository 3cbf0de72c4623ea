package io.openbio.processors.dis.face;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.dis.DisFaceQuality;
import io.openbio.inference.dis.DisScores;
import io.openbio.inference.dis.PortraitSegmenter;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.palm.PalmDetector;
import java.util.function.Supplier;

/**
 * The DIS-specific models and measures of this process, loaded on first use and shared by every task: the
 * similarity score mapping ({@link DisScores}, the committed calibration), the portrait segmentation
 * ({@link PortraitSegmenter}, {@code hm_selfie}) of the removed-background crop, the face quality measures
 * ({@link DisFaceQuality}) and the palm detector ({@link PalmDetector}, MediaPipe palm detection + hand landmarks).
 */
final class DisFaceModels {
    private static volatile DisScores scores;
    private static volatile PortraitSegmenter segmenter;
    private static volatile DisFaceQuality quality;
    private static volatile PalmDetector palms;

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

    static DisFaceQuality quality(Supplier<FaceAnalyzer> analyzer) {
        DisFaceQuality local = quality;
        if (local == null) {
            synchronized (DisFaceModels.class) {
                local = quality;
                if (local == null) {
                    local = new DisFaceQuality(analyzer.get(), ModelRepository.fromEnvironment());
                    quality = local;
                }
            }
        }
        return local;
    }

    static PalmDetector palms() {
        PalmDetector local = palms;
        if (local == null) {
            synchronized (DisFaceModels.class) {
                local = palms;
                if (local == null) {
                    local = new PalmDetector(ModelRepository.fromEnvironment());
                    palms = local;
                }
            }
        }
        return local;
    }
}
