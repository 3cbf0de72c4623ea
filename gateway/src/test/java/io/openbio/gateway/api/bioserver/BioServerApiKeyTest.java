package io.openbio.gateway.api.bioserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.events.RequestEnvelope;
import io.openbio.gateway.api.diagnostic.CallbackUrlValidator;
import io.openbio.gateway.pipeline.PipelineHealth;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.security.ApiKeys;
import io.openbio.gateway.security.SecurityConfig;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.Topics;
import jakarta.servlet.Filter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The BioServer paths with API keys on: the gateway's real security chain ({@link SecurityConfig}) in front
 * of the controllers; no key or a wrong one is a 401 in the seed's {@code {id, message}} and reaches
 * nothing; the seed's {@code apikey} header (and {@code Authorization}, as the capabilities curl sends it)
 * lets the request through.
 */
@SpringJUnitWebConfig({WebSlice.class, SecurityConfig.class, BioServerApi.class, BioServerController.class, BioServerCapabilities.class,
        BioServerResponses.class, BioServerSignatures.class, CallbackUrlValidator.class})
@TestPropertySource(properties = "openbio.security.api-keys=acme:USER:" + BioServerApiKeyTest.KEY_SHA256)
class BioServerApiKeyTest {
    /** sha256("bio-key"). */
    static final String KEY_SHA256 = "c0c36e5721c2151d1fdbd437469ebca83cb69b26e63119403b9e2f5e52d81d0b";

    @MockitoBean
    RequestReplyClient pipeline;
    @MockitoBean
    PipelineHealth health;

    MockMvc mvc;

    @BeforeEach
    void setUp(WebApplicationContext context) {
        mvc = MockMvcBuilders.webAppContextSetup(context).addFilters(context.getBean("springSecurityFilterChain", Filter.class)).build();
        when(pipeline.newRequest(any(), anyString(), any(), anyMap())).thenAnswer(call -> RequestEnvelope.newBuilder()
                .setRequestId("r-1").setTenant("acme").setOperation(call.getArgument(1)).setCreatedAt(Instant.now())
                .setParts(call.getArgument(2)).setAttributes(call.getArgument(3)));
        when(pipeline.call(eq(Topics.BIOSERVER_REQUESTS), any(RequestEnvelope.Builder.class), anyString()))
                .thenReturn(CompletableFuture.completedFuture(BioServerControllerTest.answer(201, "{}")));
        when(health.check()).thenReturn(new PipelineHealth.Snapshot(true, Map.of("broker", "UP", "processor:bioserver", "UP"), 0));
    }

    @Test
    void theHashInThisTestIsTheKeys() {
        assertThat(ApiKeys.sha256("bio-key")).isEqualTo(KEY_SHA256);
    }

    private MockHttpServletResponse send(MockHttpServletRequestBuilder request) throws Exception {
        MvcResult started = mvc.perform(request).andReturn();
        if (started.getRequest().isAsyncStarted()) {
            return mvc.perform(asyncDispatch(started)).andReturn().getResponse();
        }
        return started.getResponse();
    }

    @Test
    void withoutAValidKeyEveryBioServerPathIs401InTheSeedsFormat() throws Exception {
        List<MockHttpServletRequestBuilder> requests = List.of(
                post("/bioserver-app/v2/bio-sessions").contentType(MediaType.APPLICATION_JSON).content("{}"),
                get("/bioserver-app/v2/bio-sessions/" + BioServerControllerTest.SID),
                get("/bioserver-app/v2/capabilities"),
                get("/video-server/v2/capabilities"),
                post("/bioserver-app/v2/faces").contentType("multipart/form-data; boundary=x").content("--x--\r\n"),
                post("/bioserver-app/v2/bio-sessions").header("apikey", "wrong").contentType(MediaType.APPLICATION_JSON).content("{}"));
        for (MockHttpServletRequestBuilder request : requests) {
            MockHttpServletResponse response = send(request);
            assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(401);
            JsonNode body = new ObjectMapper().readTree(response.getContentAsByteArray());
            assertThat(body.size()).as(body.toString()).isEqualTo(2);
            assertThat(UUID.fromString(body.get("id").asText())).isNotNull();
            assertThat(body.has("message")).isTrue();
        }
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
    }

    @Test
    void theSeedsApikeyHeaderOrAuthorizationLetsTheRequestThroughUnderTheKeysTenant() throws Exception {
        MockHttpServletResponse created = send(post("/bioserver-app/v2/bio-sessions").header("apikey", "bio-key")
                .contentType(MediaType.APPLICATION_JSON).content("[{\"ttlSeconds\":300}]"));
        assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);
        assertThat(created.getHeader("Location")).startsWith("/v2/bio-sessions/");
        verify(pipeline).newRequest(eq("acme"), anyString(), any(), anyMap());
        assertThat(send(get("/bioserver-app/v2/capabilities").header("Authorization", "bio-key")).getStatus()).isEqualTo(200);
    }
}
