package io.openbio.schemas.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.schemas.kafka.KafkaSettings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void namesAreUnique() {
        assertThat(Settings.ALL.stream().map(Setting::env)).doesNotHaveDuplicates();
        assertThat(Settings.ALL.stream().map(Setting::property).filter(Objects::nonNull)).doesNotHaveDuplicates();
        assertThat(Settings.ALL).doesNotHaveDuplicates();
    }

    @Test
    void envNamesAreOpenbioNamesAndTheirPropertiesUpperCased() {
        for (Setting setting : Settings.ALL) {
            assertThat(setting.env()).as("env name").matches("OPENBIO_[A-Z0-9_]+");
            if (setting.property() != null) {
                assertThat(setting.property()).as("%s property", setting.env()).matches("openbio\\.[a-z0-9.-]+");
                assertThat(setting.property().toUpperCase().replace('.', '_').replace('-', '_'))
                        .as("%s: its property upper-cased, '.' and '-' as '_'", setting.env()).isEqualTo(setting.env());
                assertThat(Setting.envOf(setting.property())).isEqualTo(setting.env());
            }
            assertThat(setting.meaning()).as("%s meaning", setting.env()).isNotBlank().doesNotContain("\n");
            assertThat(setting.defaultText()).as("%s default text", setting.env()).isNotBlank();
            if (setting.defaultValue() != null && setting.scope() != Setting.Scope.DEPLOYMENT) {
                assertThat(setting.defaultText()).as("%s: a fixed default reads as itself", setting.env()).isEqualTo(setting.defaultValue());
            }
            assertThat(setting.readBy()).as("%s read by", setting.env()).isNotEmpty();
        }
    }

    /** A constant not listed in ALL would escape every check on the catalog. */
    @Test
    void everyConstantIsInAll() throws IllegalAccessException {
        List<Setting> constants = new ArrayList<>();
        for (Field field : Settings.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
                constants.add((Setting) field.get(null));
            }
        }
        assertThat(constants).hasSizeGreaterThan(30);
        assertThat(Settings.ALL).containsExactlyInAnyOrderElementsOf(constants);
    }

    @Test
    void theKafkaSettingsDefaultsAreTheCatalogs() {
        // read with no property set: the environment of the build may set some, so only compare where it does not
        KafkaSettings settings = KafkaSettings.fromEnvironment();
        if (System.getenv(Settings.KAFKA_BOOTSTRAP.env()) == null && System.getProperty(Settings.KAFKA_BOOTSTRAP.property()) == null) {
            assertThat(settings.bootstrapServers()).isEqualTo("localhost:9092");
        }
        if (System.getenv(Settings.REGISTRY_URL.env()) == null && System.getProperty(Settings.REGISTRY_URL.property()) == null) {
            assertThat(settings.registryUrl()).isEqualTo("http://localhost:8081/apis/registry/v2");
        }
        if (System.getenv(Settings.STREAMS_STATE_DIR.env()) == null && System.getProperty(Settings.STREAMS_STATE_DIR.property()) == null) {
            assertThat(settings.stateDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "openbio-streams"));
        }
        assertThat(Settings.STREAMS_COMMIT_INTERVAL_MS.defaultValue()).isEqualTo("0");
        assertThat(Settings.STREAMS_THREADS.defaultValue()).isEqualTo("1");
        assertThat(Settings.KAFKA_REPLICATION.defaultValue()).isEqualTo("1");
    }

    @Test
    void aSettingIsReadFromItsPropertyThenItsDefault() {
        String property = Settings.STREAMS_THREADS.property();
        String before = System.getProperty(property);
        try {
            System.setProperty(property, " 3 ");
            assertThat(KafkaSettings.setting(Settings.STREAMS_THREADS)).isEqualTo("3");
            assertThat(KafkaSettings.fromEnvironment().streamThreads()).isEqualTo(3);
            assertThat(KafkaSettings.setting(Settings.STREAMS_THREADS)).isEqualTo(KafkaSettings.setting(property, "1"));
            if (System.getenv(Settings.STREAMS_THREADS.env()) == null) {
                System.setProperty(property, " ");
                assertThat(KafkaSettings.setting(Settings.STREAMS_THREADS)).as("blank: the default").isEqualTo("1");
            }
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }
}
