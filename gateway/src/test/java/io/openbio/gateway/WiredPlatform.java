package io.openbio.gateway;

import io.openbio.processors.ProcessorCatalog;
import io.openbio.processors.core.ProcessorRuntime;
import io.openbio.schemas.Topics;
import io.openbio.schemas.kafka.KafkaAccess;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.registry.LocalRegistry;
import io.openbio.schemas.settings.Settings;
import io.openbio.schemas.setup.PlatformSetup;
import io.openbio.testkit.SecureKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The wired system for integration tests, started once per test JVM: a real in-process KRaft
 * broker secured as in production (SASL_SSL only, SCRAM-SHA-512, ACLs derived from the pipeline
 * contract: {@link SecureKafkaBroker}, {@link KafkaAccess}), the real Apicurio registry (child
 * process), every processor stage (real Kafka Streams, exactly-once, each as its own principal) and
 * gateway instances on random ports (as the gateway principal). So every wired test also proves
 * the contract's ACLs suffice; the tests' own clients act as admin.
 */
public final class WiredPlatform {
    /** The callback signing secret of every tenant in the wired tests (32 bytes, base64). */
    public static final String CALLBACK_SECRET_BASE64 = "b3BlbmJpby13aXJlZC10ZXN0cy1jYWxsYmFjay1rZXk=";
    private static WiredPlatform instance;

    public SecureKafkaBroker broker;
    public LocalRegistry registry;
    public KafkaSettings settings;
    public final Map<String, ProcessorRuntime> processors = new LinkedHashMap<>();
    private final Map<String, ConfigurableApplicationContext> gateways = new LinkedHashMap<>();

    private WiredPlatform() throws Exception {
        // Registered first, so a failed start leaves no registry process or broker behind.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        // Two Kafka-client tenants (KafkaClientsIntegrationTest): their principals, topics and ACLs
        // are made with the platform's, before the broker takes its credentials.
        System.setProperty(Settings.KAFKA_CLIENT_TENANTS.property(), "acme,globex");
        broker = SecureKafkaBroker.start(Files.createTempDirectory("openbio-kafka"), Topics.DEFAULT_PARTITIONS);
        // Every Kafka client of this JVM (stages, gateways) finds the credentials and CA here, as
        // deployments do from OPENBIO_KAFKA_CREDENTIALS_DIR / OPENBIO_KAFKA_TRUSTSTORE.
        System.setProperty(Settings.KAFKA_SECURITY_PROTOCOL.property(), broker.security().protocol());
        System.setProperty(Settings.KAFKA_CREDENTIALS_DIR.property(), broker.security().credentialsDir().toString());
        System.setProperty(Settings.KAFKA_TRUSTSTORE.property(), broker.security().truststore().toString());
        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        // One bundle key store for the gateway and the decrypt stage of this JVM, fresh per run.
        Path keys = Files.createTempDirectory("openbio-keys");
        System.setProperty("openbio.bundle.keystore", keys.resolve("bundle-keys.p12").toString());
        // Likewise the payload key store (images and templates sealed in every event), with a random password.
        // PayloadKeys.shared() reads it once per JVM: a later platform in the same JVM keeps the first store.
        String payloadPassword = java.util.UUID.randomUUID().toString();
        io.openbio.schemas.crypto.PayloadKeyStore.create(keys.resolve("payload-keys.p12"), payloadPassword.toCharArray());
        System.setProperty(Settings.PAYLOAD_KEYSTORE.property(), keys.resolve("payload-keys.p12").toString());
        System.setProperty(Settings.PAYLOAD_KEYSTORE_PASSWORD.property(), payloadPassword);
        // And the BioServer signing key store: every gateway of this JVM signs with its one key.
        String signingPassword = java.util.UUID.randomUUID().toString();
        io.openbio.schemas.crypto.SigningKeyStore.create(keys.resolve("bioserver-signing.p12"), signingPassword.toCharArray());
        System.setProperty(Settings.BIOSERVER_SIGNING_KEYSTORE.property(), keys.resolve("bioserver-signing.p12").toString());
        System.setProperty(Settings.BIOSERVER_SIGNING_KEYSTORE_PASSWORD.property(), signingPassword);
        // Callbacks: the tests' receivers listen on 127.0.0.1, which the destination policy refuses
        // unless allow-listed; only these tenants get the exception (CallbackIntegrationTest's probe
        // tenant has none). Short retry delays and attempt timeout, so a dead receiver reaches the
        // dead-letter topic within seconds; one signing secret for every tenant.
        System.setProperty("openbio.callback.allow", "default=127.0.0.1/32,cb-tarpit=127.0.0.1/32,cb-healthy=127.0.0.1/32");
        System.setProperty("openbio.callback.retry-delays-ms", "200,400,800");
        System.setProperty("openbio.callback.timeout-ms", "1500");
        System.setProperty("openbio.callback.secrets", "*=" + CALLBACK_SECRET_BASE64);
        registry = LocalRegistry.start(0, logs.resolve("registry.log"), Duration.ofSeconds(90));
        // The registry refuses writes without credentials: every client in this JVM (processors,
        // gateways, the tests' own serdes) reads them from these properties, as deployments do from
        // OPENBIO_REGISTRY_USER / OPENBIO_REGISTRY_PASSWORD.
        System.setProperty(Settings.REGISTRY_USER.property(), registry.credentials().user());
        System.setProperty(Settings.REGISTRY_PASSWORD.property(), registry.credentials().password());
        Path state = Files.createTempDirectory("openbio-streams");
        settings = new KafkaSettings(broker.bootstrap(), registry.url(), 5, 1, state, (short) 1, broker.security());
        try (Admin admin = Admin.create(settings.admin())) {
            KafkaAccess.apply(admin, broker.security());
            PlatformSetup.createTopics(admin, io.openbio.schemas.contract.Pipeline.topics(), (short) 1);
        }
        PlatformSetup.requireBackwardCompatibility(registry.url(), registry.credentials(), Duration.ofSeconds(30));
        PlatformSetup.registerSchemas(registry.url(), registry.credentials(), io.openbio.schemas.contract.Pipeline.topics());
        for (String name : ProcessorCatalog.names()) {
            startProcessor(name);
        }
        for (ProcessorRuntime runtime : processors.values()) {
            if (!runtime.awaitReady(Duration.ofSeconds(60))) {
                throw new IllegalStateException("processor " + runtime.name() + " not ready: " + runtime.state());
            }
        }
    }

    public static synchronized WiredPlatform get() throws Exception {
        if (instance == null) {
            instance = new WiredPlatform();
        }
        return instance;
    }

    /** The security settings of an admin client of the running wired broker. */
    public static Map<String, Object> adminSecurity() {
        try {
            return get().settings.admin().entrySet().stream()
                    .filter(e -> !e.getKey().equals("bootstrap.servers"))
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized ProcessorRuntime startProcessor(String name) {
        ProcessorRuntime runtime = new ProcessorRuntime(ProcessorCatalog.create(name), settings, null);
        runtime.start();
        processors.put(name, runtime);
        return runtime;
    }

    public synchronized void stopProcessor(String name) {
        ProcessorRuntime runtime = processors.remove(name);
        if (runtime != null) {
            runtime.close();
        }
    }

    /** A gateway instance with its own id (and so its own reply topic); started once per id. */
    public synchronized int gateway(String instanceId, String... properties) {
        ConfigurableApplicationContext context = gateways.computeIfAbsent(instanceId, id -> {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--server.port=0",
                    "--openbio.kafka.bootstrap=" + settings.bootstrapServers(),
                    "--openbio.registry.url=" + settings.registryUrl(),
                    "--openbio.gateway.instance-id=" + id));
            for (String property : properties) {
                args.add("--" + property);
            }
            return new SpringApplicationBuilder(GatewayApplication.class).run(args.toArray(String[]::new));
        });
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Closes gateway instance {@code instanceId} (a later {@link #gateway} with that id starts a new one). */
    public synchronized void stopGateway(String instanceId) {
        ConfigurableApplicationContext context = gateways.remove(instanceId);
        if (context != null) {
            context.close();
        }
    }

    /**
     * Stops everything at JVM exit. The registry child process goes first (Surefire kills a fork
     * that takes more than 30 s to exit, and a child not yet told to stop would outlive it); the
     * processors close in parallel.
     */
    private synchronized void stop() {
        if (registry != null) {
            registry.close();
        }
        gateways.values().parallelStream().forEach(ConfigurableApplicationContext::close);
        processors.values().parallelStream().forEach(ProcessorRuntime::close);
        if (broker != null) {
            broker.close();
        }
    }
}
