package io.openbio.schemas.contract;

import io.openbio.events.ClientRequest;
import io.openbio.events.ClientResult;
import io.openbio.events.ResultEvent;
import io.openbio.schemas.PayloadLimits;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.settings.Settings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Kafka-native clients (README "Kafka clients"): an outside producer submits requests by producing a
 * {@link ClientRequest} to its tenant's request topic and reads {@link ClientResult}s from its tenant's
 * result topic, with no gateway in between.
 *
 * <p><b>Tenant from the principal.</b> A Kafka record does not carry its producer's principal, so the
 * tenant is bound by topic: tenant {@code t} (listed in {@code OPENBIO_KAFKA_CLIENT_TENANTS}) is the
 * SCRAM principal {@code openbio-client-t}, the only one allowed to write {@code openbio.clients.requests.t}
 * and read {@code openbio.clients.results.t} (ACLs in {@code KafkaAccess}); the {@link #STAGE} derives
 * the tenant from the name of the topic it read. This map (tenant -> principal, topics) is made here
 * and nowhere else.
 *
 * <p>The stage turns each request into the {@code RequestEnvelope} the gateway would have produced for
 * the same HTTP call, on the route's own request topic, with {@code replyTo} = {@link #REPLIES}: the
 * existing stages answer it like a gateway's request, and the stage turns that answer into the
 * tenant's {@link ClientResult}.
 */
public final class ClientsContract {
    public static final String FAMILY = "clients";
    /** Principal of tenant {@code t}: {@code openbio-client-t}. */
    public static final String PRINCIPAL_PREFIX = "openbio-client-";
    public static final String REQUESTS_PREFIX = "openbio.clients.requests.";
    public static final String RESULTS_PREFIX = "openbio.clients.results.";
    /** Record headers of every result: the HTTP status, the operation, the error code on failure (ASCII). */
    public static final String STATUS_HEADER = "openbio.status";
    public static final String OPERATION_HEADER = "openbio.operation";
    public static final String ERROR_CODE_HEADER = "openbio.error-code";
    /**
     * A capture nonce for the topic's tenant, as {@code POST /bundle/nonce} issues one (no parts): answered by
     * the {@link #STAGE} itself, which records the nonce on {@code openbio.capture.nonces} in the same
     * transaction as the result.
     */
    public static final String NONCE = "iad.nonce";
    /** The platform's active bundle key, as {@code GET /bundle/public-key} answers it (no parts): answered by the {@link #STAGE}. */
    public static final String PUBLIC_KEY = "iad.public_key";
    /**
     * Operations a Kafka client may submit: the IDLive {@code /check}, the IAD {@code /check_capture_liveness},
     * and what a capture client needs before it builds a bundle ({@link #NONCE}, {@link #PUBLIC_KEY}).
     */
    public static final Set<String> OPERATIONS = Set.of(EkycContract.CHECK, CaptureContract.CHECK_CAPTURE_LIVENESS, NONCE, PUBLIC_KEY);
    /** The operations the {@link #STAGE} answers itself (no route). */
    public static final Set<String> ANSWERED_BY_STAGE = Set.of(NONCE, PUBLIC_KEY);
    /** How long the stage remembers a request id (a duplicate within it yields no second result). */
    public static final long DEDUP_RETENTION_MS = 24L * 60 * 60 * 1000;
    /**
     * The public request topics keep requests one hour: the bound on how long a request the client produced
     * stays on the broker's disk (ekyc.check with encrypted=false, when allowed, carries plain images).
     */
    public static final long REQUEST_RETENTION_MS = 60L * 60 * 1000;
    private static final long DAY_MS = 24L * 60 * 60 * 1000;
    /**
     * The request topics roll a log segment this often, so segments the stage has purged (deleteRecords up to
     * its committed offsets) leave the broker's disk at its next retention check, not with the retention.
     */
    public static final long REQUEST_SEGMENT_MS = 10L * 60 * 1000;

    /**
     * The reply topic of topic-submitted requests, as if the stage were a gateway instance named
     * {@code kafka-clients} (so no gateway instance may take that id): the answering stages already
     * write the gateways' reply topics. It holds {@code ResultEvent}s, their payloads sealed.
     */
    public static final TopicSpec<ResultEvent> REPLIES = new TopicSpec<>(Topics.REPLIES_PREFIX + "kafka-clients",
            Topics.DEFAULT_PARTITIONS, ResultEvent.class, Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(DAY_MS),
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(PayloadLimits.MAX_MESSAGE_BYTES)));

    public static final Stage STAGE = Stage.named("kafka-clients").family(FAMILY)
            .does("Kafka clients: reads openbio.clients.requests.<tenant> (tenant from the topic, bound to its principal by ACLs), validates and seals each"
                    + " request into the gateway's RequestEnvelope on its route; issues capture nonces (recorded on openbio.capture.nonces) and serves the"
                    + " bundle public key itself; turns the answers into ClientResults on openbio.clients.results.<tenant>")
            .reads(REPLIES)
            // (its own REPLIES and the tenants' result topics it writes as reply topics: chosen per result)
            .writes(Topics.EKYC_REQUESTS, Topics.CAPTURE_REQUESTS, Topics.CAPTURE_NONCES, Topics.RESULTS, Topics.AUDIT)
            // the bundle key store, as the gateway has it, for iad.public_key (it reads the active public key only)
            .deployment(Deployment.SMALL.withBundleKeys().withResources("250m", "512Mi", "1", "1Gi").withState("1Gi"))
            .implementedBy("io.openbio.processors.clients.KafkaClientsProcessor");

    public static final Product PRODUCT = new Product(FAMILY, List.of(STAGE), List.of(), List.of(REPLIES));

    private ClientsContract() {
    }

    /** The tenants of {@code OPENBIO_KAFKA_CLIENT_TENANTS}, in order, each checked. */
    public static List<String> tenants() {
        String value = KafkaSettings.setting(Settings.KAFKA_CLIENT_TENANTS, "");
        Set<String> tenants = new LinkedHashSet<>();
        for (String tenant : value.split(",")) {
            String t = tenant.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!t.matches("[a-z0-9][a-z0-9-]{0,39}")) {
                throw new IllegalArgumentException("OPENBIO_KAFKA_CLIENT_TENANTS: a tenant must match [a-z0-9][a-z0-9-]{0,39}: " + t);
            }
            tenants.add(t);
        }
        return List.copyOf(tenants);
    }

    public static String principal(String tenant) {
        return PRINCIPAL_PREFIX + tenant;
    }

    /** {@code openbio.clients.requests.<tenant>}: written by the tenant's principal only. */
    public static TopicSpec<ClientRequest> requests(String tenant) {
        return new TopicSpec<>(REQUESTS_PREFIX + tenant, Topics.DEFAULT_PARTITIONS, ClientRequest.class, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(REQUEST_RETENTION_MS),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(REQUEST_SEGMENT_MS),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(PayloadLimits.MAX_MESSAGE_BYTES)));
    }

    /** {@code openbio.clients.results.<tenant>}: read by the tenant's principal only. */
    public static TopicSpec<ClientResult> results(String tenant) {
        return new TopicSpec<>(RESULTS_PREFIX + tenant, Topics.DEFAULT_PARTITIONS, ClientResult.class, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(7 * DAY_MS)));
    }

    /** Every configured tenant's request and result topics (the set-up creates them). */
    public static List<TopicSpec<?>> tenantTopics() {
        List<TopicSpec<?>> topics = new ArrayList<>();
        for (String tenant : tenants()) {
            topics.add(requests(tenant));
            topics.add(results(tenant));
        }
        return List.copyOf(topics);
    }

    /** The tenant whose request topic is {@code topic}, if it is one. */
    public static Optional<String> tenantOfRequestTopic(String topic) {
        if (topic == null || !topic.startsWith(REQUESTS_PREFIX)) {
            return Optional.empty();
        }
        String tenant = topic.substring(REQUESTS_PREFIX.length());
        return tenant.matches("[a-z0-9][a-z0-9-]{0,39}") ? Optional.of(tenant) : Optional.empty();
    }

    /** Whether {@code id} is a valid client request id: 1-128 printable ASCII characters. */
    public static boolean validClientRequestId(String id) {
        return id != null && !id.isEmpty() && id.length() <= 128 && id.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    }

    /**
     * The platform request id of client request {@code clientId} of {@code tenant}: {@code kc:<tenant>:<clientId>},
     * the same for a duplicate and different for two tenants choosing the same id.
     */
    public static String platformRequestId(String tenant, String clientId) {
        return "kc:" + tenant + ":" + clientId;
    }

    /** The (tenant, client request id) of a platform request id made by {@link #platformRequestId}, if it is one. */
    public static Optional<String[]> clientOf(String platformRequestId) {
        if (platformRequestId == null || !platformRequestId.startsWith("kc:")) {
            return Optional.empty();
        }
        int colon = platformRequestId.indexOf(':', 3);
        if (colon < 0) {
            return Optional.empty();
        }
        return Optional.of(new String[] {platformRequestId.substring(3, colon), platformRequestId.substring(colon + 1)});
    }
}
