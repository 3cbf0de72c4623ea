package io.openbio.gateway.api.bioserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import io.openbio.gateway.web.WebSlice;
import io.openbio.schemas.crypto.SigningKeys;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * {@code GET /bioserver-app/v2/certificate} in a Spring MVC slice ({@link WebSlice}) with the gateway's
 * own {@link BioServerSignatures} bean over the configured store (in tests: the build's
 * {@code target/test-bioserver-signing.p12}): the PEM, and it is the key the gateway signs with. That the
 * path needs no API key is checked over HTTP with keys configured ({@code ApiKeyIntegrationTest}).
 */
@SpringJUnitWebConfig({WebSlice.class, BioServerApi.class, BioServerSignatures.class, BioServerCertificateController.class})
class BioServerCertificateControllerTest {
    MockMvc mvc;
    BioServerSignatures signatures;

    @BeforeEach
    void setUp(WebApplicationContext context) {
        mvc = MockMvcBuilders.webAppContextSetup(context).build();
        signatures = context.getBean(BioServerSignatures.class);
    }

    @Test
    void theCertificateIsServedAsPemAndVerifiesTheGatewaysSignatures() throws Exception {
        MvcResult answer = mvc.perform(get(BioServerApi.CERTIFICATE_PATH)).andExpect(status().isOk()).andReturn();
        assertThat(answer.getResponse().getContentType()).startsWith("application/x-pem-file");
        String pem = answer.getResponse().getContentAsString(StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        // the settings' store (what every gateway of this configuration reads)
        assertThat(certificate).isEqualTo(SigningKeys.fromSettings().certificate());

        ObjectNode session = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("id", "a5ac0455-8d99-4d73-835c-c656b5aba41e").put("imageStorageEnabled", false);
        String jws = signatures.sign(session);
        assertThat(JWSObject.parse(jws).verify(new RSASSAVerifier((RSAPublicKey) certificate.getPublicKey()))).isTrue();
    }

    @Test
    void anAcceptItCannotServeIs406InTheBioServerErrorBody() throws Exception {
        mvc.perform(get(BioServerApi.CERTIFICATE_PATH).accept(MediaType.ALL)).andExpect(status().isOk());
        mvc.perform(get(BioServerApi.CERTIFICATE_PATH).accept(MediaType.APPLICATION_JSON))
                .andExpect(status().isNotAcceptable())
                .andExpect(jsonPath("$", aMapWithSize(2)))
                .andExpect(jsonPath("$.id").isString())
                .andExpect(jsonPath("$.message").value(containsString("application/x-pem-file")));
    }
}
