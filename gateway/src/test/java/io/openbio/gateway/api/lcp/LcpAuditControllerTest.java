package io.openbio.gateway.api.lcp;

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
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.openbio.events.ApiResponse;
import io.openbio.events.ErrorInfo;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.LcpAuditQuery;
import io.openbio.schemas.contract.LcpContract;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * Argument validation of the Liveness Check Proxy audit log API in a Spring MVC slice
 * ({@link WebSlice}) with the pipeline client mocked: bad arguments are the seed's 400 envelope and
 * never reach the pipeline; good ones go out with every default filled in, keyed as the lcp-audit
 * stage's stores are partitioned. The wired path is {@code LcpAuditIntegrationTest}'s.
 */
@SpringJUnitWebConfig({WebSlice.class, LcpAuditController.class})
class LcpAuditControllerTest {
    static final String INVALID = "{\"status\":\"ERROR\",\"responseObject\":{\"code\":\"ERROR_REQUEST\",\"message\":\"Invalid method arguments.\"}}";
    static final String NOT_FOUND = "{\"status\":\"ERROR\",\"responseObject\":{\"code\":\"ERROR_REQUEST\",\"message\":\"Audit log was not found.\"}}";

    @MockitoBean
    RequestReplyClient pipeline;

    MockMvc mvc;

    @BeforeEach
    void setUp(WebApplicationContext context) {
        mvc = MockMvcBuilders.webAppContextSetup(context).build();
        when(pipeline.newRequest(any(), anyString(), any(), anyMap())).thenAnswer(call -> RequestEnvelope.newBuilder()
                .setRequestId("r-1").setTenant("acme").setOperation(call.getArgument(1)).setCreatedAt(Instant.now())
                .setParts(call.getArgument(2)).setAttributes(call.getArgument(3)));
    }

    @Test
    void invalidArgumentsAreTheSeedsErrorRequestAndNeverReachThePipeline() throws Exception {
        for (String query : List.of("start=yesterday", "end=1e9", "pageSize=0", "pageSize=1001", "pageSize=-3", "pageNumber=-1",
                "pageNumber=abc", "start=20&end=10", "start=-1", "pageSize=2.5", "pageNumber=99999999999")) {
            mvc.perform(get("/admin/audit/users/user-123?" + query))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                    .andExpect(content().json(INVALID, JsonCompareMode.STRICT));
        }
        mvc.perform(get("/admin/audit/" + "x".repeat(LcpAuditController.MAX_ID + 1)))
                .andExpect(status().isBadRequest()).andExpect(content().json(NOT_FOUND, JsonCompareMode.STRICT));
        verify(pipeline, never()).call(any(), any(RequestEnvelope.Builder.class), anyString());
    }

    @Test
    void aListQueryGoesOutWithTheDefaultsFilledInKeyedByTenantAndUser() throws Exception {
        String page = "{\"records\":[{\"id\":\"a\",\"timestamp\":5,\"message\":\"m\"}]}";
        ArgumentCaptor<RequestEnvelope.Builder> sent = ArgumentCaptor.forClass(RequestEnvelope.Builder.class);
        when(pipeline.call(eq(Topics.LCP_AUDIT_QUERIES), sent.capture(), eq("acme/user-123")))
                .thenReturn(CompletableFuture.completedFuture(result(new ApiResponse(200, page, Map.of(), List.of()), null)));
        long before = System.currentTimeMillis();
        MvcResult listed = mvc.perform(get("/admin/audit/users/user-123")).andExpect(request().asyncStarted()).andReturn();
        mvc.perform(asyncDispatch(listed)).andExpect(status().isOk()).andExpect(content().json(page, JsonCompareMode.STRICT));

        Map<String, String> attributes = sent.getValue().getAttributes();
        long end = Long.parseLong(attributes.get("end"));
        assertThat(end).isBetween(before, System.currentTimeMillis());
        assertThat(Long.parseLong(attributes.get("start"))).as("30 days before end").isEqualTo(end - LcpAuditQuery.DEFAULT_WINDOW_MS);
        assertThat(attributes).containsEntry("userId", "user-123").containsEntry("pageSize", "100").containsEntry("pageNumber", "0");
        assertThat(sent.getValue().getOperation()).isEqualTo(LcpContract.AUDIT_LIST);

        MvcResult paged = mvc.perform(get("/admin/audit/users/user-123?start=10&end=20&pageSize=1&pageNumber=1"))
                .andExpect(request().asyncStarted()).andReturn();
        mvc.perform(asyncDispatch(paged)).andExpect(status().isOk());
        assertThat(sent.getValue().getAttributes()).isEqualTo(Map.of("userId", "user-123", "start", "10", "end", "20",
                "pageSize", "1", "pageNumber", "1"));
    }

    @Test
    void aDetailQueryIsKeyedByTenantAndIdAndTheStagesErrorsAreInTheSeedsEnvelope() throws Exception {
        when(pipeline.call(eq(Topics.LCP_AUDIT_QUERIES), any(RequestEnvelope.Builder.class), eq("acme#nope")))
                .thenReturn(CompletableFuture.completedFuture(result(null, new ErrorInfo(400, "ERROR_REQUEST", "Audit log was not found."))));
        MvcResult missing = mvc.perform(get("/admin/audit/nope")).andExpect(request().asyncStarted()).andReturn();
        mvc.perform(asyncDispatch(missing)).andExpect(status().isBadRequest()).andExpect(content().json(NOT_FOUND, JsonCompareMode.STRICT));
        verify(pipeline).newRequest(any(), eq(LcpContract.AUDIT_DETAIL), any(), eq(Map.of("id", "nope")));

        when(pipeline.call(eq(Topics.LCP_AUDIT_QUERIES), any(RequestEnvelope.Builder.class), eq("acme#broken")))
                .thenReturn(CompletableFuture.completedFuture(result(null, new ErrorInfo(500, "UNKNOWN", "Internal error in stage lcp-audit"))));
        MvcResult broken = mvc.perform(get("/admin/audit/broken")).andExpect(request().asyncStarted()).andReturn();
        mvc.perform(asyncDispatch(broken)).andExpect(status().isInternalServerError()).andExpect(content().json(
                "{\"status\":\"ERROR\",\"responseObject\":{\"code\":\"ERROR_GENERIC\",\"message\":\"Unknown error occurred while processing request.\"}}",
                JsonCompareMode.STRICT));
    }

    static ResultEvent result(Object payload, ErrorInfo error) {
        return ResultEvent.newBuilder().setRequestId("r-1").setTenant("acme").setOperation("op")
                .setCreatedAt(Instant.now()).setCompletedAt(Instant.now()).setPayload(payload).setError(error).setTrace(List.of()).build();
    }
}
