package io.openbio.gateway.api.bioserver;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /bioserver-app/v2/certificate}: the X.509 certificate (PEM) whose public key verifies the
 * BioServer API's JWS response signatures ({@link BioServerSignatures}). Public by nature: no API key
 * ({@link BioServerApi#openPaths()}). The seed names no route for it (platform choice).
 */
@RestController
@Tag(name = "BioServer") // described once, on BioServerLivenessController
class BioServerCertificateController {
    static final String PEM = "application/x-pem-file";

    private final BioServerSignatures signatures;

    BioServerCertificateController(BioServerSignatures signatures) {
        this.signatures = signatures;
    }

    @Operation(summary = "Platform addition: the certificate that verifies the responses' signatures",
            description = "The self-signed X.509 certificate (PEM) of the RSA key every gateway signs the BioServer answers with"
                    + " (the signature field: a JWS, RS256). Needs no API key. Verify a signature with it on jwt.io, or with"
                    + " `openssl x509 -pubkey -noout` and `openssl dgst -sha256 -verify` (README \"BioServer response signatures\").")
    @ApiResponse(responseCode = "200", description = "The certificate, PEM",
            content = @Content(mediaType = PEM, schema = @Schema(type = "string",
                    example = "-----BEGIN CERTIFICATE-----\nMIID...\n-----END CERTIFICATE-----\n")))
    @GetMapping(path = BioServerApi.CERTIFICATE_PATH, produces = PEM)
    ResponseEntity<String> certificate() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(PEM)).body(signatures.certificatePem());
    }
}
