package io.openbio.gateway.api.dis.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.events.ApiResponse;
import io.openbio.events.ErrorInfo;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.api.dis.DisApi;
import io.openbio.gateway.pipeline.PipelineHealth;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DisContract;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The DIS faces and palms controllers in a Spring MVC slice, the pipeline mocked: the request checks (each refusal a 4xx
 * with a DIS errorCode, nothing sent), what goes to the dis-faces stage (operation, attributes, parts, the
 * face id as Kafka key), similarity by link (the reference's template first, from its own partition) and by
 * template, and the stage's answers passed on. The wired path is DisFaceIntegrationTest's.
 */
@SpringJUnitWebConfig({WebSlice.class, DisApi.class, DisFaceController.class, DisPalmController.class})
class DisFaceControllerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String FID = "aa0bd6ca-1206-415b-af94-8d2c18aa9c70";
    static final String RID = "0991cedc-9111-4b9d-9e4e-8d6eb4db488f";
    static final String IMAGE = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2});

    @MockitoBean
    RequestReplyClient pipeline;
    @MockitoBean
    PipelineHealth health;

    MockMvc mvc;

    @BeforeEach
    void setUp(WebApplicationContext context) {
        mvc = MockMvcBuilders.webAppContextSetup(context).build();
        when(pipeline.newRequest(any(), anyString(), any(), anyMap())).thenAnswer(call -> RequestEnvelope.newBuilder()
                .setRequestId("r-1").setTenant("default").setOperation(call.getArgument(1)).setCreatedAt(Instant.now())
                .setParts(call.getArgument(2)).setAttributes(call.getArgument(3)));
        stageAnswers(answer(200, "{\"score\":0.5}"));
    }

    private void stageAnswers(ResultEvent result) {
        when(pipeline.call(eq(Topics.DIS_FACES), any(RequestEnvelope.Builder.class), anyString()))
                .thenReturn(CompletableFuture.completedFuture(result));
    }

    static ResultEvent answer(int status, String body) {
        return ResultEvent.newBuilder().setRequestId("r-1").setTenant("default").setOperation("x").setCreatedAt(Instant.now())
                .setCompletedAt(Instant.now()).setTrace(List.of()).setPayload(new ApiResponse(status, body, Map.of(), List.of())).build();
    }

    static ResultEvent error(int status, String code, String message) {
        return ResultEvent.newBuilder().setRequestId("r-1").setTenant("default").setOperation("x").setCreatedAt(Instant.now())
                .setCompletedAt(Instant.now()).setTrace(List.of()).setError(new ErrorInfo(status, code, message)).build();
    }

    private MockHttpServletResponse send(MockHttpServletRequestBuilder request) throws Exception {
        MvcResult started = mvc.perform(request).andReturn();
        if (started.getRequest().isAsyncStarted()) {
            return mvc.perform(asyncDispatch(started)).andReturn().getResponse();
        }
        return started.getResponse();
    }

    private MockHttpServletResponse postJson(String path, String json) throws Exception {
        return send(post(path).contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private static JsonNode json(MockHttpServletResponse response) throws Exception {
        return JSON.readTree(response.getContentAsString());
    }

    private void refused(MockHttpServletResponse response, int status, String code) throws Exception {
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
        assertThat(json(response).get("errorCode").asText()).isEqualTo(code);
        assertThat(json(response).get("errorMessage").asText()).isNotBlank();
        verify(pipeline, never()).call(any(), any(RequestEnvelope.Builder.class), anyString());
    }

    private RequestEnvelope.Builder sent(int times) {
        ArgumentCaptor<RequestEnvelope.Builder> request = ArgumentCaptor.forClass(RequestEnvelope.Builder.class);
        verify(pipeline, times(times)).call(eq(Topics.DIS_FACES), request.capture(), anyString());
        return request.getAllValues().get(times - 1);
    }

    @Test
    void createSendsTheImageAndDetectionKeyedByANewFaceId() throws Exception {
        stageAnswers(answer(200, "{\"id\":\"x\"}"));
        MockHttpServletResponse response = postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + IMAGE + "\"},\"detection\":{\"mode\":\"STRICT\","
                + "\"faceSizeRatio\":{\"min\":0.05,\"max\":0.5}}}");
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("{\"id\":\"x\"}");
        ArgumentCaptor<String> key = ArgumentCaptor.forClass(String.class);
        ArgumentCaptor<RequestEnvelope.Builder> request = ArgumentCaptor.forClass(RequestEnvelope.Builder.class);
        verify(pipeline).call(eq(Topics.DIS_FACES), request.capture(), key.capture());
        RequestEnvelope envelope = request.getValue().build();
        assertThat(envelope.getOperation()).isEqualTo(DisContract.FACE_CREATE);
        assertThat(envelope.getAttributes()).containsEntry(DisContract.FACE_ID, key.getValue())
                .containsEntry(DisContract.DETECTION_MODE, "STRICT").containsEntry(DisContract.FACE_SIZE_MIN, "0.05")
                .containsEntry(DisContract.FACE_SIZE_MAX, "0.5");
        assertThat(DisContract.canonicalUuid(key.getValue())).isEqualTo(key.getValue());
        Part part = envelope.getParts().get(0);
        assertThat(part.getName()).isEqualTo(DisContract.IMAGE_PART);
        assertThat(part.getData().remaining()).isEqualTo(5);
    }

    @Test
    void createTakesTheRawImage() throws Exception {
        MockHttpServletResponse response = send(post("/api/v1/faces").contentType(MediaType.APPLICATION_OCTET_STREAM).content(new byte[] {1, 2, 3}));
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(sent(1).build().getParts().get(0).getData().remaining()).isEqualTo(3);
    }

    @Test
    void createRefusesBadBodies() throws Exception {
        refused(postJson("/api/v1/faces", "{\"image\":{\"url\":\"http://localhost/x.png\"}}"), 400, "DATA_DOWNLOADER_DISABLED");
        refused(postJson("/api/v1/faces", "{\"image\":"), 400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + IMAGE + "\"},\"extra\":1}"), 400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/faces", "{}"), 400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/faces", "{\"image\":{\"data\":\"***\"}}"), 400, "INVALID_IMAGE");
        refused(postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + IMAGE + "\"},\"detection\":{\"mode\":\"LOOSE\"}}"), 400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + IMAGE + "\"},\"detection\":{\"faceSizeRatio\":{\"min\":0.5,\"max\":0.2}}}"),
                400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + IMAGE + "\"},\"detection\":{\"faceSizeRatio\":{\"min\":0.1,\"max\":1.5}}}"),
                400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/faces", "{\"faceOrigin\":{\"link\":\"/api/v1/faces/" + FID + "\"}}"), 400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/faces", "{\"faceOrigin\":{\"link\":\"/api/v1/customers/nope/selfie\"}}"), 400, "INVALID_ID");
        refused(postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + IMAGE + "\"},\"faceOrigin\":{\"link\":\"/api/v1/customers/" + FID
                + "/selfie\"}}"), 400, "INVALID_REQUEST_BODY");
        refused(send(post("/api/v1/faces").contentType(MediaType.APPLICATION_OCTET_STREAM)), 400, "INVALID_REQUEST_BODY");
    }

    @Test
    void similarityByTemplateSendsItToTheProbesPartition() throws Exception {
        MockHttpServletResponse response = postJson("/api/v1/faces/" + FID + "/similarity", "{\"referenceFaceTemplate\":\"T0JGVAE=\"}");
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(json(response).get("score").asDouble()).isEqualTo(0.5);
        ArgumentCaptor<RequestEnvelope.Builder> request = ArgumentCaptor.forClass(RequestEnvelope.Builder.class);
        verify(pipeline).call(eq(Topics.DIS_FACES), request.capture(), eq(FID));
        RequestEnvelope envelope = request.getValue().build();
        assertThat(envelope.getOperation()).isEqualTo(DisContract.FACE_SIMILARITY);
        assertThat(StandardCharsets.UTF_8.decode(envelope.getParts().get(0).getData()).toString()).isEqualTo("T0JGVAE=");
    }

    @Test
    void similarityByLinkFetchesTheReferenceTemplateFirst() throws Exception {
        when(pipeline.call(eq(Topics.DIS_FACES), any(RequestEnvelope.Builder.class), eq(RID)))
                .thenReturn(CompletableFuture.completedFuture(answer(200, "{\"data\":\"T0JGVAE=\",\"version\":\"1.2\"}")));
        when(pipeline.call(eq(Topics.DIS_FACES), any(RequestEnvelope.Builder.class), eq(FID)))
                .thenReturn(CompletableFuture.completedFuture(answer(200, "{\"score\":0.97}")));
        MockHttpServletResponse response = postJson("/api/v1/faces/" + FID + "/similarity", "{\"referenceFace\":\"/api/v1/faces/" + RID + "\"}");
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(json(response).get("score").asDouble()).isEqualTo(0.97);
        ArgumentCaptor<RequestEnvelope.Builder> request = ArgumentCaptor.forClass(RequestEnvelope.Builder.class);
        verify(pipeline).call(eq(Topics.DIS_FACES), request.capture(), eq(RID));
        assertThat(request.getValue().build().getOperation()).isEqualTo(DisContract.FACE_TEMPLATE);
        ArgumentCaptor<RequestEnvelope.Builder> probe = ArgumentCaptor.forClass(RequestEnvelope.Builder.class);
        verify(pipeline).call(eq(Topics.DIS_FACES), probe.capture(), eq(FID));
        assertThat(StandardCharsets.UTF_8.decode(probe.getValue().build().getParts().get(0).getData()).toString()).isEqualTo("T0JGVAE=");
    }

    @Test
    void similarityWithAnUnknownReferenceIsNotFoundAndAsksNoScore() throws Exception {
        when(pipeline.call(eq(Topics.DIS_FACES), any(RequestEnvelope.Builder.class), eq(RID)))
                .thenReturn(CompletableFuture.completedFuture(error(404, "NOT_FOUND", "Face not found")));
        MockHttpServletResponse response = postJson("/api/v1/faces/" + FID + "/similarity", "{\"referenceFace\":\"/api/v1/faces/" + RID + "\"}");
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(json(response).get("errorCode").asText()).isEqualTo("NOT_FOUND");
        verify(pipeline, never()).call(eq(Topics.DIS_FACES), any(RequestEnvelope.Builder.class), eq(FID));
    }

    @Test
    void similarityRefusesBadBodies() throws Exception {
        refused(postJson("/api/v1/faces/" + FID + "/similarity", "{}"), 400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/faces/" + FID + "/similarity", "{\"referenceFace\":\"/api/v1/faces/" + RID
                + "\",\"referenceFaceTemplate\":\"AAAA\"}"), 400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/faces/" + FID + "/similarity", "{\"referenceFace\":\"/api/v1/customers/" + RID + "\"}"), 400,
                "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/faces/" + FID + "/similarity", "{\"referenceFace\":\"/api/v1/faces/abc\"}"), 400, "INVALID_ID");
        refused(postJson("/api/v1/faces/not-a-uuid/similarity", "{\"referenceFaceTemplate\":\"AAAA\"}"), 400, "INVALID_ID");
    }

    @Test
    void attributesGoToTheFacesPartitionWithTheirOperation() throws Exception {
        Map<String, String> operations = Map.of("/glasses", DisContract.FACE_GLASSES, "/face-mask", DisContract.FACE_MASK,
                "/face-template", DisContract.FACE_TEMPLATE, "/crop", DisContract.FACE_CROP, "/crop/coordinates",
                DisContract.FACE_CROP_COORDINATES, "/aspects", DisContract.FACE_ASPECTS, "/crop/removed-background",
                DisContract.FACE_CROP_NO_BACKGROUND, "/quality", DisContract.FACE_QUALITY);
        int n = 0;
        for (Map.Entry<String, String> e : operations.entrySet()) {
            assertThat(send(get("/api/v1/faces/" + FID + e.getKey())).getStatus()).isEqualTo(200);
            RequestEnvelope envelope = sent(++n).build();
            assertThat(envelope.getOperation()).isEqualTo(e.getValue());
            assertThat(envelope.getAttributes()).containsEntry(DisContract.FACE_ID, FID);
        }
        stageAnswers(answer(204, "{}"));
        MockHttpServletResponse deleted = send(delete("/api/v1/faces/" + FID));
        assertThat(deleted.getStatus()).isEqualTo(204);
        assertThat(deleted.getContentAsString()).isEmpty();
    }

    @Test
    void cropSizeIsChecked() throws Exception {
        assertThat(send(get("/api/v1/faces/" + FID + "/crop").param("width", "200")).getStatus()).isEqualTo(200);
        assertThat(sent(1).build().getAttributes()).containsEntry(DisContract.WIDTH, "200").doesNotContainKey(DisContract.HEIGHT);
        for (String bad : List.of("0", "-3", "abc", "4097", "1.5")) {
            MockHttpServletResponse response = send(get("/api/v1/faces/" + FID + "/crop").param("height", bad));
            assertThat(response.getStatus()).as(bad).isEqualTo(400);
            assertThat(json(response).get("errorCode").asText()).isEqualTo("INVALID_REQUEST_PARAMETER");
        }
        assertThat(send(get("/api/v1/faces/" + FID + "/crop/removed-background").param("width", "abc")).getStatus()).isEqualTo(400);
    }

    @Test
    void stageErrorsKeepTheirDisCode() throws Exception {
        stageAnswers(error(404, "NOT_FOUND", "No glasses-detection model exists on this platform"));
        MockHttpServletResponse response = send(get("/api/v1/faces/" + FID + "/glasses"));
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(json(response).get("errorMessage").asText()).contains("No glasses-detection model");
        stageAnswers(error(400, "UNSUPPORTED_VERSION_TEMPLATE", "other model"));
        refusedByStage(postJson("/api/v1/faces/" + FID + "/similarity", "{\"referenceFaceTemplate\":\"AAAA\"}"), "UNSUPPORTED_VERSION_TEMPLATE");
        refusedByStage(send(get("/api/v1/faces/xyz/aspects")), "INVALID_ID");
        verify(pipeline, times(2)).call(eq(Topics.DIS_FACES), any(RequestEnvelope.Builder.class), anyString());
    }

    private void refusedByStage(MockHttpServletResponse response, String code) throws Exception {
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(json(response).get("errorCode").asText()).isEqualTo(code);
    }

    @Test
    void palmsGoToTheirPartitionAndBodiesAreChecked() throws Exception {
        MockHttpServletResponse created = postJson("/api/v1/palms", "{\"image\":{\"data\":\"" + IMAGE + "\"}}");
        assertThat(created.getStatus()).isEqualTo(200);
        ArgumentCaptor<String> key = ArgumentCaptor.forClass(String.class);
        ArgumentCaptor<RequestEnvelope.Builder> request = ArgumentCaptor.forClass(RequestEnvelope.Builder.class);
        verify(pipeline).call(eq(Topics.DIS_FACES), request.capture(), key.capture());
        RequestEnvelope envelope = request.getValue().build();
        assertThat(envelope.getOperation()).isEqualTo(DisContract.PALM_CREATE);
        assertThat(envelope.getAttributes()).containsEntry(DisContract.PALM_ID, key.getValue());
        assertThat(envelope.getParts().get(0).getData().remaining()).isEqualTo(5);

        assertThat(send(post("/api/v1/palms").contentType(MediaType.APPLICATION_OCTET_STREAM).content(new byte[] {1, 2})).getStatus()).isEqualTo(200);
        // no body, no Content-Type (as integrators send body-less operations)
        assertThat(send(post("/api/v1/palms/" + FID + "/inspect")).getStatus()).isEqualTo(200);
        assertThat(sent(3).build().getOperation()).isEqualTo(DisContract.PALM_INSPECT);
        assertThat(postJson("/api/v1/palms/" + FID + "/similarity", "{\"referencePalm\":\"/api/v1/palms/" + RID + "\"}").getStatus()).isEqualTo(200);
        assertThat(sent(4).build().getOperation()).isEqualTo(DisContract.PALM_SIMILARITY);
        assertThat(postJson("/api/v1/palms/" + FID + "/similarity", "{\"referencePalmTemplate\":\"AAAA\"}").getStatus()).isEqualTo(200);
        assertThat(send(get("/api/v1/palms/" + FID + "/template")).getStatus()).isEqualTo(200);
        assertThat(sent(6).build().getOperation()).isEqualTo(DisContract.PALM_TEMPLATE);
        stageAnswers(answer(204, "{}"));
        assertThat(send(delete("/api/v1/palms/" + FID)).getStatus()).isEqualTo(204);
        assertThat(sent(7).build().getOperation()).isEqualTo(DisContract.PALM_DELETE);
    }

    @Test
    void palmRequestsAreRefused() throws Exception {
        refused(postJson("/api/v1/palms", "{\"image\":{\"url\":\"http://localhost/x.png\"}}"), 400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/palms", "{\"image\":{\"data\":\"***\"}}"), 400, "INVALID_IMAGE");
        refused(postJson("/api/v1/palms", "[1]"), 400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/palms", "{}"), 400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/palms/" + FID + "/similarity", "{}"), 400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/palms/" + FID + "/similarity", "{\"referencePalm\":\"/api/v1/faces/" + RID + "\"}"), 400, "INVALID_REQUEST_BODY");
        refused(postJson("/api/v1/palms/" + FID + "/similarity", "{\"referencePalmTemplate\":\"***\"}"), 400, "INVALID_REQUEST_BODY");
        refused(send(post("/api/v1/palms/nope/inspect")), 400, "INVALID_ID");
        refused(send(delete("/api/v1/palms/nope")), 400, "INVALID_ID");
    }
}
