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
    /** {@code GET /admin/audit/users/{userId}}. */
    public static final String AUDIT_LIST = "lcp.audit_list";
    /** {@code GET /admin/audit/{auditLogId}}. */
    public static final String AUDIT_DETAIL = "lcp.audit_detail";

    public static final Stage VERIFY = Stage.named("lcp-verify").family(FAMILY)
            .does("Liveness Check Proxy init and verify: resolves the user's reference face (built-in store or remote"
                    + " user-details provider), passive liveness + injection signals + 1:1 match (image style) or the"
                    + " challenge outcome + match (token style); one audit event per step")
            .reads(Topics.LCP_REQUESTS)
            .writes(Topics.RESULTS, Topics.AUDIT, Topics.LCP_AUDIT)
            .deployment(Deployment.MODEL.withResources("1", "1Gi", "2", "2Gi"))
            .implementedBy("io.openbio.processors.lcp.LcpVerifyProcessor");

    public static final Stage AUDIT = Stage.named("lcp-audit").family(FAMILY)
            .does("the Liveness Check Proxy audit log: stores by user (newest first) and by id, built from openbio.lcp.audit,"
                    + " sealed images, retention; answers the ADMIN audit queries from them")
            .reads(Topics.LCP_AUDIT_QUERIES, Topics.LCP_AUDIT)
            .writes(Topics.RESULTS, Topics.AUDIT)
            .deployment(Deployment.SMALL.withResources("250m", "512Mi", "1", "1Gi").withState("10Gi"))
            .implementedBy("io.openbio.processors.lcp.LcpAuditProcessor");

    /** init / verify / reference administration. */
    public static final Route ROUTE = new Route(FAMILY, Topics.LCP_REQUESTS, List.of(VERIFY));

    /** The ADMIN audit log queries. */
    public static final Route AUDIT_ROUTE = new Route("lcp-audit", Topics.LCP_AUDIT_QUERIES, List.of(AUDIT));

    /** init / verify and the reference faces (register in {@link Pipeline#PRODUCTS}). */
    public static final Product PRODUCT = new Product(FAMILY, List.of(VERIFY), List.of(ROUTE),
            List.of(Topics.LCP_REQUESTS, Topics.LCP_AUDIT));

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
        return tenant + "/" + userId;
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

    private LcpContract() {
    }
}
