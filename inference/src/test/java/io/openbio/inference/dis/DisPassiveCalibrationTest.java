package io.openbio.inference.dis;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.eval.Recaptures;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Measures the distributions behind {@link PassiveLivenessScore}: the combined passive liveness of the
 * labelled real faces (bona fide) and of the SYNTHETIC screen-replay and print recaptures of each of them,
 * made exactly as inference/EVALUATION.md's liveness section makes them (same crops, same seeds), and checks
 * that the shipped anchor is the equal-error threshold of these samples. The {@code EVAL} lines printed are
 * what EVALUATION.md's section "DIS liveness scores (seed 004)" was written from.
 */
class DisPassiveCalibrationTest {
    private final FaceAnalyzer fa = Shared.analyzer();

    @Test
    void theAnchorIsTheEqualErrorThresholdOfTheMeasuredSamples() {
        List<Double> bonaFide = new ArrayList<>();
        List<Double> attacks = new ArrayList<>();
        int n = 0;
        for (String photo : TestPhotos.photos()) {
            List<TestPhotos.Label> labels = TestPhotos.facesIn(photo);
            if (labels.isEmpty()) {
                continue;
            }
            DecodedImage img = fa.decode(TestPhotos.bytes(photo));
            List<Face> faces = fa.detectAll(img);
            for (TestPhotos.Label l : labels) {
                Face best = null;
                double bi = 0;
                for (Face f : faces) {
                    double v = f.box().iou(l.box());
                    if (v > bi) {
                        bi = v;
                        best = f;
                    }
                }
                if (best == null || bi < 0.5 || l.identity().startsWith("swap")) {
                    continue;
                }
                bonaFide.add(fa.liveness(img, best).probability());
                RgbImage full = img.image();
                BoundingBox sq = best.box().squareScaled(3.2);
                double x0 = Math.max(0, sq.x());
                double y0 = Math.max(0, sq.y());
                int rw = (int) Math.floor(Math.min(full.width(), sq.x() + sq.width()) - x0);
                int rh = (int) Math.floor(Math.min(full.height(), sq.y() + sq.height()) - y0);
                RgbImage region = ImageOps.cropResize(full, Math.floor(x0), Math.floor(y0), rw, rh, rw, rh);
                BoundingBox local = new BoundingBox(best.box().x() - Math.floor(x0), best.box().y() - Math.floor(y0),
                        best.box().width(), best.box().height());
                RgbImage[] made = {Recaptures.screenReplay(region, 17L * n + 1), Recaptures.print(region, 17L * n + 2)};
                for (RgbImage a : made) {
                    DecodedImage d = new DecodedImage(a, "synthetic", 1, rw, rh);
                    Face hit = null;
                    double hi = 0.3;
                    for (Face f : fa.detectAll(d)) {
                        double v = f.box().iou(local);
                        if (v >= hi) {
                            hi = v;
                            hit = f;
                        }
                    }
                    if (hit != null) {
                        attacks.add(fa.liveness(d, hit).probability());
                    }
                }
                n++;
            }
        }
        double eer = PassiveLivenessScore.equalErrorThreshold(bonaFide, attacks);
        long bpcer = bonaFide.stream().filter(v -> v < eer).count();
        long apcer = attacks.stream().filter(v -> v >= eer).count();
        System.out.printf(Locale.ROOT, "EVAL dis-passive bonaFide=%d attacks=%d eer=%.4f bpcer=%d/%d apcer=%d/%d%n",
                bonaFide.size(), attacks.size(), eer, bpcer, bonaFide.size(), apcer, attacks.size());
        System.out.println("EVAL dis-passive bonaFide " + bonaFide.stream().sorted().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList());
        System.out.println("EVAL dis-passive attacks " + attacks.stream().sorted().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList());
        for (double s : new double[] {0.5, 0.75, 0.8, 0.875, 0.9, 0.95}) {
            double raw = PassiveLivenessScore.rawAt(s);
            System.out.printf(Locale.ROOT, "EVAL dis-passive score %.3f raw %.4f bpcer %d/%d apcer %d/%d%n", s, raw,
                    bonaFide.stream().filter(v -> PassiveLivenessScore.score(v) < s).count(), bonaFide.size(),
                    attacks.stream().filter(v -> PassiveLivenessScore.score(v) >= s).count(), attacks.size());
        }
        assertThat(bonaFide).hasSizeGreaterThan(30);
        assertThat(attacks).hasSizeGreaterThan(40);
        assertThat(PassiveLivenessScore.ANCHOR_RAW).isCloseTo(eer, within(0.0005));
    }
}
