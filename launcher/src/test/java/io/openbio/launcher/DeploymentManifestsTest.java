package io.openbio.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.launcher.deploy.DeploymentFiles;
import io.openbio.processors.ProcessorMain;
import io.openbio.events.RequestEnvelope;
import io.openbio.schemas.PayloadLimits;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.Deployment;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.kafka.KafkaAccess;
import io.openbio.schemas.kafka.KafkaSecrets;
import io.openbio.schemas.settings.Setting;
import io.openbio.schemas.settings.Settings;
import io.openbio.schemas.setup.PlatformSetup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Keeps the deployment files (docker-compose.yml, k8s/, docker/) in step with the pipeline contract
 * ({@link Pipeline}) and the code, since neither Docker nor a cluster is available to the build:
 * <ul>
 * <li>the generated files (k8s/processors/, the generated regions of docker-compose.yml,
 * k8s/gateway.yaml and k8s/configmap.yaml) are exactly what {@link DeploymentFiles} renders from the
 * contract;</li>
 * <li>{@code kubectl kustomize k8s/} (skipped, test by test, where kubectl is missing) has for every
 * contract stage exactly one Deployment {@code processor-<stage>} running that stage, scaled by a KEDA
 * ScaledObject on its consumer lag (max replicas within its input partitions, its own Kafka principal), with its
 * application id, inputs, resources, grace period, heap and the model / bundle-key / state mounts its
 * {@link Deployment} record asks for, the shared template's probes and security contexts, and no
 * processor Deployment for any other stage;</li>
 * <li>docker-compose.yml has exactly one service per contract stage, sharing x-processor;</li>
 * <li>the k8s topic list equals {@link Pipeline#topics()}; every {@code OPENBIO_*} variable the files
 * set is a setting of the catalog ({@link Settings}), as is every placeholder of the gateway's
 * application.properties; the gateway Service reaches the gateway port; the gateway and every stage
 * that opens capture bundles share one bundle key store; every stage with a persistent state store
 * keeps it on a volume of its own; the set-up runs {@link PlatformSetup}.</li>
 * </ul>
 */
class DeploymentManifestsTest {
    private static final String IMAGE = "openbio/platform";
    private static final String SHARED_ENV = "openbio-env";
    private static final Pattern ENV_NAME = Pattern.compile("\\bOPENBIO_[A-Z0-9_]+\\b");
    private static final String STATE_DIR = "OPENBIO_STREAMS_STATE_DIR";

    private static Path root;
    private static Map<String, Object> compose;
    /** Every document of every plain k8s/*.yaml except kustomization.yaml, with its file name under "_file". */
    private static List<Map<String, Object>> k8s;
    /** The output of {@code kubectl kustomize k8s/}, once; null until asked for. */
    private static List<Map<String, Object>> rendered;
    private static String kubectlMissing;

    /**
     * A YAML reader for the generated files: docker-compose.yml reuses its anchors (environment, volumes)
     * in every processor service, more than SnakeYAML's default of 50 aliases (a guard against
     * alias-bomb input, which our own generated file is not) once the pipeline has 17 stages.
     */
    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(1000);
        return new Yaml(options);
    }

    @BeforeAll
    static void load() throws IOException {
        root = repositoryRoot();
        compose = map(yaml().load(Files.readString(root.resolve("docker-compose.yml"))));
        k8s = new ArrayList<>();
        for (Path file : k8sFiles()) {
            for (Object doc : yaml().loadAll(Files.readString(file))) {
                if (doc != null) {
                    Map<String, Object> resource = new LinkedHashMap<>(map(doc));
                    resource.put("_file", file.getFileName().toString());
                    k8s.add(resource);
                }
            }
        }
    }

    // ------------------------------------------------------------------ generated files

    @Test
    void generatedDeploymentFilesAreWhatTheContractGenerates() throws IOException {
        Map<String, String> expected = DeploymentFiles.render(root);
        assertThat(expected).containsKeys("k8s/processors/kustomization.yaml", "docker-compose.yml", "k8s/gateway.yaml");
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> file : expected.entrySet()) {
            Path path = root.resolve(file.getKey());
            if (!Files.isRegularFile(path) || !Files.readString(path).equals(file.getValue())) {
                stale.add(file.getKey());
            }
        }
        stale.addAll(DeploymentFiles.staleOverlays(root));
        assertThat(stale).as("deployment files that differ from what the pipeline contract generates; regenerate them "
                + "(from the repository root) with:%n  %s%n", DeploymentFiles.COMMAND).isEmpty();
        for (Stage stage : Pipeline.stages()) {
            assertThat(expected).containsKey("k8s/processors/" + stage.name() + "/kustomization.yaml");
        }
    }

    @Test
    void noStageListOrProcessorManifestIsWrittenByHand() throws IOException {
        // the 15 hand-written processor-<stage>.yaml files are gone: one template, generated overlays
        assertThat(k8sFiles().stream().map(p -> p.getFileName().toString())).noneMatch(f -> f.startsWith("processor-"));
        String stageList = String.join(",", Pipeline.stageNames());
        for (String file : List.of("docker-compose.yml", "k8s/gateway.yaml")) {
            String text = Files.readString(root.resolve(file));
            int at = text.indexOf(stageList);
            assertThat(at).as("%s lists the stages", file).isPositive();
            String before = text.substring(0, at);
            assertThat(before.lastIndexOf("# BEGIN generated")).as("%s: the stage list is inside a generated region", file)
                    .isGreaterThan(before.lastIndexOf("# END generated"));
        }
    }

    // ------------------------------------------------------------------ k8s processors (rendered)

    @Test
    void renderedK8sHasExactlyOneDeploymentAndScaledObjectPerContractStage() {
        List<Map<String, Object>> all = rendered();
        for (Stage stage : Pipeline.stages()) {
            String name = "processor-" + stage.name();
            Deployment d = stage.deployment();
            Map<String, Object> deployment = one(all, "Deployment", name);
            scalesOnItsLag(all, stage, deployment);
            assertThat(Pipeline.topics().stream().map(TopicSpec::name)).as("%s: the topics whose lag it scales on", name)
                    .containsAll(DeploymentFiles.scaling(stage).topics());

            Map<String, Object> annotations = map(map(deployment.get("metadata")).get("annotations"));
            assertThat(annotations.get(DeploymentFiles.APPLICATION_ID)).as("%s application id", name).isEqualTo(stage.applicationId());
            assertThat(annotations.get(DeploymentFiles.FAMILY)).as("%s family", name).isEqualTo(stage.family());
            assertThat(List.of(String.valueOf(annotations.get(DeploymentFiles.INPUTS)).split(",")))
                    .as("%s inputs", name).isEqualTo(stage.inputs().stream().map(TopicSpec::name).toList());

            Map<String, Object> selector = map(map(map(deployment.get("spec")).get("selector")).get("matchLabels"));
            assertThat(selector).as("%s selector", name).containsEntry("app.kubernetes.io/component", name);
            assertThat(podLabels(deployment)).containsAllEntriesOf(selector);

            Map<String, Object> pod = podSpec(deployment);
            Map<String, Object> container = onlyContainer(deployment);
            assertThat(container.get("args")).as("%s args", name).isEqualTo(List.of("processor", stage.name()));
            assertThat(pod.get("terminationGracePeriodSeconds")).as("%s grace", name).isEqualTo(d.graceSeconds());
            Map<String, Object> resources = map(container.get("resources"));
            assertThat(quantities(map(resources.get("requests")))).as("%s requests", name)
                    .isEqualTo(Map.of("cpu", d.cpuRequest(), "memory", d.memoryRequest()));
            assertThat(quantities(map(resources.get("limits")))).as("%s limits", name)
                    .isEqualTo(Map.of("cpu", d.cpuLimit(), "memory", d.memoryLimit()));

            Map<String, Map<String, Object>> env = env(container);
            if (d.heapPercent() == 0) {
                assertThat(env).as("%s: the image's heap (ConfigMap JAVA_OPTS)", name).doesNotContainKey("JAVA_OPTS");
            } else {
                assertThat(String.valueOf(env.get("JAVA_OPTS").get("value"))).as("%s heap", name)
                        .contains("-XX:MaxRAMPercentage=" + d.heapPercent() + " ").contains("-XX:+ExitOnOutOfMemoryError");
            }
            assertThat(env.containsKey("OPENBIO_MODELS_DIR")).as("%s: OPENBIO_MODELS_DIR iff it runs models", name).isEqualTo(d.models());
            if (d.models()) {
                assertThat(env.get("OPENBIO_MODELS_DIR").get("value")).isEqualTo("/app/models");
            }

            Set<String> volumes = volumes(deployment).keySet();
            Set<String> mounts = mounts(container).keySet();
            assertThat(volumes.contains("bundle-keys")).as("%s: bundle-keys volume iff the contract says so", name).isEqualTo(d.bundleKeys());
            assertThat(mounts.contains("/app/keys/bundle-keys.p12")).as("%s: key store mount", name).isEqualTo(d.bundleKeys());
            assertThat(env.containsKey("OPENBIO_BUNDLE_KEYSTORE_PASSWORD")).as("%s: key store password", name).isEqualTo(d.bundleKeys());
            // callback signing secrets from their Secret, required, only where the contract says (the callback stage)
            assertThat(env.containsKey("OPENBIO_CALLBACK_SECRETS")).as("%s: callback secrets iff the contract says so", name)
                    .isEqualTo(d.callbackSecrets());
            if (d.callbackSecrets()) {
                Map<String, Object> ref = map(map(env.get("OPENBIO_CALLBACK_SECRETS").get("valueFrom")).get("secretKeyRef"));
                assertThat(ref).as("%s: callback secrets' Secret", name)
                        .containsEntry("name", "openbio-callback-secrets").containsEntry("key", "secrets").doesNotContainKey("optional");
            }
            // payload encryption: every stage reads the one payload key store (images and templates in every event)
            assertThat(volumes).as("%s: payload-keys volume", name).contains("payload-keys");
            assertThat(mounts).as("%s: payload key store mount", name).contains("/app/payload-keys");
            assertThat(env).as("%s: payload key store and password", name).containsKeys("OPENBIO_PAYLOAD_KEYSTORE", "OPENBIO_PAYLOAD_KEYSTORE_PASSWORD");
            assertThat(volumes.contains("state")).as("%s: state volume iff the contract gives a state size", name).isEqualTo(d.stateful());
            assertThat(env.containsKey(STATE_DIR)).as("%s: its own %s iff stateful", name, STATE_DIR).isEqualTo(d.stateful());
            if (d.stateful()) {
                assertThat(String.valueOf(map(volumes(deployment).get("state").get("emptyDir")).get("sizeLimit")))
                        .as("%s state size", name).isEqualTo(d.stateSize());
            }
        }
    }

    /**
     * The template and components take any stage: a stage no product has yet, with every option
     * and an input of 2 partitions, rendered from nothing but its generated overlay.
     */
    @Test
    void aNewStageNeedsOnlyItsGeneratedOverlay(@TempDir Path dir) throws IOException {
        TopicSpec<RequestEnvelope> input = new TopicSpec<>("openbio.example.requests", 2, RequestEnvelope.class, Map.of());
        Stage stage = Stage.named("example").family("example").does("an example: models, key store and state")
                .reads(input).tables(Topics.COLLECTIONS).writes(Topics.RESULTS)
                .deployment(Deployment.MODEL.withBundleKeys().withState("3Gi").withGraceSeconds(90))
                .implementedBy("io.example.ExampleProcessor");
        for (String tree : List.of("base", "components")) {
            try (Stream<Path> files = Files.walk(root.resolve("k8s").resolve(tree))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path copy = dir.resolve(root.resolve("k8s").relativize(file).toString());
                    Files.createDirectories(copy.getParent());
                    Files.copy(file, copy);
                }
            }
        }
        Path overlay = dir.resolve("processors/example/kustomization.yaml");
        Files.createDirectories(overlay.getParent());
        Files.writeString(overlay, DeploymentFiles.overlay(stage));

        List<Map<String, Object>> docs = kustomize(overlay.getParent());
        assertThat(docs.stream().map(r -> r.get("kind") + " " + name(r)))
                .containsExactlyInAnyOrder("Deployment processor-example", "ScaledObject processor-example",
                        "TriggerAuthentication processor-example");
        Map<String, Object> deployment = one(docs, "Deployment", "processor-example");
        Map<String, Object> container = onlyContainer(deployment);
        assertThat(container.get("args")).isEqualTo(List.of("processor", "example"));
        assertThat(map(map(deployment.get("metadata")).get("annotations")))
                .containsEntry(DeploymentFiles.APPLICATION_ID, "openbio-example")
                .containsEntry(DeploymentFiles.INPUTS, "openbio.example.requests,openbio.collections");
        assertThat(podSpec(deployment).get("terminationGracePeriodSeconds")).isEqualTo(90);
        assertThat(env(container)).containsKeys("OPENBIO_MODELS_DIR", "OPENBIO_BUNDLE_KEYSTORE", "OPENBIO_BUNDLE_KEYSTORE_PASSWORD",
                STATE_DIR, "JAVA_OPTS", "OPENBIO_PROCESSOR_HTTP_PORT");
        assertThat(String.valueOf(map(volumes(deployment).get("state").get("emptyDir")).get("sizeLimit"))).isEqualTo("3Gi");
        assertThat(mounts(container)).containsKeys("/tmp", "/app/keys", "/app/keys/bundle-keys.p12", "/var/lib/openbio/streams");
        processorTemplateHolds(deployment, "processor-example");
        Map<String, Object> scaled = map(one(docs, "ScaledObject", "processor-example").get("spec"));
        assertThat(scaled.get("maxReplicaCount")).as("ceiling: the input's 2 partitions").isEqualTo(2);
        assertThat(scaled.get("minReplicaCount")).as("a stage with state keeps a peer").isEqualTo(2);
        assertThat(map(scaled.get("scaleTargetRef"))).containsEntry("name", "processor-example");
        scalesOnItsLag(docs, stage, deployment);
    }

    @Test
    void renderedK8sHasNoProcessorOutsideTheContract() {
        List<String> known = Pipeline.stageNames();
        for (Map<String, Object> deployment : of(rendered(), "Deployment")) {
            List<?> args = (List<?>) onlyContainer(deployment).get("args");
            if (args != null && "processor".equals(args.get(0)) || name(deployment).startsWith("processor")) {
                assertThat(args).as(name(deployment) + ": one stage per Deployment").hasSize(2);
                assertThat(known).as(name(deployment) + ": a stage of the pipeline contract").contains(String.valueOf(args.get(1)));
                assertThat(name(deployment)).isEqualTo("processor-" + args.get(1));
            }
        }
        assertThat(of(rendered(), "Deployment").stream().map(DeploymentManifestsTest::name).filter(n -> n.startsWith("processor")))
                .as("processor Deployments").hasSize(known.size());
        assertThat(of(rendered(), "ScaledObject").stream().map(DeploymentManifestsTest::name)
                .filter(n -> n.startsWith("processor"))).as("processor ScaledObjects").hasSize(known.size());
    }

    /** What every processor pod shares (k8s/base/processor), checked on each rendered Deployment. */
    @Test
    void everyRenderedProcessorHasTheTemplatesProbesAndSecurity() {
        for (Stage stage : Pipeline.stages()) {
            Map<String, Object> deployment = one(rendered(), "Deployment", "processor-" + stage.name());
            processorTemplateHolds(deployment, "processor-" + stage.name());
        }
    }

    /** The same properties on the template itself, so they are checked where kubectl is missing too. */
    @Test
    void processorTemplateHasProbesAndSecurity() throws IOException {
        Map<String, Object> base = map(yaml().load(Files.readString(root.resolve("k8s/base/processor/deployment.yaml"))));
        processorTemplateHolds(base, "k8s/base/processor");
        Map<String, Object> scaled = map(yaml().load(Files.readString(root.resolve("k8s/base/processor/scaledobject.yaml"))));
        assertThat(map(map(scaled.get("spec")).get("scaleTargetRef"))).containsEntry("kind", "Deployment").containsEntry("name", name(base));
    }

    private static void processorTemplateHolds(Map<String, Object> deployment, String what) {
        Map<String, Object> spec = map(deployment.get("spec"));
        assertThat(spec).as("%s: the autoscaler owns the replica count", what).doesNotContainKey("replicas");
        Map<String, Object> strategy = map(spec.get("strategy"));
        assertThat(strategy.get("type")).isEqualTo("RollingUpdate");
        assertThat(map(strategy.get("rollingUpdate")).get("maxUnavailable")).as("%s maxUnavailable", what).isEqualTo(0);
        Map<String, Object> annotations = map(map(map(spec.get("template")).get("metadata")).get("annotations"));
        assertThat(annotations).as("%s prometheus annotations", what).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", "/metrics");
        Map<String, Object> pod = podSpec(deployment);
        Map<String, Object> podSecurity = map(pod.get("securityContext"));
        assertThat(podSecurity).as("%s pod securityContext", what).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001)
                .containsEntry("fsGroup", 10001);
        assertThat(map(podSecurity.get("seccompProfile")).get("type")).isEqualTo("RuntimeDefault");

        Map<String, Object> container = onlyContainer(deployment);
        assertThat(container).as("%s: the image's entrypoint chooses the role", what).doesNotContainKey("command");
        assertThat(String.valueOf(((List<?>) container.get("args")).get(0))).isEqualTo("processor");
        assertThat(image(container)).isEqualTo(IMAGE);
        assertThat(sharedEnvRefs(container)).contains(SHARED_ENV);
        Map<String, Object> security = map(container.get("securityContext"));
        assertThat(security).as("%s container securityContext", what).containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("readOnlyRootFilesystem", true);
        assertThat(map(security.get("capabilities")).get("drop")).isEqualTo(List.of("ALL"));

        int port = Integer.parseInt(envValue(container, "OPENBIO_PROCESSOR_HTTP_PORT", "8090"));
        assertThat(annotations.get("prometheus.io/port")).isEqualTo(Integer.toString(port));
        assertThat(probe(container, "readinessProbe")).isEqualTo("/health/ready");
        assertThat(probe(container, "livenessProbe")).isEqualTo("/health/live");
        assertThat(probe(container, "startupProbe")).isEqualTo("/health/live");
        for (String kind : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertThat(probePort(container, kind)).as("%s %s port", what, kind).isEqualTo(port);
        }
        Map<String, Object> resources = map(container.get("resources"));
        assertThat(map(resources.get("requests"))).as("%s requests", what).containsKeys("cpu", "memory");
        assertThat(map(resources.get("limits"))).as("%s limits", what).containsKey("memory");
        // the root filesystem is read-only: /tmp is an emptyDir
        assertThat(mounts(container)).as("%s /tmp", what).containsKey("/tmp");
        assertThat(volumes(deployment).get(String.valueOf(mounts(container).get("/tmp").get("name")))).containsKey("emptyDir");

        // failover (RELIABILITY.md "Two of everything"): static membership under the pod name, and the
        // session timeout at the broker's floor (group.min.session.timeout.ms, 6000 by default)
        Map<String, Object> instanceId = env(container).get("OPENBIO_PROCESSOR_INSTANCE_ID");
        assertThat(instanceId).as("%s OPENBIO_PROCESSOR_INSTANCE_ID", what).isNotNull();
        assertThat(map(map(instanceId.get("valueFrom")).get("fieldRef")).get("fieldPath")).isEqualTo("metadata.name");
        assertThat(envValue(container, "OPENBIO_STREAMS_SESSION_TIMEOUT_MS", "")).as("%s session timeout", what).isEqualTo("6000");
    }

    /**
     * Each Deployment has exactly one autoscaler: a processor a KEDA ScaledObject (which makes and owns
     * its HPA: a second HPA on the same Deployment would fight it), the gateway a CPU HPA.
     */
    @Test
    void everyRenderedDeploymentHasExactlyOneAutoscaler() {
        List<Map<String, Object>> deployments = of(rendered(), "Deployment");
        assertThat(deployments).isNotEmpty();
        for (Map<String, Object> deployment : deployments) {
            String name = name(deployment);
            List<Map<String, Object>> hpas = of(rendered(), "HorizontalPodAutoscaler").stream()
                    .filter(h -> targets(h, name)).toList();
            List<Map<String, Object>> scaledObjects = of(rendered(), "ScaledObject").stream().filter(o -> targets(o, name)).toList();
            assertThat(hpas.size() + scaledObjects.size()).as("autoscalers of Deployment %s", name).isEqualTo(1);
            assertThat(map(deployment.get("spec"))).as("%s: the autoscaler owns the replica count", name).doesNotContainKey("replicas");
            if (name.startsWith("processor-")) {
                assertThat(scaledObjects).as("%s scales on its consumer lag", name).hasSize(1);
                continue;
            }
            Map<String, Object> hpa = hpas.get(0);
            assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
            Map<String, Object> spec = map(hpa.get("spec"));
            assertThat(((List<?>) spec.get("metrics")).stream()
                    .map(DeploymentManifestsTest::map)
                    .filter(m -> "Resource".equals(m.get("type")))
                    .map(m -> map(m.get("resource")).get("name")))
                    .as("HPA %s scales on cpu", name).contains("cpu");
            int min = (Integer) spec.getOrDefault("minReplicas", 1);
            int max = (Integer) spec.get("maxReplicas");
            assertThat(min).isBetween(1, max);
            assertThat(requests(onlyContainer(deployment))).as("%s: CPU utilisation needs a CPU request", name).containsKey("cpu");
        }
    }

    private static boolean targets(Map<String, Object> autoscaler, String deployment) {
        Map<String, Object> target = map(map(autoscaler.get("spec")).get("scaleTargetRef"));
        return "Deployment".equals(target.getOrDefault("kind", "Deployment")) && deployment.equals(target.get("name"));
    }

    /**
     * The stage's KEDA ScaledObject (among {@code docs}) scales {@code deployment} on the lag of its
     * consumer group (= its Kafka Streams application id) on its input streams, between
     * {@link DeploymentFiles#scaling} min and max, never above the partitions of any topic it
     * counts; its Kafka triggers log in through a TriggerAuthentication that uses the stage's own
     * principal: the Secret and CA the Deployment mounts, the user name in the container's env.
     */
    private static void scalesOnItsLag(List<Map<String, Object>> docs, Stage stage, Map<String, Object> deployment) {
        String name = name(deployment);
        DeploymentFiles.Scaling scaling = DeploymentFiles.scaling(stage);
        Map<String, Object> spec = map(one(docs, "ScaledObject", name).get("spec"));
        assertThat(map(spec.get("scaleTargetRef"))).as("%s ScaledObject target", name).containsEntry("name", name);
        int min = (Integer) spec.get("minReplicaCount");
        int max = (Integer) spec.get("maxReplicaCount");
        assertThat(min).as("%s min replicas", name).isEqualTo(scaling.minReplicas()).isBetween(1, max);
        assertThat(min).as("%s: a stage with state keeps a peer", name).isEqualTo(stage.deployment().stateful() ? Math.min(2, max) : 1);
        assertThat(max).as("%s max replicas", name).isEqualTo(scaling.maxReplicas());
        for (TopicSpec<?> input : stage.reads()) {
            assertThat(max).as("%s: pods beyond the partitions of %s would idle", name, input.name()).isLessThanOrEqualTo(input.partitions());
        }
        Map<String, Object> env = map(map(resource("ConfigMap", SHARED_ENV).get("data")));
        List<Map<String, Object>> triggers = list(spec.get("triggers")).stream().map(DeploymentManifestsTest::map).toList();
        assertThat(triggers).as("%s triggers", name).isNotEmpty();
        List<String> topics = new ArrayList<>();
        Set<String> authentications = new TreeSet<>();
        for (Map<String, Object> trigger : triggers) {
            assertThat(trigger.get("type")).as("%s trigger type", name).isEqualTo("kafka");
            Map<String, Object> metadata = map(trigger.get("metadata"));
            assertThat(metadata.get("consumerGroup")).as("%s: the consumer group is the application id", name).isEqualTo(stage.applicationId());
            String bootstrapEnv = String.valueOf(metadata.get("bootstrapServersFromEnv"));
            assertThat(env).as("%s: KEDA reads the brokers from the pods' own %s", name, bootstrapEnv).containsKey(bootstrapEnv);
            assertThat(metadata).as("%s: SCRAM-SHA-512 over TLS, like the stage", name)
                    .containsEntry("sasl", "scram_sha512").containsEntry("tls", "enable");
            assertThat(Integer.parseInt(String.valueOf(metadata.get("lagThreshold")))).as("%s lag threshold", name)
                    .isEqualTo(scaling.lagThreshold()).isPositive();
            if (metadata.containsKey("topic")) {
                topics.add(String.valueOf(metadata.get("topic")));
            }
            authentications.add(String.valueOf(map(trigger.get("authenticationRef")).get("name")));
        }
        assertThat(topics).as("%s: one trigger per input stream (none named: every topic of its group)", name)
                .containsExactlyElementsOf(scaling.topics());
        if (scaling.topics().isEmpty()) {
            assertThat(triggers).as("%s: one trigger for all its group's topics", name).hasSize(1);
        }

        assertThat(authentications).as("%s trigger authentication", name).hasSize(1);
        Map<String, Object> auth = map(one(docs, "TriggerAuthentication", authentications.iterator().next()).get("spec"));
        Map<String, Map<String, Object>> secretRefs = new LinkedHashMap<>();
        list(auth.get("secretTargetRef")).forEach(r -> secretRefs.put(String.valueOf(map(r).get("parameter")), map(r)));
        assertThat(secretRefs.keySet()).as("%s: KEDA's secrets", name).containsExactlyInAnyOrder("password", "ca");
        Map<String, Map<String, Object>> volumes = volumes(deployment);
        String principal = KafkaAccess.stagePrincipal(stage);
        assertThat(secretRefs.get("password")).as("%s: the password of its own principal, from the Secret it mounts", name)
                .containsEntry("name", map(volumes.get("kafka-credentials").get("secret")).get("secretName"))
                .containsEntry("key", principal);
        assertThat(secretRefs.get("ca")).as("%s: the CA its pods trust", name)
                .containsEntry("name", map(volumes.get("kafka-ca").get("secret")).get("secretName")).containsEntry("key", "ca.crt");
        List<Map<String, Object>> envRefs = list(auth.get("env")).stream().map(DeploymentManifestsTest::map).toList();
        assertThat(envRefs).as("%s: the user name from the container's env", name).hasSize(1);
        assertThat(envRefs.get(0)).containsEntry("parameter", "username").containsEntry("containerName", "processor");
        Map<String, Object> username = env(onlyContainer(deployment)).get(String.valueOf(envRefs.get(0).get("name")));
        assertThat(username).as("%s: %s set", name, envRefs.get(0).get("name")).isNotNull();
        assertThat(username.get("value")).as("%s: KEDA logs in as the stage's principal", name).isEqualTo(principal);
    }

    /**
     * Partitions are sized for the most replicas, from one place: a stage's ceiling is the fewest
     * partitions of its input streams, so no stage may scale to pods that would idle; the
     * Kafka-client stage, which counts every topic of its group, has no more pods than its tenants'
     * request topics have partitions either.
     */
    @Test
    void everyStagesMaximumReplicasFitThePartitionsOfWhatItReads() {
        for (Stage stage : Pipeline.stages()) {
            DeploymentFiles.Scaling scaling = DeploymentFiles.scaling(stage);
            assertThat(scaling.minReplicas()).as(stage.name()).isBetween(1, scaling.maxReplicas());
            assertThat(stage.reads()).as("%s reads a stream", stage.name()).isNotEmpty();
            for (TopicSpec<?> input : stage.reads()) {
                assertThat(scaling.maxReplicas()).as("%s max replicas <= partitions of %s", stage.name(), input.name())
                        .isLessThanOrEqualTo(input.partitions());
            }
            assertThat(scaling.maxReplicas()).as("%s: the ceiling is the fewest partitions, not fewer", stage.name())
                    .isEqualTo(stage.reads().stream().mapToInt(TopicSpec::partitions).min().orElseThrow());
        }
        assertThat(DeploymentFiles.scaling(io.openbio.schemas.contract.ClientsContract.STAGE).maxReplicas())
                .as("kafka-clients: its tenants' request topics").isLessThanOrEqualTo(
                        io.openbio.schemas.contract.ClientsContract.requests("example").partitions());
    }

    // ------------------------------------------------------------------ trust boundaries (issue #13)

    /**
     * The upstream registry image answers admin calls without authentication and the broker is for
     * the platform's containers only: compose publishes neither on the host (only the gateway), and
     * the broker has no host listener (its configuration is KafkaSecrets.singleNodeProperties, checked
     * in {@link #theBrokerHasNoPlaintextListenerAndAuthorizesEveryRequest}).
     */
    @Test
    void composePublishesNoBrokerOrRegistryPort() {
        for (String name : List.of("kafka", "registry")) {
            Map<String, Object> service = service(name);
            assertThat(service.get("ports")).as("compose %s: published ports", name).isNull();
            assertThat(service.get("network_mode")).as("compose %s: host networking", name).isNull();
        }
        Map<String, Object> kafka = map(service("kafka").get("environment"));
        assertThat(kafka.keySet()).as("broker listeners come from its generated server.properties only")
                .noneMatch(k -> k.contains("LISTENER"));
        Set<String> publishing = new TreeSet<>();
        services().forEach((name, service) -> {
            if (service.get("ports") != null) {
                publishing.add(name);
            }
        });
        assertThat(publishing).as("compose services with published ports").containsExactly("gateway");
    }

    /**
     * Rendered by {@code kubectl kustomize k8s/}: ingress is denied by default in namespace openbio;
     * the gateway's port is open; processors' health port and the registry only from pods of the
     * namespace (plus monitoring for the processors), never from an IP block or another namespace.
     */
    @Test
    void renderedNetworkPoliciesDenyByDefaultAndAdmitOnlyTheirPeers() {
        List<Map<String, Object>> all = rendered();
        List<Map<String, Object>> policies = of(all, "NetworkPolicy");
        assertThat(policies.stream().map(DeploymentManifestsTest::name))
                .containsExactlyInAnyOrder("default-deny-ingress", "gateway-ingress", "processors-ingress", "registry-ingress");
        for (Map<String, Object> policy : policies) {
            assertThat(map(policy.get("metadata")).get("namespace")).as("%s namespace", name(policy)).isEqualTo("openbio");
            assertThat(list(map(policy.get("spec")).get("policyTypes"))).as("%s policy types", name(policy)).contains("Ingress");
        }

        Map<String, Object> deny = map(one(all, "NetworkPolicy", "default-deny-ingress").get("spec"));
        assertThat(map(deny.get("podSelector"))).as("default deny selects every pod").isEmpty();
        assertThat(deny.get("ingress")).as("default deny admits nothing").isNull();

        Map<String, Object> gatewayPod = map(map(map(map(one(all, "Deployment", "gateway").get("spec")).get("template")).get("metadata")).get("labels"));
        Map<String, Object> gateway = map(one(all, "NetworkPolicy", "gateway-ingress").get("spec"));
        assertThat(gatewayPod).as("gateway policy selects the gateway pods")
                .containsAllEntriesOf(map(map(gateway.get("podSelector")).get("matchLabels")));
        assertThat(ports(gateway)).containsExactly(8080);

        Map<String, Object> processors = map(one(all, "NetworkPolicy", "processors-ingress").get("spec"));
        assertThat(ports(processors)).containsExactly(8090);
        for (Map<String, Object> peer : peers(processors)) {
            assertThat(peer).as("processors: peers are pods of this namespace or the monitoring namespace").doesNotContainKey("ipBlock");
            if (peer.containsKey("namespaceSelector")) {
                assertThat(map(map(peer.get("namespaceSelector")).get("matchLabels")))
                        .containsExactly(Map.entry("kubernetes.io/metadata.name", "monitoring"));
            }
        }

        Map<String, Object> registry = map(one(all, "NetworkPolicy", "registry-ingress").get("spec"));
        assertThat(map(map(registry.get("podSelector")).get("matchLabels")))
                .as("the operator's labels of ApicurioRegistry openbio-registry").containsEntry("apicur.io/name", "openbio-registry");
        assertThat(ports(registry)).containsExactly(8080);
        List<Map<String, Object>> registryPeers = peers(registry);
        assertThat(registryPeers).as("registry: only pods of namespace openbio").isNotEmpty().allSatisfy(peer ->
                assertThat(peer).as("a podSelector alone (same namespace), no namespaceSelector or ipBlock")
                        .containsOnlyKeys("podSelector"));
    }

    private static List<Object> list(Object value) {
        return value == null ? List.of() : new ArrayList<>((List<?>) value);
    }

    /** Every ingress rule's ports of a NetworkPolicy spec. */
    private static List<Integer> ports(Map<String, Object> spec) {
        List<Integer> ports = new ArrayList<>();
        for (Object rule : list(spec.get("ingress"))) {
            for (Object port : list(map(rule).get("ports"))) {
                ports.add((Integer) map(port).get("port"));
            }
        }
        return ports;
    }

    /** Every ingress rule's peers ({@code from}) of a NetworkPolicy spec; a rule without {@code from} admits everyone. */
    private static List<Map<String, Object>> peers(Map<String, Object> spec) {
        List<Map<String, Object>> peers = new ArrayList<>();
        for (Object rule : list(spec.get("ingress"))) {
            Object from = map(rule).get("from");
            assertThat(from).as("an ingress rule without peers admits every source").isNotNull();
            list(from).forEach(peer -> peers.add(map(peer)));
        }
        return peers;
    }

    // ------------------------------------------------------------------ compose processors

    @Test
    void composeHasExactlyOneServicePerContractStageSharingXProcessor() {
        Map<String, Object> shared = map(compose.get("x-processor"));
        assertThat(shared).as("x-processor").containsKeys("image", "environment", "depends_on", "healthcheck", "restart");
        Map<String, Object> sharedEnv = map(shared.get("environment"));
        assertThat(sharedEnv).containsKeys("OPENBIO_KAFKA_BOOTSTRAP", "OPENBIO_REGISTRY_URL", "OPENBIO_PROCESSOR_HTTP_PORT");
        for (Stage stage : Pipeline.stages()) {
            Deployment d = stage.deployment();
            String name = "processor-" + stage.name();
            List<String> running = services().entrySet().stream()
                    .filter(e -> command(e.getValue()).equals(List.of("processor", stage.name()))).map(Map.Entry::getKey).toList();
            assertThat(running).as("compose services running stage %s", stage.name()).containsExactly(name);
            Map<String, Object> service = service(name);
            for (String key : List.of("image", "build", "depends_on", "healthcheck", "restart")) {
                assertThat(service.get(key)).as("compose %s %s (x-processor)", name, key).isEqualTo(shared.get(key));
            }
            assertThat(String.valueOf(service.get("image"))).startsWith(IMAGE + ":");
            assertThat(String.valueOf(map(service.get("healthcheck")).get("test"))).contains("/health/ready");
            assertThat(dependsOn(service)).containsEntry("setup", "service_completed_successfully");
            Map<String, Object> env = map(service.get("environment"));
            assertThat(env).as("compose %s environment", name).containsAllEntriesOf(sharedEnv);
            assertThat(env.containsKey("OPENBIO_MODELS_DIR")).as("compose %s: models", name).isEqualTo(d.models());
            assertThat(env.containsKey("OPENBIO_BUNDLE_KEYSTORE")).as("compose %s: bundle key store", name).isEqualTo(d.bundleKeys());
            assertThat(list(service.get("volumes")).contains("bundle-keys:/app/keys")).as("compose %s: bundle-keys volume", name)
                    .isEqualTo(d.bundleKeys());
            assertThat(list(service.get("volumes"))).as("compose %s: payload-keys volume", name).contains("payload-keys:/app/payload-keys");
            assertThat(env).as("compose %s: payload key store", name).containsKeys("OPENBIO_PAYLOAD_KEYSTORE", "OPENBIO_PAYLOAD_KEYSTORE_PASSWORD");
            assertThat(env.containsKey("OPENBIO_CALLBACK_SECRETS")).as("compose %s: callback secrets iff the contract says so", name)
                    .isEqualTo(d.callbackSecrets());
            assertThat(String.valueOf(service.get("stop_grace_period"))).as("compose %s grace", name).isEqualTo(d.graceSeconds() + "s");
        }
        services().forEach((service, definition) -> {
            List<String> command = command(definition);
            if (!command.isEmpty() && "processor".equals(command.get(0))) {
                assertThat(command).as(service + ": one stage per service").hasSize(2);
                assertThat(Pipeline.stageNames()).contains(command.get(1));
            }
        });
    }

    @Test
    void composeGatewayWaitsForEveryStage() {
        Map<String, String> dependsOn = dependsOn(service("gateway"));
        for (String stage : Pipeline.stageNames()) {
            assertThat(dependsOn).containsEntry("processor-" + stage, "service_healthy");
        }
        assertThat(dependsOn.keySet().stream().filter(s -> s.startsWith("processor-"))).hasSize(Pipeline.stageNames().size());
    }

    // ------------------------------------------------------------------ topics

    @Test
    void k8sTopicListEqualsPipelineTopics() {
        Map<String, Object> configMap = resource("ConfigMap", "openbio-topics");
        List<?> listed = yaml().load(String.valueOf(map(configMap.get("data")).get("topics.yaml")));
        Map<String, Map<String, Object>> documented = new TreeMap<>();
        for (Object entry : listed) {
            Map<String, Object> topic = map(entry);
            Map<String, String> config = new TreeMap<>();
            map(topic.get("config")).forEach((k, v) -> config.put(k, String.valueOf(v)));
            Object previous = documented.put(String.valueOf(topic.get("name")),
                    Map.of("partitions", topic.get("partitions"), "config", config));
            assertThat(previous).as("topic %s listed twice", topic.get("name")).isNull();
        }
        Map<String, Map<String, Object>> expected = new TreeMap<>();
        for (TopicSpec<?> topic : Pipeline.topics()) {
            expected.put(topic.name(), Map.of("partitions", topic.partitions(), "config", new TreeMap<>(topic.config())));
        }
        assertThat(documented).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ environment

    /**
     * Every {@code OPENBIO_*} variable the deployment files set is a setting of the catalog
     * ({@link Settings#ALL}, which lists what the code reads), so none is set in vain.
     */
    @Test
    void everyOpenbioVariableInTheManifestsIsInTheSettingsCatalog() throws IOException {
        Set<String> known = catalogNames();
        assertThat(known).contains("OPENBIO_KAFKA_BOOTSTRAP", "OPENBIO_REGISTRY_URL", "OPENBIO_PROCESSOR_HTTP_PORT",
                "OPENBIO_GATEWAY_INSTANCE_ID");
        List<Path> manifests = new ArrayList<>(allK8sYaml());
        manifests.add(root.resolve("docker-compose.yml"));
        manifests.add(root.resolve("docker/Dockerfile"));
        manifests.add(root.resolve("docker/entrypoint.sh"));
        Set<String> used = new TreeSet<>();
        for (Path file : manifests) {
            Matcher m = ENV_NAME.matcher(Files.readString(file));
            while (m.find()) {
                assertThat(known).as("%s sets %s, which is not in the settings catalog (io.openbio.schemas.settings.Settings)",
                        root.relativize(file), m.group()).contains(m.group());
                used.add(m.group());
            }
        }
        assertThat(used).contains("OPENBIO_KAFKA_BOOTSTRAP", "OPENBIO_REGISTRY_URL", "OPENBIO_GATEWAY_INSTANCE_ID",
                "OPENBIO_MODELS_DIR", "OPENBIO_BUNDLE_KEYSTORE", STATE_DIR);
    }

    /** The gateway's Spring placeholders ({@code ${OPENBIO_...:default}}) are settings of the catalog. */
    @Test
    void everyGatewayPlaceholderIsInTheSettingsCatalog() throws IOException {
        Matcher placeholder = Pattern.compile("\\$\\{(OPENBIO_[A-Z0-9_]+)[:}]")
                .matcher(Files.readString(root.resolve("gateway/src/main/resources/application.properties")));
        Set<String> known = catalogNames();
        Set<String> used = new TreeSet<>();
        while (placeholder.find()) {
            assertThat(known).as("application.properties reads %s, which is not in the settings catalog", placeholder.group(1))
                    .contains(placeholder.group(1));
            assertThat(Settings.byEnv(placeholder.group(1)).orElseThrow().readBy()).as(placeholder.group(1))
                    .contains(Setting.Component.GATEWAY);
            used.add(placeholder.group(1));
        }
        assertThat(used).contains("OPENBIO_GATEWAY_PORT", "OPENBIO_GATEWAY_REQUEST_TIMEOUT", "OPENBIO_API_KEYS");
    }

    @Test
    void everyOpenbioContainerGetsTheBrokerAndRegistry() {
        Map<String, Object> shared = map(resource("ConfigMap", SHARED_ENV).get("data"));
        assertThat(shared).containsKeys("OPENBIO_KAFKA_BOOTSTRAP", "OPENBIO_REGISTRY_URL", "OPENBIO_KAFKA_REPLICATION");
        // PlatformSetup posts <url>/admin/rules and the gateway reads <url>/system/info: the native v2 API
        assertThat(String.valueOf(shared.get("OPENBIO_REGISTRY_URL"))).endsWith("/apis/registry/v2");
        services().forEach((name, service) -> {
            // kafka-secrets only writes files (no broker or registry yet)
            if (String.valueOf(service.get("image")).startsWith(IMAGE + ":") && !name.equals("kafka-secrets")) {
                Map<String, Object> env = map(service.get("environment"));
                assertThat(env).as("compose " + name).containsKeys("OPENBIO_KAFKA_BOOTSTRAP", "OPENBIO_REGISTRY_URL");
                assertThat(String.valueOf(env.get("OPENBIO_REGISTRY_URL"))).endsWith("/apis/registry/v2");
                assertThat(String.valueOf(env.get("OPENBIO_KAFKA_REPLICATION"))).isEqualTo("1");
            }
        });
        for (Map<String, Object> workload : workloads(rendered())) {
            for (Map<String, Object> container : containers(workload)) {
                assertThat(image(container)).as(name(workload)).isEqualTo(IMAGE);
                assertThat(sharedEnvRefs(container)).as(name(workload) + " envFrom").contains(SHARED_ENV);
            }
        }
    }

    // ------------------------------------------------------------------ gateway

    @Test
    void gatewayServiceTargetsTheGatewayContainerPort() {
        Map<String, Object> deployment = resource("Deployment", "gateway");
        Map<String, Object> container = onlyContainer(deployment);
        assertThat(container.get("args")).isEqualTo(List.of("gateway"));
        int port = Integer.parseInt(envValue(container, "OPENBIO_GATEWAY_PORT", "8080"));
        assertThat(containerPorts(container)).containsValue(port);

        Map<String, Object> service = resource("Service", "gateway");
        Map<String, Object> podLabels = map(map(map(map(deployment.get("spec")).get("template")).get("metadata")).get("labels"));
        Map<String, Object> selector = map(map(service.get("spec")).get("selector"));
        assertThat(selector).isNotEmpty();
        assertThat(podLabels).containsAllEntriesOf(selector);
        List<?> ports = (List<?>) map(service.get("spec")).get("ports");
        assertThat(ports).isNotEmpty();
        for (Object servicePort : ports) {
            assertThat(resolvePort(container, map(servicePort).get("targetPort"))).as("Service gateway targetPort").isEqualTo(port);
        }

        assertThat(probe(container, "readinessProbe")).isEqualTo("/actuator/health/readiness");
        assertThat(probe(container, "livenessProbe")).isEqualTo("/actuator/health/liveness");
        assertThat(probePort(container, "readinessProbe")).isEqualTo(port);
        assertThat(probePort(container, "livenessProbe")).isEqualTo(port);

        // each pod its own instance id (reply topic openbio.replies.<id>): the pod name
        Map<String, Object> instanceId = env(container).get("OPENBIO_GATEWAY_INSTANCE_ID");
        assertThat(instanceId).as("OPENBIO_GATEWAY_INSTANCE_ID").isNotNull();
        assertThat(map(map(instanceId.get("valueFrom")).get("fieldRef")).get("fieldPath")).isEqualTo("metadata.name");
        assertThat(List.of(envValue(container, "OPENBIO_GATEWAY_REQUIRED_PROCESSORS", "").split(",")))
                .as("k8s OPENBIO_GATEWAY_REQUIRED_PROCESSORS: the contract's stages, in its order").isEqualTo(Pipeline.stageNames());

        assertThat(env(container)).as("k8s gateway: payload key store").containsKeys("OPENBIO_PAYLOAD_KEYSTORE", "OPENBIO_PAYLOAD_KEYSTORE_PASSWORD");
        assertThat(mounts(container)).as("k8s gateway: payload key store mount").containsKey("/app/payload-keys");
        // every gateway pod signs the BioServer answers with the one key of one Secret
        assertThat(env(container)).as("k8s gateway: BioServer signing key store")
                .containsKeys("OPENBIO_BIOSERVER_SIGNING_KEYSTORE", "OPENBIO_BIOSERVER_SIGNING_KEYSTORE_PASSWORD");
        assertThat(envValue(container, "OPENBIO_BIOSERVER_SIGNING_KEYSTORE", "")).startsWith("/app/bioserver-signing/");
        assertThat(mounts(container)).as("k8s gateway: BioServer signing key store mount").containsKey("/app/bioserver-signing");

        Map<String, Object> composeGateway = service("gateway");
        assertThat(command(composeGateway)).isEqualTo(List.of("gateway"));
        Map<String, Object> composeEnv = map(composeGateway.get("environment"));
        assertThat(composeEnv).as("compose gateway: payload key store").containsKeys("OPENBIO_PAYLOAD_KEYSTORE", "OPENBIO_PAYLOAD_KEYSTORE_PASSWORD");
        assertThat(((List<?>) composeGateway.get("volumes")).stream().map(String::valueOf)).contains("payload-keys:/app/payload-keys");
        assertThat(composeEnv).as("compose gateway: BioServer signing key store")
                .containsKeys("OPENBIO_BIOSERVER_SIGNING_KEYSTORE", "OPENBIO_BIOSERVER_SIGNING_KEYSTORE_PASSWORD");
        assertThat(String.valueOf(composeEnv.get("OPENBIO_BIOSERVER_SIGNING_KEYSTORE"))).startsWith("/app/bioserver-signing/");
        assertThat(((List<?>) composeGateway.get("volumes")).stream().map(String::valueOf)).contains("bioserver-signing:/app/bioserver-signing");
        String composePort = String.valueOf(composeEnv.getOrDefault("OPENBIO_GATEWAY_PORT", "8080"));
        assertThat(((List<?>) composeGateway.get("ports")).stream().map(String::valueOf))
                .anyMatch(p -> p.endsWith(":" + composePort));
        assertThat(String.valueOf(map(composeGateway.get("healthcheck")).get("test"))).contains(":" + composePort + "/");
        assertThat(List.of(String.valueOf(composeEnv.get("OPENBIO_GATEWAY_REQUIRED_PROCESSORS")).split(",")))
                .as("compose OPENBIO_GATEWAY_REQUIRED_PROCESSORS: the contract's stages, in its order").isEqualTo(Pipeline.stageNames());
        assertThat(String.valueOf(composeEnv.get("OPENBIO_GATEWAY_INSTANCE_ID"))).matches("[A-Za-z0-9._-]{1,100}");
    }

    /**
     * Without the variable the gateway waits for every stage too: where application.properties still
     * spells a default list out, it is the contract's, in its order. (The gateway's Java code is not
     * read here; its own tests check what it does without the setting.)
     */
    @Test
    void gatewayDefaultRequiredProcessorsAreTheContractsStages() throws IOException {
        Matcher property = Pattern.compile("(?m)^openbio\\.gateway\\.required-processors=\\$\\{OPENBIO_GATEWAY_REQUIRED_PROCESSORS:([^}]+)}\\s*$")
                .matcher(Files.readString(root.resolve("gateway/src/main/resources/application.properties")));
        if (property.find()) {
            assertThat(List.of(property.group(1).split(","))).as("application.properties default").isEqualTo(Pipeline.stageNames());
        }
    }

    // ------------------------------------------------------------------ capture-bundle key store

    /**
     * The gateway serves the public key of the store whose private keys the stages that open capture
     * bundles hold (every stage whose contract Deployment mounts the key store: decrypt, ekyc-prepare,
     * ekyc-prepare-doc, collections; processors' ProcessorCatalogTest checks that exactly those stages
     * take the server's keys): all must read the same file. k8s: the same path, mounted from the same Secret
     * key, with the password from the same Secret; compose: the same path on one named volume.
     */
    @Test
    void gatewayAndBundleStagesShareOneBundleKeyStore() throws IOException {
        String keystore = "OPENBIO_BUNDLE_KEYSTORE";
        String password = "OPENBIO_BUNDLE_KEYSTORE_PASSWORD";
        // ProcessorCatalogTest checks each stage takes the server's keys exactly when its contract says so
        Set<String> stages = Pipeline.stages().stream().filter(s -> s.deployment().bundleKeys()).map(Stage::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(stages).as("stages whose contract Deployment mounts the bundle keys")
                .contains("decrypt", "ekyc-prepare", "ekyc-prepare-doc", "collections");
        List<String> workloads = new ArrayList<>(List.of("gateway"));
        stages.forEach(stage -> workloads.add("processor-" + stage));
        List<Map<String, Object>> k8sPods = workloads.stream().map(w -> one(rendered(), "Deployment", w)).toList();
        Set<String> k8sStores = new TreeSet<>();
        Set<String> k8sSources = new TreeSet<>();
        Set<String> k8sPasswords = new TreeSet<>();
        for (Map<String, Object> deployment : k8sPods) {
            Map<String, Object> container = onlyContainer(deployment);
            String path = envValue(container, keystore, "");
            assertThat(path).as("%s: %s", name(deployment), keystore).startsWith("/");
            k8sStores.add(path);
            k8sSources.add(mountedSecretFile(deployment, container, path));
            Map<String, Object> secretRef = map(map(env(container).getOrDefault(password, Map.of()).get("valueFrom")).get("secretKeyRef"));
            assertThat(secretRef).as("%s: %s from a Secret", name(deployment), password).isNotEmpty();
            k8sPasswords.add(secretRef.get("name") + "/" + secretRef.get("key"));
        }
        assertThat(k8sStores).as("k8s key store paths").hasSize(1);
        assertThat(k8sSources).as("k8s key store Secret/key").hasSize(1);
        assertThat(k8sPasswords).as("k8s key store password Secret/key").hasSize(1);

        Set<String> composeStores = new TreeSet<>();
        Set<String> composeVolumes = new TreeSet<>();
        Set<String> composePasswords = new TreeSet<>();
        Set<String> namedVolumes = map(compose.get("volumes")).keySet();
        for (String name : workloads) {
            Map<String, Object> env = map(service(name).get("environment"));
            String path = String.valueOf(env.get(keystore));
            assertThat(path).as("compose %s: %s", name, keystore).startsWith("/");
            composeStores.add(path);
            composePasswords.add(String.valueOf(env.get(password)));
            String dir = path.substring(0, path.lastIndexOf('/'));
            List<String> volumes = ((List<?>) service(name).getOrDefault("volumes", List.of())).stream().map(String::valueOf)
                    .filter(v -> v.split(":").length > 1 && v.split(":")[1].equals(dir)).toList();
            assertThat(volumes).as("compose %s: a volume at %s", name, dir).hasSize(1);
            String volume = volumes.get(0).split(":")[0];
            assertThat(namedVolumes).as("compose %s: %s is a named volume", name, volume).contains(volume);
            composeVolumes.add(volume);
        }
        assertThat(composeStores).as("compose key store paths").hasSize(1);
        assertThat(composeVolumes).as("compose key store volumes").hasSize(1);
        assertThat(composePasswords).as("compose key store passwords").hasSize(1);
    }

    /** "secret/key" of the Secret file the container sees at {@code path} (a file mount, or a directory mount holding it). */
    private static String mountedSecretFile(Map<String, Object> workload, Map<String, Object> container, String path) {
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        Object podVolumes = map(map(map(workload.get("spec")).get("template")).get("spec")).get("volumes");
        if (podVolumes != null) {
            ((List<?>) podVolumes).forEach(v -> volumes.put(String.valueOf(map(v).get("name")), map(v)));
        }
        // the innermost mount that holds the path: the file itself, else the deepest directory
        Map<String, Object> mount = null;
        String inVolume = null;
        Object mounts = container.get("volumeMounts");
        for (Object entry : mounts == null ? List.of() : (List<?>) mounts) {
            Map<String, Object> candidate = map(entry);
            String mountPath = String.valueOf(candidate.get("mountPath"));
            boolean deeper = mount == null || mountPath.length() > String.valueOf(mount.get("mountPath")).length();
            if (mountPath.equals(path) && deeper) {
                mount = candidate;
                inVolume = String.valueOf(candidate.get("subPath"));
            } else if (path.startsWith(mountPath + "/") && deeper) {
                mount = candidate;
                String below = path.substring(mountPath.length() + 1);
                inVolume = candidate.get("subPath") == null ? below : candidate.get("subPath") + "/" + below;
            }
        }
        if (mount == null) {
            throw new AssertionError(name(workload) + ": nothing mounted at " + path);
        }
        Map<String, Object> secret = map(volumes.getOrDefault(String.valueOf(mount.get("name")), Map.of()).get("secret"));
        assertThat(secret).as("%s: %s is mounted from a Secret", name(workload), path).isNotEmpty();
        assertThat(mount.get("readOnly")).as("%s: %s read-only", name(workload), path).isEqualTo(true);
        String file = inVolume;
        Object items = secret.get("items");
        String key = items == null ? file : ((List<?>) items).stream().map(DeploymentManifestsTest::map)
                .filter(i -> file.equals(String.valueOf(i.get("path"))))
                .map(i -> String.valueOf(i.get("key"))).findFirst().orElse(null);
        assertThat(key).as("%s: the Secret key behind %s", name(workload), path).isNotNull();
        return secret.get("secretName") + "/" + key;
    }

    // ------------------------------------------------------------------ persistent state stores

    /**
     * A stage whose main code declares a persistent (RocksDB) state store (nonce, search, ekyc-match,
     * ekyc-assembler, collections) keeps it out of /tmp in the cluster: its Deployment sets its own
     * {@code OPENBIO_STREAMS_STATE_DIR} (not the shared ConfigMap's) and mounts an emptyDir there, so
     * the store survives container restarts and a new pod restores it from the changelog.
     */
    @Test
    void stagesWithPersistentStoresKeepThemOnAStateVolume() throws IOException {
        String stateDir = "OPENBIO_STREAMS_STATE_DIR";
        // ProcessorCatalogTest checks each topology keeps state stores exactly when its contract says so
        Set<String> stages = Pipeline.stages().stream().filter(s -> s.deployment().stateful()).map(Stage::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(stages).as("stages whose contract Deployment has a state size")
                .contains("nonce", "search", "ekyc-match", "ekyc-assembler", "collections");
        String shared = String.valueOf(map(resource("ConfigMap", SHARED_ENV).get("data")).get(stateDir));
        for (String stage : stages) {
            Map<String, Object> deployment = one(rendered(), "Deployment", "processor-" + stage);
            Map<String, Object> container = onlyContainer(deployment);
            Map<String, Object> entry = env(container).get(stateDir);
            assertThat(entry).as("processor-%s: its own %s", stage, stateDir).isNotNull();
            String path = String.valueOf(entry.get("value"));
            assertThat(path).as("processor-%s: %s", stage, stateDir).startsWith("/").isNotEqualTo(shared).doesNotStartWith("/tmp");
            Map<String, Object> mount = ((List<?>) container.getOrDefault("volumeMounts", List.of())).stream()
                    .map(DeploymentManifestsTest::map)
                    .filter(m -> path.equals(String.valueOf(m.get("mountPath"))))
                    .findFirst().orElse(null);
            assertThat(mount).as("processor-%s: a volume mounted at %s", stage, path).isNotNull();
            assertThat(mount.get("readOnly")).as("processor-%s: %s writable", stage, path).isNotEqualTo(true);
            Object podVolumes = map(map(map(deployment.get("spec")).get("template")).get("spec")).get("volumes");
            Map<String, Object> volume = ((List<?>) (podVolumes == null ? List.of() : podVolumes)).stream()
                    .map(DeploymentManifestsTest::map)
                    .filter(v -> String.valueOf(mount.get("name")).equals(String.valueOf(v.get("name"))))
                    .findFirst().orElse(Map.of());
            assertThat(volume).as("processor-%s: volume %s is an emptyDir", stage, mount.get("name")).containsKey("emptyDir");
        }
    }


    // ------------------------------------------------------------------ set-up and broker

    @Test
    void setupRunsPlatformSetup() throws IOException {
        Map<String, Object> setup = service("setup");
        assertThat(command(setup)).isEqualTo(List.of("setup"));
        assertThat(dependsOn(setup)).containsEntry("kafka", "service_healthy").containsEntry("registry", "service_healthy");
        assertThat(String.valueOf(setup.get("restart"))).isEqualTo("no");

        Map<String, Object> job = resource("Job", "openbio-setup");
        assertThat(onlyContainer(job).get("args")).isEqualTo(List.of("setup"));

        // the image's entrypoint maps each role to its main class
        Map<String, String> roles = entrypointRoles();
        assertThat(roles.get("setup")).contains(" " + PlatformSetup.class.getName() + " ");
        assertThat(roles.get("processor")).contains(" " + ProcessorMain.class.getName() + " ");
        assertThat(roles.get("gateway")).contains("-jar");
        assertThat(Files.readString(root.resolve("docker/Dockerfile")))
                .contains("gateway/target/gateway-exec.jar")
                .contains("processors/target/lib")
                .contains("ENTRYPOINT [\"/app/bin/entrypoint.sh\"]");
    }

    @Test
    void composeBrokerMatchesTheClientsAndPayloadLimits(@TempDir Path dir) throws Exception {
        Map<String, Object> kafka = service("kafka");
        assertThat(String.valueOf(kafka.get("image"))).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        // its server.properties is written by the kafka-secrets service (KafkaSecrets.main), from the
        // same code as the local broker's
        assertThat(command(service("kafka-secrets"))).isEqualTo(List.of("kafka-secrets", "/kafka-secrets", "kafka"));
        assertThat(String.join(" ", command(kafka))).contains("/kafka-secrets/broker/server.properties")
                .contains("--add-scram").contains("name=" + KafkaAccess.ADMIN);
        assertThat(dependsOn(kafka)).containsEntry("kafka-secrets", "service_completed_successfully");
        assertThat(entrypointRoles().get("kafka-secrets")).contains(" " + KafkaSecrets.class.getName() + " ");
        KafkaSecrets.main(new String[] {dir.toString(), "kafka"});
        List<String> principals = new ArrayList<>(List.of(KafkaAccess.ADMIN));
        principals.addAll(KafkaAccess.principals());
        for (String principal : principals) {
            // what the compose services mount: one folder per principal with its password only
            Path own = dir.resolve("principals").resolve(principal);
            try (Stream<Path> files = Files.list(own)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactly(principal);
            }
            assertThat(Files.readString(own.resolve(principal))).isEqualTo(Files.readString(dir.resolve("credentials").resolve(principal)));
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(own.resolve(principal))))
                    .isEqualTo("rw-------");
        }
        try (Stream<Path> files = Files.list(dir.resolve("ca"))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("the public part only").containsExactly("ca.pem");
        }
        Map<String, String> props = properties(Files.readString(dir.resolve("broker/server.properties")));
        assertThat(props.get("process.roles")).isEqualTo("broker,controller");
        for (String key : List.of("message.max.bytes", "replica.fetch.max.bytes")) {
            assertThat(Long.parseLong(props.get(key))).as(key).isGreaterThanOrEqualTo(PayloadLimits.MAX_MESSAGE_BYTES);
        }
        for (String key : List.of("offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                "transaction.state.log.min.isr")) {
            assertThat(props.get(key)).as(key).isEqualTo("1");
        }
        assertThat(props.get("advertised.listeners")).isEqualTo("SASL_SSL://kafka:9092");
        assertThat(kafka).containsKey("healthcheck");
        Map<String, Object> registry = service("registry");
        assertThat(String.valueOf(registry.get("image"))).startsWith("apicurio/apicurio-registry").endsWith(":2.4.2.Final");
        assertThat(registry).containsKey("healthcheck");
    }

    /**
     * Issue #13: no PLAINTEXT listener anywhere. The broker configuration of the local run, the
     * compose broker and the wired tests (KafkaSecrets.singleNodeProperties) has one client listener,
     * SASL_SSL with SCRAM-SHA-512, a controller listener on 127.0.0.1 with mutual TLS, the standard
     * authorizer and nothing allowed without an ACL; every client setting says SASL_SSL.
     */
    @Test
    void theBrokerHasNoPlaintextListenerAndAuthorizesEveryRequest(@TempDir Path dir) throws Exception {
        KafkaSecrets.Tls tls = KafkaSecrets.tls(dir.resolve("tls"), List.of("localhost"));
        for (String text : List.of(LocalBroker.serverProperties(dir.resolve("logs"), 9092, 9093, tls, "pw"),
                KafkaSecrets.singleNodeProperties(dir.resolve("logs"), "kafka", 9092, 9093, tls, "pw"))) {
            Map<String, String> props = properties(text);
            assertThat(props.get("listeners")).matches("SASL_SSL://[^,]+:9092,CONTROLLER://127\\.0\\.0\\.1:9093");
            assertThat(props.get("listener.security.protocol.map")).isEqualTo("CONTROLLER:SSL,SASL_SSL:SASL_SSL");
            assertThat(props.get("listener.name.controller.ssl.client.auth")).isEqualTo("required");
            assertThat(props.get("sasl.enabled.mechanisms")).isEqualTo("SCRAM-SHA-512");
            assertThat(props.get("authorizer.class.name")).isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            assertThat(props.get("allow.everyone.if.no.acl.found")).isEqualTo("false");
            assertThat(props.get("super.users")).isEqualTo("User:" + KafkaAccess.ADMIN + ";User:" + KafkaSecrets.BROKER_PRINCIPAL);
            assertThat(text).doesNotContain("PLAINTEXT");
        }
        Map<String, Object> shared = map(resource("ConfigMap", SHARED_ENV).get("data"));
        assertThat(shared.get("OPENBIO_KAFKA_SECURITY_PROTOCOL")).isEqualTo("SASL_SSL");
        assertThat(map(map(compose.get("x-openbio-env"))).get("OPENBIO_KAFKA_SECURITY_PROTOCOL")).isEqualTo("SASL_SSL");
        List<String> strings = new ArrayList<>();
        collectStrings(compose, strings);
        k8s.forEach(doc -> collectStrings(doc, strings));
        assertThat(strings).as("values of docker-compose.yml and k8s/*.yaml").noneMatch(v -> v.contains("PLAINTEXT"));
    }

    /**
     * Each stage's pod (and compose container) gets its own principal's password and no other, the
     * gateway the gateway's, and only the set-up every one (it creates the credentials and ACLs).
     */
    @Test
    void eachStageUsesItsOwnKafkaCredential() {
        String credentialsDir = String.valueOf(map(resource("ConfigMap", SHARED_ENV).get("data")).get("OPENBIO_KAFKA_CREDENTIALS_DIR"));
        String caDir = Path.of(String.valueOf(map(resource("ConfigMap", SHARED_ENV).get("data")).get("OPENBIO_KAFKA_TRUSTSTORE")))
                .getParent().toString();
        Map<String, String> expected = new LinkedHashMap<>();
        for (Stage stage : Pipeline.stages()) {
            expected.put("processor-" + stage.name(), KafkaAccess.stagePrincipal(stage));
        }
        expected.put("gateway", KafkaAccess.GATEWAY);
        expected.forEach((workloadName, principal) -> {
            Map<String, Object> workload = one(rendered(), "Deployment", workloadName);
            Map<String, Map<String, Object>> volumes = volumes(workload);
            Set<String> kafkaSecrets = volumes.values().stream().map(v -> v.get("secret")).filter(java.util.Objects::nonNull)
                    .map(v -> String.valueOf(map(v).get("secretName"))).filter(n -> n.startsWith("openbio-kafka-"))
                    .collect(Collectors.toSet());
            assertThat(kafkaSecrets).as(workloadName).containsExactlyInAnyOrder(KafkaAccess.secretName(principal), "openbio-kafka-ca");
            Map<String, Object> mount = mounts(onlyContainer(workload)).get(credentialsDir);
            assertThat(mount).as(workloadName + " mounts " + credentialsDir).isNotNull();
            assertThat(map(volumes.get(String.valueOf(mount.get("name"))).get("secret")).get("secretName"))
                    .isEqualTo(KafkaAccess.secretName(principal));
            assertThat(mounts(onlyContainer(workload))).containsKey(caDir);
        });
        Map<String, Object> job = one(rendered(), "Job", "openbio-setup");
        List<String> sources = list(map(volumes(job).get("kafka-credentials").get("projected")).get("sources")).stream()
                .map(src -> String.valueOf(map(map(src).get("secret")).get("name"))).toList();
        List<String> all = new ArrayList<>(List.of(KafkaAccess.secretName(KafkaAccess.ADMIN)));
        KafkaAccess.principals().forEach(p -> all.add(KafkaAccess.secretName(p)));
        assertThat(sources).containsExactlyElementsOf(all);

        // compose: a volume subpath per principal
        expected.forEach((serviceName, principal) -> {
            List<String> subpaths = list(service(serviceName).get("volumes")).stream().filter(v -> v instanceof Map)
                    .map(DeploymentManifestsTest::map).filter(v -> "kafka-secrets".equals(v.get("source")))
                    .map(v -> map(v.get("volume")).get("subpath") + " -> " + v.get("target")).toList();
            assertThat(subpaths).as("compose " + serviceName).containsExactlyInAnyOrder(
                    "principals/" + principal + " -> /etc/openbio/kafka/credentials", "ca -> /etc/openbio/kafka/ca");
        });
        List<String> setupSubpaths = list(service("setup").get("volumes")).stream().map(DeploymentManifestsTest::map)
                .map(v -> String.valueOf(map(v.get("volume")).get("subpath"))).toList();
        assertThat(setupSubpaths).containsExactlyInAnyOrder("credentials", "ca");
    }

    private static Map<String, String> properties(String text) throws IOException {
        java.util.Properties props = new java.util.Properties();
        props.load(new java.io.StringReader(text));
        Map<String, String> map = new TreeMap<>();
        props.forEach((k, v) -> map.put(String.valueOf(k), String.valueOf(v)));
        return map;
    }

    private static void collectStrings(Object value, List<String> into) {
        if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectStrings(v, into));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectStrings(v, into));
        } else if (value != null) {
            into.add(String.valueOf(value));
        }
    }

    @Test
    void gatewayApiKeysComeFromASecretInTheClusterAndFromTheEnvironmentInCompose() {
        Map<String, Object> container = onlyContainer(resource("Deployment", "gateway"));
        Map<String, Object> apiKeys = env(container).get("OPENBIO_API_KEYS");
        assertThat(apiKeys).as("gateway: OPENBIO_API_KEYS is set in the cluster").isNotNull();
        assertThat(apiKeys).as("gateway: no API key (hash) written into the manifest").doesNotContainKey("value");
        Map<String, Object> secretRef = map(map(apiKeys.get("valueFrom")).get("secretKeyRef"));
        assertThat(secretRef).containsEntry("name", "openbio-api-keys").containsEntry("key", "api-keys");
        assertThat(secretRef.get("optional")).as("a cluster gateway never runs without keys").isNotEqualTo(true);
        Map<String, Object> compose = map(service("gateway").get("environment"));
        assertThat(String.valueOf(compose.get("OPENBIO_API_KEYS"))).isEqualTo("${OPENBIO_API_KEYS:-}");
    }

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        Map<String, Object> kustomization = map(yaml().load(Files.readString(root.resolve("k8s/kustomization.yaml"))));
        Set<String> listed = ((List<?>) kustomization.get("resources")).stream().map(String::valueOf).collect(Collectors.toSet());
        Set<String> files = k8sFiles().stream().map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        files.add("processors");
        assertThat(listed).isEqualTo(files);
        for (Map<String, Object> resource : k8s) {
            if (!"Namespace".equals(resource.get("kind"))) {
                assertThat(map(resource.get("metadata")).get("namespace")).as(resource.get("_file") + " " + name(resource))
                        .isEqualTo(kustomization.get("namespace"));
            }
        }
        for (Map<String, Object> resource : rendered()) {
            if (!"Namespace".equals(resource.get("kind"))) {
                assertThat(map(resource.get("metadata")).get("namespace")).as("rendered " + resource.get("kind") + " " + name(resource))
                        .isEqualTo(kustomization.get("namespace"));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("launcher/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no folder holding launcher/pom.xml above " + Path.of("").toAbsolutePath());
    }

    private static List<Path> k8sFiles() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("k8s"))) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().startsWith("kustomization."))
                    .sorted().toList();
        }
    }

    /** Every YAML file under k8s/ (base, components and generated overlays included). */
    private static List<Path> allK8sYaml() throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("k8s"))) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /**
     * {@code kubectl kustomize k8s/}, parsed, once; aborts the calling test (only) where kubectl is
     * not installed (the generated-files and compose checks still run).
     */
    private static synchronized List<Map<String, Object>> rendered() {
        if (rendered == null) {
            rendered = kustomize(root.resolve("k8s"));
        }
        return rendered;
    }

    /** {@code kubectl kustomize dir}, parsed; aborts the calling test where kubectl is not installed. */
    private static List<Map<String, Object>> kustomize(Path dir) {
        if (kubectlMissing != null) {
            Assumptions.abort(kubectlMissing);
        }
        Process process;
        try {
            // -Dopenbio.kubectl=<path> picks another kubectl (or a missing one, to see the skip)
            process = new ProcessBuilder(System.getProperty("openbio.kubectl", "kubectl"), "kustomize", dir.toString()).start();
        } catch (IOException e) {
            kubectlMissing = "kubectl is not installed (" + e.getMessage() + "): the rendered k8s manifests are not checked;"
                    + " install kubectl (its built-in kustomize renders k8s/ offline) to run this test";
            Assumptions.abort(kubectlMissing);
            return List.of();
        }
        try {
            process.getOutputStream().close();
            java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return process.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            byte[] out = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("kubectl kustomize %s finishes", dir).isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize %s: %s", dir, new String(err.join(), StandardCharsets.UTF_8)).isZero();
            List<Map<String, Object>> docs = new ArrayList<>();
            for (Object doc : yaml().loadAll(new String(out, StandardCharsets.UTF_8))) {
                if (doc != null) {
                    docs.add(map(doc));
                }
            }
            return docs;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("kubectl kustomize " + dir + " failed", e);
        }
    }

    /** The environment variables of the settings catalog. */
    private static Set<String> catalogNames() {
        return Settings.ALL.stream().map(Setting::env).collect(Collectors.toCollection(TreeSet::new));
    }

    /** role -> its line in docker/entrypoint.sh's case statement (continuation lines included). */
    private static Map<String, String> entrypointRoles() throws IOException {
        Map<String, String> roles = new LinkedHashMap<>();
        String current = null;
        Pattern branch = Pattern.compile("^\\s*([a-z*-]+)\\)\\s*(.*)$");
        for (String line : Files.readAllLines(root.resolve("docker/entrypoint.sh"))) {
            Matcher m = branch.matcher(line);
            if (m.matches()) {
                current = m.group(1);
                roles.put(current, m.group(2) + " ");
            } else if (current != null && line.trim().equals("esac")) {
                current = null;
            } else if (current != null) {
                roles.put(current, roles.get(current) + line.trim() + " ");
            }
        }
        assertThat(roles).as("roles of docker/entrypoint.sh").containsKeys("gateway", "processor", "setup");
        return roles;
    }

    private static Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
        return services;
    }

    private static Map<String, Object> service(String name) {
        Map<String, Object> service = services().getOrDefault(name, Map.of());
        assertThat(service).as("docker-compose service " + name).isNotEmpty();
        return service;
    }

    private static List<String> command(Map<String, Object> service) {
        Object command = service.get("command");
        if (command == null) {
            return List.of();
        }
        if (command instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return Arrays.asList(String.valueOf(command).trim().split("\\s+"));
    }

    /** depends_on as service -> condition (short list form = service_started). */
    private static Map<String, String> dependsOn(Map<String, Object> service) {
        Object dependsOn = service.get("depends_on");
        Map<String, String> result = new LinkedHashMap<>();
        if (dependsOn instanceof List<?> list) {
            list.forEach(s -> result.put(String.valueOf(s), "service_started"));
        } else if (dependsOn != null) {
            map(dependsOn).forEach((k, v) -> result.put(k, String.valueOf(map(v).getOrDefault("condition", "service_started"))));
        }
        return result;
    }

    /** The resources of {@code kind} among {@code docs}. */
    private static List<Map<String, Object>> of(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    /** The one resource of {@code kind} named {@code name} among {@code docs}. */
    private static Map<String, Object> one(List<Map<String, Object>> docs, String kind, String name) {
        List<Map<String, Object>> found = of(docs, kind).stream().filter(r -> name.equals(name(r))).toList();
        assertThat(found).as("k8s %s %s", kind, name).hasSize(1);
        return found.get(0);
    }

    /** A resource of the plain k8s/*.yaml files. */
    private static Map<String, Object> resource(String kind, String name) {
        return one(k8s, kind, name);
    }

    private static String name(Map<String, Object> resource) {
        return String.valueOf(map(resource.get("metadata")).get("name"));
    }

    private static List<Map<String, Object>> workloads(List<Map<String, Object>> docs) {
        return docs.stream().filter(r -> Set.of("Deployment", "Job", "StatefulSet", "DaemonSet", "CronJob").contains(r.get("kind"))).toList();
    }

    private static List<Map<String, Object>> containers(Map<String, Object> workload) {
        Map<String, Object> spec = map(workload.get("spec"));
        if ("CronJob".equals(workload.get("kind"))) {
            spec = map(map(spec.get("jobTemplate")).get("spec"));
        }
        Map<String, Object> podSpec = map(map(spec.get("template")).get("spec"));
        List<Map<String, Object>> all = new ArrayList<>();
        for (String key : List.of("initContainers", "containers")) {
            Object list = podSpec.get(key);
            if (list != null) {
                ((List<?>) list).forEach(c -> all.add(map(c)));
            }
        }
        return all;
    }

    private static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(map(map(workload.get("spec")).get("template")).get("spec"));
    }

    private static Map<String, Object> podLabels(Map<String, Object> workload) {
        return map(map(map(map(workload.get("spec")).get("template")).get("metadata")).get("labels"));
    }

    /** The pod's volumes by name. */
    private static Map<String, Map<String, Object>> volumes(Map<String, Object> workload) {
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        Object list = podSpec(workload).get("volumes");
        if (list != null) {
            ((List<?>) list).forEach(v -> volumes.put(String.valueOf(map(v).get("name")), map(v)));
        }
        return volumes;
    }

    /** The container's volume mounts by mount path. */
    private static Map<String, Map<String, Object>> mounts(Map<String, Object> container) {
        Map<String, Map<String, Object>> mounts = new LinkedHashMap<>();
        Object list = container.get("volumeMounts");
        if (list != null) {
            ((List<?>) list).forEach(m -> mounts.put(String.valueOf(map(m).get("mountPath")), map(m)));
        }
        return mounts;
    }

    /** Resource quantities as strings (YAML may have read "1" or 1). */
    private static Map<String, String> quantities(Map<String, Object> values) {
        Map<String, String> result = new TreeMap<>();
        values.forEach((k, v) -> result.put(k, String.valueOf(v)));
        return result;
    }

    private static Map<String, Object> onlyContainer(Map<String, Object> workload) {
        List<Map<String, Object>> containers = containers(workload);
        assertThat(containers).as("containers of " + name(workload)).hasSize(1);
        return containers.get(0);
    }

    private static String image(Map<String, Object> container) {
        String image = String.valueOf(container.get("image"));
        int tag = image.lastIndexOf(':');
        return tag > image.lastIndexOf('/') ? image.substring(0, tag) : image;
    }

    private static Set<String> sharedEnvRefs(Map<String, Object> container) {
        Set<String> refs = new LinkedHashSet<>();
        Object envFrom = container.get("envFrom");
        if (envFrom != null) {
            for (Object source : (List<?>) envFrom) {
                Object ref = map(source).get("configMapRef");
                if (ref != null) {
                    refs.add(String.valueOf(map(ref).get("name")));
                }
            }
        }
        return refs;
    }

    private static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        Object list = container.get("env");
        if (list != null) {
            for (Object entry : (List<?>) list) {
                env.put(String.valueOf(map(entry).get("name")), map(entry));
            }
        }
        return env;
    }

    /** A literal env value of the container, else the shared ConfigMap's, else the fallback. */
    private static String envValue(Map<String, Object> container, String name, String fallback) {
        Map<String, Object> entry = env(container).get(name);
        if (entry != null && entry.get("value") != null) {
            return String.valueOf(entry.get("value"));
        }
        Object shared = map(resource("ConfigMap", SHARED_ENV).get("data")).get(name);
        return shared != null ? String.valueOf(shared) : fallback;
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        Object list = container.get("ports");
        if (list != null) {
            for (Object port : (List<?>) list) {
                Map<String, Object> p = map(port);
                ports.put(String.valueOf(p.getOrDefault("name", p.get("containerPort"))), (Integer) p.get("containerPort"));
            }
        }
        return ports;
    }

    /** A port given by number or by the name of a container port, as a number. */
    private static int resolvePort(Map<String, Object> container, Object port) {
        if (port instanceof Integer number) {
            return number;
        }
        Integer resolved = containerPorts(container).get(String.valueOf(port));
        assertThat(resolved).as("container port named " + port).isNotNull();
        return resolved;
    }

    private static String probe(Map<String, Object> container, String kind) {
        Map<String, Object> probe = map(container.get(kind));
        assertThat(probe).as(kind).isNotEmpty();
        return String.valueOf(map(probe.get("httpGet")).get("path"));
    }

    private static int probePort(Map<String, Object> container, String kind) {
        return resolvePort(container, map(map(container.get(kind)).get("httpGet")).get("port"));
    }

    private static Map<String, Object> requests(Map<String, Object> container) {
        return map(map(container.get("resources")).get("requests"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new AssertionError("expected a mapping, found " + value);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        ((Map<Object, Object>) value).forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }
}
