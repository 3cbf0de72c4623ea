package io.openbio.gateway.dis;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import org.junit.jupiter.api.Test;

/** The reference document loads and its validator accepts what the reference allows and refuses what it does not. */
class DisReferenceTest {
    private static boolean valid(String path, Request.Method method, int status, String body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        if (body != null) {
            response.withContentType("application/json").withBody(body);
        }
        return !DisClient.REFERENCE.validateResponse(path, method, response.build()).hasErrors();
    }

    @Test
    void errorResponsesNeedTheirFieldsAndAnEnumCode() {
        String customer = "/api/v1/customers/0b6a4bba-3c1b-4e2f-9d59-1f0b0e2b7f11";
        assertThat(valid(customer, Request.Method.GET, 404, "{\"errorCode\":\"NOT_FOUND\",\"errorMessage\":\"Customer not found\"}")).isTrue();
        assertThat(valid(customer, Request.Method.GET, 404, "{\"errorMessage\":\"Customer not found\"}")).isFalse();
        assertThat(valid(customer, Request.Method.GET, 404, "{\"errorCode\":\"NO_SUCH\",\"errorMessage\":\"x\"}")).isFalse();
        assertThat(valid(customer, Request.Method.GET, 401, null)).isTrue();
        assertThat(valid(customer, Request.Method.GET, 418, null)).isFalse();
    }

    @Test
    void healthAndCustomerCreation() {
        assertThat(valid("/api/v1/health", Request.Method.GET, 200, "{\"status\":\"UP\"}")).isTrue();
        assertThat(valid("/api/v1/customers", Request.Method.POST, 200,
                "{\"id\":\"0b6a4bba-3c1b-4e2f-9d59-1f0b0e2b7f11\",\"links\":{\"self\":\"/api/v1/customers/0b6a4bba-3c1b-4e2f-9d59-1f0b0e2b7f11\"}}"))
                .isTrue();
        assertThat(valid("/api/v1/customers", Request.Method.POST, 200, "{\"links\":{\"self\":\"/api/v1/customers/x\"}}")).isFalse();
    }
}
