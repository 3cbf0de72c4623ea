package io.openbio.processors.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.schemas.settings.Setting;
import io.openbio.schemas.settings.Settings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessorSettingsTest {

    @Test
    void theDefaultsAreTodaysAndPassTheCheck() {
        ProcessorSettings defaults = ProcessorSettings.defaults();
        assertThat(defaults.assemblyTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.gatewayRequestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.callbackRetryDelays()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertThat(defaults.callbackAllow()).isEmpty();
        assertThat(defaults.callbackSecrets()).isEmpty();
        assertThat(defaults.callbackTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.searchMaxRebuildMs()).isEqualTo(2 * 60 * 60 * 1000);
        assertThat(defaults.searchRebuildThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(defaults.httpPort()).isEqualTo(8090);
        assertThat(defaults.validate()).isSameAs(defaults);
    }

    @Test
    void anAssemblyTimeoutNotBelowTheGatewaysRequestTimeoutRefusesToStart() {
        ProcessorSettings equal = ProcessorSettings.defaults().withAssemblyTimeout(Duration.ofSeconds(30));
        assertThatThrownBy(equal::validate).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("OPENBIO_EKYC_ASSEMBLY_TIMEOUT_MS (30000 ms)")
                .hasMessageContaining("must be below OPENBIO_GATEWAY_REQUEST_TIMEOUT (30000 ms)");

        ProcessorSettings shortGateway = ProcessorSettings.defaults().withGatewayRequestTimeout(Duration.ofSeconds(10));
        assertThatThrownBy(shortGateway::validate).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("(20000 ms) must be below OPENBIO_GATEWAY_REQUEST_TIMEOUT (10000 ms)");

        ProcessorSettings justBelow = ProcessorSettings.defaults().withAssemblyTimeout(Duration.ofMillis(29_999));
        assertThat(justBelow.validate()).isSameAs(justBelow);
    }

    @Test
    void readFromTheSameSettingNamesAsBefore() {
        String[] keys = {"openbio.ekyc.assembly-timeout-ms", "openbio.gateway.request-timeout", "openbio.search.rebuild-threads",
                "openbio.callback.retry-delays-ms", "openbio.callback.allow", "openbio.callback.secrets",
                "openbio.callback.timeout-ms", "openbio.search.max-rebuild-ms", "openbio.processor.http-port"};
        String[] values = {"25000", "2m", "0", "50, 400", "it=127.0.0.1/32", "*=c2VjcmV0LXNlY3JldC1zZWNyZXQ=", "900", "60000", "0"};
        try {
            for (int i = 0; i < keys.length; i++) {
                System.setProperty(keys[i], values[i]); // read before the environment variable (OPENBIO_EKYC_ASSEMBLY_TIMEOUT_MS, ...)
            }
            ProcessorSettings read = ProcessorSettings.fromEnvironment();
            assertThat(read).isEqualTo(new ProcessorSettings(Duration.ofMillis(25_000), Duration.ofMinutes(2),
                    java.util.List.of(Duration.ofMillis(50), Duration.ofMillis(400)), Duration.ofMillis(900), "it=127.0.0.1/32",
                    "*=c2VjcmV0LXNlY3JldC1zZWNyZXQ=", 60_000, 1, 0));
            assertThat(read.toString()).as("secrets never printed").doesNotContain("c2VjcmV0");
            assertThat(read.searchRebuildThreads()).as("at least one").isEqualTo(1);
            assertThat(read.validate()).isSameAs(read);

            System.setProperty(keys[1], "20s");
            assertThatThrownBy(() -> ProcessorSettings.fromEnvironment().validate()).isInstanceOf(IllegalStateException.class);
        } finally {
            for (String key : keys) {
                System.clearProperty(key);
            }
        }
    }

    /** The settings catalog (what README.md documents) states the defaults this record really has. */
    @Test
    void theDefaultsAreTheSettingsCatalogs() {
        ProcessorSettings defaults = ProcessorSettings.defaults();
        assertThat(defaults.assemblyTimeout()).isEqualTo(Duration.ofMillis(Long.parseLong(Settings.EKYC_ASSEMBLY_TIMEOUT_MS.defaultValue())));
        assertThat(defaults.gatewayRequestTimeout())
                .isEqualTo(ProcessorSettings.duration("t", Settings.GATEWAY_REQUEST_TIMEOUT.defaultValue()));
        assertThat(defaults.callbackRetryDelays()).isEqualTo(ProcessorSettings.millisList(Settings.CALLBACK_RETRY_DELAYS_MS.defaultValue()));
        assertThat(defaults.callbackAllow()).isEmpty();
        assertThat(defaults.callbackSecrets()).isEmpty();
        assertThat(defaults.callbackTimeout()).isEqualTo(Duration.ofMillis(Long.parseLong(Settings.CALLBACK_TIMEOUT_MS.defaultValue())));
        assertThat(defaults.searchMaxRebuildMs()).isEqualTo(Integer.parseInt(Settings.SEARCH_MAX_REBUILD_MS.defaultValue()));
        assertThat(Settings.SEARCH_REBUILD_THREADS.defaultValue()).as("the machine's cores: worked out at run time").isNull();
        assertThat(defaults.httpPort()).isEqualTo(Integer.parseInt(Settings.PROCESSOR_HTTP_PORT.defaultValue()));
        for (Setting setting : List.of(Settings.EKYC_ASSEMBLY_TIMEOUT_MS, Settings.GATEWAY_REQUEST_TIMEOUT, Settings.CALLBACK_RETRY_DELAYS_MS,
                Settings.CALLBACK_TIMEOUT_MS, Settings.CALLBACK_ALLOW, Settings.CALLBACK_SECRETS,
                Settings.SEARCH_MAX_REBUILD_MS, Settings.SEARCH_REBUILD_THREADS, Settings.PROCESSOR_HTTP_PORT)) {
            assertThat(setting.readBy()).as(setting.env()).contains(Setting.Component.PROCESSORS);
        }
    }

    @Test
    void theHealthServersBindAddressAndIdleTimeoutAreSettings() {
        try {
            System.setProperty("openbio.processor.http-bind", "127.0.0.1");
            System.setProperty("openbio.processor.http-idle-timeout-ms", "1500");
            ProcessorSettings read = ProcessorSettings.fromEnvironment();
            assertThat(read.httpBind()).isEqualTo("127.0.0.1");
            assertThat(read.httpIdleTimeout()).isEqualTo(Duration.ofMillis(1500));
        } finally {
            System.clearProperty("openbio.processor.http-bind");
            System.clearProperty("openbio.processor.http-idle-timeout-ms");
        }
        assertThat(ProcessorSettings.defaults().httpBind()).isEqualTo("0.0.0.0");
        assertThat(ProcessorSettings.defaults().httpIdleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> ProcessorSettings.defaults().withHttp(8090, "0.0.0.0", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPENBIO_PROCESSOR_HTTP_IDLE_TIMEOUT_MS");
    }

    @Test
    void theGatewayTimeoutIsReadAsSpringReadsIt() {
        assertThat(ProcessorSettings.duration("t", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ProcessorSettings.duration("t", "30000")).as("no unit: milliseconds").isEqualTo(Duration.ofSeconds(30));
        assertThat(ProcessorSettings.duration("t", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ProcessorSettings.duration("t", "1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(ProcessorSettings.duration("t", "PT45S")).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> ProcessorSettings.duration("openbio.gateway.request-timeout", "soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openbio.gateway.request-timeout");
        assertThatThrownBy(() -> ProcessorSettings.duration("t", "30x")).isInstanceOf(IllegalArgumentException.class);
    }
}
