package io.openbio.schemas.kafka;

import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.ClientsContract;
import io.openbio.schemas.contract.GatewayAccess;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Stage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what on the broker, derived from the pipeline contract: one principal per stage (its
 * application id, {@code openbio-<stage>}), one for the gateway ({@value #GATEWAY}) and the super
 * user {@value #ADMIN} of the set-up. Nothing else is granted, so a stage that reads a topic its
 * contract entry does not list, or anyone without a credential, is refused by the broker.
 *
 * <p>A stage ({@link #stageAcls}) may READ exactly its {@code reads} and {@code tables}, WRITE
 * exactly its {@code writes} (and the gateways' reply topics where it answers requests, i.e. writes
 * {@link Topics#RESULTS}), use its consumer group and transactional ids (its application id), and
 * do anything to its own internal topics ({@code <application id>-...}: repartition and changelog).
 * The gateway's grants come from {@link GatewayAccess}.
 */
public final class KafkaAccess {
    private static final Logger log = LoggerFactory.getLogger(KafkaAccess.class);

    /** The super user: the set-up (topics, credentials, ACLs) and the local run's own tools. */
    public static final String ADMIN = "admin";
    /** Every gateway instance. */
    public static final String GATEWAY = "openbio-gateway";
    /** Iterations of the stored SCRAM-SHA-512 credentials (the mechanism's minimum is 4096). */
    static final int SCRAM_ITERATIONS = 8192;

    private KafkaAccess() {
    }

    /** The principal (SCRAM user name) of {@code stage}: its application id. */
    public static String stagePrincipal(Stage stage) {
        return principalOfApplication(stage.applicationId());
    }

    /** The principal whose Kafka Streams application is {@code applicationId}: the application id itself. */
    public static String principalOfApplication(String applicationId) {
        return applicationId;
    }

    /**
     * The Kubernetes Secret holding {@code principal}'s password (under the key {@code principal}):
     * {@code openbio-kafka-<stage>}, {@code openbio-kafka-gateway}, {@code openbio-kafka-admin}.
     */
    public static String secretName(String principal) {
        return "openbio-kafka-" + (principal.startsWith("openbio-") ? principal.substring("openbio-".length()) : principal);
    }

    /** Every principal the set-up creates a credential for (admin excepted): the stages', then the gateway's. */
    public static List<String> principals() {
        List<String> all = new ArrayList<>();
        for (Stage stage : Pipeline.stages()) {
            all.add(stagePrincipal(stage));
        }
        all.add(GATEWAY);
        for (String tenant : ClientsContract.tenants()) {
            all.add(ClientsContract.principal(tenant));
        }
        if (all.stream().filter(p -> p.startsWith(GatewayAccess.GROUP_PREFIX)).findAny().isPresent()) {
            throw new IllegalStateException("a stage's application id must not start with " + GatewayAccess.GROUP_PREFIX);
        }
        return List.copyOf(all);
    }

    /** Every ACL of the platform: each stage's, then the gateway's, then each Kafka-client tenant's. */
    public static List<AclBinding> acls() {
        List<AclBinding> all = new ArrayList<>();
        for (Stage stage : Pipeline.stages()) {
            all.addAll(stageAcls(stage));
        }
        all.addAll(gatewayAcls());
        for (String tenant : ClientsContract.tenants()) {
            all.addAll(clientAcls(tenant));
        }
        return List.copyOf(all);
    }

    /**
     * A Kafka-client tenant's ACLs ({@link ClientsContract}): its principal may write (and describe) its
     * own request topic, read its own result topic, and use consumer groups named after itself
     * ({@code openbio-client-<tenant>...}); nothing else, so it can neither read another tenant's
     * results nor submit under another tenant's topic, nor read any platform topic.
     */
    public static List<AclBinding> clientAcls(String tenant) {
        String user = "User:" + ClientsContract.principal(tenant);
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(user, ResourceType.TOPIC, ClientsContract.REQUESTS_PREFIX + tenant, PatternType.LITERAL, AclOperation.WRITE));
        acls.add(allow(user, ResourceType.TOPIC, ClientsContract.REQUESTS_PREFIX + tenant, PatternType.LITERAL, AclOperation.DESCRIBE));
        acls.add(allow(user, ResourceType.TOPIC, ClientsContract.RESULTS_PREFIX + tenant, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(user, ResourceType.GROUP, ClientsContract.principal(tenant), PatternType.PREFIXED, AclOperation.READ));
        return List.copyOf(acls);
    }

    /** The ACLs of {@code stage}, from its contract entry. */
    public static List<AclBinding> stageAcls(Stage stage) {
        String user = "User:" + stagePrincipal(stage);
        String app = stage.applicationId();
        Set<AclBinding> acls = new LinkedHashSet<>();
        for (TopicSpec<?> topic : stage.inputs()) {
            acls.add(allow(user, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.READ));
        }
        for (TopicSpec<?> topic : stage.writes()) {
            acls.add(allow(user, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.WRITE));
        }
        if (stage.writes().contains(Topics.RESULTS)) {
            // a stage that answers a request also sends the answer to the waiting gateway's reply topic
            acls.add(allow(user, ResourceType.TOPIC, Topics.REPLIES_PREFIX, PatternType.PREFIXED, AclOperation.WRITE));
        }
        // Kafka Streams: repartition and changelog topics are named <application id>-..., the
        // consumer group is the application id, exactly_once_v2's transactional ids start with it
        acls.add(allow(user, ResourceType.TOPIC, app + "-", PatternType.PREFIXED, AclOperation.ALL));
        acls.add(allow(user, ResourceType.GROUP, app, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, app + "-", PatternType.PREFIXED, AclOperation.WRITE));
        if (stage.equals(ClientsContract.STAGE)) {
            // every tenant's request topic (a pattern subscription) and result topic, by prefix, so a
            // tenant added later needs no change of the stage's grants
            acls.add(allow(user, ResourceType.TOPIC, ClientsContract.REQUESTS_PREFIX, PatternType.PREFIXED, AclOperation.READ));
            acls.add(allow(user, ResourceType.TOPIC, ClientsContract.RESULTS_PREFIX, PatternType.PREFIXED, AclOperation.WRITE));
            // the stage purges the request topics up to its committed offsets (deleteRecords): a request
            // stays on the broker until it is processed, not for the topics' whole retention
            acls.add(allow(user, ResourceType.TOPIC, ClientsContract.REQUESTS_PREFIX, PatternType.PREFIXED, AclOperation.DELETE));
        }
        return List.copyOf(acls);
    }

    /** The gateway's ACLs, from {@link GatewayAccess}. */
    public static List<AclBinding> gatewayAcls() {
        String user = "User:" + GATEWAY;
        Set<AclBinding> acls = new LinkedHashSet<>();
        for (TopicSpec<?> topic : GatewayAccess.writes()) {
            acls.add(allow(user, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.WRITE));
        }
        for (TopicSpec<?> topic : GatewayAccess.reads()) {
            acls.add(allow(user, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.READ));
        }
        acls.add(allow(user, ResourceType.TOPIC, Topics.REPLIES_PREFIX, PatternType.PREFIXED, AclOperation.CREATE));
        acls.add(allow(user, ResourceType.TOPIC, Topics.REPLIES_PREFIX, PatternType.PREFIXED, AclOperation.READ));
        acls.add(allow(user, ResourceType.GROUP, GatewayAccess.GROUP_PREFIX, PatternType.PREFIXED, AclOperation.READ));
        // health and lag: each stage's consumer group and the end offsets of what it consumes
        for (Stage stage : Pipeline.stages()) {
            acls.add(allow(user, ResourceType.GROUP, stage.applicationId(), PatternType.LITERAL, AclOperation.DESCRIBE));
            for (TopicSpec<?> topic : stage.inputs()) {
                acls.add(allow(user, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.DESCRIBE));
            }
            acls.add(allow(user, ResourceType.TOPIC, stage.applicationId() + "-", PatternType.PREFIXED, AclOperation.DESCRIBE));
        }
        return List.copyOf(acls);
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** Whether {@code principal} ({@code User:...}) is one this class manages (its stale ACLs are removed). */
    static boolean managed(String principal) {
        return principal.startsWith("User:openbio-");
    }

    /**
     * Brings the broker in line with the contract, as {@value #ADMIN}: upserts the SCRAM credential of
     * every principal (passwords from {@code credentials}), creates the ACLs and removes the
     * platform's ACLs and credentials the contract no longer has (a removed stage, a narrowed one).
     */
    public static void apply(Admin admin, KafkaSecurity credentials) throws InterruptedException, ExecutionException, TimeoutException {
        List<String> principals = principals();
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        for (String principal : principals) {
            alterations.add(new UserScramCredentialUpsertion(principal,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), credentials.password(principal)));
        }
        for (String user : admin.describeUserScramCredentials().users().get(30, TimeUnit.SECONDS)) {
            if (managed("User:" + user) && !principals.contains(user)) {
                alterations.add(new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_512));
                log.info("removing the Kafka credential of {} (no longer in the pipeline contract)", user);
            }
        }
        admin.alterUserScramCredentials(alterations).all().get(30, TimeUnit.SECONDS);

        List<AclBinding> wanted = acls();
        List<AclBindingFilter> stale = new ArrayList<>();
        for (AclBinding existing : admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)) {
            if (managed(existing.entry().principal()) && !wanted.contains(existing)) {
                stale.add(existing.toFilter());
                log.info("removing stale ACL {}", existing);
            }
        }
        if (!stale.isEmpty()) {
            admin.deleteAcls(stale).all().get(30, TimeUnit.SECONDS);
        }
        admin.createAcls(wanted).all().get(30, TimeUnit.SECONDS);
        log.info("Kafka credentials of {} principals and {} ACLs in place", principals.size(), wanted.size());
    }
}
