package io.openbio.schemas.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.schemas.callback.CallbackDestinationPolicy.RefusedException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The destination rules, with a fake resolver (no DNS): literals and names that resolve to internal addresses. */
class CallbackDestinationPolicyTest {
    private static final Map<String, String> DNS = Map.of(
            "example.com", "93.184.215.14",
            "rebind.example", "127.0.0.1",
            "mixed.example", "93.184.215.14,10.0.0.5",
            "localhost", "127.0.0.1");

    static InetAddress[] resolve(String host) throws UnknownHostException {
        String answer = DNS.get(host);
        if (answer != null) {
            String[] parts = answer.split(",");
            InetAddress[] out = new InetAddress[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = InetAddress.getByName(parts[i]);
            }
            return out;
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return InetAddress.getAllByName(host); // literals only: no lookup
        }
        throw new UnknownHostException(host);
    }

    static CallbackDestinationPolicy policy(String allow) {
        return CallbackDestinationPolicy.parse(allow, CallbackDestinationPolicyTest::resolve);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1:8080/", "http://[::1]:8081/", "http://2130706433:8080/", "http://[::ffff:127.0.0.1]:8080/",
            "http://[::ffff:7f00:1]/", "http://[::127.0.0.1]/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
            "http://172.16.3.4/", "http://192.168.1.1/", "http://100.64.0.1/", "http://0.0.0.0:8080/", "http://[::]/",
            "http://[fe80::1]/", "http://[fd00::1]/", "http://[fc00::1]/", "http://224.0.0.1/", "http://[ff02::1]/",
            "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:7f00:1::]/", "http://metadata.google.internal/",
            "http://rebind.example/", "http://mixed.example/", "https://localhost:8443/"})
    void internalDestinationsAreRefused(String url) {
        assertThatThrownBy(() -> policy("").check("t1", url))
                .isInstanceOfAny(RefusedException.class, UnknownHostException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://user:secret@example.com/", "http://user@example.com/", "ftp://example.com/",
            "/relative", "http:opaque", "javascript:alert(1)"})
    void malformedOrCredentialUrlsAreRefusedWithoutDns(String url) {
        assertThatThrownBy(() -> policy("").check("t1", url)).isInstanceOf(RefusedException.class);
    }

    @Test
    void publicDestinationsPassAndKeepTheCheckedAddresses() throws Exception {
        var destination = policy("").check("t1", "https://example.com/hook?x=1");
        assertThat(destination.host()).isEqualTo("example.com");
        assertThat(destination.port()).isEqualTo(443);
        assertThat(destination.addresses()).containsExactly(InetAddress.getByName("93.184.215.14"));
    }

    @Test
    void allowListAdmitsByCidrOrHostPortAndPerTenant() throws Exception {
        CallbackDestinationPolicy policy = policy("10.0.0.0/8, localhost:9000, it=127.0.0.1/32, [::1]:7000");
        assertThat(policy.check("any", "http://10.1.2.3/").addresses()).hasSize(1);
        assertThat(policy.check("any", "http://localhost:9000/").port()).isEqualTo(9000);
        assertThatThrownBy(() -> policy.check("any", "http://localhost:9001/")).isInstanceOf(RefusedException.class);
        assertThat(policy.check("it", "http://127.0.0.1:1234/").port()).isEqualTo(1234);
        assertThatThrownBy(() -> policy.check("other", "http://127.0.0.1:1234/")).isInstanceOf(RefusedException.class);
        assertThatThrownBy(() -> policy.check("other", "http://2130706433:1234/")).isInstanceOf(RefusedException.class);
        assertThat(policy.check("x", "http://[::1]:7000/").port()).isEqualTo(7000);
        assertThatThrownBy(() -> policy.check("x", "http://[::1]:7001/")).isInstanceOf(RefusedException.class);
        assertThatThrownBy(() -> policy("nonsense:port:x/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void redactDropsCredentialsAndQuery() {
        assertThat(CallbackDestinationPolicy.redact("https://user:secret@example.com:8443/hook?token=abc#f"))
                .isEqualTo("https://example.com:8443/hook?redacted");
        assertThat(CallbackDestinationPolicy.redact("http://example.com/hook")).isEqualTo("http://example.com/hook");
    }
}
