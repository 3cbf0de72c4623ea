package io.openbio.gateway.api.dis.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.gateway.api.dis.DisApi;
import io.openbio.gateway.security.SecurityConfig;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.contract.DisContract;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;

/**
 * The DIS document controller with the gateway's real security chain and the stage mocked: what reaches the
 * pipeline (operation, attributes, parts, key) and every refusal before it in the reference's form, each answer
 * validated against {@code dis-1.52.0-openapi.json}.
 */
@SpringJUnitWebConfig({WebSlice.class, SecurityConfig.class, DisApi.class, DisDocumentController.class})
@TestPropertySource(properties = {"openbio.security.api-keys=acme:USER:" + DisDocumentControllerTest.KEY_SHA256,
        "openbio.dis.session-max-timeout-seconds=900"})
class DisDocumentControllerTest extends DisCustomerSlice {

    static final String DOC = "/api/v1/customers/" + ID + "/document";

    @Test
    void putDocumentSendsTheAdviceAndSources() throws Exception {
        stageAnswers(answer(200, "{\"links\":{\"self\":\"" + DOC + "\"}}"));
        MockHttpServletResponse r = send(put(DOC).header("Authorization", BEARER).contentType(MediaType.APPLICATION_JSON)
                .content("{\"advice\":{\"classification\":{\"types\":[\"identity-card\"],\"countries\":[\"CZE\"],"
                        + "\"machineReadableTravelDocuments\":[\"td1\"]}},\"sources\":[\"VIZ\",\"MRZ\"]}"), "PUT", DOC);
        assertThat(r.getStatus()).isEqualTo(200);
        RequestEnvelope.Builder sent = sent(ID);
        assertThat(sent.getOperation()).isEqualTo(DisContract.DOCUMENT_PUT);
        assertThat(sent.getAttributes()).containsEntry(DisContract.DOCUMENT_TYPES, "identity-card").containsEntry(DisContract.DOCUMENT_COUNTRIES, "CZE")
                .containsEntry(DisContract.DOCUMENT_MRTDS, "td1").containsEntry(DisContract.DOCUMENT_SOURCES, "VIZ,MRZ")
                .doesNotContainKey(DisContract.DOCUMENT_EDITIONS);
    }

    @Test
    void aPutDocumentWithoutBodyIsADocumentWithoutAdvice() throws Exception {
        stageAnswers(answer(200, "{\"links\":{\"self\":\"" + DOC + "\"}}"));
        assertThat(send(put(DOC).header("Authorization", BEARER), "PUT", DOC).getStatus()).isEqualTo(200);
        assertThat(sent(ID).getAttributes()).containsOnlyKeys(DisContract.CUSTOMER_ID);
    }

    @Test
    void badDocumentBodiesAre400AndReachNothing() throws Exception {
        for (String bad : List.of("{\"sources\":[\"FACE\"]}", "{\"sources\":\"VIZ\"}", "{\"advice\":{\"classification\":{\"types\":[\"a,b\"]}}}",
                "{\"advice\":{\"classification\":{\"machineReadableTravelDocuments\":[\"td9\"]}}}", "{\"other\":1}", "[1]", "{")) {
            MockHttpServletResponse r = send(put(DOC).header("Authorization", BEARER).contentType(MediaType.APPLICATION_JSON).content(bad), "PUT", DOC);
            assertThat(r.getStatus()).as(bad).isEqualTo(400);
            assertThat(code(r)).as(bad).isEqualTo("INVALID_REQUEST_BODY");
        }
        MockHttpServletResponse invalidId = send(put("/api/v1/customers/nope/document").header("Authorization", BEARER)
                .contentType(MediaType.APPLICATION_JSON).content("{}"), "PUT", "/api/v1/customers/nope/document");
        assertThat(code(invalidId)).isEqualTo("INVALID_ID");
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
    }

    @Test
    void deleteDocumentIs204() throws Exception {
        stageAnswers(answer(204, "{}"));
        MockHttpServletResponse r = send(delete(DOC).header("Authorization", BEARER), "DELETE", DOC);
        assertThat(r.getStatus()).isEqualTo(204);
        assertThat(sent(ID).getOperation()).isEqualTo(DisContract.DOCUMENT_DELETE);
    }

    @Test
    void pagesAsJsonOrOctetStreamCarryTheImageAndThePageType() throws Exception {
        String answer = "{\"pageType\":\"front\",\"detection\":{\"confidence\":0.9,\"cornerOutOfImage\":false,\"coordinates\":{"
                + "\"topLeftCorner\":{\"x\":1,\"y\":2},\"topRightCorner\":{\"x\":9,\"y\":2},\"bottomRightCorner\":{\"x\":9,\"y\":7},"
                + "\"bottomLeftCorner\":{\"x\":1,\"y\":7}}},\"documentType\":{\"type\":\"passport\",\"supportLevel\":\"NOT_SUPPORTED\"},"
                + "\"links\":{\"self\":\"" + DOC + "/pages/front\"}}";
        stageAnswers(answer(200, answer));
        String b64 = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        MockHttpServletResponse r = send(put(DOC + "/pages").header("Authorization", BEARER).contentType(MediaType.APPLICATION_JSON)
                .content("{\"image\":{\"data\":\"" + b64 + "\"},\"advice\":{\"classification\":{\"pageTypes\":[\"front\"]}}}"), "PUT", DOC + "/pages");
        assertThat(r.getStatus()).isEqualTo(200);
        RequestEnvelope.Builder sent = sent(ID);
        assertThat(sent.getOperation()).isEqualTo(DisContract.PAGE_PUT);
        assertThat(sent.getAttributes()).containsEntry(DisContract.PAGE_TYPE, "front");
        List<Part> parts = sent.getParts();
        assertThat(parts).hasSize(1);
        assertThat(parts.get(0).getName()).isEqualTo(DisContract.IMAGE_PART);
        clearInvocations(pipeline);
        MockHttpServletResponse binary = send(put(DOC + "/pages").header("Authorization", BEARER).contentType(MediaType.APPLICATION_OCTET_STREAM)
                .content(new byte[] {1, 2, 3}), "PUT", DOC + "/pages");
        assertThat(binary.getStatus()).isEqualTo(200);
        assertThat(sent(ID).getAttributes()).doesNotContainKey(DisContract.PAGE_TYPE);
    }

    @Test
    void aBadPageTypeOrImageIs400() throws Exception {
        String b64 = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        record Case(String body, String code) {
        }
        for (Case c : List.of(new Case("{\"image\":{\"data\":\"" + b64 + "\"},\"advice\":{\"classification\":{\"pageTypes\":[\"side\"]}}}", "INVALID_REQUEST_BODY"),
                new Case("{\"image\":{\"data\":\"" + b64 + "\"},\"advice\":{\"classification\":{}}}", "INVALID_REQUEST_BODY"),
                new Case("{\"advice\":{}}", "INVALID_REQUEST_BODY"),
                new Case("{\"image\":{\"data\":\"***\"}}", "INVALID_IMAGE"),
                new Case("{\"image\":{\"url\":\"http://x/y.jpg\"}}", "DATA_DOWNLOADER_DISABLED"))) {
            MockHttpServletResponse r = send(put(DOC + "/pages").header("Authorization", BEARER).contentType(MediaType.APPLICATION_JSON).content(c.body()),
                    "PUT", DOC + "/pages");
            assertThat(r.getStatus()).as(c.body()).isEqualTo(400);
            assertThat(code(r)).as(c.body()).isEqualTo(c.code());
        }
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
    }

    @Test
    void getPageChecksWidthAndHeight() throws Exception {
        stageAnswers(answer(200, "{\"data\":\"AQID\"}"));
        MockHttpServletResponse r = send(get(DOC + "/pages/front").param("width", "300").header("Authorization", BEARER), "GET", DOC + "/pages/front");
        assertThat(r.getStatus()).isEqualTo(200);
        RequestEnvelope.Builder sent = sent(ID);
        assertThat(sent.getOperation()).isEqualTo(DisContract.PAGE_GET);
        assertThat(sent.getAttributes()).containsEntry(DisContract.PAGE_TYPE, "front").containsEntry(DisContract.WIDTH, "300")
                .doesNotContainKey(DisContract.HEIGHT);
        clearInvocations(pipeline);
        for (String bad : List.of("0", "-3", "abc", "5000")) {
            MockHttpServletResponse refused = send(get(DOC + "/pages/front").param("height", bad).header("Authorization", BEARER), "GET", DOC + "/pages/front");
            assertThat(refused.getStatus()).as(bad).isEqualTo(400);
            assertThat(code(refused)).isEqualTo("INVALID_REQUEST_PARAMETER");
        }
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
    }

    @Test
    void qualityAndPortraitAreForwarded() throws Exception {
        stageAnswers(answer(200, "{\"fine\":true,\"details\":{\"sharpness\":{\"score\":0.8,\"level\":\"HIGH\"},"
                + "\"brightness\":{\"score\":0.6,\"level\":\"MEDIUM\"},\"hotspots\":{\"score\":0.1,\"level\":\"LOW\"}}}"));
        assertThat(send(get(DOC + "/pages/back/quality").header("Authorization", BEARER), "GET", DOC + "/pages/back/quality").getStatus()).isEqualTo(200);
        assertThat(sent(ID).getAttributes()).containsEntry(DisContract.PAGE_TYPE, "back");
        clearInvocations(pipeline);
        stageAnswers(error(404, "NOT_FOUND", "No portrait was found on the document's pages"));
        MockHttpServletResponse none = send(get(DOC + "/portrait").header("Authorization", BEARER), "GET", DOC + "/portrait");
        assertThat(none.getStatus()).isEqualTo(404);
        assertThat(code(none)).isEqualTo("NOT_FOUND");
        assertThat(sent(ID).getOperation()).isEqualTo(DisContract.DOCUMENT_PORTRAIT);
    }

    @Test
    void chipOperationsAreForwarded() throws Exception {
        stageAnswers(answer(200, "{\"challenge\":\"AQIDBAUGBwg=\"}"));
        assertThat(send(put(DOC + "/chip/challenge").header("Authorization", BEARER), "PUT", DOC + "/chip/challenge").getStatus()).isEqualTo(200);
        assertThat(sent(ID).getOperation()).isEqualTo(DisContract.CHIP_CHALLENGE);
        clearInvocations(pipeline);
        stageAnswers(answer(200, "{\"errorCode\":\"LDS_PARSE_ERROR\"}"));
        MockHttpServletResponse data = send(put(DOC + "/chip/data").header("Authorization", BEARER).contentType(MediaType.APPLICATION_OCTET_STREAM)
                .content(new byte[] {0x60, 1, 2}), "PUT", DOC + "/chip/data");
        assertThat(data.getStatus()).isEqualTo(200);
        RequestEnvelope.Builder sent = sent(ID);
        assertThat(sent.getOperation()).isEqualTo(DisContract.CHIP_DATA_PUT);
        assertThat(sent.getParts()).extracting(Part::getName).containsExactly(DisContract.CHIP_PART);
        clearInvocations(pipeline);
        MockHttpServletResponse empty = send(put(DOC + "/chip/data").header("Authorization", BEARER).contentType(MediaType.APPLICATION_OCTET_STREAM)
                .content(new byte[0]), "PUT", DOC + "/chip/data");
        assertThat(code(empty)).isEqualTo("INVALID_REQUEST_BODY");
        verify(pipeline, never()).newRequest(any(), anyString(), any(), anyMap());
        stageAnswers(answer(200, "{\"data\":\"AQID\"}"));
        assertThat(send(get(DOC + "/chip/data").header("Authorization", BEARER), "GET", DOC + "/chip/data").getStatus()).isEqualTo(200);
        assertThat(sent(ID).getOperation()).isEqualTo(DisContract.CHIP_DATA_GET);
        clearInvocations(pipeline);
        stageAnswers(error(404, "NOT_FOUND", "Chip portrait not found"));
        assertThat(send(get(DOC + "/chip/portrait").header("Authorization", BEARER), "GET", DOC + "/chip/portrait").getStatus()).isEqualTo(404);
        assertThat(sent(ID).getOperation()).isEqualTo(DisContract.CHIP_PORTRAIT);
    }
}
