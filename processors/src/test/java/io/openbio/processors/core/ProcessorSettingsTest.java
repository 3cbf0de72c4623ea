package io.openbio.processors.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessorSettingsTest {

    @Test
    void theDefaultsAreTodaysAndPassTheCheck() {
        ProcessorSettings defaults = ProcessorSettings.defaults();
        assertThat(defaults.assemblyTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.gatewayRequestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.callbackMaxAttempts()).isEqualTo(10);
        assertThat(defaults.callbackInitialBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(defaults.callbackMaxBackoff()).isEqualTo(Duration.ofSeconds(10));
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
                "openbio.callback.max-attempts", "openbio.callback.initial-backoff-ms", "openbio.callback.max-backoff-ms",
                "openbio.callback.timeout-ms", "openbio.search.max-rebuild-ms", "openbio.processor.http-port"};
        String[] values = {"25000", "2m", "0", "4", "50", "400", "900", "60000", "0"};
        try {
            for (int i = 0; i < keys.length; i++) {
                System.setProperty(keys[i], values[i]); // read before the environment variable (OPENBIO_EKYC_ASSEMBLY_TIMEOUT_MS, ...)
            }
            ProcessorSettings read = ProcessorSettings.fromEnvironment();
            assertThat(read).isEqualTo(new ProcessorSettings(Duration.ofMillis(25_000), Duration.ofMinutes(2), 4, Duration.ofMillis(50),
                    Duration.ofMillis(400), Duration.ofMillis(900), 60_000, 1, 0));
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
