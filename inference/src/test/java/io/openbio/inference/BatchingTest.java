package io.openbio.inference;

import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.liveness.LivenessResult;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;
import io.openbio.inference.tfjs.TfjsModels;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Batched calls ({@code embedAll}, {@code livenessAll}) give the single-face results, on real group photos. */
class BatchingTest {
    private static final double TOL = 1e-5;
    private final FaceAnalyzer fa = Shared.analyzer();

    @Test
    void batchSupportIsReadFromTheModelFiles() {
        ModelRepository repo = ModelRepository.fromEnvironment();
        for (String id : List.of("fr_detect", "fr_landmark", "fr_feature", "fr_liveness", "fr_age", "fr_gender",
                "fr_pose", "fr_eye", "fr_expression", "bf_back")) {
            try (OnnxModel m = OnnxModel.load(repo, id)) {
                assertThat(m.batchable()).as(id).isFalse();
                assertThat(m.declaredInputShape()[0]).as(id).isEqualTo(1L);
            }
        }
        for (String id : List.of("hm_antispoof", "hm_liveness")) {
            try (OnnxModel m = TfjsModels.load(repo, id, id + "_weights")) {
                assertThat(m.batchable()).as(id).isTrue();
                assertThat(m.declaredInputShape()[0]).as(id).isEqualTo(-1L);
            }
        }
        assertThat(fa.batchedModels()).containsExactly(Map.entry("fr_feature", false), Map.entry("fr_liveness", false),
                Map.entry("hm_antispoof", true), Map.entry("hm_liveness", true));
    }

    @ParameterizedTest
    @ValueSource(strings = {Photos.GROUP4, Photos.GROUP5})
    void embedAllEqualsSingleCalls(String photo) {
        DecodedImage d = fa.decode(TestPhotos.bytes(photo));
        List<Face> faces = fa.detectAll(d);
        assertThat(faces).hasSize(TestPhotos.facesIn(photo).size()).hasSizeGreaterThanOrEqualTo(4);
        List<Template> batch = fa.embedAll(d, faces);
        assertThat(batch).hasSize(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            assertSameTemplate(batch.get(i), fa.embed(d, faces.get(i)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Photos.GROUP4, Photos.GROUP5})
    void livenessAllEqualsSingleCalls(String photo) {
        DecodedImage d = fa.decode(TestPhotos.bytes(photo));
        List<Face> faces = fa.detectAll(d);
        assertThat(faces).hasSizeGreaterThanOrEqualTo(4);
        List<LivenessResult> batch = fa.livenessAll(d, faces);
        assertThat(batch).hasSize(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            assertSameLiveness(batch.get(i), fa.liveness(d, faces.get(i)));
        }
    }

    @Test
    void batchesLongerThanOneChunkKeepTheOrder() {
        DecodedImage d = fa.decode(TestPhotos.bytes(Photos.GROUP5));
        List<Face> five = fa.detectAll(d);
        List<Face> many = new ArrayList<>();
        while (many.size() <= OnnxModel.MAX_BATCH) {
            many.addAll(five); // 35 faces: a full chunk of 32 and one of 3
        }
        List<LivenessResult> batch = fa.livenessAll(d, many);
        assertThat(batch).hasSize(many.size());
        for (int i = 0; i < five.size(); i++) {
            LivenessResult single = fa.liveness(d, five.get(i));
            for (int j = i; j < many.size(); j += five.size()) {
                assertSameLiveness(batch.get(j), single);
            }
        }
    }

    @Test
    void oneFaceWorks() {
        DecodedImage d = fa.decode(TestPhotos.bytes(Photos.MAN_B));
        Face f = fa.detect(d);
        List<Template> t = fa.embedAll(d, List.of(f));
        assertThat(t).hasSize(1);
        assertSameTemplate(t.get(0), fa.embed(d, f));
        List<LivenessResult> l = fa.livenessAll(d, List.of(f));
        assertThat(l).hasSize(1);
        assertSameLiveness(l.get(0), fa.liveness(d, f));
    }

    @Test
    void noFacesGiveEmptyLists() {
        DecodedImage d = fa.decode(TestPhotos.bytes(Photos.MAN_B));
        assertThat(fa.embedAll(d, List.of())).isEmpty();
        assertThat(fa.livenessAll(d, List.of())).isEmpty();
    }

    private static void assertSameTemplate(Template batch, Template single) {
        assertThat(batch.modelId()).isEqualTo(single.modelId());
        assertThat(batch.modelVersion()).isEqualTo(single.modelVersion());
        assertThat(batch.vector()).hasSize(single.vector().length);
        for (int k = 0; k < single.vector().length; k++) {
            assertThat((double) batch.vector()[k]).as("component %d", k).isCloseTo(single.vector()[k],
                    within(TOL));
        }
    }

    private static void assertSameLiveness(LivenessResult batch, LivenessResult single) {
        assertThat(batch.modelId()).isEqualTo(single.modelId());
        assertThat(batch.probability()).isCloseTo(single.probability(), within(TOL));
        assertThat(batch.modelScores().keySet()).containsExactlyElementsOf(single.modelScores().keySet());
        for (String m : single.modelScores().keySet()) {
            assertThat(batch.score(m)).as(m).isCloseTo(single.score(m), within(TOL));
        }
        for (int k = 0; k < single.classScores().length; k++) {
            assertThat((double) batch.classScores()[k]).isCloseTo(single.classScores()[k],
                    within(TOL));
        }
    }
}
