package io.openbio.gateway.api.diagnostic;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.openbio.events.RequestEnvelope;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DiagnosticContract;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * Request validation of {@code POST /diagnostic/digest} in a Spring MVC slice ({@link WebSlice})
 * with the pipeline client mocked: errors in the default body, and bad input never reaches the
 * pipeline. The wired round trip is {@code PipelineIntegrationTest}'s.
 */
@SpringJUnitWebConfig({WebSlice.class, DiagnosticController.class, CallbackUrlValidator.class})
// no allow-list here, whatever an earlier wired test in this JVM set as a system property (WiredPlatform does)
@org.springframework.test.context.TestPropertySource(properties = "openbio.callback.allow=")
class DiagnosticControllerTest {
    static final String PATH = "/diagnostic/digest";

    @MockitoBean
    RequestReplyClient pipeline;

    MockMvc mvc;

    @BeforeEach
    void setUp(WebApplicationContext context) {
        mvc = MockMvcBuilders.webAppContextSetup(context).build();
        when(pipeline.newRequest(any(), anyString(), any(), anyMap())).thenAnswer(call -> RequestEnvelope.newBuilder()
                .setRequestId("r-1").setTenant("default").setOperation(call.getArgument(1)).setCreatedAt(Instant.now())
                .setParts(call.getArgument(2)).setAttributes(call.getArgument(3)));
    }

    /**
     * 400 in the default body, and nothing was published. (An invalid callbackUrl is found after the
     * envelope is built, which sets X-Request-Id, so "never published" is the check, not "never touched".)
     */
    private void badRequest(RequestBuilder request, String message) throws Exception {
        WebSlice.defaultError(mvc.perform(request), 400, "Bad Request", message, PATH, "UNKNOWN");
        verify(pipeline, never()).call(any(), any());
        verify(pipeline, never()).submit(any(), any());
    }

    @Test
    void anEmptyOrMalformedRequestIsA400() throws Exception {
        badRequest(post(PATH).contentType(MediaType.APPLICATION_OCTET_STREAM), "empty request body: send the bytes to digest");
        badRequest(post(PATH).contentType(MediaType.APPLICATION_JSON).content("{}"), "'payload' (base64) is required");
        badRequest(post(PATH).contentType(MediaType.APPLICATION_JSON).content("{\"payload\":\"not base64!\"}"), "'payload' is not valid base64");
        badRequest(post(PATH).contentType(MediaType.APPLICATION_JSON).content("{\"payload\":"),
                "Malformed request body: expected valid JSON of the documented shape");
        badRequest(post(PATH + "?callbackUrl=ftp://example.com/x").contentType(MediaType.APPLICATION_OCTET_STREAM).content("x"),
                "'callbackUrl' must be an absolute http or https URL");
        badRequest(post(PATH + "?wait=later").contentType(MediaType.APPLICATION_OCTET_STREAM).content("x"),
                "Parameter 'wait' has an invalid value");
    }

    /**
     * SSRF forms of issue #13: loopback over IPv6, decimal and IPv4-mapped IPv6 forms of 127.0.0.1, the
     * metadata address, a private address and credentials in the URL are 400s before anything is published.
     */
    @Test
    void internalDestinationsAndCredentialsInACallbackUrlAreA400() throws Exception {
        String internal = "'callbackUrl' resolves to a loopback, private, link-local or otherwise internal address;"
                + " callbacks go to public addresses only";
        for (String url : new String[] {"http://[::1]:8080/", "http://2130706433:8080/", "http://[::ffff:127.0.0.1]:8080/",
                "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://127.0.0.1:8081/", "http://0.0.0.0:8080/",
                "http://[fd00::1]/"}) {
            badRequest(post(PATH + "?callbackUrl=" + url).contentType(MediaType.APPLICATION_OCTET_STREAM).content("x"), internal);
        }
        badRequest(post(PATH + "?callbackUrl=http://metadata.google.internal/").contentType(MediaType.APPLICATION_OCTET_STREAM).content("x"),
                "'callbackUrl' names a cloud metadata service");
        badRequest(post(PATH + "?callbackUrl=http://user:secret@example.com/").contentType(MediaType.APPLICATION_OCTET_STREAM).content("x"),
                "'callbackUrl' must not carry credentials (user:password@); callbacks are signed instead");
        badRequest(post(PATH).contentType(MediaType.APPLICATION_JSON).content("{\"payload\":\"eA==\",\"callbackUrl\":\"http://[::1]/\"}"),
                internal);
    }

    @Test
    void withoutWaitingTheAnswerIs202WithTheRequestId() throws Exception {
        when(pipeline.submit(eq(Topics.DIAGNOSTIC_REQUESTS), any(RequestEnvelope.Builder.class)))
                .thenAnswer(call -> CompletableFuture.completedFuture(call.<RequestEnvelope.Builder>getArgument(1).build()));
        MvcResult accepted = mvc.perform(post(PATH + "?wait=false&callbackUrl=https://example.com/cb")
                        .contentType(MediaType.APPLICATION_OCTET_STREAM).content("x"))
                .andExpect(request().asyncStarted()).andReturn();
        mvc.perform(asyncDispatch(accepted)).andExpect(status().isAccepted())
                .andExpect(content().json("{\"requestId\":\"r-1\",\"status\":\"ACCEPTED\",\"resultTopic\":\"" + Topics.RESULTS.name()
                        + "\",\"callbackUrl\":\"https://example.com/cb\"}", JsonCompareMode.STRICT));
        verify(pipeline).newRequest(any(), eq(DiagnosticContract.DIGEST_OPERATION), any(), anyMap());
    }
}
