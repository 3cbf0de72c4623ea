package io.openbio.gateway.web;

import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.openbio.gateway.api.audit.AuditApi;
import io.openbio.gateway.api.bundle.BundleApi;
import io.openbio.gateway.api.diagnostic.DiagnosticApi;
import io.openbio.gateway.api.ekyc.EkycApi;
import io.openbio.gateway.api.iad.IadApi;
import io.openbio.gateway.api.system.SystemApi;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * The Spring MVC slice the controller tests run a controller in: MVC itself, the exception handler,
 * every product's error format and the pipeline-result renderer; no Kafka, no registry, no
 * processors. A controller test adds its controller and mocks {@code RequestReplyClient}
 * ({@code @MockitoBean}).
 *
 * <p>Why not {@code @WebMvcTest}: in Spring Boot 4 it lives in {@code spring-boot-webmvc-test},
 * which this offline build does not have; Spring Framework's own test support (MockMvc,
 * {@code @SpringJUnitWebConfig}, {@code @MockitoBean}) gives the same slice with its configuration
 * spelled out here. The servlet filters are left out: Spring Security (firewall, API keys, roles) is
 * proven over HTTP by {@code ApiKeyIntegrationTest}, where Tomcat's own path handling takes part, and a test that wants the payload limit adds
 * {@link PayloadLimitFilter} to its MockMvc.
 *
 * <p>Deliberately not a {@code @Configuration} (its {@code @Import} makes it a configuration class
 * when a test names it): the gateway's component scan covers {@code io.openbio.gateway}, test classes
 * included when the wired tests start a gateway, and a scanned {@code @EnableWebMvc} would switch off
 * Spring Boot's MVC set-up there (unknown paths became 500 instead of 404).
 */
@EnableWebMvc
@Import({GatewayExceptionHandler.class, ApiProducts.class, PipelineResponses.class, PayloadLimitFilter.class,
        EkycApi.class, IadApi.class, DiagnosticApi.class, AuditApi.class, BundleApi.class, SystemApi.class,
        io.openbio.gateway.api.challenge.ChallengeApi.class, io.openbio.gateway.api.lcp.LcpApi.class})
public class WebSlice {
    /** The default error body ({@link ApiError#defaultBody}): {@code status} and exactly its six fields. */
    public static ResultActions defaultError(ResultActions answer, int status, String error, String message, String path, String code)
            throws Exception {
        return answer.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$", aMapWithSize(6)))
                .andExpect(jsonPath("$.timestamp").value(notNullValue()))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.error").value(error))
                .andExpect(jsonPath("$.message").value(message))
                .andExpect(jsonPath("$.path").value(path))
                .andExpect(jsonPath("$.error_code").value(code));
    }
}
