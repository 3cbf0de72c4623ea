package io.openbio.processors.core;

import io.openbio.events.DetectedFace;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.detect.Keypoints;
import java.util.ArrayList;
import java.util.List;

/** Faces between the face-analysis library and events (box, score, 68 landmarks; keypoints are derived). */
public final class Faces {
    private Faces() {
    }

    public static DetectedFace toEvent(Face face) {
        List<Float> landmarks = new ArrayList<>(face.landmarks().length);
        for (float v : face.landmarks()) {
            landmarks.add(v);
        }
        return new DetectedFace(face.box().x(), face.box().y(), face.box().width(), face.box().height(),
                face.score(), face.interEyeDistance(), landmarks);
    }

    public static Face fromEvent(DetectedFace detected) {
        float[] landmarks = new float[detected.getLandmarks().size()];
        for (int i = 0; i < landmarks.length; i++) {
            landmarks[i] = detected.getLandmarks().get(i);
        }
        return new Face(new BoundingBox(detected.getX(), detected.getY(), detected.getWidth(), detected.getHeight()),
                detected.getScore(), landmarks, Keypoints.from68(landmarks));
    }
}
