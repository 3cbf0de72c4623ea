package io.openbio.schemas.contract;

import io.openbio.schemas.Topics;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The BioServer API (seed 003, Biometric Services, base path {@code /bioserver-app}): bio-sessions with a
 * time to live, faces (from an image or from an earlier Face's template), 1:few matches inside a
 * session, the direct operations (face, image-vs-image and template-vs-image matches, age estimation).
 *
 * <p>One stage, {@link #SESSIONS}, holds every bio-session in its state store (changelogged to Kafka,
 * partitioned by session), computes templates with the face models and answers. A session and
 * everything in it expire after its TTL: reads past {@code expires} answer 404 at once, and a wall-clock
 * punctuation deletes expired sessions (tombstones in the changelog). The gateway signs answers (JWS)
 * and turns a 201 into a {@code Location}.
 *
 * <p>Request attributes and parts, as the gateway sets them, are the constants below. Ids of created
 * resources (sessions, faces) are made by the gateway (random UUIDs), so it knows the
 * {@code Location} before the stage answers.
 */
public final class BioServerContract {
    public static final String FAMILY = "bioserver";

    // ---- operations -----------------------------------------------------------------------------
    /** {@code POST /v2/bio-sessions}. */
    public static final String SESSION_CREATE = "bioserver.session_create";
    /** {@code GET /v2/bio-sessions/{id}}. */
    public static final String SESSION_GET = "bioserver.session_get";
    /** {@code DELETE /v2/bio-sessions/{id}}. */
    public static final String SESSION_DELETE = "bioserver.session_delete";
    /** {@code POST /v2/bio-sessions/{id}/faces}, multipart: a face from an image. */
    public static final String FACE_CREATE = "bioserver.face_create";
    /** {@code POST /v2/bio-sessions/{id}/faces}, JSON: a face from an earlier Face (its template). */
    public static final String FACE_IMPORT = "bioserver.face_import";
    /** {@code GET /v2/bio-sessions/{id}/faces}. */
    public static final String FACES_LIST = "bioserver.faces_list";
    /** {@code DELETE /v2/bio-sessions/{id}/faces}. */
    public static final String FACES_DELETE = "bioserver.faces_delete";
    /** {@code GET /v2/bio-sessions/{id}/faces/{faceId}}. */
    public static final String FACE_GET = "bioserver.face_get";
    /** {@code DELETE /v2/bio-sessions/{id}/faces/{faceId}}. */
    public static final String FACE_DELETE = "bioserver.face_delete";
    /** {@code GET /v2/bio-sessions/{id}/faces/{faceId}/image}: the stored image (ExtractedImage), or 204. */
    public static final String FACE_IMAGE = "bioserver.face_image";
    /** {@code GET /v2/bio-sessions/{id}/faces/{faceId}/matches}. */
    public static final String MATCHES = "bioserver.matches";
    /** {@code POST /v2/faces}: a face with its template, no session. */
    public static final String DIRECT_FACE = "bioserver.direct_face";
    /** {@code POST /v2/match/images}. */
    public static final String MATCH_IMAGES = "bioserver.match_images";
    /** {@code POST /v2/match}: an earlier Face (template) against a candidate image. */
    public static final String MATCH = "bioserver.match";
    /** {@code POST /v2/ages}. */
    public static final String AGES = "bioserver.ages";
    /** {@code POST /v2/bio-sessions/{id}/init-liveness-parameters}. */
    public static final String LIVENESS_INIT = "bioserver.liveness_init";
    /** {@code GET /v2/bio-sessions/{id}/liveness-parameters} (the seed's getLivenessParameters): init's answer again. */
    public static final String LIVENESS_PARAMETERS = "bioserver.liveness_parameters";
    /** {@code GET /v3/bio-sessions/{id}/replay-liveness-metadata}. */
    public static final String REPLAY_METADATA = "bioserver.replay_metadata";
    /** {@code GET /v2/bio-sessions/{id}/liveness-challenge-result} (integrators' route): the liveness outcome in their shape. */
    public static final String CHALLENGE_RESULT = "bioserver.liveness_challenge_result";
    /** Platform route for the capture client: the session's challenge (POST /challenge's shape); no API key, the session id is the credential. */
    public static final String LIVENESS_CHALLENGE = "bioserver.liveness_challenge";
    /** Platform route for the capture client: the session's capture bundle, on to the challenge route; no API key. */
    public static final String LIVENESS_CAPTURE = "bioserver.liveness_capture";
    /** Not a request: the result event whose callback POSTs {@code {"sessionId":...}} to the session's callbackURL. */
    public static final String REPLAY_CALLBACK = "bioserver.replay_callback";

    // ---- request attributes ---------------------------------------------------------------------
    public static final String SESSION_ID = "sessionId";
    public static final String FACE_ID = "faceId";
    public static final String CORRELATION_ID = "correlationId";
    public static final String EVIDENCE_ID = "evidenceId";
    /** "true" / "false". */
    public static final String IMAGE_STORAGE_ENABLED = "imageStorageEnabled";
    /** Seconds, already checked against the configured maximum by the gateway. */
    public static final String TTL_SECONDS = "ttlSeconds";
    /** The session's callback URL (checked by the gateway's callback destination policy). */
    public static final String CALLBACK_URL = "callbackURL";
    /** ID_DOCUMENT, SELFIE or VIDEO_FRAME. */
    public static final String IMAGE_TYPE = "imageType";
    public static final String MODE = "mode";
    public static final String FRIENDLY_NAME = "friendlyName";
    /** "true" / "false": try the image turned by 90, 180 and 270 degrees when needed. */
    public static final String IMAGE_ROTATION_ENABLED = "imageRotationEnabled";
    public static final String REFERENCE_IMAGE_TYPE = "referenceImageType";
    public static final String CANDIDATE_IMAGE_TYPE = "candidateImageType";
    /** "true": answer the stored image re-encoded as JPEG. */
    public static final String COMPRESSION = "compression";
    /** The age threshold (an integer). */
    public static final String THRESHOLD = "threshold";
    /** Replay liveness: LIVENESS_ACTIVE, LIVENESS_PASSIVE or LIVENESS_PASSIVE_VIDEO (the gateway maps LIVENESS_HIGH to ACTIVE). */
    public static final String LIVENESS_TYPE = "type";
    /** LOW, MEDIUM or HIGH. */
    public static final String SECURITY_LEVEL = "securityLevel";
    /** 1..8, LIVENESS_ACTIVE only. */
    public static final String NB_CHALLENGE = "nbChallenge";
    /** "true" / "false" (default true, as the seed's text says). */
    public static final String IMAGE_RETRIEVAL_DISABLED = "imageRetrievalDisabled";
    /** The client's replay liveness id, if it gave one. */
    public static final String REPLAY_ID = "id";

    // ---- request parts --------------------------------------------------------------------------
    public static final String IMAGE_PART = "image";
    /** A Face JSON (with its template) as the client sent it: FACE_IMPORT and MATCH (referenceFace). */
    public static final String FACE_PART = "face";
    public static final String REFERENCE_IMAGE_PART = "referenceImage";
    public static final String CANDIDATE_IMAGE_PART = "candidateImage";
    /** The capture bundle of LIVENESS_CAPTURE. */
    public static final String BUNDLE_PART = "bundle";

    public static final List<String> IMAGE_TYPES = List.of("ID_DOCUMENT", "SELFIE", "VIDEO_FRAME");

    public static final Stage SESSIONS = Stage.named("bioserver").family(FAMILY)
            .does("BioServer bio-sessions, faces and templates, 1:few matches with score and FAR, direct face / match / age,"
                    + " replay liveness (challenge issued at init, capture on to the challenge route, outcome back by session key, callback);"
                    + " sessions in a state store partitioned by session, expired after their TTL")
            .reads(Topics.BIOSERVER_REQUESTS)
            // replay liveness: the outcome of a session's capture (keyed by its nonce, the session key)
            .tables(Topics.CHALLENGE_OUTCOMES)
            .writes(Topics.RESULTS, Topics.AUDIT, Topics.CAPTURE_NONCES, Topics.CHALLENGE_REQUESTS)
            .deployment(Deployment.MODEL.withResources("1", "1Gi", "2", "2Gi").withState("2Gi"))
            .implementedBy("io.openbio.processors.bioserver.BioServerProcessor");

    /**
     * Every BioServer operation. A liveness capture goes on from {@link #SESSIONS} to
     * {@link Topics#CHALLENGE_REQUESTS}, i.e. along {@link ChallengeContract#ROUTE}, whose last stage answers it.
     */
    public static final Route ROUTE = new Route(FAMILY, Topics.BIOSERVER_REQUESTS, List.of(SESSIONS));

    /** Register in {@link Pipeline#PRODUCTS}. */
    public static final Product PRODUCT = new Product(FAMILY, List.of(SESSIONS), List.of(ROUTE), List.of(Topics.BIOSERVER_REQUESTS));

    /**
     * The Kafka key of a session's requests: its UUID as 32 lowercase hex digits (a capture nonce's form,
     * so a session's liveness capture can share the session's partition). Null for a string that is no UUID.
     */
    public static String sessionKey(String sessionId) {
        try {
            UUID uuid = UUID.fromString(sessionId);
            if (!uuid.toString().equalsIgnoreCase(sessionId)) {
                return null;
            }
            return uuid.toString().replace("-", "").toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /** Whether {@code key} has a session key's form (32 lowercase hex digits). */
    public static boolean isSessionKey(String key) {
        return key != null && key.matches("[0-9a-f]{32}");
    }

    private BioServerContract() {
    }
}
