package io.openbio.gateway.api.dis.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.openbio.events.RequestEnvelope;
import io.openbio.gateway.api.dis.DisApi;
import io.openbio.gateway.security.SecurityConfig;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.contract.DisContract;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;

/**
 * The DIS document inspection and crop endpoints with the gateway's real security chain and the stage mocked: what
 * reaches the pipeline (operation, attributes, key) and every refusal before it in the reference's form, each answer
 * validated against {@code dis-1.52.0-openapi.json} (the stage's answers here are shaped as the stage writes them).
 */
@SpringJUnitWebConfig({WebSlice.class, SecurityConfig.class, DisApi.class, DisDocumentInspectionController.class})
@TestPropertySource(properties = {"openbio.security.api-keys=acme:USER:" + DisDocumentInspectionControllerTest.KEY_SHA256,
        "openbio.dis.session-max-timeout-seconds=900"})
class DisDocumentInspectionControllerTest extends DisCustomerSlice {

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
