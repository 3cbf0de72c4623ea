package io.openbio.schemas;

import io.openbio.events.AuditEvent;
import io.openbio.events.CallbackAttempt;
import io.openbio.events.CallbackDelivery;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.ChallengeOutcome;
import io.openbio.events.CollectionRecord;
import io.openbio.events.CollectionState;
import io.openbio.events.SearchPartial;
import io.openbio.events.SearchQuery;
import io.openbio.events.NonceIssued;
import io.openbio.events.DigestedRequest;
import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.events.LcpAuditEvent;
import io.openbio.events.LcpReference;
import io.openbio.events.LcpSession;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics of the platform's first products, typed. Which product owns which, and so the list the
 * set-up jobs create, is in the pipeline contract ({@link io.openbio.schemas.contract.Pipeline#topics()});
 * a new product declares its topics in its own contract class rather than here.
 *
 * <p>Names follow {@code openbio.<family>.<kind>}. Keys are request ids (strings) everywhere.
 */
public final class Topics {
    /** Default partitions of request and stage topics: the most processor pods a stage can use. */
    public static final int DEFAULT_PARTITIONS = 6;
    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    private static Map<String, String> stream(long retentionMs) {
        return Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(PayloadLimits.MAX_MESSAGE_BYTES));
    }

    /** Diagnostic requests (gateway -> digest stage). */
    public static final TopicSpec<RequestEnvelope> DIAGNOSTIC_REQUESTS = new TopicSpec<>(
            "openbio.diagnostic.requests", DEFAULT_PARTITIONS, RequestEnvelope.class, stream(DAY_MS));

    /** Diagnostic requests with their digest (digest stage -> image-info stage). */
    public static final TopicSpec<DigestedRequest> DIAGNOSTIC_DIGESTED = new TopicSpec<>(
            "openbio.diagnostic.digested", DEFAULT_PARTITIONS, DigestedRequest.class, stream(DAY_MS));

    /**
     * The durable result of every request, keyed by request id: compacted (the latest result per
     * request stays) and deleted after 7 days. Asynchronous producers and the callback stage read
     * it; a result that arrives after the gateway's timeout is still here.
     */
    public static final TopicSpec<ResultEvent> RESULTS = new TopicSpec<>(
            "openbio.results", DEFAULT_PARTITIONS, ResultEvent.class,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(7 * DAY_MS),
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(PayloadLimits.MAX_MESSAGE_BYTES)));

    /** One record per callback that was delivered or given up on (audit of the push channel). */
    public static final TopicSpec<CallbackDelivery> CALLBACK_DELIVERIES = new TopicSpec<>(
            "openbio.callbacks.deliveries", DEFAULT_PARTITIONS, CallbackDelivery.class, stream(7 * DAY_MS));

    /**
     * Callbacks whose attempt failed and that wait for the next one: level {@code n} holds attempt
     * {@code n + 1}, due after that level's delay ({@code OPENBIO_CALLBACK_RETRY_DELAYS_MS}). Retries are
     * records here, as spring-kafka's retryable topics do, not sleeps in a stream thread: a failing
     * receiver delays only its own callbacks. Keyed by request id with the partitions of
     * {@link #RESULTS}, so one callback-stage task owns a request's first attempt and its retries.
     */
    public static final TopicSpec<CallbackAttempt> CALLBACK_RETRY_1 = new TopicSpec<>(
            "openbio.callbacks.retry.1", DEFAULT_PARTITIONS, CallbackAttempt.class, stream(DAY_MS));
    public static final TopicSpec<CallbackAttempt> CALLBACK_RETRY_2 = new TopicSpec<>(
            "openbio.callbacks.retry.2", DEFAULT_PARTITIONS, CallbackAttempt.class, stream(DAY_MS));
    public static final TopicSpec<CallbackAttempt> CALLBACK_RETRY_3 = new TopicSpec<>(
            "openbio.callbacks.retry.3", DEFAULT_PARTITIONS, CallbackAttempt.class, stream(DAY_MS));

    /** The retry levels in order (attempt 2 on the first, ...). */
    public static final List<TopicSpec<CallbackAttempt>> CALLBACK_RETRIES = List.of(CALLBACK_RETRY_1, CALLBACK_RETRY_2, CALLBACK_RETRY_3);

    /** Dead letters: callbacks given up on (retries exhausted, a final 4xx, a refused destination), with the result to replay. */
    public static final TopicSpec<CallbackAttempt> CALLBACK_DEAD = new TopicSpec<>(
            "openbio.callbacks.dead", DEFAULT_PARTITIONS, CallbackAttempt.class, stream(7 * DAY_MS));

    /** Capture-bundle requests (check_capture_liveness, extract_image): gateway -> decrypt stage. */
    public static final TopicSpec<RequestEnvelope> CAPTURE_REQUESTS = new TopicSpec<>(
            "openbio.capture.requests", DEFAULT_PARTITIONS, RequestEnvelope.class, stream(DAY_MS));

    /**
     * Decrypted captures (decrypt -> nonce stage). Keyed by the bundle's NONCE, not the request id,
     * so that it is co-partitioned with {@link #CAPTURE_NONCES}: every use of one nonce reaches the
     * same nonce-stage task, which makes "single use" exact.
     */
    public static final TopicSpec<CaptureAnalysis> CAPTURE_DECRYPTED = new TopicSpec<>(
            "openbio.capture.decrypted", DEFAULT_PARTITIONS, CaptureAnalysis.class, stream(DAY_MS));

    /** Nonces the gateway issued, keyed by nonce (compacted; same partitions as {@link #CAPTURE_DECRYPTED}). */
    public static final TopicSpec<NonceIssued> CAPTURE_NONCES = new TopicSpec<>(
            "openbio.capture.nonces", DEFAULT_PARTITIONS, NonceIssued.class,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(DAY_MS)));

    /** Captures whose nonce was checked (nonce -> liveness stage), keyed by request id again. */
    public static final TopicSpec<CaptureAnalysis> CAPTURE_NONCE_CHECKED = new TopicSpec<>(
            "openbio.capture.nonce-checked", DEFAULT_PARTITIONS, CaptureAnalysis.class, stream(DAY_MS));

    /**
     * Active-liveness challenge captures ({@code POST /challenge/verify}): gateway -> decrypt stage,
     * which reads them with {@link #CAPTURE_REQUESTS} (same bundle format, same keys).
     */
    public static final TopicSpec<RequestEnvelope> CHALLENGE_REQUESTS = new TopicSpec<>(
            "openbio.challenge.requests", DEFAULT_PARTITIONS, RequestEnvelope.class, stream(DAY_MS));

    /**
     * Challenge captures whose nonce was checked, with the challenge issued with it (nonce stage ->
     * challenge-verify stage), keyed by request id. Frames sealed as on every capture topic.
     */
    public static final TopicSpec<CaptureAnalysis> CHALLENGE_CAPTURES = new TopicSpec<>(
            "openbio.challenge.captures", DEFAULT_PARTITIONS, CaptureAnalysis.class, stream(DAY_MS));

    /**
     * How each challenge ended ({@link ChallengeOutcome}: verdict, passive score, the best frame and its
     * embedding sealed under the nonce), keyed by the challenge's nonce, compacted: the latest outcome per
     * nonce is the table other products read (e.g. the Liveness Check Proxy's token-style verify). Same
     * partition count as {@link #CAPTURE_NONCES}, so it co-partitions with nonce- and token-keyed topics.
     * Written by the challenge-verify stage in the transaction of its result, once per accepted nonce.
     */
    public static final TopicSpec<ChallengeOutcome> CHALLENGE_OUTCOMES = new TopicSpec<>(
            "openbio.challenge.outcomes", DEFAULT_PARTITIONS, ChallengeOutcome.class,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(DAY_MS)));

    /**
     * Liveness Check Proxy (seed 001) requests: {@code /liveness/init}, {@code /liveness/verify} and the
     * reference-image administration, gateway -> lcp stage.
     */
    public static final TopicSpec<RequestEnvelope> LCP_REQUESTS = new TopicSpec<>(
            "openbio.lcp.requests", DEFAULT_PARTITIONS, RequestEnvelope.class, stream(DAY_MS));

    /**
     * The Liveness Check Proxy audit log, keyed by {@code <tenant>/<userId>} (one task holds a user's
     * history); probe and reference images sealed. Kept 400 days by default (the lcp-audit stage's
     * store keeps what its retention setting says).
     */
    public static final TopicSpec<LcpAuditEvent> LCP_AUDIT = new TopicSpec<>(
            "openbio.lcp.audit", DEFAULT_PARTITIONS, LcpAuditEvent.class,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(400 * DAY_MS)));

    /**
     * Liveness Check Proxy verify requests whose image was a capture bundle, back from the nonce stage
     * with its single-use verdict (nonce -> lcp-verify), keyed by request id.
     */
    public static final TopicSpec<CaptureAnalysis> LCP_CAPTURES = new TopicSpec<>(
            "openbio.lcp.captures", DEFAULT_PARTITIONS, CaptureAnalysis.class, stream(DAY_MS));

    /**
     * The Liveness Check Proxy's built-in user store: one {@link LcpReference} per user, keyed by
     * {@code <tenant>/<userId>}, compacted (a tombstone forgets the user); its reference image and
     * template sealed. One partition: every lcp-verify instance reads all of it as a global store
     * (verify requests may be keyed by something else than the user, e.g. a token).
     */
    public static final TopicSpec<LcpReference> LCP_REFERENCES = new TopicSpec<>(
            "openbio.lcp.references", 1, LcpReference.class,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(PayloadLimits.MAX_MESSAGE_BYTES)));

    /**
     * Liveness Check Proxy token-style sessions ({@link LcpSession}), keyed by the token, compacted (a day
     * after the last write the record may go). The token is a capture nonce, so this topic has the
     * partitions of {@link #CAPTURE_NONCES} and {@link #CHALLENGE_OUTCOMES}: the lcp-verify task that owns a
     * token's requests holds its session and its challenge outcome.
     */
    public static final TopicSpec<LcpSession> LCP_SESSIONS = new TopicSpec<>(
            "openbio.lcp.sessions", DEFAULT_PARTITIONS, LcpSession.class,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(DAY_MS)));

    /**
     * Audit log queries ({@code GET /admin/audit/...}), gateway -> lcp-audit stage, keyed like
     * {@link #LCP_AUDIT} for a user's list so the task holding that user's store answers it.
     */
    public static final TopicSpec<RequestEnvelope> LCP_AUDIT_QUERIES = new TopicSpec<>(
            "openbio.lcp.audit-queries", DEFAULT_PARTITIONS, RequestEnvelope.class, stream(DAY_MS));

    /**
     * BioServer (seed 003) requests, gateway -> bioserver stage. A bio-session's requests are keyed by
     * {@code BioServerContract.sessionKey} (the session id as 32 hex digits), so the task holding the
     * session's state answers every request about it, from any gateway instance; the direct operations
     * ({@code /v2/faces}, {@code /v2/match}, {@code /v2/match/images}, {@code /v2/ages}) by request id.
     */
    public static final TopicSpec<RequestEnvelope> BIOSERVER_REQUESTS = new TopicSpec<>(
            "openbio.bioserver.requests", DEFAULT_PARTITIONS, RequestEnvelope.class, stream(DAY_MS));

    /**
     * Digital Identity Service (seed 004) customer requests, gateway -> dis-customers stage: customers and
     * everything under them (selfie, liveness, document, inspection) and the DIS sessions. Keyed by
     * {@code DisContract.customerKey}: a customer created under an {@code x-inn-session-token} shares its
     * session's key (so the task holding the session holds its customers and deletes them with it),
     * any other customer is keyed by its own id.
     */
    public static final TopicSpec<RequestEnvelope> DIS_CUSTOMERS = new TopicSpec<>(
            "openbio.dis.customers", DEFAULT_PARTITIONS, RequestEnvelope.class, stream(DAY_MS));

    /**
     * Digital Identity Service liveness records (capture bundles) back from the nonce stage with their
     * single-use verdict (nonce -> dis-customers), keyed by {@code DisContract.customerKey} again, so they
     * reach the task holding the customer ({@link #DIS_CUSTOMERS}' partitions).
     */
    public static final TopicSpec<CaptureAnalysis> DIS_CAPTURES = new TopicSpec<>(
            "openbio.dis.captures", DEFAULT_PARTITIONS, CaptureAnalysis.class, stream(DAY_MS));

    /**
     * Digital Identity Service (seed 004) face and palm requests, gateway -> dis-faces stage; keyed by
     * the face's (palm's) id, so the task holding a face answers every request about it.
     */
    public static final TopicSpec<RequestEnvelope> DIS_FACES = new TopicSpec<>(
            "openbio.dis.faces", DEFAULT_PARTITIONS, RequestEnvelope.class, stream(DAY_MS));

    /** The audit trail: one record per finished request, no biometric data; kept 400 days. */
    public static final TopicSpec<AuditEvent> AUDIT = new TopicSpec<>(
            "openbio.audit", DEFAULT_PARTITIONS, AuditEvent.class,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(400 * DAY_MS)));

    /**
     * Collections (IDLive API), keyed by {@code <tenant>/<collection>}: compacted, one partition
     * (every search task reads all of it as a global store).
     */
    public static final TopicSpec<CollectionState> COLLECTIONS = new TopicSpec<>(
            "openbio.collections", 1, CollectionState.class,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

    /**
     * Enrolled templates, keyed by record id: compacted, the source of truth of every collection.
     * Its partitions are the search index shards: each search task indexes the records of the
     * partitions it owns and rebuilds that index from here on start.
     */
    public static final TopicSpec<CollectionRecord> COLLECTION_RECORDS = new TopicSpec<>(
            "openbio.collection.records", DEFAULT_PARTITIONS, CollectionRecord.class,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

    /** 1:N search queries, multicast to every partition (co-partitioned with {@link #COLLECTION_RECORDS}). */
    public static final TopicSpec<SearchQuery> SEARCH_QUERIES = new TopicSpec<>(
            "openbio.search.queries", DEFAULT_PARTITIONS, SearchQuery.class, stream(DAY_MS));

    /** Each partition's answer to a search query, keyed by request id (gathered downstream). */
    public static final TopicSpec<SearchPartial> SEARCH_PARTIALS = new TopicSpec<>(
            "openbio.search.partials", DEFAULT_PARTITIONS, SearchPartial.class, stream(DAY_MS));

    /** IDLive /check requests: gateway -> ekyc-prepare (selfie half) and ekyc-prepare-doc (document half), two consumer groups. */
    public static final TopicSpec<RequestEnvelope> EKYC_REQUESTS = new TopicSpec<>(
            "openbio.ekyc.requests", DEFAULT_PARTITIONS, RequestEnvelope.class, stream(DAY_MS));

    /** Selfie checks (presentation attack, deepfake, injection): ekyc-prepare -> ekyc-face-check. */
    public static final TopicSpec<EkycWork> EKYC_FACE_CHECKS = new TopicSpec<>(
            "openbio.ekyc.face-checks", DEFAULT_PARTITIONS, EkycWork.class, stream(DAY_MS));

    /** Document checks: ekyc-prepare-doc -> ekyc-doc-check. */
    public static final TopicSpec<EkycWork> EKYC_DOC_CHECKS = new TopicSpec<>(
            "openbio.ekyc.doc-checks", DEFAULT_PARTITIONS, EkycWork.class, stream(DAY_MS));

    /** Selfie-vs-document matches, keyed by request id: the FACE half from ekyc-prepare and the DOCUMENT half from ekyc-prepare-doc -> ekyc-match, which joins them. */
    public static final TopicSpec<EkycWork> EKYC_MATCHES = new TopicSpec<>(
            "openbio.ekyc.matches", DEFAULT_PARTITIONS, EkycWork.class, stream(DAY_MS));

    /** Plans and finished sections of each /check, keyed by request id (co-partitioned with {@link #SEARCH_PARTIALS}). */
    public static final TopicSpec<EkycPart> EKYC_PARTS = new TopicSpec<>(
            "openbio.ekyc.parts", DEFAULT_PARTITIONS, EkycPart.class, stream(DAY_MS));

    /** Template and collection-record requests (generate-template, match-over-template, add-image, add-template). */
    public static final TopicSpec<RequestEnvelope> EKYC_TEMPLATE_REQUESTS = new TopicSpec<>(
            "openbio.ekyc.template-requests", DEFAULT_PARTITIONS, RequestEnvelope.class, stream(DAY_MS));

    /** Prefix of the per-gateway-instance reply topics; see {@link #replies(String)}. */
    public static final String REPLIES_PREFIX = "openbio.replies.";

    /**
     * The reply topic of one gateway instance: one partition, one hour of retention. Each gateway
     * creates its own at start and reads only it, so each instance receives only its own replies.
     */
    public static TopicSpec<ResultEvent> replies(String gatewayInstanceId) {
        if (!gatewayInstanceId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("gateway instance id must match [A-Za-z0-9._-]{1,100}");
        }
        return new TopicSpec<>(REPLIES_PREFIX + gatewayInstanceId, 1, ResultEvent.class, stream(60L * 60 * 1000));
    }

    private Topics() {
    }
}
