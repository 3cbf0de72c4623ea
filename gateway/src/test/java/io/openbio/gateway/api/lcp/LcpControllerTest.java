package io.openbio.gateway.api.lcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.openbio.events.ApiResponse;
import io.openbio.events.ErrorInfo;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.LcpContract;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The Liveness Check Proxy controller in a Spring MVC slice ({@link WebSlice}), the pipeline mocked:
 * request validation (every bad request a 400 ERROR_REQUEST in the seed's envelope, nothing sent), what
 * goes to the lcp-verify stage, and how the stage's answers and errors are rendered. The wired path is
 * {@code LcpIntegrationTest}'s.
 */
@SpringJUnitWebConfig({WebSlice.class, LcpController.class})
class LcpControllerTest {
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

    /** The seed's error envelope: {@code {"status":"ERROR","responseObject":{"code","message"}}} and nothing else. */
    static ResultActions seedError(ResultActions answer, int status, String code, String message) throws Exception {
        return answer.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$", aMapWithSize(2)))
                .andExpect(jsonPath("$.status").value("ERROR"))
                .andExpect(jsonPath("$.responseObject", aMapWithSize(2)))
                .andExpect(jsonPath("$.responseObject.code").value(code))
                .andExpect(jsonPath("$.responseObject.message").value(message));
    }

    static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
        return request.contentType(MediaType.APPLICATION_JSON).content(body);
    }

    private void stageAnswers(ResultEvent result) {
        when(pipeline.call(eq(Topics.LCP_REQUESTS), any(RequestEnvelope.Builder.class))).thenReturn(CompletableFuture.completedFuture(result));
    }

    private static ResultEvent.Builder result() {
        return ResultEvent.newBuilder().setRequestId("r-1").setTenant("default").setOperation(LcpContract.INIT)
                .setCreatedAt(Instant.now()).setCompletedAt(Instant.now()).setTrace(List.of());
    }

    private static ResultEvent answer(int status, String body) {
        return result().setPayload(new ApiResponse(status, body, Map.of(), List.of())).build();
    }

    private static ResultEvent error(int status, String code, String message) {
        return result().setError(new ErrorInfo(status, code, message)).build();
    }

    private ResultActions async(MockHttpServletRequestBuilder request) throws Exception {
        MvcResult started = mvc.perform(request).andExpect(request().asyncStarted()).andReturn();
        return mvc.perform(asyncDispatch(started));
    }

    @Test
    void badRequestsAreTheSeedsErrorRequestAndSendNothing() throws Exception {
        String[][] init = {
                {"", "Invalid request parameters: the request body is empty."},
                {"{\"userId\":", "Invalid request parameters: the request body is not valid JSON."},
                {"[1]", "Invalid request parameters: the request body must be a JSON object."},
                {"{}", "Invalid request parameters: 'userId' is required."},
                {"{\"userId\":\"  \"}", "Invalid request parameters: 'userId' is required."},
                {"{\"userId\":7}", "Invalid request parameters: 'userId' must be a string."},
                {"{\"userId\":\"a\",\"userId\":\"b\"}", "Invalid request parameters: the request body is not valid JSON."},
                {"{\"userId\":\"" + "u".repeat(257) + "\"}", "Invalid request parameters: 'userId' must be at most 256 characters, without control characters."},
        };
        for (String[] c : init) {
            seedError(mvc.perform(json(post("/liveness/init"), c[0])), 400, "ERROR_REQUEST", c[1]);
        }
        String[][] verify = {
                {"{\"livenessRecord\":{\"image\":\"c2VsZmllSW1hZ2U=\"}}", "Invalid request parameters: 'userId' is required."},
                {"{\"userId\":\"user1\"}", "Invalid request parameters: 'livenessRecord.image' is required."},
                {"{\"userId\":\"user1\",\"livenessRecord\":{}}", "Invalid request parameters: 'livenessRecord.image' is required."},
                {"{\"userId\":\"user1\",\"livenessRecord\":{\"image\":\"\"}}", "Invalid request parameters: 'livenessRecord.image' is required."},
                {"{\"userId\":\"user1\",\"livenessRecord\":\"x\"}", "Invalid request parameters: 'livenessRecord' must be an object."},
                {"{\"userId\":\"user1\",\"livenessRecord\":{\"image\":\"not base64!\"}}", "Invalid request parameters: 'livenessRecord.image' is not valid base64."},
                {"{\"userId\":\"user1\",\"livenessRecord\":{\"image\":5}}", "Invalid request parameters: 'livenessRecord.image' must be a string."},
        };
        for (String[] c : verify) {
            seedError(mvc.perform(json(post("/liveness/verify"), c[0])), 400, "ERROR_REQUEST", c[1]);
        }
        // another content type: 415 answered as the seed's 400
        ResultActions form = mvc.perform(post("/liveness/init").contentType(MediaType.TEXT_PLAIN).content("userId=user1"));
        form.andExpect(status().is(400)).andExpect(jsonPath("$.responseObject.code").value("ERROR_REQUEST"));
        seedError(mvc.perform(put("/admin/users/user1/reference").contentType(MediaType.IMAGE_JPEG).content(new byte[0])),
                400, "ERROR_REQUEST", "Invalid request parameters: the reference image is missing.");
        seedError(mvc.perform(json(put("/admin/users/user1/reference"), "{\"image\":\"@@\"}")),
                400, "ERROR_REQUEST", "Invalid request parameters: 'image' is not valid base64.");
        verifyNoInteractions(pipeline);
    }

    @Test
    void initAndVerifyGoToTheLcpStageWithTheUserAndTheDecodedImage() throws Exception {
        stageAnswers(answer(200, "{\"initiationType\":\"NONE\",\"reference\":null}"));
        async(json(post("/liveness/init"), "{\"userId\":\"user1\",\"extra\":true}"))
                .andExpect(status().isOk()).andExpect(content().json("{\"initiationType\":\"NONE\",\"reference\":null}", true));
        ArgumentCaptor<Map<String, String>> attributes = ArgumentCaptor.captor();
        verify(pipeline).newRequest(any(), eq(LcpContract.INIT), eq(List.of()), attributes.capture());
        assertThat(attributes.getValue()).containsExactly(Map.entry("userId", "user1"));

        clearInvocations(pipeline);
        stageAnswers(answer(200, "{\"result\":\"ACCEPTED\",\"selfie\":null}"));
        async(json(post("/liveness/verify"), "{\"userId\":\"user1\",\"livenessRecord\":{\"image\":\"c2VsZmllSW1hZ2U=\",\"reference\":\"tok\"}}"))
                .andExpect(status().isOk()).andExpect(content().json("{\"result\":\"ACCEPTED\",\"selfie\":null}", true));
        ArgumentCaptor<List<Part>> parts = ArgumentCaptor.captor();
        verify(pipeline).newRequest(any(), eq(LcpContract.VERIFY_OPERATION), parts.capture(), attributes.capture());
        assertThat(parts.getValue()).hasSize(1);
        assertThat(parts.getValue().get(0).getName()).isEqualTo("image");
        assertThat(bytes(parts.getValue().get(0).getData())).isEqualTo("selfieImage".getBytes(StandardCharsets.UTF_8));
        assertThat(attributes.getValue()).containsEntry("userId", "user1").containsEntry("reference", "tok");
    }

    @Test
    void referenceUploadsAsARawImageOrAsJsonAndTheOtherAdminCalls() throws Exception {
        stageAnswers(answer(200, "{\"userId\":\"user1\",\"modelId\":\"m\",\"modelVersion\":\"1\",\"updatedAt\":1}"));
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2};
        async(put("/admin/users/user1/reference").contentType(MediaType.IMAGE_JPEG).content(jpeg)).andExpect(status().isOk());
        async(json(put("/admin/users/user1/reference"), "{\"image\":\"" + java.util.Base64.getEncoder().encodeToString(jpeg) + "\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.userId").value("user1"));
        ArgumentCaptor<List<Part>> parts = ArgumentCaptor.captor();
        verify(pipeline, org.mockito.Mockito.times(2)).newRequest(any(), eq(LcpContract.REFERENCE_PUT), parts.capture(), anyMap());
        assertThat(parts.getAllValues()).allSatisfy(p -> assertThat(bytes(p.get(0).getData())).isEqualTo(jpeg));

        async(get("/admin/users/user1/reference")).andExpect(status().isOk());
        verify(pipeline).newRequest(any(), eq(LcpContract.REFERENCE_GET), eq(List.of()), eq(Map.of("userId", "user1")));
        stageAnswers(answer(204, "{}"));
        async(delete("/admin/users/user1/reference")).andExpect(status().isNoContent());
        async(delete("/admin/users/user1")).andExpect(status().isNoContent());
        verify(pipeline).newRequest(any(), eq(LcpContract.REFERENCE_DELETE), eq(List.of()), eq(Map.of("userId", "user1")));
        verify(pipeline).newRequest(any(), eq(LcpContract.USER_DELETE), eq(List.of()), eq(Map.of("userId", "user1")));
    }

    @Test
    void theStagesErrorsKeepTheirSeedCodesAndA5xxIsErrorGeneric() throws Exception {
        Object[][] cases = {
                {400, "USER_DETAILS_MISSING", "User details are not available."},
                {400, "INITIATION_ERROR", "Could not initiate liveness check for the user."},
                {400, "USER_NOT_ENROLLED", "User is not enrolled at verification provider."},
                {400, "VERIFICATION_ERROR", "Could not verify liveness of the user."},
                {409, "ERROR_REMOTE", "REST API call failed when fetching User Details."},
                {404, "ERROR_NOT_FOUND", "No reference image for userId=user1."},
        };
        for (Object[] c : cases) {
            stageAnswers(error((int) c[0], (String) c[1], (String) c[2]));
            seedError(async(json(post("/liveness/init"), "{\"userId\":\"user1\"}")), (int) c[0], (String) c[1], (String) c[2]);
        }
        // a code of another API (the face library's) follows the status; internals never leak
        stageAnswers(error(400, "FACE_NOT_FOUND", "Face not found"));
        seedError(async(json(post("/liveness/init"), "{\"userId\":\"user1\"}")), 400, "ERROR_REQUEST", "Face not found");
        stageAnswers(error(500, "UNKNOWN", "Internal error in stage lcp-verify"));
        seedError(async(json(post("/liveness/init"), "{\"userId\":\"user1\"}")), 500, "ERROR_GENERIC",
                "Unknown error occurred while processing request.");
    }

    @Test
    void tokenStyleInitChoiceTheDevicesTwoCallsKeyedByTokenAndTokenVerifyKeyedByToken() throws Exception {
        String token = "46a0c1fba98b9a1cae88353ae8279503";
        // init: the request may choose the style; nothing else is taken
        seedError(mvc.perform(json(post("/liveness/init"), "{\"userId\":\"user1\",\"initiationType\":\"IPROOV\"}")), 400, "ERROR_REQUEST",
                "Invalid request parameters: 'initiationType' must be TOKEN or NONE.");
        // not a token's form: 404, never published
        seedError(mvc.perform(get("/liveness/challenge/46A0C1FBA98B9A1CAE88353AE8279503")), 404, "ERROR_NOT_FOUND",
                "Unknown, expired or used verification token.");
        seedError(mvc.perform(get("/liveness/challenge/abc")), 404, "ERROR_NOT_FOUND", "Unknown, expired or used verification token.");
        seedError(mvc.perform(post("/liveness/capture/abc").contentType(MediaType.APPLICATION_OCTET_STREAM).content(new byte[] {1})),
                404, "ERROR_NOT_FOUND", "Unknown, expired or used verification token.");
        seedError(mvc.perform(post("/liveness/capture/" + token).contentType(MediaType.APPLICATION_OCTET_STREAM).content(new byte[0])),
                400, "ERROR_REQUEST", "Invalid request parameters: the capture bundle is missing.");
        verifyNoInteractions(pipeline);

        stageAnswers(answer(200, "{\"initiationType\":\"TOKEN\",\"reference\":\"" + token + "\"}"));
        async(json(post("/liveness/init"), "{\"userId\":\"user1\",\"initiationType\":\"TOKEN\"}")).andExpect(status().isOk())
                .andExpect(jsonPath("$.reference").value(token));
        verify(pipeline).newRequest(any(), eq(LcpContract.INIT), eq(List.of()), eq(Map.of("userId", "user1", "initiationType", "TOKEN")));

        when(pipeline.call(eq(Topics.LCP_REQUESTS), any(RequestEnvelope.Builder.class), eq(token)))
                .thenReturn(CompletableFuture.completedFuture(answer(200, "{\"nonce\":\"" + token + "\"}")));
        async(get("/liveness/challenge/" + token)).andExpect(status().isOk()).andExpect(jsonPath("$.nonce").value(token));
        verify(pipeline).newRequest(eq(null), eq(LcpContract.CHALLENGE_GET), eq(List.of()), eq(Map.of("token", token)));
        byte[] bundle = {1, 2, 3};
        async(post("/liveness/capture/" + token).header("X-Tenant-Id", "acme").contentType(MediaType.APPLICATION_OCTET_STREAM).content(bundle))
                .andExpect(status().isOk());
        ArgumentCaptor<List<Part>> parts = ArgumentCaptor.captor();
        verify(pipeline).newRequest(eq(null), eq(LcpContract.CAPTURE), parts.capture(), eq(Map.of("token", token)));
        assertThat(bytes(parts.getValue().get(0).getData())).isEqualTo(bundle);
        assertThat(parts.getValue().get(0).getName()).isEqualTo("bundle");
        // verify with the token and no image: keyed by the token
        async(json(post("/liveness/verify"), "{\"userId\":\"user1\",\"livenessRecord\":{\"reference\":\"" + token + "\"}}"))
                .andExpect(status().isOk());
        verify(pipeline).newRequest(any(), eq(LcpContract.VERIFY_OPERATION), eq(List.of()), eq(Map.of("userId", "user1", "reference", token)));
        verify(pipeline, org.mockito.Mockito.times(3)).call(eq(Topics.LCP_REQUESTS), any(RequestEnvelope.Builder.class), eq(token));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
