package io.openbio.gateway.api.bioserver;

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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.events.ApiResponse;
import io.openbio.events.ErrorInfo;
import io.openbio.events.ExtractedImage;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.api.diagnostic.CallbackUrlValidator;
import io.openbio.gateway.pipeline.PipelineException;
import io.openbio.gateway.pipeline.PipelineHealth;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.PayloadLimitFilter;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.PayloadLimits;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.BioServerContract;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * The BioServer controllers in a Spring MVC slice ({@link WebSlice}), the pipeline mocked: every route's
 * request checks (each refusal a 400 or 404 in the seed's {@code {id, message}}, nothing sent), what goes to
 * the bioserver stage (operation, attributes, parts, Kafka key), bodies as an object or a one-element array,
 * multipart/form-data and multipart/mixed, the Location of what is created, the stage's answers and errors,
 * shedding (429) and the payload limit (413) in the seed's format, and the capabilities health check. The
 * wired path is {@code BioServerIntegrationTest}'s.
 */
@SpringJUnitWebConfig({WebSlice.class, BioServerApi.class, BioServerController.class, BioServerCapabilities.class, BioServerResponses.class,
        BioServerSignatures.class, CallbackUrlValidator.class})
class BioServerControllerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3};
    static final String SID = "0991cedc-9111-4b9d-9e4e-8d6eb4db488f";
    static final String FID = "aa0bd6ca-1206-415b-af94-8d2c18aa9c70";
    static final String FACE_JSON = "{\"id\":\"" + FID + "\",\"mode\":\"F5_1_VID60\",\"imageType\":\"SELFIE\",\"quality\":306,"
            + "\"template\":\"EQAAAMwDAAACAAAA\",\"templateVersion\":92,\"created\":\"2017-11-13T13:28:24.098Z\"}";

    @MockitoBean
    RequestReplyClient pipeline;
    @MockitoBean
    PipelineHealth health;

    MockMvc mvc;
    WebApplicationContext context;

    @BeforeEach
    void setUp(WebApplicationContext context) {
        this.context = context;
        mvc = MockMvcBuilders.webAppContextSetup(context).build();
        when(pipeline.newRequest(any(), anyString(), any(), anyMap())).thenAnswer(call -> RequestEnvelope.newBuilder()
                .setRequestId("r-1").setTenant("default").setOperation(call.getArgument(1)).setCreatedAt(Instant.now())
                .setParts(call.getArgument(2)).setAttributes(call.getArgument(3)));
        stageAnswers(answer(200, "{}"));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private void stageAnswers(ResultEvent result) {
        when(pipeline.call(eq(Topics.BIOSERVER_REQUESTS), any(RequestEnvelope.Builder.class), anyString()))
                .thenReturn(CompletableFuture.completedFuture(result));
        when(pipeline.call(eq(Topics.BIOSERVER_REQUESTS), any(RequestEnvelope.Builder.class)))
                .thenReturn(CompletableFuture.completedFuture(result));
    }

    private static ResultEvent.Builder result() {
        return ResultEvent.newBuilder().setRequestId("r-1").setTenant("default").setOperation(BioServerContract.SESSION_GET)
                .setCreatedAt(Instant.now()).setCompletedAt(Instant.now()).setTrace(List.of());
    }

    static ResultEvent answer(int status, String body) {
        return result().setPayload(new ApiResponse(status, body, Map.of(), List.of())).build();
    }

    static ResultEvent error(int status, String code, String message) {
        return result().setError(new ErrorInfo(status, code, message)).build();
    }

    /** The final answer: the async dispatch's when the handler waited on the pipeline, else the direct one. */
    private MockHttpServletResponse send(MockHttpServletRequestBuilder request) throws Exception {
        MvcResult started = mvc.perform(request).andReturn();
        if (started.getRequest().isAsyncStarted()) {
            return mvc.perform(asyncDispatch(started)).andReturn().getResponse();
        }
        return started.getResponse();
    }

    private static JsonNode json(MockHttpServletResponse response) throws Exception {
        return JSON.readTree(response.getContentAsByteArray());
    }

    /**
     * A signed answer (BioServerResponses' one exit): every object (each element of a list) carries a compact
     * RS256 {@code signature}; the answer less its signatures, to compare with what the stage wrote.
     */
    private static JsonNode signed(MockHttpServletResponse response) throws Exception {
        JsonNode body = json(response);
        for (JsonNode object : body.isArray() ? body : List.of(body)) {
            String signature = object.path(BioServerSignatures.SIGNATURE).asText();
            assertThat(signature).as(object.toString()).startsWith(BioServerSignatures.HEADER_B64 + ".").doesNotContain("..");
            ((com.fasterxml.jackson.databind.node.ObjectNode) object).remove(BioServerSignatures.SIGNATURE);
        }
        return body;
    }

    /** The seed's error object: exactly {id (a UUID), message}. */
    private static void seedError(MockHttpServletResponse response, int status, String message) throws Exception {
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
        assertThat(response.getContentType()).startsWith("application/json");
        JsonNode body = json(response);
        assertThat(body.size()).as(body.toString()).isEqualTo(2);
        assertThat(UUID.fromString(body.get("id").asText())).isNotNull();
        if (message != null) {
            assertThat(body.get("message").asText()).isEqualTo(message);
        }
    }

    /** A refusal: 400 {id, message} whose message contains {@code contains}, and nothing sent. */
    private void refused(MockHttpServletRequestBuilder request, String contains) throws Exception {
        clearInvocations(pipeline);
        MockHttpServletResponse response = send(request);
        seedError(response, 400, null);
        assertThat(json(response).get("message").asText()).contains(contains);
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
    }

    private record Sent(RequestEnvelope.Builder envelope, String key) {
        String operation() {
            return envelope.getOperation();
        }

        Map<String, String> attributes() {
            return envelope.getAttributes();
        }

        byte[] part(String name) {
            for (Part part : envelope.getParts()) {
                if (part.getName().equals(name)) {
                    ByteBuffer data = part.getData().duplicate();
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    return bytes;
                }
            }
            return null;
        }
    }

    /** What the last session request sent (keyed). */
    private Sent keyed() {
        ArgumentCaptor<RequestEnvelope.Builder> envelope = ArgumentCaptor.forClass(RequestEnvelope.Builder.class);
        ArgumentCaptor<String> key = ArgumentCaptor.forClass(String.class);
        verify(pipeline).call(eq(Topics.BIOSERVER_REQUESTS), envelope.capture(), key.capture());
        return new Sent(envelope.getValue(), key.getValue());
    }

    /** What the last direct request sent (keyed by its request id). */
    private Sent direct() {
        ArgumentCaptor<RequestEnvelope.Builder> envelope = ArgumentCaptor.forClass(RequestEnvelope.Builder.class);
        verify(pipeline).call(eq(Topics.BIOSERVER_REQUESTS), envelope.capture());
        return new Sent(envelope.getValue(), null);
    }

    /** A multipart body, written as curl -F writes it (or with another disposition, as a multipart/mixed writer may). */
    static final class Form {
        final String boundary = "----bio" + UUID.randomUUID().toString().replace("-", "");
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final String type;

        Form(String type) {
            this.type = type;
        }

        static Form data() {
            return new Form("multipart/form-data");
        }

        static Form mixed() {
            return new Form("multipart/mixed");
        }

        Form file(String name, String contentType, byte[] data) {
            return raw("form-data; name=\"" + name + "\"; filename=\"" + name + ".bin\"", contentType, data);
        }

        Form field(String name, String value) {
            return raw("form-data; name=\"" + name + "\"", null, value.getBytes(StandardCharsets.UTF_8));
        }

        Form raw(String disposition, String contentType, byte[] data) {
            write("--" + boundary + "\r\nContent-Disposition: " + disposition + "\r\n"
                    + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n") + "\r\n");
            body.writeBytes(data);
            write("\r\n");
            return this;
        }

        MockHttpServletRequestBuilder post(String path) {
            write("--" + boundary + "--\r\n");
            return BioServerControllerTest.post(path).contentType(type + "; boundary=" + boundary).content(body.toByteArray());
        }

        private void write(String s) {
            body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static MockHttpServletRequestBuilder post(String path) {
        return org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path);
    }

    static MockHttpServletRequestBuilder jsonPost(String path, String body) {
        return post(path).contentType(MediaType.APPLICATION_JSON).content(body);
    }

    // ---- bio-sessions ---------------------------------------------------------------------------

    @Test
    void aSessionIsCreatedFromAnObjectOrTheSeedsArrayWithItsIdMadeHereAndLocationInTheSeedsForm() throws Exception {
        stageAnswers(answer(201, "{}"));
        for (String body : List.of("{\"correlationId\":\"891a6728-1ac4-11e7-93ae-92361f002671\",\"ttlSeconds\":60,\"imageStorageEnabled\":true}",
                "[{\"correlationId\":\"891a6728-1ac4-11e7-93ae-92361f002671\",\"ttlSeconds\":60,\"imageStorageEnabled\":true}]")) {
            clearInvocations(pipeline);
            MockHttpServletResponse response = send(jsonPost("/bioserver-app/v2/bio-sessions", body));
            assertThat(response.getStatus()).isEqualTo(201);
            assertThat(response.getContentAsByteArray()).isEmpty();
            String location = response.getHeader("Location");
            assertThat(location).matches("^/v2/bio-sessions/[0-9a-f-]{36}$");
            String id = location.replaceAll("^.*/(.*)", "$1"); // the seed's regex
            Sent sent = keyed();
            assertThat(sent.operation()).isEqualTo(BioServerContract.SESSION_CREATE);
            assertThat(sent.key()).isEqualTo(BioServerContract.sessionKey(id)).isEqualTo(id.replace("-", ""));
            assertThat(sent.attributes()).containsEntry("sessionId", id).containsEntry("ttlSeconds", "60")
                    .containsEntry("imageStorageEnabled", "true").containsEntry("correlationId", "891a6728-1ac4-11e7-93ae-92361f002671")
                    .doesNotContainKeys("evidenceId", "callbackURL");
        }
    }

    @Test
    void aSessionWithoutFieldsTakesTheDefaultsAndTheGatewayAlwaysSendsTtlSeconds() throws Exception {
        stageAnswers(answer(201, "{}"));
        for (String body : List.of("", "{}", "[{}]")) {
            clearInvocations(pipeline);
            assertThat(send(jsonPost("/bioserver-app/v2/bio-sessions", body)).getStatus()).isEqualTo(201);
            assertThat(keyed().attributes()).containsEntry("ttlSeconds", "300").containsEntry("imageStorageEnabled", "false");
        }
        clearInvocations(pipeline);
        assertThat(send(jsonPost("/bioserver-app/v2/bio-sessions", "{\"ttlSeconds\":3600}")).getStatus()).as("the maximum").isEqualTo(201);
        assertThat(keyed().attributes()).containsEntry("ttlSeconds", "3600");
    }

    @Test
    void badSessionBodiesAre400AndSendNothing() throws Exception {
        String path = "/bioserver-app/v2/bio-sessions";
        refused(jsonPost(path, "{\"ttlSeconds\":3601}"), "'ttlSeconds' must be from 1 to 3600");
        refused(jsonPost(path, "{\"ttlSeconds\":0}"), "'ttlSeconds' must be from 1 to 3600");
        refused(jsonPost(path, "{\"ttlSeconds\":-5}"), "'ttlSeconds' must be from 1 to 3600");
        refused(jsonPost(path, "{\"ttlSeconds\":1.5}"), "'ttlSeconds' must be a whole number");
        refused(jsonPost(path, "{\"ttlSeconds\":\"300\"}"), "'ttlSeconds' must be a whole number");
        refused(jsonPost(path, "{\"ttlSeconds\":99999999999999999999}"), "'ttlSeconds'");
        refused(jsonPost(path, "{\"correlationId\":"), "not valid JSON");
        refused(jsonPost(path, "{\"a\":1,\"a\":2}"), "not valid JSON");
        refused(jsonPost(path, "[]"), "must be a JSON object");
        refused(jsonPost(path, "[{},{}]"), "must be a JSON object");
        refused(jsonPost(path, "\"x\""), "must be a JSON object");
        refused(jsonPost(path, "{\"imageStorageEnabled\":\"yes\"}"), "'imageStorageEnabled' must be true or false");
        refused(jsonPost(path, "{\"correlationId\":7}"), "'correlationId' must be a string");
        refused(jsonPost(path, "{\"evidenceId\":\"" + "e".repeat(257) + "\"}"), "'evidenceId' must be at most 256");
        refused(jsonPost(path, "{\"callbackURL\":\"http://10.1.2.3/cb\"}"), "");
        refused(jsonPost(path, "{\"callbackURL\":\"https://user:pw@example.com/cb\"}"), "");
        refused(jsonPost(path, "{\"callbackURL\":\"ftp://example.com/cb\"}"), "");
    }

    @Test
    void anAllowedCallbackUrlTravelsWithTheSession() throws Exception {
        stageAnswers(answer(201, "{}"));
        assertThat(send(jsonPost("/bioserver-app/v2/bio-sessions", "[{\"callbackURL\":\"https://callbacks.invalid/cb\"}]")).getStatus())
                .isEqualTo(201);
        assertThat(keyed().attributes()).containsEntry("callbackURL", "https://callbacks.invalid/cb");
    }

    @Test
    void sessionReadsAndDeletesGoToTheSessionsKeyAndPassTheStagesAnswer() throws Exception {
        String session = "{\"id\":\"" + SID + "\",\"imageStorageEnabled\":false,\"created\":\"2017-05-18T10:14:39.587Z\","
                + "\"expires\":\"2017-05-18T10:19:39.587Z\"}";
        stageAnswers(answer(200, session));
        MockHttpServletResponse got = send(get("/bioserver-app/v2/bio-sessions/" + SID.toUpperCase()));
        assertThat(got.getStatus()).isEqualTo(200);
        assertThat(got.getContentType()).startsWith("application/json");
        assertThat(signed(got)).isEqualTo(JSON.readTree(session));
        Sent sent = keyed();
        assertThat(sent.operation()).isEqualTo(BioServerContract.SESSION_GET);
        assertThat(sent.attributes()).containsEntry("sessionId", SID);
        assertThat(sent.key()).isEqualTo(SID.replace("-", ""));

        clearInvocations(pipeline);
        stageAnswers(answer(204, ""));
        assertThat(send(delete("/bioserver-app/v2/bio-sessions/" + SID)).getStatus()).isEqualTo(204);
        assertThat(keyed().operation()).isEqualTo(BioServerContract.SESSION_DELETE);

        clearInvocations(pipeline);
        stageAnswers(error(404, "NOT_FOUND", "Session not found"));
        seedError(send(get("/bioserver-app/v2/bio-sessions/" + SID)), 404, "Session not found");
        stageAnswers(error(409, "CONFLICT", "There is replay liveness in progress"));
        seedError(send(delete("/bioserver-app/v2/bio-sessions/" + SID)), 409, "There is replay liveness in progress");
        stageAnswers(error(500, "INTERNAL", "stack trace here"));
        seedError(send(get("/bioserver-app/v2/bio-sessions/" + SID)), 500, "Internal error");
    }

    @Test
    void anIdInAPathThatIsNoUuidIsAnUnknownSessionOrFaceAndIsNotPublished() throws Exception {
        for (String bad : List.of("abc", "1-1-1-1-1", SID + "0", SID.replace("-", ""), "%7B%7D")) {
            clearInvocations(pipeline);
            seedError(send(get("/bioserver-app/v2/bio-sessions/" + bad)), 404, "Session not found");
            seedError(send(delete("/bioserver-app/v2/bio-sessions/" + bad + "/faces")), 404, "Session not found");
            seedError(send(get("/bioserver-app/v2/bio-sessions/" + bad + "/faces/" + FID)), 404, "Session not found");
            seedError(send(get("/bioserver-app/v2/bio-sessions/" + SID + "/faces/" + bad)), 404, "Face not found");
            seedError(send(get("/bioserver-app/v2/bio-sessions/" + SID + "/faces/" + bad + "/matches")), 404, "Face not found");
            seedError(send(delete("/bioserver-app/v2/bio-sessions/" + SID + "/faces/" + bad)), 404, "Face not found");
            seedError(send(get("/bioserver-app/v2/bio-sessions/" + SID + "/faces/" + bad + "/image")), 404, "Face not found");
            seedError(send(Form.data().field("face", "{\"imageType\":\"SELFIE\"}").file("image", "image/jpeg", JPEG)
                    .post("/bioserver-app/v2/bio-sessions/" + bad + "/faces")), 404, "Session not found");
            seedError(send(jsonPost("/bioserver-app/v2/bio-sessions/" + bad + "/faces", FACE_JSON)), 404, "Session not found");
            verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
        }
    }

    // ---- faces ----------------------------------------------------------------------------------

    @Test
    void aFaceFromAnImageComesAsFormDataOrMultipartMixedAndGetsItsIdAndLocation() throws Exception {
        stageAnswers(answer(201, "{}"));
        String params = "{\"imageType\":\"ID_DOCUMENT\",\"mode\":\"F5_3_VID60\",\"friendlyName\":\"Student ID\",\"imageRotationEnabled\":true}";
        List<MockHttpServletRequestBuilder> forms = List.of(
                Form.data().file("face", "application/json", utf8(params)).file("image", "image/jpeg", JPEG).post(faces()),
                // the seed's curl: -H 'Content-Type: multipart/mixed' -F face=@face.json -F image=@photo.jpg
                Form.mixed().file("face", "application/octet-stream", utf8(params)).file("image", "image/jpeg", JPEG).post(faces()),
                // a multipart/mixed writer naming its parts with another disposition; the face JSON in the seed's array
                Form.mixed().raw("attachment; name=\"face\"", "application/json", utf8("[" + params + "]"))
                        .raw("inline; name=image; filename=\"p.jpg\"", "image/jpeg", JPEG).post(faces()),
                Form.data().field("face", params).file("image", "image/jpeg", JPEG).post(faces()));
        for (MockHttpServletRequestBuilder form : forms) {
            clearInvocations(pipeline);
            MockHttpServletResponse response = send(form);
            assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(201);
            assertThat(response.getContentAsByteArray()).isEmpty();
            Sent sent = keyed();
            String faceId = sent.attributes().get("faceId");
            assertThat(UUID.fromString(faceId).toString()).isEqualTo(faceId);
            assertThat(response.getHeader("Location")).isEqualTo("/v2/bio-sessions/" + SID + "/faces/" + faceId);
            assertThat(sent.operation()).isEqualTo(BioServerContract.FACE_CREATE);
            assertThat(sent.key()).isEqualTo(BioServerContract.sessionKey(SID));
            assertThat(sent.attributes()).containsEntry("sessionId", SID).containsEntry("imageType", "ID_DOCUMENT")
                    .containsEntry("mode", "F5_3_VID60").containsEntry("friendlyName", "Student ID").containsEntry("imageRotationEnabled", "true");
            assertThat(sent.part("image")).isEqualTo(JPEG);
        }
    }

    @Test
    void badFaceUploadsAre400AndSendNothing() throws Exception {
        refused(Form.data().file("image", "image/jpeg", JPEG).post(faces()), "'face' is required");
        refused(Form.data().field("face", "{\"imageType\":\"SELFIE\"}").post(faces()), "'image' is required");
        refused(Form.data().field("face", "{\"imageType\":\"SELFIE\"}").file("image", "image/jpeg", new byte[0]).post(faces()), "'image' is required");
        refused(Form.data().field("face", "{}").file("image", "image/jpeg", JPEG).post(faces()), "'imageType' is required");
        refused(Form.data().field("face", "{\"imageType\":\"PASSPORT\"}").file("image", "image/jpeg", JPEG).post(faces()),
                "'imageType' must be one of ID_DOCUMENT, SELFIE, VIDEO_FRAME");
        refused(Form.data().field("face", "{\"imageType\":\"SELFIE\",\"mode\":\"F9\"}").file("image", "image/jpeg", JPEG).post(faces()),
                "'mode' must be one of");
        refused(Form.data().field("face", "{\"imageType\":\"SELFIE\",\"imageRotationEnabled\":\"maybe\"}").file("image", "image/jpeg", JPEG)
                .post(faces()), "'imageRotationEnabled' must be true or false");
        refused(Form.data().field("face", "{imageType:SELFIE}").file("image", "image/jpeg", JPEG).post(faces()), "'face' is not valid JSON");
        refused(Form.data().field("face", "{\"imageType\":\"SELFIE\"}").file("image", "image/jpeg", JPEG).file("image", "image/jpeg", JPEG)
                .post(faces()), "part 'image' is given twice");
        Form many = Form.data();
        for (int i = 0; i < 17; i++) {
            many.field("x" + i, "y");
        }
        refused(many.post(faces()), "at most 16 parts");
        // a body that is no multipart body at all (no boundary, cut short)
        refused(post(faces()).contentType("multipart/form-data; boundary=abc").content(utf8("--abc\r\nContent-Disposition: form-data; name=\"face\"\r\n\r\n{")),
                "Malformed multipart request");
        clearInvocations(pipeline);
        seedError(send(post(faces()).contentType(MediaType.TEXT_PLAIN).content("x")), 415, null);
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
    }

    @Test
    void aFaceFromAnEarlierFacesJsonIsAnImportOfThatObjectAsObjectOrArray() throws Exception {
        stageAnswers(answer(201, "{}"));
        for (String body : List.of(FACE_JSON, "[" + FACE_JSON + "]")) {
            clearInvocations(pipeline);
            MockHttpServletResponse response = send(jsonPost(faces(), body));
            assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(201);
            Sent sent = keyed();
            assertThat(sent.operation()).isEqualTo(BioServerContract.FACE_IMPORT);
            assertThat(response.getHeader("Location")).isEqualTo("/v2/bio-sessions/" + SID + "/faces/" + sent.attributes().get("faceId"));
            assertThat(sent.attributes().get("faceId")).as("a new id, not the earlier face's").isNotEqualTo(FID);
            assertThat(JSON.readTree(sent.part("face"))).isEqualTo(JSON.readTree(FACE_JSON));
        }
        refused(jsonPost(faces(), "{" + FACE_JSON + "}"), "not valid JSON"); // the seed's doubled braces
        refused(jsonPost(faces(), "{\"id\":\"x\",\"imageType\":\"SELFIE\"}"), "'template' is required");
        refused(jsonPost(faces(), FACE_JSON.replace("92", "\"v92\"")), "'templateVersion' must be a whole number");
        refused(jsonPost(faces(), FACE_JSON.replace("\"SELFIE\"", "\"selfie\"")), "'imageType' must be one of");
        refused(jsonPost(faces(), ""), "the face is required");
    }

    @Test
    void faceReadsPassTheStagesAnswers() throws Exception {
        stageAnswers(answer(200, "[" + FACE_JSON + "]"));
        MockHttpServletResponse list = send(get(faces()));
        assertThat(list.getStatus()).isEqualTo(200);
        assertThat(json(list).isArray()).isTrue();
        assertThat(keyed().operation()).isEqualTo(BioServerContract.FACES_LIST);

        clearInvocations(pipeline);
        stageAnswers(answer(204, ""));
        assertThat(send(delete(faces())).getStatus()).isEqualTo(204);
        assertThat(keyed().operation()).isEqualTo(BioServerContract.FACES_DELETE);

        clearInvocations(pipeline);
        stageAnswers(answer(200, FACE_JSON));
        assertThat(signed(send(get(faces() + "/" + FID)))).isEqualTo(JSON.readTree(FACE_JSON));
        Sent sent = keyed();
        assertThat(sent.operation()).isEqualTo(BioServerContract.FACE_GET);
        assertThat(sent.attributes()).containsEntry("sessionId", SID).containsEntry("faceId", FID);

        clearInvocations(pipeline);
        stageAnswers(answer(204, ""));
        assertThat(send(delete(faces() + "/" + FID)).getStatus()).isEqualTo(204);
        assertThat(keyed().operation()).isEqualTo(BioServerContract.FACE_DELETE);

        clearInvocations(pipeline);
        String matches = "[{\"reference\":{\"id\":\"" + FID + "\"},\"candidate\":{\"id\":\"" + SID + "\"},\"score\":7771.4,"
                + "\"falseAcceptanceRate\":2.865E-11}]";
        stageAnswers(answer(200, matches));
        assertThat(signed(send(get(faces() + "/" + FID + "/matches")))).isEqualTo(JSON.readTree(matches));
        assertThat(keyed().operation()).isEqualTo(BioServerContract.MATCHES);

        stageAnswers(error(404, "NOT_FOUND", "Face not found"));
        seedError(send(get(faces() + "/" + FID)), 404, "Face not found");
    }

    @Test
    void aFacesImageIsJpegOr204WithoutStorage() throws Exception {
        stageAnswers(result().setPayload(new ExtractedImage(ByteBuffer.wrap(JPEG), "image/jpeg")).build());
        MockHttpServletResponse image = send(get(faces() + "/" + FID + "/image?compression=true"));
        assertThat(image.getStatus()).isEqualTo(200);
        assertThat(image.getContentType()).isEqualTo("image/jpeg");
        assertThat(image.getContentAsByteArray()).isEqualTo(JPEG);
        Sent sent = keyed();
        assertThat(sent.operation()).isEqualTo(BioServerContract.FACE_IMAGE);
        assertThat(sent.attributes()).containsEntry("compression", "true").containsEntry("faceId", FID);

        clearInvocations(pipeline);
        stageAnswers(answer(204, ""));
        MockHttpServletResponse none = send(get(faces() + "/" + FID + "/image"));
        assertThat(none.getStatus()).isEqualTo(204);
        assertThat(none.getContentAsByteArray()).isEmpty();
        assertThat(keyed().attributes()).containsEntry("compression", "false");

        refused(get(faces() + "/" + FID + "/image?compression=yes"), "'compression' must be true or false");
    }

    // ---- direct operations ----------------------------------------------------------------------

    @Test
    void aDirectFaceIsKeyedByItsRequestAndItsAnswerIsPassedOn() throws Exception {
        stageAnswers(answer(200, FACE_JSON));
        MockHttpServletResponse response = send(Form.mixed()
                .file("face", "application/json", utf8("{\"imageType\":\"SELFIE\",\"mode\":\"F5_1_VID60\",\"signatureDisabled\":\"true\"}"))
                .file("image", "image/jpeg", JPEG).field("correlationId", "\"891a6728-1ac4-11e7-93ae-92361f002671\"").field("evidenceId", "ev-1")
                .post("/bioserver-app/v2/faces"));
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        assertThat(response.getContentAsString()).as("signatureDisabled: the stage's answer as it is").isEqualTo(FACE_JSON);
        Sent sent = direct();
        assertThat(sent.operation()).isEqualTo(BioServerContract.DIRECT_FACE);
        assertThat(sent.attributes()).containsEntry("imageType", "SELFIE").containsEntry("mode", "F5_1_VID60")
                .containsEntry("correlationId", "891a6728-1ac4-11e7-93ae-92361f002671").containsEntry("evidenceId", "ev-1")
                .doesNotContainKeys("faceId", "sessionId");
        assertThat(sent.part("image")).isEqualTo(JPEG);

        String path = "/bioserver-app/v2/faces";
        refused(Form.data().file("image", "image/jpeg", JPEG).post(path), "'face' is required");
        refused(Form.data().field("face", "{\"imageType\":\"SELFIE\",\"signatureDisabled\":\"no\"}").file("image", "image/jpeg", JPEG).post(path),
                "'signatureDisabled' must be true or false");
        refused(Form.data().field("face", "{\"imageType\":\"SELFIE\"}").file("image", "image/jpeg", JPEG).field("correlationId", "a\u0001b").post(path),
                "'correlationId' must be at most 256 characters, without control characters");
    }

    @Test
    void imagesMatchTakesTheTypesAsFieldsOrAsFilesAsTheSeedsCurlSendsThem() throws Exception {
        String match = "{\"reference\":{},\"candidate\":{},\"score\":10269.4,\"falseAcceptanceRate\":1.0E-15}";
        stageAnswers(answer(200, match));
        String path = "/bioserver-app/v2/match/images";
        List<MockHttpServletRequestBuilder> forms = List.of(
                Form.data().file("referenceImage", "image/jpeg", JPEG).file("candidateImage", "image/png", JPEG)
                        .field("referenceImageType", "ID_DOCUMENT").field("candidateImageType", "SELFIE").field("imageRotationEnabled", "true").post(path),
                // curl -F 'referenceImageType=@type.txt' with a file written by echo (a trailing newline)
                Form.mixed().file("referenceImage", "image/jpeg", JPEG).file("candidateImage", "image/jpeg", JPEG)
                        .file("referenceImageType", "text/plain", utf8("ID_DOCUMENT\n")).file("candidateImageType", "text/plain", utf8("\"SELFIE\"\n"))
                        .field("imageRotationEnabled", "TRUE").post(path));
        for (MockHttpServletRequestBuilder form : forms) {
            clearInvocations(pipeline);
            MockHttpServletResponse response = send(form);
            assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
            assertThat(signed(response)).isEqualTo(JSON.readTree(match));
            Sent sent = direct();
            assertThat(sent.operation()).isEqualTo(BioServerContract.MATCH_IMAGES);
            assertThat(sent.attributes()).containsEntry("referenceImageType", "ID_DOCUMENT").containsEntry("candidateImageType", "SELFIE")
                    .containsEntry("imageRotationEnabled", "true");
            assertThat(sent.part("referenceImage")).isEqualTo(JPEG);
            assertThat(sent.part("candidateImage")).isEqualTo(JPEG);
        }
        refused(Form.data().file("candidateImage", "image/jpeg", JPEG).field("referenceImageType", "SELFIE").field("candidateImageType", "SELFIE")
                .post(path), "'referenceImage' is required");
        refused(Form.data().file("referenceImage", "image/jpeg", JPEG).file("candidateImage", "image/jpeg", JPEG).field("candidateImageType", "SELFIE")
                .post(path), "'referenceImageType' is required");
        refused(Form.data().file("referenceImage", "image/jpeg", JPEG).file("candidateImage", "image/jpeg", JPEG).field("referenceImageType", "SELFIE")
                .field("candidateImageType", "PHOTO").post(path), "'candidateImageType' must be one of");
    }

    @Test
    void matchTakesAnEarlierFaceAsReferenceFromAFileOrAField() throws Exception {
        stageAnswers(answer(200, "{\"score\":9000.0}"));
        String path = "/bioserver-app/v2/match";
        for (Form form : List.of(Form.data().file("referenceFace", "application/json", utf8(FACE_JSON)),
                Form.mixed().field("referenceFace", "[" + FACE_JSON + "]"))) {
            clearInvocations(pipeline);
            MockHttpServletResponse response = send(form.file("candidateImage", "image/jpeg", JPEG).field("candidateImageType", "SELFIE")
                    .field("imageRotationEnabled", "false").field("correlationId", "c-1").post(path));
            assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
            Sent sent = direct();
            assertThat(sent.operation()).isEqualTo(BioServerContract.MATCH);
            assertThat(sent.attributes()).containsEntry("candidateImageType", "SELFIE").containsEntry("imageRotationEnabled", "false")
                    .containsEntry("correlationId", "c-1");
            assertThat(JSON.readTree(sent.part("face"))).isEqualTo(JSON.readTree(FACE_JSON));
            assertThat(sent.part("candidateImage")).isEqualTo(JPEG);
        }
        refused(Form.data().file("candidateImage", "image/jpeg", JPEG).field("candidateImageType", "SELFIE").post(path), "'referenceFace' is required");
        refused(Form.data().field("referenceFace", "{\"id\":\"x\"}").file("candidateImage", "image/jpeg", JPEG).field("candidateImageType", "SELFIE")
                .post(path), "'template' is required");
        refused(Form.data().field("referenceFace", FACE_JSON).file("candidateImage", "image/jpeg", JPEG).post(path), "'candidateImageType' is required");
    }

    @Test
    void agesTakeTheAgeJsonAndCheckIt() throws Exception {
        stageAnswers(answer(200, "{\"id\":\"" + FID + "\",\"threshold\":18,\"quality\":-10000}"));
        String path = "/bioserver-app/v2/ages";
        MockHttpServletResponse response = send(Form.data().file("image", "image/jpeg", JPEG)
                .file("age", "application/json", utf8("{\"threshold\":18,\"imageType\":\"VIDEO_FRAME\",\"signatureDisabled\":\"false\","
                        + "\"imageRotationEnabled\":true}")).field("correlationId", "c5a0aec2-1262-41b6-82bd-e9d60da92ef2").post(path));
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        Sent sent = direct();
        assertThat(sent.operation()).isEqualTo(BioServerContract.AGES);
        assertThat(sent.attributes()).containsEntry("threshold", "18").containsEntry("imageType", "VIDEO_FRAME")
                .containsEntry("imageRotationEnabled", "true").containsEntry("correlationId", "c5a0aec2-1262-41b6-82bd-e9d60da92ef2");
        assertThat(sent.part("image")).isEqualTo(JPEG);

        clearInvocations(pipeline);
        assertThat(send(Form.mixed().file("image", "image/jpeg", JPEG).field("age", "[{\"threshold\":\"21\"}]").post(path)).getStatus()).isEqualTo(200);
        assertThat(direct().attributes()).containsEntry("threshold", "21").doesNotContainKey("imageType");

        refused(Form.data().file("image", "image/jpeg", JPEG).field("age", "{}").post(path), "'threshold' is required");
        refused(Form.data().file("image", "image/jpeg", JPEG).field("age", "{\"threshold\":17.5}").post(path), "'threshold' must be a whole number");
        refused(Form.data().file("image", "image/jpeg", JPEG).field("age", "{\"threshold\":151}").post(path), "'threshold' must be from 0 to 150");
        refused(Form.data().file("image", "image/jpeg", JPEG).field("age", "{\"threshold\":18,\"imageType\":\"ID_DOCUMENT\"}").post(path),
                "'imageType' must be one of SELFIE, VIDEO_FRAME");
        refused(Form.data().field("age", "{\"threshold\":18}").post(path), "'image' is required");
        refused(Form.data().file("image", "image/jpeg", JPEG).post(path), "'age' is required");
    }

    // ---- platform behaviour in the seed's format --------------------------------------------------

    @Test
    void shedLoadIs429WithRetryAfterInTheSeedsFormat() throws Exception {
        when(pipeline.call(eq(Topics.BIOSERVER_REQUESTS), any(RequestEnvelope.Builder.class), anyString()))
                .thenThrow(new PipelineException(429, "the pipeline is behind", null, 3));
        when(pipeline.call(eq(Topics.BIOSERVER_REQUESTS), any(RequestEnvelope.Builder.class)))
                .thenThrow(new PipelineException(429, "too many requests in progress", null));
        MockHttpServletResponse session = send(jsonPost("/bioserver-app/v2/bio-sessions", "{}"));
        seedError(session, 429, null);
        assertThat(session.getHeader("Retry-After")).isEqualTo("3");
        MockHttpServletResponse age = send(Form.data().file("image", "image/jpeg", JPEG).field("age", "{\"threshold\":18}").post("/bioserver-app/v2/ages"));
        seedError(age, 429, null);
        assertThat(age.getHeader("Retry-After")).isEqualTo("1");
    }

    @Test
    void aBodyOverThePayloadLimitIs413InTheSeedsFormat() throws Exception {
        MockMvc limited = MockMvcBuilders.webAppContextSetup(context).addFilters(context.getBean(PayloadLimitFilter.class)).build();
        byte[] big = new byte[PayloadLimits.MAX_PAYLOAD_BYTES + 1];
        for (String path : List.of(faces(), "/bioserver-app/v2/match/images")) {
            MockHttpServletResponse response = limited.perform(post(path).contentType("multipart/mixed; boundary=x").content(big))
                    .andReturn().getResponse();
            seedError(response, 413, null);
        }
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
    }

    @Test
    void capabilitiesAnswerTheModeAndVersionWhileTheStageIsUpElse500() throws Exception {
        when(health.check()).thenReturn(new PipelineHealth.Snapshot(true, Map.of("broker", "UP", "registry", "UP", "processor:bioserver", "UP"), 0));
        for (String path : List.of("/bioserver-app/v2/capabilities", "/video-server/v2/capabilities")) {
            MockHttpServletResponse response = send(get(path));
            assertThat(response.getStatus()).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(body.get("currentMode").isArray()).isTrue();
            assertThat(body.get("currentMode").get(0).asText()).isEqualTo("F5_1_VID60");
            assertThat(body.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(body.size()).isEqualTo(2);
        }
        // another stage down does not matter; the bioserver stage or the broker down does
        when(health.check()).thenReturn(new PipelineHealth.Snapshot(false, Map.of("broker", "UP", "processor:search", "DOWN",
                "processor:bioserver", "UP"), 0));
        assertThat(send(get("/bioserver-app/v2/capabilities")).getStatus()).isEqualTo(200);
        when(health.check()).thenReturn(new PipelineHealth.Snapshot(false, Map.of("broker", "UP", "processor:bioserver", "DOWN"), 0));
        seedError(send(get("/bioserver-app/v2/capabilities")), 500, "Internal error");
        when(health.check()).thenReturn(new PipelineHealth.Snapshot(false, Map.of("broker", "DOWN"), 0));
        seedError(send(get("/video-server/v2/capabilities")), 500, "Internal error");
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
    }

    @Test
    void theMultipartResolverLeavesTheBioServerPathsToTheirHandlers() {
        BioServerMultipartResolver.Resolver resolver = new BioServerMultipartResolver.Resolver();
        for (String path : List.of("/bioserver-app/v2/faces", "/bioserver-app/v2/bio-sessions/" + SID + "/faces", "/video-server/x",
                "/%62ioserver-app/v2/ages")) {
            org.springframework.mock.web.MockHttpServletRequest request = new org.springframework.mock.web.MockHttpServletRequest("POST", path);
            request.setContentType("multipart/form-data; boundary=x");
            assertThat(resolver.isMultipart(request)).as(path).isFalse();
        }
        for (String path : List.of("/check", "/bioserver-apps/x", "/match-over-template")) {
            org.springframework.mock.web.MockHttpServletRequest request = new org.springframework.mock.web.MockHttpServletRequest("POST", path);
            request.setContentType("multipart/form-data; boundary=x");
            assertThat(resolver.isMultipart(request)).as(path).isTrue();
        }
    }

    private static String faces() {
        return "/bioserver-app/v2/bio-sessions/" + SID + "/faces";
    }
}
