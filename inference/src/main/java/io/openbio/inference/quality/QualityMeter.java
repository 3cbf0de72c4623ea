package io.openbio.inference.quality;

import io.openbio.inference.align.FaceAligner;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.RgbImage;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.imgproc.Imgproc;

import java.util.List;

/** Computes {@link QualityReport} with OpenCV on the aligned face. */
public final class QualityMeter {
    private QualityMeter() {
    }

    public static QualityReport measure(RgbImage img, Face face) {
        RgbImage aligned = FaceAligner.align(img, face.keypoints());
        Mat rgb = aligned.toMat();
        Mat gray = new Mat();
        Mat lap = new Mat();
        Mat hist = new Mat();
        MatOfDouble mean = new MatOfDouble();
        MatOfDouble sd = new MatOfDouble();
        MatOfDouble lmean = new MatOfDouble();
        MatOfDouble lsd = new MatOfDouble();
        try {
            Imgproc.cvtColor(rgb, gray, Imgproc.COLOR_RGB2GRAY);
            Imgproc.Laplacian(gray, lap, CvType.CV_64F);
            Core.meanStdDev(lap, lmean, lsd);
            Core.meanStdDev(gray, mean, sd);
            Imgproc.calcHist(List.of(gray), new MatOfInt(0), new Mat(), hist, new MatOfInt(256), new MatOfFloat(0, 256));
            int levels = Core.countNonZero(hist);
            double lapSd = lsd.toArray()[0];
            return new QualityReport(lapSd * lapSd, mean.toArray()[0], sd.toArray()[0], levels,
                    face.interEyeDistance(), face.box().height(),
                    face.box().area() / ((double) img.width() * img.height()));
        } finally {
            rgb.release();
            gray.release();
            lap.release();
            hist.release();
        }
    }
}
