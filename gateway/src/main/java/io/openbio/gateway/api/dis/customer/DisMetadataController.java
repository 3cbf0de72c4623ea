package io.openbio.gateway.api.dis.customer;

import io.openbio.gateway.api.dis.DisApi;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/metadata}: exactly what this platform reads on documents, answered by the gateway (it is
 * configuration, not state). The dis-customers stage reads the MRZ of any ICAO 9303 document (TD1, TD2, TD3) and
 * classifies it by its document code and issuing state only ({@code MRZ_EXTRACTION_ONLY}: no edition layout templates,
 * so no country or edition is listed: every issuing state is read alike). The visual-zone fields are those the stage
 * may confirm by OCR ({@code DisDocumentFields}): surname, given names, document number (as read) and the dates of birth
 * and expiry (normalised, YYYY-MM-DD); no label is read, so none is listed. Which side carries the portrait is ICAO
 * 9303's layout (parts 4-6): the passport data page and the front of ID cards; a TD1 card's back carries the MRZ.
 * Page types are the client's advice (the platform has no page classifier): {@code classificationAdviceRequired}.
 */
@RestController
@Tag(name = DisCustomerController.TAG, description = DisCustomerController.TAG_DESCRIPTION)
public class DisMetadataController {
    /** The visual-zone fields, in the reference's attribute names, with whether their value is normalised. */
    static final Map<String, Boolean> VISUAL_ZONE_FIELDS = fields();

    private static Map<String, Boolean> fields() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        m.put("surname", false);
        m.put("givenNames", false);
        m.put("documentNumber", false);
        m.put("dateOfBirth", true);
        m.put("dateOfExpiry", true);
        return m;
    }

    @Operation(summary = "What the platform reads on documents: ICAO 9303 MRZ documents of any issuing state (MRZ_EXTRACTION_ONLY),"
            + " their pages, portrait and the visual-zone fields confirmed by OCR")
    @ApiResponse(responseCode = "200", description = "The supported documents", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisDocumentSchemas.DocumentMetadataResponse.class)))
    @ApiResponse(responseCode = "401", description = "No or an invalid API key; no body")
    @GetMapping(path = DisApi.BASE + "/metadata", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> metadata() {
        List<Map<String, Object>> documents = List.of(
                document("passport", "TD3", Map.of("front", page(true, true))),
                document("identity-card", "TD1", ordered("front", page(true, true), "back", page(false, false))),
                document("identity-card", "TD2", Map.of("front", page(true, true))));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Map.of("documents", documents));
    }

    private static Map<String, Object> document(String type, String mrtd, Map<String, Object> pages) {
        Map<String, Object> documentType = new LinkedHashMap<>();
        documentType.put("type", type);
        documentType.put("machineReadableTravelDocument", mrtd);
        documentType.put("supportLevel", "MRZ_EXTRACTION_ONLY");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("documentType", documentType);
        out.put("pages", pages);
        return out;
    }

    private static Map<String, Object> page(boolean portrait, boolean visualZone) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (visualZone) {
            VISUAL_ZONE_FIELDS.forEach((name, normalised) -> fields.put(name, Map.of("valueNormalized", normalised)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("classificationAdviceRequired", true);
        out.put("portrait", Map.of("present", portrait));
        out.put("visualZone", fields);
        return out;
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
