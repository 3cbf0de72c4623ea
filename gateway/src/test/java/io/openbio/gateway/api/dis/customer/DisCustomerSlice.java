package io.openbio.gateway.api.dis.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.events.ApiResponse;
import io.openbio.events.ErrorInfo;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.dis.DisClient;
import io.openbio.gateway.pipeline.PipelineHealth;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DisContract;
import jakarta.servlet.Filter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.mockito.ArgumentCaptor;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * What the slice tests of the dis-customers controllers share: the gateway's real security chain in front of the
 * controllers (API key {@code dis-key} of tenant acme, {@code Authorization: Bearer}), the dis-customers stage
 * mocked (what it answers, what reached it) and every answer validated against {@code dis-1.52.0-openapi.json}.
 * A subclass names its controllers in {@code @SpringJUnitWebConfig} and the key in {@code @TestPropertySource}.
 */
abstract class DisCustomerSlice {
    /** sha256("dis-key"). */
    static final String KEY_SHA256 = "ca533a4942e629abac0faf7b823f061607d7c461899634d598067a2b08e3163a";
    static final String BEARER = "Bearer dis-key";
    static final String ID = "65ebc529-50da-43cb-9963-e15fbf524f8e";
    static final ObjectMapper JSON = new ObjectMapper();

    @MockitoBean
    RequestReplyClient pipeline;
    @MockitoBean
    PipelineHealth health;

    MockMvc mvc;

    @BeforeEach
    void sliceSetUp(WebApplicationContext context) {
        mvc = MockMvcBuilders.webAppContextSetup(context).addFilters(context.getBean("springSecurityFilterChain", Filter.class)).build();
        when(pipeline.newRequest(any(), anyString(), any(), anyMap())).thenAnswer(call -> RequestEnvelope.newBuilder()
                .setRequestId("r-1").setTenant("acme").setOperation(call.getArgument(1)).setCreatedAt(Instant.now())
                .setParts(call.getArgument(2)).setAttributes(call.getArgument(3)));
        stageAnswers(answer(200, "{\"id\":\"" + ID + "\",\"links\":{\"self\":\"/api/v1/customers/" + ID + "\"}}"));
        when(health.check()).thenReturn(new PipelineHealth.Snapshot(true, Map.of("broker", "UP"), 0));
    }

    void stageAnswers(ResultEvent result) {
        when(pipeline.call(eq(Topics.DIS_CUSTOMERS), any(RequestEnvelope.Builder.class), anyString()))
                .thenReturn(CompletableFuture.completedFuture(result));
    }

    static ResultEvent answer(int status, String body) {
        return result().setPayload(new ApiResponse(status, body, Map.of(), List.of())).build();
    }

    static ResultEvent error(int status, String code, String message) {
        return result().setError(new ErrorInfo(status, code, message)).build();
    }

    private static ResultEvent.Builder result() {
        return ResultEvent.newBuilder().setRequestId("r-1").setTenant("acme").setOperation(DisContract.CUSTOMER_GET)
                .setCreatedAt(Instant.now()).setCompletedAt(Instant.now()).setTrace(List.of());
    }

    /** The final answer, checked against the reference (status declared, content type, body schema). */
    MockHttpServletResponse send(MockHttpServletRequestBuilder request, String method, String path) throws Exception {
        MockHttpServletResponse response = answer(request);
        SimpleResponse.Builder simple = SimpleResponse.Builder.status(response.getStatus());
        if (response.getContentType() != null) {
            simple.withContentType(response.getContentType());
        }
        if (response.getContentAsByteArray().length > 0) {
            simple.withBody(response.getContentAsByteArray());
        }
        ValidationReport report = DisClient.REFERENCE.validateResponse(path, Request.Method.valueOf(method), simple.build());
        assertThat(report.hasErrors()).as("%s %s -> %s %s: %s", method, path, response.getStatus(), response.getContentAsString(),
                report.getMessages()).isFalse();
        return response;
    }

    /** The final answer, not validated (for answers the reference cannot model, such as a refused Content-Type). */
    MockHttpServletResponse answer(MockHttpServletRequestBuilder request) throws Exception {
        MvcResult started = mvc.perform(request).andReturn();
        return started.getRequest().isAsyncStarted() ? mvc.perform(asyncDispatch(started)).andReturn().getResponse() : started.getResponse();
    }

    static String code(MockHttpServletResponse response) throws Exception {
        return JSON.readTree(response.getContentAsByteArray()).get("errorCode").asText();
    }

    /** The request the stage received, keyed by {@code key}. */
    RequestEnvelope.Builder sent(String key) {
        ArgumentCaptor<RequestEnvelope.Builder> envelope = ArgumentCaptor.forClass(RequestEnvelope.Builder.class);
        verify(pipeline).call(eq(Topics.DIS_CUSTOMERS), envelope.capture(), eq(key));
        return envelope.getValue();
    }
}
