package io.openbio.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.security.web.firewall.RequestRejectedException;

/** What the firewall's refusals leave in the log. */
class SecurityErrorsTest {
    @Test
    void aRefusedHeaderOrParameterValueIsNotLogged() {
        assertThat(SecurityErrors.reason(new RequestRejectedException(
                "The request was rejected because the header value \"secret-key\u0007\" is not allowed.")))
                .doesNotContain("secret-key").isEqualTo("a header name or value is not allowed");
        assertThat(SecurityErrors.reason(new RequestRejectedException(
                "The request was rejected because the parameter value \"x\u0000\" is not allowed.")))
                .isEqualTo("a parameter name or value is not allowed");
        assertThat(SecurityErrors.reason(new RequestRejectedException(
                "The request was rejected because the URL contained a potentially malicious String \";\"")))
                .contains("\";\"");
    }
}
