package io.openbio.gateway.api.dis.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import io.openbio.events.RequestEnvelope;
import io.openbio.gateway.api.dis.DisApi;
import io.openbio.gateway.security.SecurityConfig;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.contract.DisContract;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The DIS liveness and inspection controller with the real security chain and the stage mocked: what reaches the
 * pipeline (operation, attributes, parts, key), bodiless PUT / POST without a Content-Type, and every refusal before
 * the stage in the reference's form, each answer validated against {@code dis-1.52.0-openapi.json}.
 */
@SpringJUnitWebConfig({WebSlice.class, SecurityConfig.class, DisApi.class, DisLivenessController.class})
@TestPropertySource(properties = "openbio.security.api-keys=acme:USER:" + DisLivenessControllerTest.KEY_SHA256)
class DisLivenessControllerTest extends DisCustomerSlice {
    static final String BASE = "/api/v1/customers/" + ID;

    @BeforeEach
    void livenessAnswer() {
        stageAnswers(200, "{\"links\":{\"self\":\"" + BASE + "/liveness\"}}");
    }

    private void stageAnswers(int status, String body) {
        stageAnswers(answer(status, body));
    }

    /** {@link #send} with the API key. */
    private MockHttpServletResponse sendWithKey(MockHttpServletRequestBuilder request, String method, String path) throws Exception {
        return send(request.header("Authorization", BEARER), method, path);
    }

    private RequestEnvelope.Builder sent() {
        return sent(ID);
    }

    @Test
    void bodilessPutAndPostWithoutAContentTypeReachTheStage() throws Exception {
        assertThat(sendWithKey(put(BASE + "/liveness"), "PUT", BASE + "/liveness").getStatus()).isEqualTo(200);
        assertThat(sent().getOperation()).isEqualTo(DisContract.LIVENESS_PUT);
        clearInvocations(pipeline);
        stageAnswers(200, "{\"selfieInspection\":{\"genderEstimate\":\"M\",\"genderConsistency\":{\"documentPortrait\":true,\"mrz\":true},"
                + "\"ageEstimate\":41,\"ageDifferenceWith\":{\"dateOfBirth\":33}},"
                + "\"security\":{\"videoInjection\":{\"evaluated\":false}},\"links\":{\"documentInspection\":\"" + BASE + "/document/inspect\"}}");
        assertThat(sendWithKey(post(BASE + "/inspect"), "POST", BASE + "/inspect").getStatus()).isEqualTo(200);
        assertThat(sent().getOperation()).isEqualTo(DisContract.CUSTOMER_INSPECT);
        clearInvocations(pipeline);
        stageAnswers(200, "{}");
        assertThat(sendWithKey(post(BASE + "/inspect/disclose"), "POST", BASE + "/inspect/disclose").getStatus()).isEqualTo(200);
        assertThat(sent().getOperation()).isEqualTo(DisContract.CUSTOMER_INSPECT_DISCLOSE);
    }

    @Test
    void selfiesCarryTheirAssertionAndImageOrTheSelfieLink() throws Exception {
        stageAnswers(200, "{}");
        byte[] image = {(byte) 0xFF, (byte) 0xD8, 1, 2};
        String json = "{\"image\":{\"data\":\"" + Base64.getEncoder().encodeToString(image) + "\"},\"assertion\":\"SMILE\"}";
        sendWithKey(post(BASE + "/liveness/selfies").contentType(MediaType.APPLICATION_JSON).content(json), "POST", BASE + "/liveness/selfies");
        RequestEnvelope.Builder envelope = sent();
        assertThat(envelope.getOperation()).isEqualTo(DisContract.LIVENESS_SELFIE_ADD);
        assertThat(envelope.getAttributes()).containsEntry(DisContract.ASSERTION, "SMILE").containsEntry(DisContract.CUSTOMER_ID, ID);
        assertThat(envelope.getParts().get(0).getData().array()).isEqualTo(image);
        clearInvocations(pipeline);
        sendWithKey(post(BASE + "/liveness/selfies").contentType(MediaType.APPLICATION_JSON)
                .content("{\"selfieOrigin\":{\"link\":\"" + BASE + "/selfie\"},\"assertion\":\"NONE\"}"), "POST", BASE + "/liveness/selfies");
        assertThat(sent().getAttributes()).containsEntry(DisContract.FROM_SELFIE, "true");
    }

    @Test
    void badRequestsAreRefusedBeforeTheStage() throws Exception {
        String selfies = BASE + "/liveness/selfies";
        for (String body : List.of("{", "[]", "{\"assertion\":\"NONE\"}", "{\"image\":{\"data\":\"AA==\"}}",
                "{\"image\":{\"data\":\"AA==\"},\"assertion\":\"WINK\"}", "{\"image\":{\"data\":\"AA==\"},\"assertion\":\"NONE\",\"x\":1}",
                "{\"selfieOrigin\":{\"link\":\"/api/v1/customers/" + UUID.randomUUID() + "/selfie\"},\"assertion\":\"NONE\"}")) {
            MockHttpServletResponse response = sendWithKey(post(selfies).contentType(MediaType.APPLICATION_JSON).content(body), "POST", selfies);
            assertThat(response.getStatus()).as(body).isEqualTo(400);
            assertThat(code(response)).as(body).isEqualTo("INVALID_REQUEST_BODY");
        }
        MockHttpServletResponse url = sendWithKey(post(selfies).contentType(MediaType.APPLICATION_JSON)
                .content("{\"image\":{\"url\":\"http://x/y.jpg\"},\"assertion\":\"NONE\"}"), "POST", selfies);
        assertThat(code(url)).isEqualTo("DATA_DOWNLOADER_DISABLED");
        String evaluation = BASE + "/liveness/evaluation";
        MockHttpServletResponse type = sendWithKey(post(evaluation).contentType(MediaType.APPLICATION_JSON).content("{\"type\":\"BLINK\"}"), "POST", evaluation);
        assertThat(code(type)).isEqualTo("INVALID_REQUEST_BODY");
        String records = BASE + "/liveness/records";
        MockHttpServletResponse empty = sendWithKey(post(records).contentType(MediaType.APPLICATION_OCTET_STREAM).content(new byte[0]), "POST", records);
        assertThat(code(empty)).isEqualTo("INVALID_REQUEST_BODY");
        String badRecord = BASE + "/liveness/records/nope/selfie";
        assertThat(code(sendWithKey(get(badRecord), "GET", badRecord))).isEqualTo("INVALID_ID");
        String badCustomer = "/api/v1/customers/nope/liveness";
        assertThat(code(sendWithKey(put(badCustomer), "PUT", badCustomer))).isEqualTo("INVALID_ID");
        verify(pipeline, never()).call(any(), any(RequestEnvelope.Builder.class), anyString());
    }

    @Test
    void recordsGetAnIdHereAndTypesTravelAsAttributes() throws Exception {
        stageAnswers(200, "{\"errorCode\":\"INVALID_DATA\"}");
        String records = BASE + "/liveness/records";
        sendWithKey(post(records).contentType(MediaType.APPLICATION_OCTET_STREAM).content(new byte[] {1, 2, 3}), "POST", records);
        RequestEnvelope.Builder envelope = sent();
        assertThat(envelope.getOperation()).isEqualTo(DisContract.LIVENESS_RECORD_ADD);
        assertThat(UUID.fromString(envelope.getAttributes().get(DisContract.RECORD_ID)).version()).isEqualTo(4);
        assertThat(envelope.getParts().get(0).getName()).isEqualTo(DisContract.RECORD_PART);
        clearInvocations(pipeline);
        stageAnswers(200, "{\"score\":0.9}");
        String evaluation = BASE + "/liveness/evaluation";
        sendWithKey(post(evaluation).contentType(MediaType.APPLICATION_JSON).content("{\"type\":\"SMILE_LIVENESS\"}"), "POST", evaluation);
        assertThat(sent().getAttributes()).containsEntry(DisContract.LIVENESS_TYPE, "SMILE_LIVENESS");
        clearInvocations(pipeline);
        stageAnswers(200, "{\"details\":{\"corners\":[\"TOP_LEFT\",\"BOTTOM_RIGHT\",\"TOP_RIGHT\",\"BOTTOM_LEFT\"]}}");
        String challenge = BASE + "/liveness/records/challenge";
        sendWithKey(put(challenge).contentType(MediaType.APPLICATION_JSON).content("{\"type\":\"EYE_GAZE_LIVENESS\"}"), "PUT", challenge);
        assertThat(sent().getOperation()).isEqualTo(DisContract.LIVENESS_CHALLENGE);
    }
}
