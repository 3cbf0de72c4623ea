package io.openbio.gateway.api.dis.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.events.ApiResponse;
import io.openbio.events.ErrorInfo;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.api.dis.DisApi;
import io.openbio.gateway.dis.DisClient;
import io.openbio.gateway.pipeline.PipelineHealth;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.security.SecurityConfig;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DisContract;
import jakarta.servlet.Filter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
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
 * The DIS document inspection and crop endpoints with the gateway's real security chain and the stage mocked: what
 * reaches the pipeline (operation, attributes, key) and every refusal before it in the reference's form, each answer
 * validated against {@code dis-1.52.0-openapi.json} (the stage's answers here are shaped as the stage writes them).
 */
@SpringJUnitWebConfig({WebSlice.class, SecurityConfig.class, DisApi.class, DisDocumentInspectionController.class})
@TestPropertySource(properties = {"openbio.security.api-keys=acme:USER:" + DisDocumentInspectionControllerTest.KEY_SHA256,
        "openbio.dis.session-max-timeout-seconds=900"})
class DisDocumentInspectionControllerTest {
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
    void setUp(WebApplicationContext context) {
        mvc = MockMvcBuilders.webAppContextSetup(context).addFilters(context.getBean("springSecurityFilterChain", Filter.class)).build();
        when(pipeline.newRequest(any(), anyString(), any(), anyMap())).thenAnswer(call -> RequestEnvelope.newBuilder()
                .setRequestId("r-1").setTenant("acme").setOperation(call.getArgument(1)).setCreatedAt(Instant.now())
                .setParts(call.getArgument(2)).setAttributes(call.getArgument(3)));
        stageAnswers(answer(200, "{\"id\":\"" + ID + "\",\"links\":{\"self\":\"/api/v1/customers/" + ID + "\"}}"));
        when(health.check()).thenReturn(new PipelineHealth.Snapshot(true, Map.of("broker", "UP"), 0));
    }

    private void stageAnswers(ResultEvent result) {
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
    private MockHttpServletResponse send(MockHttpServletRequestBuilder request, String method, String path) throws Exception {
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

    private MockHttpServletResponse answer(MockHttpServletRequestBuilder request) throws Exception {
        MvcResult started = mvc.perform(request).andReturn();
        return started.getRequest().isAsyncStarted() ? mvc.perform(asyncDispatch(started)).andReturn().getResponse() : started.getResponse();
    }

    private static String code(MockHttpServletResponse response) throws Exception {
        return JSON.readTree(response.getContentAsByteArray()).get("errorCode").asText();
    }

    private RequestEnvelope.Builder sent(String key) {
        ArgumentCaptor<RequestEnvelope.Builder> envelope = ArgumentCaptor.forClass(RequestEnvelope.Builder.class);
        verify(pipeline).call(eq(Topics.DIS_CUSTOMERS), envelope.capture(), eq(key));
        return envelope.getValue();
    }

    static final String DOC = "/api/v1/customers/" + ID + "/document";

    @Test
    void inspectAndDiscloseAreForwardedWithoutABody() throws Exception {
        stageAnswers(answer(200, "{\"expired\":true,\"mrzInspection\":{\"valid\":false},"
                + "\"portraitInspection\":{\"genderEstimate\":\"M\",\"genderConsistency\":{\"mrz\":true},\"ageEstimate\":33,"
                + "\"ageDifferenceWith\":{\"dateOfBirth\":25}},"
                + "\"visualZoneInspection\":{\"ocrConfidence\":{\"confidence\":0.9241,\"lowOcrConfidenceTexts\":[]},"
                + "\"textConsistency\":{\"consistent\":false,\"consistencyWith\":{\"mrz\":{\"inconsistentTexts\":[\"documentNumber\"]}}}},"
                + "\"pageTampering\":{\"front\":{\"looksLikeScreenshot\":false,\"looksLikePrintCopy\":true}},"
                + "\"chipInspection\":{\"dataAuthentication\":\"AUTHENTICATED\"}}"));
        MockHttpServletResponse inspected = send(post(DOC + "/inspect").header("Authorization", BEARER), "POST", DOC + "/inspect");
        assertThat(inspected.getStatus()).isEqualTo(200);
        RequestEnvelope.Builder sent = sent(ID);
        assertThat(sent.getOperation()).isEqualTo(DisContract.DOCUMENT_INSPECT);
        assertThat(sent.getParts()).isEmpty();
        assertThat(sent.getAttributes()).containsEntry(DisContract.CUSTOMER_ID, ID);
        clearInvocations(pipeline);
        stageAnswers(answer(200, "{\"pageTampering\":{\"front\":{\"looksLikeScreenshot\":{\"score\":0.9},"
                + "\"documentPortraitGenuine\":{\"score\":0.14},\"presentationAttackDetectionGenuine\":{\"score\":0.78},"
                + "\"presentationAttackScreenClass\":{\"score\":0.1},\"presentationAttackPrintClass\":{\"score\":0.22}}}}"));
        assertThat(send(post(DOC + "/inspect/disclose").header("Authorization", BEARER), "POST", DOC + "/inspect/disclose").getStatus())
                .isEqualTo(200);
        assertThat(sent(ID).getOperation()).isEqualTo(DisContract.DOCUMENT_INSPECT_DISCLOSE);
        clearInvocations(pipeline);
        stageAnswers(error(404, "NOT_FOUND", "Document not found"));
        MockHttpServletResponse none = send(post(DOC + "/inspect").header("Authorization", BEARER), "POST", DOC + "/inspect");
        assertThat(none.getStatus()).isEqualTo(404);
        assertThat(code(none)).isEqualTo("NOT_FOUND");
    }

    @Test
    void aBadIdOrNoCredentialsReachNothing() throws Exception {
        String bad = "/api/v1/customers/not-a-uuid/document/inspect";
        MockHttpServletResponse refused = send(post(bad).header("Authorization", BEARER), "POST", bad);
        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(code(refused)).isEqualTo("INVALID_ID");
        assertThat(send(post(DOC + "/inspect/disclose"), "POST", DOC + "/inspect/disclose").getStatus()).isEqualTo(401);
        String crop = "/api/v1/customers/not-a-uuid/document/signature";
        assertThat(code(send(get(crop).header("Authorization", BEARER), "GET", crop))).isEqualTo("INVALID_ID");
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
    }

    @Test
    void cropsCarryWhichAndTheirSizesAndAnswerTheStages404() throws Exception {
        stageAnswers(error(404, "NOT_FOUND", "No signature crop: locating it needs the layout of the document's edition"));
        for (String crop : DisContract.CROPS) {
            MockHttpServletResponse r = send(get(DOC + "/" + crop).param("width", "200").header("Authorization", BEARER), "GET", DOC + "/" + crop);
            assertThat(r.getStatus()).as(crop).isEqualTo(404);
            assertThat(code(r)).isEqualTo("NOT_FOUND");
            RequestEnvelope.Builder sent = sent(ID);
            assertThat(sent.getOperation()).isEqualTo(DisContract.DOCUMENT_CROP);
            assertThat(sent.getAttributes()).containsEntry(DisContract.CROP, crop).containsEntry(DisContract.WIDTH, "200")
                    .doesNotContainKey(DisContract.HEIGHT);
            clearInvocations(pipeline);
        }
        for (String bad : List.of("0", "abc", "5000")) {
            MockHttpServletResponse refused = send(get(DOC + "/fingerprint").param("height", bad).header("Authorization", BEARER), "GET",
                    DOC + "/fingerprint");
            assertThat(refused.getStatus()).as(bad).isEqualTo(400);
            assertThat(code(refused)).isEqualTo("INVALID_REQUEST_PARAMETER");
        }
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
    }
}
