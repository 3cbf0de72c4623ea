package io.openbio.launcher.deploy;

import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.ClientsContract;
import io.openbio.schemas.contract.Deployment;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Route;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.kafka.KafkaAccess;
import io.openbio.schemas.settings.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Generates the deployment files from the pipeline contract ({@link Pipeline#stages()},
 * {@link Pipeline#topics()}), so that a new stage or topic needs no edit of any deployment file:
 * <ul>
 * <li>{@code k8s/processors/<stage>/kustomization.yaml}: one Kustomize overlay per stage over the
 * one template {@code k8s/base/processor}, with the components its {@link Deployment} record asks
 * for ({@code k8s/components/models}, {@code bundle-keys}, {@code state}) and patches for only its
 * own values (args, resources, heap, grace period, state size, annotations) and its lag-based
 * autoscaling ({@link #scaling}: the KEDA ScaledObject's replicas and Kafka triggers, the
 * TriggerAuthentication's Secret);</li>
 * <li>{@code k8s/processors/kustomization.yaml}: the list of those overlays;</li>
 * <li>the regions between {@code # BEGIN generated: <region>} and {@code # END generated} of
 * {@code docker-compose.yml} (the processor services, the gateway's required processors and
 * depends_on), {@code k8s/gateway.yaml} (required processors), {@code k8s/configmap.yaml}
 * (the documented topic list) and {@code k8s/job-setup.yaml} (the Kafka password Secrets of every
 * principal, which only the set-up Job mounts); the rest of those files is written by hand.</li>
 * </ul>
 * {@code DeploymentManifestsTest} fails when the committed files differ from {@link #render}.
 * Regenerate (k8s/README.md): {@value #COMMAND}
 */
public final class DeploymentFiles {
    /** The one command that regenerates the files (from the repository root). */
    public static final String COMMAND = "mvn -B -q -pl launcher -am -DskipTests package && "
            + "java -cp 'launcher/target/launcher.jar:launcher/target/lib/*' io.openbio.launcher.deploy.DeploymentFiles .";

    public static final String PROCESSORS_DIR = "k8s/processors";
    public static final String COMPOSE = "docker-compose.yml";
    public static final String GATEWAY = "k8s/gateway.yaml";
    public static final String CONFIGMAP = "k8s/configmap.yaml";
    public static final String JOB_SETUP = "k8s/job-setup.yaml";

    /** Annotations of each generated Deployment. */
    public static final String APPLICATION_ID = "openbio.io/application-id";
    public static final String INPUTS = "openbio.io/inputs";
    public static final String FAMILY = "openbio.io/family";

    /** The fewest replicas when a stage's input streams list no partitions (never, in the contract). */
    static final int BASE_MAX_REPLICAS = 6;
    /**
     * The container variable KEDA's TriggerAuthentication reads the Kafka user name from
     * ({@code k8s/base/processor/triggerauthentication.yaml}); read by KEDA only (the stage derives
     * its principal from its application id), hence not an {@code OPENBIO_} setting.
     */
    public static final String KEDA_USERNAME_ENV = "KEDA_KAFKA_USERNAME";
    /** The Secret with the broker's CA (key {@code ca.crt}), which every pod and KEDA's scaler trust. */
    public static final String KAFKA_CA_SECRET = "openbio-kafka-ca";
    /**
     * Lag threshold (KEDA's target of records waiting per pod) of a stage that runs the ONNX models:
     * ~70-110 ms of CPU per record (k8s/README.md "Sizing"), so 10 waiting records are about a
     * second of work for one pod.
     */
    public static final int MODEL_LAG_THRESHOLD = 10;
    /** Lag threshold of every other stage: ~10-70 ms of CPU per record at most (Sizing), so 100 records are a few seconds. */
    public static final int SMALL_LAG_THRESHOLD = 100;
    /** Scale-down wait of a stage without state (s): each change of pod count rebalances its group. */
    static final int SCALE_DOWN_WINDOW_SECONDS = 300;
    /** Scale-down wait of a stage with state (s): its tasks move with their stores, restored on the new owner. */
    static final int STATEFUL_SCALE_DOWN_WINDOW_SECONDS = 1800;
    /** The sarama protocol version KEDA's Kafka scaler speaks: Kafka 4 brokers refuse requests older than 2.1. */
    static final String KEDA_KAFKA_VERSION = "3.0.0";
    /** The Secret with the callback signing secrets (key {@code secrets}) of stages whose Deployment asks for them. */
    static final String CALLBACK_SECRET = "openbio-callback-secrets";

    /** The grace period of {@code x-processor} in docker-compose.yml. */
    static final int COMPOSE_GRACE_SECONDS = 45;

    private static final String HEADER = "GENERATED by io.openbio.launcher.deploy.DeploymentFiles from the pipeline contract"
            + " (io.openbio.schemas.contract): do not edit; regenerate as k8s/README.md says.";
    private static final String BEGIN = "# BEGIN generated: ";
    private static final String END = "# END generated";

    private DeploymentFiles() {
    }

    /** Rewrites the generated files under {@code args[0]} (the repository root, default {@code .}). */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int changed = 0;
        for (Map.Entry<String, String> file : render(root).entrySet()) {
            Path path = root.resolve(file.getKey());
            if (!Files.exists(path) || !Files.readString(path).equals(file.getValue())) {
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
                System.out.println("wrote " + file.getKey());
                changed++;
            }
        }
        for (String stale : staleOverlays(root)) {
            Path dir = root.resolve(stale);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            System.out.println("deleted " + stale + " (no such stage in the pipeline contract)");
            changed++;
        }
        System.out.println(changed == 0 ? "deployment files up to date" : changed + " deployment file(s) changed");
    }

    /**
     * Every generated file as it must be: path relative to {@code root} -> content. Files with
     * generated regions are read from {@code root} and returned with those regions replaced.
     */
    public static Map<String, String> render(Path root) {
        Map<String, String> files = new LinkedHashMap<>();
        for (Stage stage : Pipeline.stages()) {
            files.put(PROCESSORS_DIR + "/" + stage.name() + "/kustomization.yaml", overlay(stage));
        }
        files.put(PROCESSORS_DIR + "/kustomization.yaml", processorsKustomization());
        files.put(COMPOSE, replaceRegions(root, COMPOSE, Map.of(
                "processors", DeploymentFiles::composeProcessors,
                "required-processors", DeploymentFiles::composeRequiredProcessors,
                "gateway-depends-on", DeploymentFiles::composeDependsOn)));
        files.put(GATEWAY, replaceRegions(root, GATEWAY, Map.of("required-processors", DeploymentFiles::k8sRequiredProcessors)));
        files.put(CONFIGMAP, replaceRegions(root, CONFIGMAP, Map.of("topics", DeploymentFiles::topicList)));
        files.put(JOB_SETUP, replaceRegions(root, JOB_SETUP, Map.of("kafka-credentials", DeploymentFiles::setupCredentials)));
        return files;
    }

    /** Overlay folders under k8s/processors for stages the contract no longer has (relative paths). */
    public static List<String> staleOverlays(Path root) {
        Path dir = root.resolve(PROCESSORS_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        Set<String> stages = new LinkedHashSet<>(Pipeline.stageNames());
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !stages.contains(name)).sorted().map(name -> PROCESSORS_DIR + "/" + name).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ k8s overlays

    /** The overlay {@code k8s/processors/<stage>/kustomization.yaml} of {@code stage}. */
    public static String overlay(Stage stage) {
        Deployment d = stage.deployment();
        String name = stage.name();
        StringBuilder y = new StringBuilder();
        comment(y, "", HEADER);
        y.append("#\n");
        comment(y, "", "Processor stage \"" + name + "\" (" + stage.family() + "): " + stage.description() + ".");
        comment(y, "", "Kafka Streams application id and consumer group: " + stage.applicationId()
                + "; implemented by " + stage.implementation() + ".");
        comment(y, "", "Reads " + names(stage.reads())
                + (stage.tables().isEmpty() ? "" : "; tables " + names(stage.tables()))
                + (stage.writes().isEmpty() ? "" : "; writes " + names(stage.writes())) + ".");
        List<String> needs = new ArrayList<>();
        if (d.models()) {
            needs.add("the ONNX models");
        }
        if (d.bundleKeys()) {
            needs.add("the capture-bundle key store");
        }
        if (d.stateful()) {
            needs.add("a " + d.stateSize() + " state volume (RocksDB)");
        }
        if (!needs.isEmpty()) {
            comment(y, "", "Needs " + String.join(", ", needs) + ".");
        }
        y.append("apiVersion: kustomize.config.k8s.io/v1beta1\n");
        y.append("kind: Kustomization\n");
        y.append("resources:\n");
        y.append("  - ../../base/processor\n");
        if (d.models() || d.bundleKeys() || d.stateful()) {
            y.append("components:\n");
            if (d.models()) {
                y.append("  - ../../components/models\n");
            }
            if (d.bundleKeys()) {
                y.append("  - ../../components/bundle-keys\n");
            }
            if (d.stateful()) {
                y.append("  - ../../components/state\n");
            }
        }
        y.append("nameSuffix: -").append(name).append('\n');
        y.append("labels:\n");
        y.append("  - pairs:\n");
        y.append("      app.kubernetes.io/component: processor-").append(name).append('\n');
        y.append("    includeSelectors: true\n");
        y.append("    includeTemplates: true\n");
        y.append("patches:\n");
        y.append("  - target:\n");
        y.append("      kind: Deployment\n");
        y.append("      name: processor\n");
        y.append("    patch: |-\n");
        String p = "      ";
        y.append(p).append("apiVersion: apps/v1\n");
        y.append(p).append("kind: Deployment\n");
        y.append(p).append("metadata:\n");
        y.append(p).append("  name: processor\n");
        y.append(p).append("  annotations:\n");
        y.append(p).append("    ").append(APPLICATION_ID).append(": ").append(stage.applicationId()).append('\n');
        y.append(p).append("    ").append(FAMILY).append(": ").append(stage.family()).append('\n');
        y.append(p).append("    ").append(INPUTS).append(": ").append(quoted(String.join(",", topicNames(stage.inputs())))).append('\n');
        y.append(p).append("spec:\n");
        y.append(p).append("  template:\n");
        y.append(p).append("    spec:\n");
        y.append(p).append("      terminationGracePeriodSeconds: ").append(d.graceSeconds()).append('\n');
        y.append(p).append("      containers:\n");
        y.append(p).append("        - name: processor\n");
        y.append(p).append("          args: [\"processor\", \"").append(name).append("\"]\n");
        y.append(p).append("          env:\n");
        y.append(p).append("            # the user KEDA's Kafka scaler logs in as (TriggerAuthentication processor-").append(name)
                .append("): this stage's principal\n");
        y.append(p).append("            - name: ").append(KEDA_USERNAME_ENV).append('\n');
        y.append(p).append("              value: ").append(KafkaAccess.stagePrincipal(stage)).append('\n');
        if (d.heapPercent() != 0) {
            y.append(p).append("            # native memory (ONNX Runtime, RocksDB, memory-mapped indexes) needs room beside the heap\n");
            y.append(p).append("            - name: JAVA_OPTS\n");
            y.append(p).append("              value: -XX:MaxRAMPercentage=").append(d.heapPercent())
                    .append(" -XX:+ExitOnOutOfMemoryError\n");
        }
        if (d.callbackSecrets()) {
            y.append(p).append("            # the per-tenant HMAC secrets callbacks are signed with (tenant=base64,...; *=base64 for\n");
            y.append(p).append("            # all), from the Secret ").append(CALLBACK_SECRET).append(" (k8s/README.md): not optional, a\n");
            y.append(p).append("            # cluster never sends unsigned callbacks\n");
            y.append(p).append("            - name: ").append(Settings.CALLBACK_SECRETS.env()).append('\n');
            y.append(p).append("              valueFrom:\n");
            y.append(p).append("                secretKeyRef:\n");
            y.append(p).append("                  name: ").append(CALLBACK_SECRET).append('\n');
            y.append(p).append("                  key: secrets\n");
        }
        y.append(p).append("          resources:\n");
        y.append(p).append("            requests:\n");
        y.append(p).append("              cpu: ").append(quantity(d.cpuRequest())).append('\n');
        y.append(p).append("              memory: ").append(quantity(d.memoryRequest())).append('\n');
        y.append(p).append("            limits:\n");
        y.append(p).append("              cpu: ").append(quantity(d.cpuLimit())).append('\n');
        y.append(p).append("              memory: ").append(quantity(d.memoryLimit())).append('\n');
        y.append(p).append("      volumes:\n");
        y.append(p).append("        # its own Kafka principal's password only (key ").append(KafkaAccess.stagePrincipal(stage)).append(")\n");
        y.append(p).append("        - name: kafka-credentials\n");
        y.append(p).append("          secret:\n");
        y.append(p).append("            secretName: ").append(KafkaAccess.secretName(KafkaAccess.stagePrincipal(stage))).append('\n');
        if (d.stateful()) {
            y.append(p).append("        - name: state\n");
            y.append(p).append("          emptyDir:\n");
            y.append(p).append("            sizeLimit: ").append(quantity(d.stateSize())).append('\n');
        }
        Scaling scaling = scaling(stage);
        y.append("  - target:\n");
        y.append("      kind: ScaledObject\n");
        y.append("      name: processor\n");
        y.append("    patch: |-\n");
        y.append(p).append("apiVersion: keda.sh/v1alpha1\n");
        y.append(p).append("kind: ScaledObject\n");
        y.append(p).append("metadata:\n");
        y.append(p).append("  name: processor\n");
        y.append(p).append("spec:\n");
        y.append(p).append("  scaleTargetRef:\n");
        y.append(p).append("    name: processor-").append(name).append('\n');
        if (d.stateful()) {
            y.append(p).append("  # 2: a peer holds the group while a pod restarts or restores (and is where a standby replica lives)\n");
        }
        y.append(p).append("  minReplicaCount: ").append(scaling.minReplicas()).append('\n');
        y.append(p).append("  # = the fewest partitions of its input streams: more pods would idle\n");
        y.append(p).append("  maxReplicaCount: ").append(scaling.maxReplicas()).append('\n');
        if (scaling.scaleDownWindowSeconds() != SCALE_DOWN_WINDOW_SECONDS) {
            y.append(p).append("  advanced:\n");
            y.append(p).append("    horizontalPodAutoscalerConfig:\n");
            y.append(p).append("      behavior:\n");
            y.append(p).append("        scaleDown:\n");
            y.append(p).append("          # its tasks move with their state stores (restored on the new owner): keep pods longer\n");
            y.append(p).append("          stabilizationWindowSeconds: ").append(scaling.scaleDownWindowSeconds()).append('\n');
        }
        y.append(p).append("  triggers:\n");
        // one trigger per topic ("" = one trigger for every topic of the group): KEDA's HPA follows the largest
        for (String topic : scaling.topics().isEmpty() ? List.of("") : scaling.topics()) {
            y.append(p).append("    - type: kafka\n");
            y.append(p).append("      metadata:\n");
            y.append(p).append("        bootstrapServersFromEnv: ").append(Settings.KAFKA_BOOTSTRAP.env()).append('\n');
            y.append(p).append("        consumerGroup: ").append(stage.applicationId()).append('\n');
            if (topic.isEmpty()) {
                y.append(p).append("        # no topic: every topic the group consumes (its pattern subscription included)\n");
            } else {
                y.append(p).append("        topic: ").append(topic).append('\n');
            }
            y.append(p).append("        lagThreshold: \"").append(scaling.lagThreshold()).append("\"\n");
            y.append(p).append("        offsetResetPolicy: earliest\n");
            y.append(p).append("        sasl: scram_sha512\n");
            y.append(p).append("        tls: enable\n");
            y.append(p).append("        version: ").append(KEDA_KAFKA_VERSION).append('\n');
            y.append(p).append("      authenticationRef:\n");
            y.append(p).append("        name: processor-").append(name).append('\n');
        }
        y.append("  - target:\n");
        y.append("      kind: TriggerAuthentication\n");
        y.append("      name: processor\n");
        y.append("    patch: |-\n");
        y.append(p).append("apiVersion: keda.sh/v1alpha1\n");
        y.append(p).append("kind: TriggerAuthentication\n");
        y.append(p).append("metadata:\n");
        y.append(p).append("  name: processor\n");
        y.append(p).append("spec:\n");
        y.append(p).append("  secretTargetRef:\n");
        y.append(p).append("    - parameter: password\n");
        y.append(p).append("      name: ").append(KafkaAccess.secretName(KafkaAccess.stagePrincipal(stage))).append('\n');
        y.append(p).append("      key: ").append(KafkaAccess.stagePrincipal(stage)).append('\n');
        y.append(p).append("    - parameter: ca\n");
        y.append(p).append("      name: ").append(KAFKA_CA_SECRET).append('\n');
        y.append(p).append("      key: ca.crt\n");
        return y.toString();
    }

    /**
     * How a stage scales (its KEDA ScaledObject), all derived from its contract entry.
     *
     * @param minReplicas            1; 2 for a stage with state, so a peer keeps the group while a pod restarts
     * @param maxReplicas            the fewest partitions of its input streams ({@link #maxReplicas})
     * @param lagThreshold           records waiting per pod that KEDA aims for ({@link #MODEL_LAG_THRESHOLD} or
     *                               {@link #SMALL_LAG_THRESHOLD})
     * @param scaleDownWindowSeconds how long the lag must stay low before a pod goes
     * @param topics                 the topics whose lag counts: its input streams (not its tables, whose catch-up
     *                               is state, not request work); empty = every topic of its group (the
     *                               {@code kafka-clients} stage, which subscribes to its tenants' topics by pattern)
     */
    public record Scaling(int minReplicas, int maxReplicas, int lagThreshold, int scaleDownWindowSeconds, List<String> topics) {
    }

    public static Scaling scaling(Stage stage) {
        Deployment d = stage.deployment();
        int max = maxReplicas(stage);
        List<String> topics = stage.equals(ClientsContract.STAGE) ? List.of() : topicNames(stage.reads());
        return new Scaling(Math.min(d.stateful() ? 2 : 1, max), max, d.models() ? MODEL_LAG_THRESHOLD : SMALL_LAG_THRESHOLD,
                d.stateful() ? STATEFUL_SCALE_DOWN_WINDOW_SECONDS : SCALE_DOWN_WINDOW_SECONDS, topics);
    }

    /**
     * The most pods a stage can use: the fewest partitions of the topics it consumes as streams (each
     * partition is one task, owned by one pod; tables may be global). Topic partitions are the one
     * place this comes from: to let a stage scale further, give its input streams more partitions
     * (before they are created: k8s/README.md "Partitions").
     */
    public static int maxReplicas(Stage stage) {
        return stage.reads().stream().mapToInt(TopicSpec::partitions).min().orElse(BASE_MAX_REPLICAS);
    }

    /** The set-up Job's projected volume sources: admin's password Secret and every principal's. */
    static String setupCredentials(String indent) {
        List<String> principals = new ArrayList<>(List.of(KafkaAccess.ADMIN));
        principals.addAll(KafkaAccess.principals());
        StringBuilder y = new StringBuilder();
        for (String principal : principals) {
            y.append(indent).append("- secret:\n");
            y.append(indent).append("    name: ").append(KafkaAccess.secretName(principal)).append('\n');
        }
        return y.toString();
    }

    static String processorsKustomization() {
        StringBuilder y = new StringBuilder();
        comment(y, "", HEADER);
        y.append("# One overlay per stage of the pipeline contract, each over ../base/processor.\n");
        y.append("apiVersion: kustomize.config.k8s.io/v1beta1\n");
        y.append("kind: Kustomization\n");
        y.append("resources:\n");
        for (Stage stage : Pipeline.stages()) {
            y.append("  - ").append(stage.name()).append('\n');
        }
        return y.toString();
    }

    static String k8sRequiredProcessors(String indent) {
        return indent + "# /health is 503 until each of these stages has a live consumer (the pipeline contract's stages)\n"
                + indent + "- name: OPENBIO_GATEWAY_REQUIRED_PROCESSORS\n"
                + indent + "  value: " + String.join(",", Pipeline.stageNames()) + "\n";
    }

    // ------------------------------------------------------------------ docker-compose.yml

    static String composeProcessors(String indent) {
        StringBuilder y = new StringBuilder();
        y.append(indent).append("# One service per stage of the pipeline contract, each running ONE stage; what they share is x-processor.\n");
        for (Stage stage : Pipeline.stages()) {
            Deployment d = stage.deployment();
            y.append('\n');
            comment(y, indent, stage.name() + " (" + stage.family() + "): " + stage.description()
                    + (d.stateful() ? "; its persistent (RocksDB) state lives in OPENBIO_STREAMS_STATE_DIR (lost with the container,"
                    + " then restored from its changelog topics)" : ""));
            y.append(indent).append("processor-").append(stage.name()).append(":\n");
            String i = indent + "  ";
            y.append(i).append("<<: *processor\n");
            y.append(i).append("command: [\"processor\", \"").append(stage.name()).append("\"]\n");
            if (d.bundleKeys() || d.models() || d.callbackSecrets()) {
                List<String> merged = new ArrayList<>(List.of("*processor-env"));
                if (d.bundleKeys()) {
                    merged.add("*bundle-keys");
                }
                if (d.models()) {
                    merged.add("*models");
                }
                y.append(i).append("environment:\n");
                y.append(i).append("  <<: [").append(String.join(", ", merged)).append("]\n");
                if (d.callbackSecrets()) {
                    // from the shell or an .env file next to this file (never committed); empty: unsigned, with a warning
                    y.append(i).append("  ").append(Settings.CALLBACK_SECRETS.env()).append(": ${")
                            .append(Settings.CALLBACK_SECRETS.env()).append(":-}\n");
                }
            }
            // every service lists its own volumes (its Kafka principal differs), so x-processor has none
            y.append(i).append("volumes:\n");
            if (d.bundleKeys()) {
                y.append(i).append("  - bundle-keys:/app/keys\n");
            }
            y.append(i).append("  - payload-keys:/app/payload-keys\n");
            // its own Kafka principal's password only, and the CA (written by the kafka-secrets service)
            y.append(i).append("  - {type: volume, source: kafka-secrets, target: /etc/openbio/kafka/credentials, read_only: true,"
                    + " volume: {subpath: principals/").append(KafkaAccess.stagePrincipal(stage)).append("}}\n");
            y.append(i).append("  - {type: volume, source: kafka-secrets, target: /etc/openbio/kafka/ca, read_only: true,"
                    + " volume: {subpath: ca}}\n");
            if (d.graceSeconds() != COMPOSE_GRACE_SECONDS) {
                y.append(i).append("stop_grace_period: ").append(d.graceSeconds()).append("s\n");
            }
        }
        return y.toString();
    }

    static String composeRequiredProcessors(String indent) {
        return indent + "OPENBIO_GATEWAY_REQUIRED_PROCESSORS: " + String.join(",", Pipeline.stageNames()) + "\n";
    }

    static String composeDependsOn(String indent) {
        StringBuilder y = new StringBuilder();
        for (String name : Pipeline.stageNames()) {
            y.append(indent).append("processor-").append(name).append(":\n");
            y.append(indent).append("  condition: service_healthy\n");
        }
        return y.toString();
    }

    // ------------------------------------------------------------------ k8s/configmap.yaml

    /** The documented topic list (data of the ConfigMap openbio-topics), each topic with who writes and reads it. */
    static String topicList(String indent) {
        StringBuilder y = new StringBuilder();
        y.append(indent).append("topics.yaml: |\n");
        String i = indent + "  ";
        for (TopicSpec<?> topic : Pipeline.topics()) {
            String line = i + "- name: " + topic.name();
            String flow = flow(topic);
            y.append(line);
            if (!flow.isEmpty()) {
                y.append(" ".repeat(Math.max(1, i.length() + 41 - line.length()))).append("# ").append(flow);
            }
            y.append('\n');
            y.append(i).append("  partitions: ").append(topic.partitions()).append('\n');
            if (!topic.config().isEmpty()) {
                y.append(i).append("  config:\n");
                for (Map.Entry<String, String> entry : sortedConfig(topic.config())) {
                    y.append(i).append("    ").append(entry.getKey()).append(": ").append(scalar(entry.getValue()));
                    String human = humanValue(entry.getKey(), entry.getValue());
                    if (!human.isEmpty()) {
                        y.append("   # ").append(human);
                    }
                    y.append('\n');
                }
            }
        }
        return y.toString();
    }

    /** "writers -> readers" of a topic, from the contract (the gateway writes each route's entry topic). */
    static String flow(TopicSpec<?> topic) {
        Set<String> writers = new LinkedHashSet<>();
        if (Pipeline.routes().stream().map(Route::entry).anyMatch(e -> e.name().equals(topic.name()))) {
            writers.add("gateway");
        }
        Set<String> readers = new LinkedHashSet<>();
        if (topic.name().equals(Topics.RESULTS.name())) {
            readers.add("gateway"); // the end of every route: each gateway answers its requests from it
        }
        for (Stage stage : Pipeline.stages()) {
            if (topicNames(stage.writes()).contains(topic.name())) {
                writers.add(stage.name());
            }
            if (topicNames(stage.inputs()).contains(topic.name())) {
                readers.add(stage.name());
            }
        }
        if (readers.isEmpty()) {
            return writers.isEmpty() ? "" : "written by " + list(writers);
        }
        return writers.isEmpty() ? "read by " + list(readers) : list(writers) + " -> " + list(readers);
    }

    private static String list(Set<String> names) {
        return names.size() > 4 ? names.size() + " stages" : String.join(", ", names);
    }

    private static List<Map.Entry<String, String>> sortedConfig(Map<String, String> config) {
        List<String> first = List.of("cleanup.policy", "retention.ms", "max.message.bytes");
        Comparator<String> order = Comparator.<String>comparingInt(k -> first.contains(k) ? first.indexOf(k) : first.size())
                .thenComparing(Function.identity());
        return config.entrySet().stream().sorted(Map.Entry.comparingByKey(order)).collect(Collectors.toList());
    }

    /** A comment for a duration in ms or a size in bytes ("1 day", "12 MiB"), else "". */
    private static String humanValue(String key, String value) {
        if (key.endsWith(".bytes")) {
            try {
                long bytes = Long.parseLong(value);
                long mib = 1024L * 1024L;
                return bytes > 0 && bytes % mib == 0 ? bytes / mib + " MiB" : "";
            } catch (NumberFormatException e) {
                return "";
            }
        }
        if (!key.endsWith(".ms")) {
            return "";
        }
        try {
            long ms = Long.parseLong(value);
            long day = 86_400_000L;
            long hour = 3_600_000L;
            if (ms > 0 && ms % day == 0) {
                return ms / day + (ms == day ? " day" : " days");
            }
            if (ms > 0 && ms % hour == 0) {
                return ms / hour + (ms == hour ? " hour" : " hours");
            }
        } catch (NumberFormatException e) {
            return "";
        }
        return "";
    }

    // ------------------------------------------------------------------ regions

    /**
     * {@code file} with the lines between each {@code # BEGIN generated: <region>} marker and the
     * next {@code # END generated} replaced by {@code regions.get(region)} given the marker's
     * indentation; every region must be present exactly once.
     */
    static String replaceRegions(Path root, String file, Map<String, Function<String, String>> regions) {
        String text;
        try {
            text = Files.readString(root.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        StringBuilder out = new StringBuilder();
        Set<String> seen = new TreeSet<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            out.append(line);
            if (n < lines.length - 1) {
                out.append('\n');
            }
            int at = line.indexOf(BEGIN);
            if (at >= 0 && line.substring(0, at).isBlank()) {
                String region = line.substring(at + BEGIN.length()).trim().split("\\s+")[0];
                Function<String, String> content = regions.get(region);
                if (content == null) {
                    throw new IllegalStateException(file + ": unknown generated region '" + region + "'");
                }
                if (!seen.add(region)) {
                    throw new IllegalStateException(file + ": generated region '" + region + "' twice");
                }
                int end = n + 1;
                while (end < lines.length && !lines[end].trim().startsWith(END)) {
                    end++;
                }
                if (end == lines.length) {
                    throw new IllegalStateException(file + ": no '" + END + "' after '" + BEGIN + region + "'");
                }
                out.append(content.apply(line.substring(0, at)));
                n = end - 1;
            }
        }
        if (!seen.equals(regions.keySet())) {
            Set<String> missing = new TreeSet<>(regions.keySet());
            missing.removeAll(seen);
            throw new IllegalStateException(file + ": missing generated region(s) " + missing
                    + " (a line '" + BEGIN + "<region>' and a line '" + END + "')");
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> topicNames(List<TopicSpec<?>> topics) {
        return topics.stream().map(TopicSpec::name).toList();
    }

    private static String names(List<TopicSpec<?>> topics) {
        return topics.isEmpty() ? "nothing" : String.join(", ", topicNames(topics));
    }

    /** A Kubernetes quantity as YAML: quoted when it would otherwise read as a number. */
    private static String quantity(String value) {
        return value.matches("[0-9.]+") ? "\"" + value + "\"" : value;
    }

    /** A string as a YAML scalar: plain when YAML reads it back as that string, else quoted. */
    private static String scalar(String value) {
        boolean plain = value.matches("[A-Za-z][A-Za-z0-9._,/-]*")
                && !value.toLowerCase(java.util.Locale.ROOT).matches("true|false|yes|no|on|off|null|y|n");
        return plain ? value : quoted(value);
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** {@code text} as comment lines of at most ~100 characters, broken at spaces. */
    private static void comment(StringBuilder y, String indent, String text) {
        int width = 100 - indent.length() - 2;
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                y.append(indent).append("# ").append(line).append('\n');
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            y.append(indent).append("# ").append(line).append('\n');
        }
    }
}
