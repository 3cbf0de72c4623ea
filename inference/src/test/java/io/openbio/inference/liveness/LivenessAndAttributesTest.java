package io.openbio.inference.liveness;

import io.openbio.inference.FaceAnalysis;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.attributes.Expression;
import io.openbio.inference.attributes.FaceAttributes;
import io.openbio.inference.attributes.Gender;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.quality.QualityMeter;
import io.openbio.inference.quality.QualityReport;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LivenessAndAttributesTest {
    private final FaceAnalyzer fa = Shared.analyzer();

    @Test
    void liveFaceOfARealPhotoIsLive() {
        LivenessResult r = fa.liveness(TestPhotos.bytes(Photos.MAN_B));
        assertThat(r.probability()).isBetween(0.0, 1.0);
        float sum = 0;
        for (float v : r.classScores()) {
            sum += v;
        }
        assertThat(sum).isCloseTo(1f, within(1e-4f));
        assertThat(r.live()).isTrue();
        // three models, each reported, combined by their mean
        assertThat(r.modelScores()).containsOnlyKeys(PassiveLiveness.MODEL, PassiveLiveness.ANTISPOOF,
                PassiveLiveness.LIVENESS32);
        assertThat(r.score(PassiveLiveness.MODEL)).isCloseTo(r.classScores()[PassiveLiveness.LIVE_CLASS], within(1e-6));
        r.modelScores().values().forEach(v -> assertThat(v).isBetween(0.0, 1.0));
        double mean = r.modelScores().values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(r.probability()).isCloseTo(mean, within(1e-9));
        assertThat(r.modelId()).isEqualTo("fr_liveness+hm_antispoof+hm_liveness");
    }

    @Test
    void everyLivenessModelSeesRealPhotosOfFacesAsMostlyLive() {
        // real camera photos of live people (not recaptures): each model, on its own, should call
        // most of these faces live; printed so the figures can be read in the build log
        String[] photos = {Photos.MAN_A, Photos.MAN_B, Photos.ASTRONAUT, Photos.SAME_MAN_X3, Photos.YALE_X4, Photos.GROUP1};
        java.util.Map<String, Integer> live = new java.util.HashMap<>();
        int faces = 0;
        for (String name : photos) {
            DecodedImage d = fa.decode(TestPhotos.bytes(name));
            for (Face f : fa.detectAll(d)) {
                LivenessResult r = fa.liveness(d, f);
                System.out.printf("liveness %s %s%n", name, r.modelScores());
                faces++;
                r.modelScores().forEach((k, v) -> live.merge(k, v >= 0.5 ? 1 : 0, Integer::sum));
            }
        }
        System.out.println("live at 0.5 per model: " + live + " of " + faces);
        assertThat(faces).isGreaterThanOrEqualTo(10);
        for (String model : live.keySet()) {
            assertThat(live.get(model)).as(model).isGreaterThanOrEqualTo((int) Math.ceil(0.8 * faces));
        }
    }

    @Test
    void analyzeGivesEveryPartForOneFace() {
        FaceAnalysis a = fa.analyze(TestPhotos.bytes(Photos.MAN_B));
        FaceAttributes t = a.attributes();
        assertThat(a.template().vector()).hasSize(512);
        assertThat(t.gender()).isEqualTo(Gender.MALE);
        assertThat(t.age()).isBetween(18.0, 80.0);
        assertThat(t.rightEyeOpen()).isGreaterThan(0.5);
        assertThat(t.leftEyeOpen()).isGreaterThan(0.5);
        assertThat(t.expressionScores()).hasSize(Expression.values().length);
        assertThat(a.quality().eyeDistance()).isEqualTo(a.face().interEyeDistance());
    }

    @Test
    void frontalFacesHaveSmallPoseAnglesAndTurnedFacesLargeYaw() {
        DecodedImage yale = fa.decode(TestPhotos.bytes(Photos.YALE_X4));
        for (Face f : fa.detectAll(yale)) {
            FaceAttributes t = fa.attributes(yale, f);
            assertThat(Math.abs(t.yaw())).isLessThan(15);
            assertThat(Math.abs(t.roll())).isLessThan(15);
        }
        DecodedImage g2 = fa.decode(TestPhotos.bytes(Photos.GROUP2));
        Face profile = fa.detectAll(g2).stream().filter(f -> f.box().x() < 600).findFirst().orElseThrow();
        assertThat(Math.abs(fa.attributes(g2, profile).yaw())).isGreaterThan(40);
    }

    @Test
    void womenAndMenOfTheSkimageAndOpencvPhotosAreTold() {
        DecodedImage astro = fa.decode(TestPhotos.bytes(Photos.ASTRONAUT));
        DecodedImage man = fa.decode(TestPhotos.bytes(Photos.SAME_MAN_X3));
        for (Face f : fa.detectAll(man)) {
            assertThat(fa.attributes(man, f).gender()).isEqualTo(Gender.MALE);
        }
        assertThat(fa.detectAll(astro)).hasSize(1);
    }

    @Test
    void blurLowersSharpness() {
        DecodedImage d = fa.decode(TestPhotos.bytes(Photos.MAN_B));
        Face f = fa.detect(d);
        QualityReport sharp = QualityMeter.measure(d.image(), f);
        Mat m = d.image().toMat();
        Imgproc.GaussianBlur(m, m, new Size(0, 0), 4);
        RgbImage blurred = RgbImage.fromMat(m);
        m.release();
        QualityReport soft = QualityMeter.measure(blurred, f);
        assertThat(soft.sharpness()).isLessThan(sharp.sharpness() / 2);
        assertThat(sharp.uniqueIntensityLevels()).isBetween(2, 256);
        assertThat(sharp.faceRelativeArea()).isBetween(0.0, 1.0);
        assertThat(ImageOps.gray(blurred)).hasSize(d.width() * d.height());
    }
}
