package io.openbio.schemas.contract;

import io.openbio.schemas.Topics;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The Digital Identity Service API 1.52 (seed 004, base path {@code /api/v1}; the machine-readable form is
 * {@code dis-1.52.0-openapi.json}): customers with their selfie, liveness, document and inspections,
 * DIS sessions, and the standalone faces and palms.
 *
 * <p>Two stages. {@link #CUSTOMERS} holds customers and sessions in state stores (changelogged to Kafka,
 * partitioned by {@link #customerKey}); {@link #FACES} holds faces and palms, partitioned by their id.
 * Both expire what they hold after a configurable time to live. Ids of created resources (customers,
 * faces, palms, liveness records) are made by the gateway (random UUIDs) unless the client gives one.
 *
 * <p>Registered in {@link Pipeline#PRODUCTS} as two products ({@link #CUSTOMERS_PRODUCT},
 * {@link #FACES_PRODUCT}), one per stage, as the Liveness Check Proxy does.
 */
public final class DisContract {
    public static final String FAMILY = "dis";

    // ---- operations: sessions and customers (dis-customers) --------------------------------------
    /** {@code POST /sessions}. */
    public static final String SESSION_CREATE = "dis.session_create";
    /** {@code DELETE /sessions}: the session and every customer created under it. */
    public static final String SESSION_DELETE = "dis.session_delete";
    /** {@code POST /customers} and {@code POST /customers/{id}}. */
    public static final String CUSTOMER_CREATE = "dis.customer_create";
    /** {@code GET /customers/{id}}. */
    public static final String CUSTOMER_GET = "dis.customer_get";
    /** {@code DELETE /customers/{id}}. */
    public static final String CUSTOMER_DELETE = "dis.customer_delete";
    /** {@code POST /customers/{id}/store}. */
    public static final String CUSTOMER_STORE = "dis.customer_store";
    /** {@code PUT /customers/{id}/selfie}. */
    public static final String SELFIE_PUT = "dis.selfie_put";
    /** {@code GET /customers/{id}/selfie}. */
    public static final String SELFIE_GET = "dis.selfie_get";
    /** {@code DELETE /customers/{id}/selfie}. */
    public static final String SELFIE_DELETE = "dis.selfie_delete";
    /** {@code PUT /customers/{id}/liveness}. */
    public static final String LIVENESS_PUT = "dis.liveness_put";
    /** {@code DELETE /customers/{id}/liveness}. */
    public static final String LIVENESS_DELETE = "dis.liveness_delete";
    /** {@code PUT /customers/{id}/liveness/records/challenge}. */
    public static final String LIVENESS_CHALLENGE = "dis.liveness_challenge";
    /** {@code POST /customers/{id}/liveness/selfies}. */
    public static final String LIVENESS_SELFIE_ADD = "dis.liveness_selfie_add";
    /** {@code POST /customers/{id}/liveness/selfies/retrieve}. */
    public static final String LIVENESS_SELFIES_RETRIEVE = "dis.liveness_selfies_retrieve";
    /** {@code POST /customers/{id}/liveness/records} (octet-stream: the platform's capture bundle). */
    public static final String LIVENESS_RECORD_ADD = "dis.liveness_record_add";
    /** {@code GET /customers/{id}/liveness/records/{recordId}/selfie}. */
    public static final String LIVENESS_RECORD_SELFIE = "dis.liveness_record_selfie";
    /** {@code POST /customers/{id}/liveness/evaluation}. */
    public static final String LIVENESS_EVALUATION = "dis.liveness_evaluation";
    /** {@code POST /customers/{id}/inspect}. */
    public static final String CUSTOMER_INSPECT = "dis.customer_inspect";
    /** {@code POST /customers/{id}/inspect/disclose}. */
    public static final String CUSTOMER_INSPECT_DISCLOSE = "dis.customer_inspect_disclose";
    /** {@code PUT /customers/{id}/document} (a second PUT replaces the document, its pages and chip data). */
    public static final String DOCUMENT_PUT = "dis.document_put";
    /** {@code DELETE /customers/{id}/document}. */
    public static final String DOCUMENT_DELETE = "dis.document_delete";
    /** {@code PUT /customers/{id}/document/pages}. */
    public static final String PAGE_PUT = "dis.page_put";
    /** {@code GET /customers/{id}/document/pages/{page-type}}. */
    public static final String PAGE_GET = "dis.page_get";
    /** {@code GET /customers/{id}/document/pages/{page-type}/quality}. */
    public static final String PAGE_QUALITY = "dis.page_quality";
    /** {@code GET /customers/{id}/document/portrait}. */
    public static final String DOCUMENT_PORTRAIT = "dis.document_portrait";
    /** {@code PUT /customers/{id}/document/chip/challenge}. */
    public static final String CHIP_CHALLENGE = "dis.chip_challenge";
    /** {@code PUT /customers/{id}/document/chip/data} (octet-stream: the LDS files concatenated). */
    public static final String CHIP_DATA_PUT = "dis.chip_data_put";
    /** {@code GET /customers/{id}/document/chip/data}. */
    public static final String CHIP_DATA_GET = "dis.chip_data_get";
    /** {@code GET /customers/{id}/document/chip/portrait}. */
    public static final String CHIP_PORTRAIT = "dis.chip_portrait";
    /** {@code POST /customers/{id}/document/inspect}. */
    public static final String DOCUMENT_INSPECT = "dis.document_inspect";
    /** {@code POST /customers/{id}/document/inspect/disclose}. */
    public static final String DOCUMENT_INSPECT_DISCLOSE = "dis.document_inspect_disclose";
    /**
     * {@code GET /customers/{id}/document/signature}, {@code /ghost-portrait}, {@code /fingerprint}: which one is
     * attribute {@link #CROP} ({@link #CROPS}).
     */
    public static final String DOCUMENT_CROP = "dis.document_crop";
    /** Internal (a face from {@code faceOrigin.link}): the customer's selfie or document portrait image, sealed. */
    public static final String CUSTOMER_IMAGE = "dis.customer_image";

    // ---- operations: faces and palms (dis-faces) --------------------------------------------------
    /** {@code POST /faces}. */
    public static final String FACE_CREATE = "dis.face_create";
    /** {@code POST /faces/{id}/similarity}. */
    public static final String FACE_SIMILARITY = "dis.face_similarity";
    /** {@code GET /faces/{id}/quality}. */
    public static final String FACE_QUALITY = "dis.face_quality";
    /** {@code GET /faces/{id}/glasses}. */
    public static final String FACE_GLASSES = "dis.face_glasses";
    /** {@code GET /faces/{id}/face-mask}. */
    public static final String FACE_MASK = "dis.face_mask";
    /** {@code GET /faces/{id}/face-template}. */
    public static final String FACE_TEMPLATE = "dis.face_template";
    /** {@code GET /faces/{id}/crop}. */
    public static final String FACE_CROP = "dis.face_crop";
    /** {@code GET /faces/{id}/crop/removed-background}. */
    public static final String FACE_CROP_NO_BACKGROUND = "dis.face_crop_removed_background";
    /** {@code GET /faces/{id}/crop/coordinates}. */
    public static final String FACE_CROP_COORDINATES = "dis.face_crop_coordinates";
    /** {@code GET /faces/{id}/aspects}. */
    public static final String FACE_ASPECTS = "dis.face_aspects";
    /** {@code DELETE /faces/{id}}. */
    public static final String FACE_DELETE = "dis.face_delete";
    /** {@code POST /palms}. */
    public static final String PALM_CREATE = "dis.palm_create";
    /** {@code POST /palms/{id}/similarity}. */
    public static final String PALM_SIMILARITY = "dis.palm_similarity";
    /** {@code POST /palms/{id}/inspect}. */
    public static final String PALM_INSPECT = "dis.palm_inspect";
    /** {@code GET /palms/{id}/template}. */
    public static final String PALM_TEMPLATE = "dis.palm_template";
    /** {@code DELETE /palms/{id}}. */
    public static final String PALM_DELETE = "dis.palm_delete";
    /** {@code POST /faces} detection mode ({@code STRICT}: several faces is an error; {@code FREE}: the biggest + a warning). */
    public static final String DETECTION_MODE = "detectionMode";
    /** {@code POST /faces} {@code detection.faceSizeRatio.min} / {@code .max} (decimal strings, 0..1, min < max). */
    public static final String FACE_SIZE_MIN = "faceSizeRatioMin";
    public static final String FACE_SIZE_MAX = "faceSizeRatioMax";
    /** {@code POST /faces/{id}/similarity}: the reference template (Base64 text, as {@code GET face-template} gives it). */
    public static final String TEMPLATE_PART = "template";

    // ---- request attributes shared by both stages -------------------------------------------------
    public static final String CUSTOMER_ID = "customerId";
    /** The DIS session id (from the {@code x-inn-session-token} the gateway checked), when the request had one. */
    public static final String SESSION_ID = "disSessionId";
    public static final String FACE_ID = "faceId";
    public static final String PALM_ID = "palmId";
    public static final String RECORD_ID = "recordId";
    /** Crop size, as given ({@code width}, {@code height} query parameters). */
    public static final String WIDTH = "width";
    public static final String HEIGHT = "height";

    /** {@link #DOCUMENT_CROP}: which region of the document ({@link #CROPS}). */
    public static final String CROP = "crop";
    /** The document crops other than the portrait, as their paths name them. */
    public static final List<String> CROPS = List.of("signature", "ghost-portrait", "fingerprint");

    /** {@code POST /sessions}: the session's {@code timeout}, seconds. */
    public static final String SESSION_TIMEOUT = "sessionTimeout";
    /** {@link #CUSTOMER_IMAGE}: which image of the customer, {@link #SELFIE_SOURCE} (the next issue adds the document portrait). */
    public static final String IMAGE_SOURCE = "imageSource";
    public static final String SELFIE_SOURCE = "selfie";
    /** {@code POST /customers/{id}/store}: {@code externalId} (the customer id when the request has none) and {@code onboardingStatus}. */
    public static final String EXTERNAL_ID = "externalId";
    public static final String ONBOARDING_STATUS = "onboardingStatus";

    /** {@code PUT document}: the advice's lists, each comma-joined (values checked by the gateway; absent when empty). */
    public static final String DOCUMENT_TYPES = "documentTypes";
    public static final String DOCUMENT_COUNTRIES = "documentCountries";
    public static final String DOCUMENT_EDITIONS = "documentEditions";
    public static final String DOCUMENT_MRTDS = "documentMrtds";
    public static final String DOCUMENT_SOURCES = "documentSources";
    /** A document page's type: {@code front} or {@code back} (PUT pages' advice, GET pages/{page-type}). */
    public static final String PAGE_TYPE = "pageType";

    // ---- request parts ----------------------------------------------------------------------------
    public static final String IMAGE_PART = "image";
    /** The request's JSON body as the client sent it (already checked by the gateway). */
    public static final String BODY_PART = "body";
    /** A liveness record: the platform's capture bundle. */
    public static final String RECORD_PART = "record";
    /** {@code PUT document/chip/data}: the LDS files as uploaded. */
    public static final String CHIP_PART = "chip";

    // ---- liveness and inspection (dis-customers) ---------------------------------------------------
    /** {@code POST liveness/selfies}: the selfie's {@code assertion} (EYE_GAZE_*, SMILE, NEUTRAL, NONE). */
    public static final String ASSERTION = "assertion";
    /** The liveness type of {@code records/challenge}, {@code selfies/retrieve} and {@code evaluation} (EYE_GAZE_LIVENESS, ...). */
    public static final String LIVENESS_TYPE = "livenessType";
    /** {@code POST liveness/selfies} with {@code selfieOrigin.link} to the customer's selfie: "true". */
    public static final String FROM_SELFIE = "fromSelfie";

    public static final Stage CUSTOMERS = Stage.named("dis-customers").family(FAMILY)
            .does("Digital Identity Service customers (selfie, liveness selfies and records, evaluation, inspection) and DIS sessions;"
                    + " state stores partitioned by customer key, expired after their time to live; a liveness record's nonce use goes"
                    + " through the nonce stage and back before the record is kept")
            .reads(Topics.DIS_CUSTOMERS, Topics.DIS_CAPTURES)
            .writes(Topics.RESULTS, Topics.AUDIT, Topics.CAPTURE_DECRYPTED)
            .deployment(Deployment.MODEL.withResources("1", "1Gi", "2", "2Gi").withState("2Gi"))
            .implementedBy("io.openbio.processors.dis.customer.DisCustomerProcessor");

    public static final Stage FACES = Stage.named("dis-faces").family(FAMILY)
            .does("Digital Identity Service faces (detection, similarity, quality, template, crops, aspects) and palms;"
                    + " state stores partitioned by face id, expired after their time to live")
            .reads(Topics.DIS_FACES)
            .writes(Topics.RESULTS, Topics.AUDIT)
            .deployment(Deployment.MODEL.withResources("1", "1Gi", "2", "2Gi").withState("2Gi"))
            .implementedBy("io.openbio.processors.dis.face.DisFaceProcessor");

    public static final Route CUSTOMERS_ROUTE = new Route(FAMILY + "-customers", Topics.DIS_CUSTOMERS, List.of(CUSTOMERS));
    public static final Route FACES_ROUTE = new Route(FAMILY + "-faces", Topics.DIS_FACES, List.of(FACES));

    /** Register in {@link Pipeline#PRODUCTS}. */
    public static final Product CUSTOMERS_PRODUCT = new Product(FAMILY + "-customers", List.of(CUSTOMERS), List.of(CUSTOMERS_ROUTE),
            List.of(Topics.DIS_CUSTOMERS, Topics.DIS_CAPTURES));
    /** Register in {@link Pipeline#PRODUCTS}. */
    public static final Product FACES_PRODUCT = new Product(FAMILY + "-faces", List.of(FACES), List.of(FACES_ROUTE),
            List.of(Topics.DIS_FACES));

    /**
     * The Kafka key of a customer's requests: the DIS session id when the customer is (or is being created)
     * under a session, else the customer id; lowercase. Null when {@code customerId} is no UUID.
     */
    public static String customerKey(String customerId, String sessionId) {
        String customer = canonicalUuid(customerId);
        if (customer == null) {
            return null;
        }
        return sessionId != null ? sessionId.toLowerCase(Locale.ROOT) : customer;
    }

    /**
     * The DIS session id of an {@code x-inn-session-token}: hex SHA-256 of the token's UTF-8 bytes, so the
     * token itself is never stored or used as a key. Null for a null or blank token.
     */
    public static String sessionId(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The UUID in its canonical lowercase form, or null for a string that is no UUID. */
    public static String canonicalUuid(String id) {
        try {
            UUID uuid = UUID.fromString(id);
            String canonical = uuid.toString();
            return canonical.equalsIgnoreCase(id) ? canonical : null;
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    private DisContract() {
    }
}
