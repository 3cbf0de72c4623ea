package io.openbio.inference.model;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRepositoryTest {
    @Test
    void manifestListsEveryModelWithPinnedHashLicenceAndContract() {
        ModelManifest m = ModelManifest.load();
        assertThat(m.all()).extracting(ModelSpec::id).contains("fr_detect", "fr_landmark", "fr_feature",
                "fr_liveness", "fr_age", "fr_gender", "fr_pose", "fr_eye", "fr_expression");
        for (ModelSpec s : m.all()) {
            assertThat(s.sha256()).matches("[0-9a-f]{64}");
            assertThat(s.source()).matches("(npm:.+@.+|deb:.+=.+)");
            assertThat(s.licence()).isNotBlank();
            assertThat(s.input()).isNotBlank();
            assertThat(s.output()).isNotBlank();
        }
    }

    @Test
    void everyFetchedModelMatchesItsPinnedHashAndLoads() {
        ModelRepository repo = ModelRepository.fromEnvironment();
        for (ModelSpec s : repo.manifest().all()) {
            Path p = repo.verifiedPath(s.id()); // throws MODEL_UNAVAILABLE with the fix if not fetched
            assertThat(ModelRepository.sha256(p)).isEqualTo(s.sha256());
        }
        try (OnnxModel m = OnnxModel.load(repo, "fr_feature")) {
            // loaded through DJL's OnnxRuntime engine; one 1x3x112x112 input gives the 512-d output
            var out = m.run(new float[3 * 112 * 112], 1, 3, 112, 112);
            assertThat(out).containsKey("output");
            assertThat(out.get("output")).hasSize(512);
        }
    }

    @Test
    void missingModelFailsLoudlyWithTheFix(@TempDir Path empty) {
        ModelRepository repo = new ModelRepository(empty, ModelManifest.load());
        assertThatThrownBy(() -> repo.verifiedPath("fr_detect"))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE))
                .hasMessageContaining("missing")
                .hasMessageContaining("fetch-from-registry.sh");
    }

    @Test
    void tamperedModelIsRefused(@TempDir Path dir) throws Exception {
        ModelRepository real = ModelRepository.fromEnvironment();
        ModelSpec spec = real.manifest().spec("fr_eye");
        Path copy = dir.resolve(spec.file());
        Files.createDirectories(copy.getParent());
        byte[] bytes = Files.readAllBytes(real.verifiedPath("fr_eye"));
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(copy, bytes);
        ModelRepository repo = new ModelRepository(dir, real.manifest());
        assertThatThrownBy(() -> repo.verifiedPath("fr_eye"))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE))
                .hasMessageContaining("SHA-256")
                .hasMessageContaining(spec.sha256());
    }
}
