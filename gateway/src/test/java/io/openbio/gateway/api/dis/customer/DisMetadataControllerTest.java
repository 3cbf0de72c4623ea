package io.openbio.gateway.api.dis.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.gateway.api.dis.DisApi;
import io.openbio.gateway.security.SecurityConfig;
import io.openbio.gateway.web.WebSlice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * {@code GET /api/v1/metadata} with the gateway's real security chain: the supported documents (TD3 passport, TD1 and
 * TD2 identity cards, MRZ_EXTRACTION_ONLY, no country or edition), their pages and visual-zone fields, validated
 * against {@code dis-1.52.0-openapi.json}; 401 without credentials. The pipeline is never called.
 */
@SpringJUnitWebConfig({WebSlice.class, SecurityConfig.class, DisApi.class, DisMetadataController.class})
@TestPropertySource(properties = {"openbio.security.api-keys=acme:USER:" + DisMetadataControllerTest.KEY_SHA256})
class DisMetadataControllerTest extends DisCustomerSlice {

    private MockHttpServletResponse send(MockHttpServletRequestBuilder request) throws Exception {
        return send(request, "GET", "/api/v1/metadata");
    }

    @Test
    void listsTheMrzDocumentsThePlatformReads() throws Exception {
        MockHttpServletResponse response = send(get("/api/v1/metadata").header("Authorization", BEARER));
        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode documents = JSON.readTree(response.getContentAsByteArray()).get("documents");
        List<String> types = new ArrayList<>();
        for (JsonNode d : documents) {
            JsonNode type = d.get("documentType");
            types.add(type.get("type").asText() + "/" + type.get("machineReadableTravelDocument").asText());
            assertThat(type.get("supportLevel").asText()).isEqualTo("MRZ_EXTRACTION_ONLY");
            assertThat(type.has("country")).as("every issuing state is read alike").isFalse();
            assertThat(type.has("edition")).as("no edition templates").isFalse();
            assertThat(d.at("/pages/front/portrait/present").asBoolean()).isTrue();
            assertThat(d.at("/pages/front/classificationAdviceRequired").asBoolean()).isTrue();
            JsonNode viz = d.at("/pages/front/visualZone");
            assertThat(viz.at("/surname/valueNormalized").asBoolean()).isFalse();
            assertThat(viz.at("/dateOfBirth/valueNormalized").asBoolean()).isTrue();
            assertThat(viz.at("/surname").has("label")).as("no label is read").isFalse();
        }
        assertThat(types).containsExactly("passport/TD3", "identity-card/TD1", "identity-card/TD2");
        // a TD1 card's back: the MRZ, no portrait, no visual-zone field
        JsonNode back = documents.get(1).at("/pages/back");
        assertThat(back.at("/portrait/present").asBoolean()).isFalse();
        assertThat(back.get("visualZone").size()).isZero();
    }

    @Test
    void needsCredentials() throws Exception {
        assertThat(send(get("/api/v1/metadata")).getStatus()).isEqualTo(401);
    }
}
