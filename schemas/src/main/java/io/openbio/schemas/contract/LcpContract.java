package io.openbio.schemas.contract;

import io.openbio.schemas.Topics;
import java.util.List;

/**
 * The Liveness Check Proxy API (seed 001): {@code POST /liveness/init}, {@code POST /liveness/verify}
 * against a user's reference face, the users' reference faces, and the ADMIN audit log
 * ({@code GET /admin/audit/users/{userId}}, {@code GET /admin/audit/{id}}).
 *
 * <p>The {@link #VERIFY} stage answers init and verify (both provider styles: image and token) and
 * writes one {@link Topics#LCP_AUDIT} event per init, probe image, reference image and result. The
 * {@link #AUDIT} stage builds the audit log's stores from those events, partitioned by user, and
 * answers the audit queries from them.
 */
public final class LcpContract {
    public static final String FAMILY = "lcp";

    /** {@code POST /liveness/init}. */
    public static final String INIT = "lcp.init";
    /** {@code POST /liveness/verify}. */
    public static final String VERIFY_OPERATION = "lcp.verify";
    /** {@code GET /liveness/challenge/{token}} (platform addition, token style): the token's challenge; keyed by token. */
    public static final String CHALLENGE_GET = "lcp.challenge";
    /** {@code POST /liveness/capture/{token}} (platform addition, token style): the token's capture bundle; keyed by token. */
    public static final String CAPTURE = "lcp.capture";
    /** {@code PUT /admin/users/{userId}/reference}: store a user's reference face (built-in user store). */
    public static final String REFERENCE_PUT = "lcp.reference_put";
    /** {@code GET /admin/users/{userId}/reference}: the reference's metadata. */
    public static final String REFERENCE_GET = "lcp.reference_get";
    /** {@code DELETE /admin/users/{userId}/reference}: the user stays known, without a reference face. */
    public static final String REFERENCE_DELETE = "lcp.reference_delete";
    /** {@code DELETE /admin/users/{userId}}: forget the user (a tombstone in the user store). */
    public static final String USER_DELETE = "lcp.user_delete";
    /** {@code GET /admin/audit/users/{userId}}. */
    public static final String AUDIT_LIST = "lcp.audit_list";
    /** {@code GET /admin/audit/{auditLogId}}. */
    public static final String AUDIT_DETAIL = "lcp.audit_detail";

    public static final Stage VERIFY = Stage.named("lcp-verify").family(FAMILY)
            .does("Liveness Check Proxy init and verify: resolves the user's reference face (built-in store or remote"
                    + " user-details provider), passive liveness + injection signals + 1:1 match (image style) or the"
                    + " challenge outcome + match (token style); one audit event per step")
            .reads(Topics.LCP_REQUESTS, Topics.LCP_CAPTURES)
            .tables(Topics.LCP_REFERENCES, Topics.LCP_SESSIONS, Topics.CHALLENGE_OUTCOMES)
            .writes(Topics.RESULTS, Topics.AUDIT, Topics.LCP_AUDIT, Topics.LCP_REFERENCES, Topics.CAPTURE_DECRYPTED,
                    Topics.CAPTURE_NONCES, Topics.LCP_SESSIONS, Topics.CHALLENGE_REQUESTS)
            // bundle keys: it opens capture bundles itself; state: the global user store
            .deployment(Deployment.MODEL.withBundleKeys().withResources("1", "1Gi", "2", "2Gi").withState("2Gi"))
            .implementedBy("io.openbio.processors.lcp.LcpVerifyProcessor");

    public static final Stage AUDIT = Stage.named("lcp-audit").family(FAMILY)
            .does("the Liveness Check Proxy audit log: stores by user (newest first) and by id, built from openbio.lcp.audit,"
                    + " sealed images, retention; answers the ADMIN audit queries from them")
            .reads(Topics.LCP_AUDIT_QUERIES, Topics.LCP_AUDIT)
            .writes(Topics.RESULTS, Topics.AUDIT)
            .deployment(Deployment.SMALL.withResources("250m", "512Mi", "1", "1Gi").withState("10Gi"))
            .implementedBy("io.openbio.processors.lcp.LcpAuditProcessor");

    /**
     * init / verify / reference administration. A verify whose image is a capture bundle goes
     * lcp-verify -> nonce (single use, shared with every other capture API) -> lcp-verify. A token-style
     * capture ({@link #CAPTURE}) goes lcp-verify -> {@link Topics#CHALLENGE_REQUESTS}, i.e. on along
     * {@link ChallengeContract#ROUTE}, whose last stage answers it.
     */
    public static final Route ROUTE = new Route(FAMILY, Topics.LCP_REQUESTS, List.of(VERIFY, CaptureContract.NONCE));

    /** The ADMIN audit log queries. */
    public static final Route AUDIT_ROUTE = new Route("lcp-audit", Topics.LCP_AUDIT_QUERIES, List.of(AUDIT));

    /** init / verify and the reference faces (register in {@link Pipeline#PRODUCTS}). */
    public static final Product PRODUCT = new Product(FAMILY, List.of(VERIFY), List.of(ROUTE),
            List.of(Topics.LCP_REQUESTS, Topics.LCP_AUDIT, Topics.LCP_CAPTURES, Topics.LCP_REFERENCES, Topics.LCP_SESSIONS));

    /**
     * The audit log. It lists {@link Topics#LCP_AUDIT} too (also {@link #PRODUCT}'s: {@link Pipeline#topics()}
     * lists a topic once), so the audit log stands without the verify product.
     */
    public static final Product AUDIT_PRODUCT = new Product(FAMILY + "-audit", List.of(AUDIT), List.of(AUDIT_ROUTE),
            List.of(Topics.LCP_AUDIT_QUERIES, Topics.LCP_AUDIT));

    /**
     * The Kafka key of a user's audit events on {@link Topics#LCP_AUDIT} and of the list queries on
     * {@link Topics#LCP_AUDIT_QUERIES}: {@code <tenant>/<userId>}, as is (the same bytes land on the
     * same partition, so the task holding the user's history answers the query).
     */
    public static String auditUserKey(String tenant, String userId) {
        return userKey(tenant, userId);
    }

    /**
     * The Kafka key of a detail query ({@code GET /admin/audit/{id}}) on {@link Topics#LCP_AUDIT_QUERIES}:
     * {@code <tenant>#<id>}. The lcp-audit stage re-partitions the events by this key into its by-id
     * store, so the task holding the entry answers the query; the tenant in it keeps one tenant from
     * reading another's entries. ({@code #} rather than {@code /}: an id key never equals a user key.)
     */
    public static String auditIdKey(String tenant, String id) {
        return tenant + "#" + id;
    }

    /**
     * The Kafka key of a user's events ({@link Topics#LCP_AUDIT}, {@link Topics#LCP_REFERENCES}):
     * {@code <tenant>/<userId>}. A tenant never contains {@code /} (1-64 letters, digits, {@code . _ -}),
     * so the first {@code /} separates the two and no escaping is needed.
     */
    public static String userKey(String tenant, String userId) {
        return tenant + "/" + userId;
    }

    private LcpContract() {
    }
}
