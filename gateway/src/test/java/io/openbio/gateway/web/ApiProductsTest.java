package io.openbio.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.gateway.api.audit.AuditApi;
import io.openbio.gateway.api.bundle.BundleApi;
import io.openbio.gateway.api.diagnostic.DiagnosticApi;
import io.openbio.gateway.api.ekyc.EkycApi;
import io.openbio.gateway.api.iad.IadApi;
import io.openbio.gateway.api.system.SystemApi;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which product's error format and status a path gets, without Spring. */
class ApiProductsTest {
    static final ApiProducts PRODUCTS = new ApiProducts(List.of(new EkycApi(), new IadApi(), new DiagnosticApi(), new AuditApi(),
            new BundleApi(), new SystemApi()));

    @Test
    void aPathBelongsToTheProductWithTheLongestMatchingPrefix() {
        assertThat(PRODUCTS.of("/check").name()).isEqualTo("ekyc");
        assertThat(PRODUCTS.of("/check/more").name()).isEqualTo("ekyc");
        assertThat(PRODUCTS.of("/check_capture_liveness").name()).as("a prefix continues with '/' only").isEqualTo("iad");
        assertThat(PRODUCTS.of("/collections/remove-record").name()).isEqualTo("ekyc");
        assertThat(PRODUCTS.of("/diagnostic/digest").name()).isEqualTo("diagnostic");
        assertThat(PRODUCTS.of("/checkout")).as("no product").isSameAs(ApiError.DEFAULT);
        assertThat(PRODUCTS.of("/nowhere")).isSameAs(ApiError.DEFAULT);
        assertThat(PRODUCTS.of(null)).isSameAs(ApiError.DEFAULT);

        ApiProduct nested = product("nested", "/check/deep");
        ApiProducts withNested = new ApiProducts(List.of(new EkycApi(), nested));
        assertThat(withNested.of("/check/deep/x")).isSameAs(nested);
        assertThat(withNested.of("/check/other").name()).isEqualTo("ekyc");
    }

    @Test
    void anotherSpellingOfAPathBelongsToTheSameProduct() {
        for (String path : List.of("/collections;x", "/%63ollections", "//collections", "/collections%2Fremove-record",
                "/collections/./remove-record", "/x/../collections", "/collections%5Cx", "/collections%3Bx")) {
            assertThat(PRODUCTS.of(path).name()).as(path).isEqualTo("ekyc");
        }
        assertThat(PRODUCTS.of("/%61udit;x/records").name()).isEqualTo("audit");
        assertThat(PRODUCTS.of("/%zz/records")).as("does not decode: as it is").isSameAs(ApiError.DEFAULT);
        assertThat(PRODUCTS.body(400, "bad", "/%63ollections", "INVALID_PATH")).isEqualTo(Map.of("status", 400, "message", "bad"));
    }

    @Test
    void idLivePathsAnswerStatusAndMessageAnd413Or415As400() {
        assertThat(PRODUCTS.body(400, "bad", "/check", "UNKNOWN")).isEqualTo(Map.of("status", 400, "message", "bad"));
        assertThat(PRODUCTS.body(413, "big", "/add-image", "PAYLOAD_TOO_LARGE")).isEqualTo(Map.of("status", 400, "message", "big"));
        assertThat(PRODUCTS.status(415, "/decrypt")).isEqualTo(400);
        assertThat(PRODUCTS.status(429, "/generate-template")).isEqualTo(429);
        assertThat(PRODUCTS.response(413, "big", "/check", "PAYLOAD_TOO_LARGE").getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void everyOtherPathAnswersTheDefaultBodyWithItsStatus() {
        for (String path : List.of("/check_capture_liveness", "/diagnostic/digest", "/audit/records", "/bundle/nonce", "/health", "/nowhere")) {
            Map<String, Object> body = PRODUCTS.body(413, "big", path, "PAYLOAD_TOO_LARGE");
            assertThat(body).as(path).containsOnlyKeys("timestamp", "status", "error", "message", "path", "error_code");
            assertThat(body).containsEntry("status", 413).containsEntry("error", "Content Too Large").containsEntry("message", "big")
                    .containsEntry("path", path).containsEntry("error_code", "PAYLOAD_TOO_LARGE");
            assertThat(PRODUCTS.status(415, path)).isEqualTo(415);
        }
        assertThat(PRODUCTS.body(400, "x", "/health", null)).containsEntry("error_code", "UNKNOWN");
    }

    @Test
    void aPrefixClaimedTwiceOrMalformedFailsTheStart() {
        assertThatThrownBy(() -> new ApiProducts(List.of(new EkycApi(), product("other", "/check"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("/check").hasMessageContaining("ekyc");
        assertThatThrownBy(() -> new ApiProducts(List.of(product("bad", "check")))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ApiProducts(List.of(product("bad", "/check/")))).isInstanceOf(IllegalStateException.class);
    }

    static ApiProduct product(String name, String... prefixes) {
        return new ApiProduct() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<String> pathPrefixes() {
                return List.of(prefixes);
            }
        };
    }
}
