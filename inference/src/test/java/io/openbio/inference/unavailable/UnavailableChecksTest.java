package io.openbio.inference.unavailable;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnavailableChecksTest {
    @ParameterizedTest
    @EnumSource(Check.class)
    void checksWithNoModelAreUnavailableNeverGuessed(Check check) {
        CheckResult r = Shared.analyzer().check(check, TestPhotos.bytes(Photos.FACE_SWAPPED));
        assertThat(r.available()).isFalse();
        assertThat(r.probability()).isNaN();
        assertThat(r.detail()).contains(check.key() + ".model");
        assertThatThrownBy(() -> Shared.analyzer().requireCheck(check, TestPhotos.bytes(Photos.FACE_SWAPPED)))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECK_UNAVAILABLE));
    }

    @Test
    void aConfiguredModelWithTheWrongHashIsRefused() {
        Properties p = new Properties();
        p.setProperty("openbio.check.glasses.model", io.openbio.inference.model.ModelRepository.fromEnvironment()
                .verifiedPath("fr_eye").toString());
        p.setProperty("openbio.check.glasses.sha256", "00");
        assertThatThrownBy(() -> PluggableCheck.configured(Check.GLASSES, p))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE))
                .hasMessageContaining("sha256");
        assertThat(PluggableCheck.configured(Check.MASK, p)).isNull();
    }
}
