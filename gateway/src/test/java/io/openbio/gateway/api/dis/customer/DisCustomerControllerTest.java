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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.gateway.api.dis.DisApi;
import io.openbio.gateway.pipeline.PipelineException;
import io.openbio.gateway.security.SecurityConfig;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DisContract;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The DIS customer, selfie and session controllers with the gateway's real security chain (API keys on,
 * {@code Authorization: Bearer}) and the stage mocked: what reaches the pipeline (operation, attributes, key),
 * and every refusal before it in the reference's form (401 without a body, 400 with its errorCode, 429
 * TOO_MANY_REQUESTS), each answer validated against {@code dis-1.52.0-openapi.json}.
 */
@SpringJUnitWebConfig({WebSlice.class, SecurityConfig.class, DisApi.class, DisCustomerController.class, DisSessionController.class,
        DisInfoController.class})
@TestPropertySource(properties = {"openbio.security.api-keys=acme:USER:" + DisCustomerControllerTest.KEY_SHA256,
        "openbio.dis.session-max-timeout-seconds=900"})
class DisCustomerControllerTest extends DisCustomerSlice {

    // ---- auth -------------------------------------------------------------------------------------

    @Test
    void withoutAValidBearerEveryPathIs401WithoutABodyAndReachesNothing() throws Exception {
        record Case(MockHttpServletRequestBuilder request, String method, String path) {
        }
        List<Case> cases = List.of(
                new Case(post("/api/v1/customers"), "POST", "/api/v1/customers"),
                new Case(get("/api/v1/customers/" + ID), "GET", "/api/v1/customers/" + ID),
                new Case(get("/api/v1/customers/" + ID).header("Authorization", "Bearer wrong"), "GET", "/api/v1/customers/" + ID),
                new Case(delete("/api/v1/customers/" + ID).header("Authorization", "Basic ZGlzLWtleQ=="), "DELETE", "/api/v1/customers/" + ID),
                new Case(put("/api/v1/customers/" + ID + "/selfie").contentType(MediaType.APPLICATION_OCTET_STREAM).content(new byte[] {1}),
                        "PUT", "/api/v1/customers/" + ID + "/selfie"),
                new Case(post("/api/v1/sessions").contentType(MediaType.APPLICATION_JSON).content("{\"timeout\":600}"), "POST", "/api/v1/sessions"));
        for (Case c : cases) {
            MockHttpServletResponse response = send(c.request(), c.method(), c.path());
            assertThat(response.getStatus()).as(c.method() + " " + c.path()).isEqualTo(401);
            assertThat(response.getContentAsByteArray()).as("401 has no body").isEmpty();
        }
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
    }

    @Test
    void infoAndHealthNeedNoCredentials() throws Exception {
        JsonNode info = JSON.readTree(send(get("/api/v1/info"), "GET", "/api/v1/info").getContentAsByteArray());
        assertThat(info.at("/build/group").asText()).isEqualTo("io.openbio");
        assertThat(info.at("/iface/license/year").asText()).isEqualTo("2099");
        MockHttpServletResponse health = send(get("/api/v1/health"), "GET", "/api/v1/health");
        assertThat(JSON.readTree(health.getContentAsByteArray()).get("status").asText()).isEqualTo("UP");
    }

    // ---- customers --------------------------------------------------------------------------------

    @Test
    void createWithNoBodyAndNoContentTypeGoesToTheStageKeyedByCustomer() throws Exception {
        MockHttpServletResponse created = send(post("/api/v1/customers").header("Authorization", BEARER), "POST", "/api/v1/customers");
        assertThat(created.getStatus()).isEqualTo(200);
        ArgumentCaptor<RequestEnvelope.Builder> envelope = ArgumentCaptor.forClass(RequestEnvelope.Builder.class);
        ArgumentCaptor<String> key = ArgumentCaptor.forClass(String.class);
        verify(pipeline).call(eq(Topics.DIS_CUSTOMERS), envelope.capture(), key.capture());
        String id = envelope.getValue().getAttributes().get(DisContract.CUSTOMER_ID);
        assertThat(java.util.UUID.fromString(id).version()).isEqualTo(4);
        assertThat(key.getValue()).isEqualTo(id);
        assertThat(envelope.getValue().getOperation()).isEqualTo(DisContract.CUSTOMER_CREATE);
        assertThat(envelope.getValue().getAttributes()).doesNotContainKey(DisContract.SESSION_ID);
        verify(pipeline).newRequest(eq("acme"), anyString(), any(), anyMap());
    }

    @Test
    void aSessionTokenKeysTheRequestBySessionId() throws Exception {
        stageAnswers(answer(200, "{\"customer\":{}}"));
        send(get("/api/v1/customers/" + ID.toUpperCase()).header("Authorization", BEARER).header("x-inn-session-token", "tok"),
                "GET", "/api/v1/customers/" + ID);
        String sessionId = DisContract.sessionId("tok");
        RequestEnvelope.Builder envelope = sent(sessionId);
        assertThat(envelope.getAttributes()).containsEntry(DisContract.SESSION_ID, sessionId).containsEntry(DisContract.CUSTOMER_ID, ID);
        assertThat(sessionId).hasSize(64).doesNotContain("tok");
    }

    @Test
    void idsAreChecked() throws Exception {
        for (String path : List.of("/api/v1/customers/not-a-uuid", "/api/v1/customers/12345")) {
            MockHttpServletResponse response = send(get(path).header("Authorization", BEARER), "GET", path);
            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(code(response)).isEqualTo("INVALID_ID");
        }
        // a client id must be a version 4 UUID
        String v1 = "/api/v1/customers/c232ab00-9414-11ec-b3c8-9f68deced846";
        MockHttpServletResponse notV4 = send(post(v1).header("Authorization", BEARER), "POST", v1);
        assertThat(notV4.getStatus()).isEqualTo(400);
        assertThat(code(notV4)).isEqualTo("INVALID_ID");
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
    }

    @Test
    void theStagesErrorsKeepTheirReferenceCodes() throws Exception {
        stageAnswers(error(422, "ALREADY_EXISTS", "Customer exists"));
        MockHttpServletResponse exists = send(post("/api/v1/customers/" + ID).header("Authorization", BEARER), "POST", "/api/v1/customers/" + ID);
        assertThat(exists.getStatus()).isEqualTo(422);
        assertThat(code(exists)).isEqualTo("ALREADY_EXISTS");
        stageAnswers(error(404, "NOT_FOUND", "Customer not found"));
        MockHttpServletResponse missing = send(get("/api/v1/customers/" + ID).header("Authorization", BEARER), "GET", "/api/v1/customers/" + ID);
        assertThat(code(missing)).isEqualTo("NOT_FOUND");
        stageAnswers(answer(204, "{}"));
        assertThat(send(delete("/api/v1/customers/" + ID).header("Authorization", BEARER), "DELETE", "/api/v1/customers/" + ID).getStatus())
                .isEqualTo(204);
    }

    @Test
    void overloadIs429TooManyRequests() throws Exception {
        when(pipeline.call(eq(Topics.DIS_CUSTOMERS), any(RequestEnvelope.Builder.class), anyString()))
                .thenThrow(new PipelineException(429, "too many requests in progress", null, 1));
        // the reference declares no 429 on any operation (only its enum has TOO_MANY_REQUESTS): the body is its ErrorResponse
        MockHttpServletResponse shed = answer(get("/api/v1/customers/" + ID).header("Authorization", BEARER));
        assertThat(shed.getStatus()).isEqualTo(429);
        assertThat(shed.getContentType()).startsWith(MediaType.APPLICATION_JSON_VALUE);
        JsonNode body = JSON.readTree(shed.getContentAsByteArray());
        assertThat(body.get("errorCode").asText()).isEqualTo("TOO_MANY_REQUESTS");
        assertThat(body.get("errorMessage").isTextual()).isTrue();
        assertThat(body.size()).isEqualTo(2);
        assertThat(shed.getHeader("Retry-After")).isEqualTo("1");
    }

    @Test
    void storeIsValidatedBeforeTheStage() throws Exception {
        String path = "/api/v1/customers/" + ID + "/store";
        for (String body : List.of("", "{", "[]", "{\"externalId\":\"x\"}", "{\"onboardingStatus\":\"DONE\"}",
                "{\"onboardingStatus\":\"FINISHED\",\"externalId\":\"has space\"}",
                "{\"onboardingStatus\":\"FINISHED\",\"externalId\":\"" + "a".repeat(65) + "\"}",
                "{\"onboardingStatus\":\"FINISHED\",\"other\":1}", "{\"onboardingStatus\":1}")) {
            MockHttpServletResponse response = send(post(path).header("Authorization", BEARER).contentType(MediaType.APPLICATION_JSON).content(body),
                    "POST", path);
            assertThat(response.getStatus()).as(body).isEqualTo(400);
            assertThat(code(response)).as(body).isEqualTo("INVALID_REQUEST_BODY");
        }
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
        stageAnswers(answer(204, "{}"));
        assertThat(send(post(path).header("Authorization", BEARER).contentType(MediaType.APPLICATION_JSON)
                .content("{\"onboardingStatus\":\"FINISHED\",\"externalId\":\"crm_42.a-B\"}"), "POST", path).getStatus()).isEqualTo(204);
        assertThat(sent(ID).getAttributes()).containsEntry(DisContract.EXTERNAL_ID, "crm_42.a-B")
                .containsEntry(DisContract.ONBOARDING_STATUS, "FINISHED");
    }

    // ---- selfie -----------------------------------------------------------------------------------

    @Test
    void selfieRequestsAreCheckedAndForwarded() throws Exception {
        String path = "/api/v1/customers/" + ID + "/selfie";
        record Bad(String body, String code) {
        }
        for (Bad bad : List.of(new Bad("{\"image\":{\"url\":\"http://localhost/a.png\"}}", "DATA_DOWNLOADER_DISABLED"),
                new Bad("{\"image\":{\"data\":\"@@@\"}}", "INVALID_IMAGE"),
                new Bad("{}", "INVALID_REQUEST_BODY"),
                new Bad("{\"image\":{\"data\":\"AAAA\"},\"selfieOrigin\":{\"link\":\"x\"}}", "INVALID_REQUEST_BODY"),
                new Bad("{\"image\":\"AAAA\"}", "INVALID_REQUEST_BODY"),
                new Bad("{\"selfieOrigin\":{\"link\":\"/api/v1/customers/" + ID + "/selfie\"}}", "INVALID_REQUEST_BODY"),
                new Bad("{\"selfieOrigin\":{\"link\":\"/api/v1/customers/aa0bd6ca-1206-415b-af94-8d2c18aa9c70/liveness/records/"
                        + "df0d69e3-9d59-4a8b-82de-510b3950dc39/selfie\"}}", "INVALID_REQUEST_BODY"),
                new Bad("{\"image\":{\"data\":\"AAAA\"}", "INVALID_REQUEST_BODY"))) {
            MockHttpServletResponse response = send(put(path).header("Authorization", BEARER).contentType(MediaType.APPLICATION_JSON)
                    .content(bad.body()), "PUT", path);
            assertThat(response.getStatus()).as(bad.body()).isEqualTo(400);
            assertThat(code(response)).as(bad.body()).isEqualTo(bad.code());
        }
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());

        String detection = "{\"detection\":{\"confidence\":0.9,\"faceRectangle\":{\"topLeft\":{\"x\":1,\"y\":2},\"topRight\":{\"x\":9,\"y\":2},"
                + "\"bottomRight\":{\"x\":9,\"y\":12},\"bottomLeft\":{\"x\":1,\"y\":12}}},\"links\":{\"self\":\"" + path + "\"}}";
        stageAnswers(answer(200, detection));
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3};
        // JSON image data
        send(put(path).header("Authorization", BEARER).contentType(MediaType.APPLICATION_JSON)
                .content("{\"image\":{\"data\":\"" + Base64.getEncoder().encodeToString(jpeg) + "\"}}"), "PUT", path);
        Part part = sent(ID).getParts().get(0);
        assertThat(part.getName()).isEqualTo(DisContract.IMAGE_PART);
        assertThat(Sealed.bytes(part)).isEqualTo(jpeg);
        // raw bytes without a Content-Type (Spring reads those as application/octet-stream)
        clearInvocations(pipeline);
        MockHttpServletResponse raw = send(put(path).header("Authorization", BEARER).content(jpeg), "PUT", path);
        assertThat(raw.getStatus()).isEqualTo(200);
        assertThat(Sealed.bytes(sent(ID).getParts().get(0))).isEqualTo(jpeg);
        // a liveness record's selfie: its record id
        clearInvocations(pipeline);
        String record = "df0d69e3-9d59-4a8b-82de-510b3950dc39";
        send(put(path).header("Authorization", BEARER).contentType(MediaType.APPLICATION_JSON)
                .content("{\"selfieOrigin\":{\"link\":\"/api/v1/customers/" + ID + "/liveness/records/" + record + "/selfie\"}}"), "PUT", path);
        RequestEnvelope.Builder fromRecord = sent(ID);
        assertThat(fromRecord.getAttributes()).containsEntry(DisContract.RECORD_ID, record);
        assertThat(fromRecord.getParts()).isEmpty();
    }

    // ---- sessions ---------------------------------------------------------------------------------

    @Test
    void sessionsTimeoutTokenAndDelete() throws Exception {
        for (String body : List.of("", "{", "{}", "{\"timeout\":0}", "{\"timeout\":901}", "{\"timeout\":1.5}", "{\"timeout\":\"600\"}",
                "{\"timeout\":600,\"x\":1}")) {
            MockHttpServletResponse response = send(post("/api/v1/sessions").header("Authorization", BEARER)
                    .contentType(MediaType.APPLICATION_JSON).content(body), "POST", "/api/v1/sessions");
            assertThat(response.getStatus()).as(body).isEqualTo(400);
            assertThat(code(response)).as(body).isEqualTo("INVALID_REQUEST_BODY");
        }
        stageAnswers(answer(200, "{}"));
        MockHttpServletResponse created = send(post("/api/v1/sessions").header("Authorization", BEARER)
                .contentType(MediaType.APPLICATION_JSON).content("{\"timeout\":900}"), "POST", "/api/v1/sessions");
        String token = JSON.readTree(created.getContentAsByteArray()).get("token").asText();
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
        RequestEnvelope.Builder envelope = sent(DisContract.sessionId(token));
        assertThat(envelope.getAttributes()).containsEntry(DisContract.SESSION_TIMEOUT, "900")
                .containsEntry(DisContract.SESSION_ID, DisContract.sessionId(token));
        assertThat(envelope.getAttributes().values()).doesNotContain(token);

        MockHttpServletResponse noHeader = send(delete("/api/v1/sessions").header("Authorization", BEARER), "DELETE", "/api/v1/sessions");
        assertThat(noHeader.getStatus()).isEqualTo(401);
        assertThat(noHeader.getContentAsByteArray()).isEmpty();
        clearInvocations(pipeline);
        stageAnswers(answer(204, "{}"));
        assertThat(send(delete("/api/v1/sessions").header("Authorization", BEARER).header("x-inn-session-token", token), "DELETE",
                "/api/v1/sessions").getStatus()).isEqualTo(204);
        assertThat(sent(DisContract.sessionId(token)).getOperation()).isEqualTo(DisContract.SESSION_DELETE);
    }

    /** The parts as the controller built them (the real client seals them on send, the mock does not). */
    static final class Sealed {
        static byte[] bytes(Part part) {
            byte[] bytes = new byte[part.getData().remaining()];
            part.getData().duplicate().get(bytes);
            return bytes;
        }
    }
}
