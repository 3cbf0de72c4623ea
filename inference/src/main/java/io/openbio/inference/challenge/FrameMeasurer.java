package io.openbio.inference.challenge;

import io.openbio.inference.FaceAnalyzer;
import java.util.List;

/**
 * Measures every frame of a challenge capture with the face models: the tracked face, head pose,
 * eye openness, smile, gaze, identity similarity frame to frame, sharpness.
 */
public final class FrameMeasurer implements AutoCloseable {
    private final FaceAnalyzer analyzer;

    public FrameMeasurer(FaceAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    /** One measurement per frame, in the given order. */
    public List<FrameMeasurement> measure(List<TimedFrame> frames) {
        throw new UnsupportedOperationException("issue 16: being built");
    }

    @Override
    public void close() {
    }
}
