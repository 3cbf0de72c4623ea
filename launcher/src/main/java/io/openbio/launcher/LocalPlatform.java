package io.openbio.launcher;

import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.kafka.KafkaAccess;
import io.openbio.schemas.kafka.KafkaSecrets;
import io.openbio.schemas.kafka.KafkaSecurity;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.registry.LocalRegistry;
import io.openbio.schemas.registry.RegistryCredentials;
import io.openbio.schemas.settings.Setting;
import io.openbio.schemas.settings.Settings;
import io.openbio.schemas.setup.PlatformSetup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The components of the local run and how each one is started: a real KRaft broker, the Apicurio
 * registry, processor JVMs (all stages in one, or any grouping) and the gateway, each a
 * {@link ChildProcess}. {@link PlatformLauncher} ({@code ./run.sh}) starts them all once; the fault
 * tests ({@code bench/fault.sh}) start the same components with one JVM per stage and kill and
 * restart them.
 *
 * <p>Settings (system property, else environment variable, else default; all listed in {@link Settings}):
 * <table>
 * <tr><td>openbio.data-dir / OPENBIO_DATA_DIR</td><td>.data (git-ignored)</td></tr>
 * <tr><td>openbio.kafka.port / OPENBIO_KAFKA_PORT</td><td>9092</td></tr>
 * <tr><td>openbio.kafka.controller-port / OPENBIO_KAFKA_CONTROLLER_PORT</td><td>9093</td></tr>
 * <tr><td>openbio.registry.port / OPENBIO_REGISTRY_PORT</td><td>8081</td></tr>
 * <tr><td>openbio.processor.http-port / OPENBIO_PROCESSOR_HTTP_PORT</td><td>8090</td></tr>
 * <tr><td>openbio.gateway.port / OPENBIO_GATEWAY_PORT</td><td>8080</td></tr>
 * </table>
 *
 * <p>The registry answers writes and its admin API only with credentials: the local run generates
 * a random password once into {@code <data>/registry/credentials} (owner read/write only) and hands
 * it to the registry, the set-up, processors and gateway in their environment (never on a command
 * line) and to the clients of this JVM as system properties; {@code OPENBIO_REGISTRY_PASSWORD},
 * where set, is used instead.
 *
 * <p>Kafka is secured the same way, with nothing to set up by hand: on every start the run makes
 * (where missing) a password file per principal in {@code <data>/kafka/credentials} (every stage
 * and the gateway; folder 700, files 600), the super user's in {@code <data>/kafka/admin/admin}, and
 * a local CA with the broker's certificate in {@code <data>/kafka/tls} ({@code ca.pem} is the
 * truststore). Processors and the gateway get the folder and the CA in their environment
 * ({@code OPENBIO_KAFKA_CREDENTIALS_DIR}, {@code OPENBIO_KAFKA_TRUSTSTORE}), never the admin's
 * password; {@link #setUp} creates the credentials and ACLs as admin; clients of this JVM act as admin.
 */
public final class LocalPlatform {
    public final Path root;
    public final Path data;
    public final Path logs;
    public final int kafkaPort;
    public final int controllerPort;
    public final int registryPort;
    public final int processorPort;
    public final int gatewayPort;
    public final String bootstrap;
    public final String registryUrl;
    public final RegistryCredentials registryCredentials;
    /** The stages' and gateway's password files and the CA: what the processors and the gateway get. */
    public final KafkaSecurity kafkaCredentials;
    /** The super user's client security: the launcher's own clients (set-up, benchmarks, fault verifiers). */
    public final KafkaSecurity kafkaAdmin;
    private final KafkaSecrets.Tls kafkaTls;
    private final Path launcherLib;
    private final Path processorsJar;
    private final Path processorsLib;
    private final Path gatewayJar;
    private final Path registryJar;
    private final Path payloadKeystore;
    private final String payloadPassword;
    private final Path signingKeystore;
    private final String signingPassword;

    public LocalPlatform() throws IOException {
        root = LocalPaths.root();
        data = LocalPaths.privateDirectory(root.resolve(KafkaSettings.setting(Settings.DATA_DIR)).toAbsolutePath());
        logs = Files.createDirectories(data.resolve("logs"));
        kafkaPort = port(Settings.KAFKA_PORT);
        controllerPort = port(Settings.KAFKA_CONTROLLER_PORT);
        registryPort = port(Settings.REGISTRY_PORT);
        processorPort = port(Settings.PROCESSOR_HTTP_PORT);
        gatewayPort = port(Settings.GATEWAY_PORT);
        bootstrap = "127.0.0.1:" + kafkaPort;
        registryUrl = "http://127.0.0.1:" + registryPort + "/apis/registry/v2";
        registryCredentials = RegistryCredentials.of(LocalRegistry.USER,
                KafkaSettings.setting(Settings.REGISTRY_PASSWORD, registryPassword(data.resolve("registry/credentials"))));
        // Clients made in this JVM (the set-up, benchmarks' producers, the fault tests' verifier) send them too.
        System.setProperty(Settings.REGISTRY_USER.property(), registryCredentials.user());
        System.setProperty(Settings.REGISTRY_PASSWORD.property(), registryCredentials.password());
        Path kafkaDir = data.resolve("kafka");
        try {
            kafkaTls = KafkaSecrets.tls(kafkaDir.resolve("tls"), List.of("localhost"));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("could not make the local Kafka CA", e);
        }
        kafkaCredentials = KafkaSecurity.sasl(KafkaSecrets.credentials(kafkaDir.resolve("credentials"), KafkaAccess.principals()),
                kafkaTls.caPem(), null);
        kafkaAdmin = KafkaSecurity.sasl(KafkaSecrets.credentials(kafkaDir.resolve("admin"), List.of(KafkaAccess.ADMIN)),
                kafkaTls.caPem(), KafkaAccess.ADMIN);
        System.setProperty(Settings.KAFKA_SECURITY_PROTOCOL.property(), kafkaAdmin.protocol());
        System.setProperty(Settings.KAFKA_CREDENTIALS_DIR.property(), kafkaAdmin.credentialsDir().toString());
        System.setProperty(Settings.KAFKA_TRUSTSTORE.property(), kafkaAdmin.truststore().toString());
        // The payload key store (images and templates sealed in every event): made here, before any
        // process starts, so the stages and the gateway never race to create different ones. Its
        // password is generated once, like the registry's; this JVM (benchmarks, fault verifier) uses it too.
        payloadKeystore = Path.of(KafkaSettings.setting(Settings.PAYLOAD_KEYSTORE, data.resolve("keys/payload-keys.p12").toString()));
        payloadPassword = KafkaSettings.setting(Settings.PAYLOAD_KEYSTORE_PASSWORD,
                registryPassword(data.resolve("keys/payload-keys.password")));
        payloadKeystore(payloadKeystore, payloadPassword);
        System.setProperty(Settings.PAYLOAD_KEYSTORE.property(), payloadKeystore.toString());
        System.setProperty(Settings.PAYLOAD_KEYSTORE_PASSWORD.property(), payloadPassword);
        // Likewise the BioServer response-signing key: made here, so every gateway signs with the same one.
        signingKeystore = Path.of(KafkaSettings.setting(Settings.BIOSERVER_SIGNING_KEYSTORE,
                data.resolve("keys/bioserver-signing.p12").toString()));
        signingPassword = KafkaSettings.setting(Settings.BIOSERVER_SIGNING_KEYSTORE_PASSWORD,
                registryPassword(data.resolve("keys/bioserver-signing.password")));
        signingKeystore(signingKeystore, signingPassword);
        String hint = "mvn -DskipTests package";
        launcherLib = LocalPaths.require(root.resolve("launcher/target/lib"), hint);
        processorsJar = LocalPaths.require(root.resolve("processors/target/processors-0.1.0-SNAPSHOT.jar"), hint);
        processorsLib = LocalPaths.require(root.resolve("processors/target/lib"), hint);
        gatewayJar = LocalPaths.require(root.resolve("gateway/target/gateway-exec.jar"), hint);
        registryJar = LocalPaths.require(root.resolve("registry/target/quarkus-app/quarkus-run.jar"), hint);
    }

    /** The password in {@code file} (the registry's, the payload key store's), generated there (mode 600) on the first run. */
    static String registryPassword(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            String password = LocalRegistry.newPassword();
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (FileAlreadyExistsException e) {
                // another launcher made it first: use theirs
            }
        }
        String password = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (password.isEmpty()) {
            throw new IOException(file + " is empty: delete it to generate a new password");
        }
        return password;
    }

    /** Creates the payload key store (mode 600, one key-encryption key) when there is none yet. */
    static void payloadKeystore(Path path, String password) throws IOException {
        if (Files.exists(path)) {
            try {
                io.openbio.schemas.crypto.PayloadKeyStore.open(path, password.toCharArray(), null);
            } catch (IllegalStateException e) {
                // fail at start, not with a 500 on the first request that seals something
                throw new IOException("the payload key store " + path + " does not open with its password ("
                        + Settings.PAYLOAD_KEYSTORE_PASSWORD.env() + ", else the password file next to it): a store made "
                        + "with another password (an older run's data folder?). Give it its password, or move the data "
                        + "folder away to start with a new one (what was sealed under the old store is then unreadable)", e);
            }
            return;
        }
        try {
            io.openbio.schemas.crypto.PayloadKeyStore.create(path, password.toCharArray());
        } catch (FileAlreadyExistsException e) {
            // another launcher made it first: use theirs
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot create the payload key store " + path, e);
        }
    }

    /** Creates the BioServer signing key store (mode 600, an RSA key and its certificate) when there is none yet. */
    static void signingKeystore(Path path, String password) throws IOException {
        if (Files.exists(path)) {
            return;
        }
        try {
            io.openbio.schemas.crypto.SigningKeyStore.create(path, password.toCharArray());
        } catch (FileAlreadyExistsException e) {
            // another launcher made it first: use theirs
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot create the BioServer signing key store " + path, e);
        }
    }

    private static int port(Setting setting) {
        return Integer.parseInt(KafkaSettings.setting(setting));
    }

    /** The environment every processor and gateway JVM gets. */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put(Settings.MODELS_DIR.env(), KafkaSettings.setting(Settings.MODELS_DIR, root.resolve("models").toString()));
        env.put(Settings.BUNDLE_KEYSTORE.env(), KafkaSettings.setting(Settings.BUNDLE_KEYSTORE, data.resolve("keys/bundle-keys.p12").toString()));
        // in the environment only, never on a command line (visible to every user in `ps`)
        env.put(Settings.PAYLOAD_KEYSTORE.env(), payloadKeystore.toString());
        env.put(Settings.PAYLOAD_KEYSTORE_PASSWORD.env(), payloadPassword);
        env.put(Settings.BIOSERVER_SIGNING_KEYSTORE.env(), signingKeystore.toString());
        env.put(Settings.BIOSERVER_SIGNING_KEYSTORE_PASSWORD.env(), signingPassword);
        env.put(Settings.KAFKA_BOOTSTRAP.env(), bootstrap);
        env.put(Settings.KAFKA_SECURITY_PROTOCOL.env(), kafkaCredentials.protocol());
        env.put(Settings.KAFKA_CREDENTIALS_DIR.env(), kafkaCredentials.credentialsDir().toString());
        env.put(Settings.KAFKA_TRUSTSTORE.env(), kafkaCredentials.truststore().toString());
        env.put(Settings.REGISTRY_URL.env(), registryUrl);
        env.put(Settings.REGISTRY_USER.env(), registryCredentials.user());
        env.put(Settings.REGISTRY_PASSWORD.env(), registryCredentials.password());
        env.put(Settings.STREAMS_STATE_DIR.env(), data.resolve("streams").toString());
        env.put(Settings.PROCESSOR_HTTP_PORT.env(), Integer.toString(processorPort));
        // the local run's health and metrics are for this machine only
        env.put(Settings.PROCESSOR_HTTP_BIND.env(), "127.0.0.1");
        env.put(Settings.GATEWAY_PORT.env(), Integer.toString(gatewayPort));
        // callbacks to internal addresses (a local receiver) only when allowed: the shell's OPENBIO_CALLBACK_ALLOW or -D
        env.put(Settings.CALLBACK_ALLOW.env(), KafkaSettings.setting(Settings.CALLBACK_ALLOW, ""));
        // Kafka-client tenants (README "Kafka clients"): the shell's OPENBIO_KAFKA_CLIENT_TENANTS or -D
        env.put(Settings.KAFKA_CLIENT_TENANTS.env(), KafkaSettings.setting(Settings.KAFKA_CLIENT_TENANTS, ""));
        return env;
    }

    /** Settings of this JVM's clients: the local broker and registry, acting as the Kafka super user. */
    public KafkaSettings kafkaSettings() {
        return KafkaSettings.fromEnvironment().with(bootstrap, registryUrl).with(kafkaAdmin);
    }

    /** Formats the storage on the first run, starts the broker and waits until it accepts connections. */
    public ChildProcess startBroker() throws IOException, InterruptedException {
        return LocalBroker.start(data, launcherLib, kafkaPort, controllerPort, kafkaTls, kafkaAdmin.password(KafkaAccess.ADMIN),
                logs.resolve("broker.log"));
    }

    /** Starts the registry (schemas in a file-backed H2 next to the broker's data) without waiting. */
    public ChildProcess startRegistry() throws IOException {
        Files.createDirectories(data.resolve("registry"));
        return ChildProcess.start("registry", List.of(LocalPaths.java(),
                        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dquarkus.http.port=" + registryPort, "-Dquarkus.http.host=127.0.0.1",
                        // Schemas persist across runs next to the broker's data, so ids in stored events keep resolving.
                        "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + data.resolve("registry/registry") + ";DB_CLOSE_ON_EXIT=FALSE",
                        "-jar", registryJar.toString()),
                // its password in its environment only: a command line is visible to every user in `ps`
                Map.of(LocalRegistry.passwordEnv(), registryCredentials.password()), data, logs.resolve("registry.log"));
    }

    /**
     * Creates (as admin) every principal's credential and the contract's ACLs and the topics, waits for
     * the registry, sets the BACKWARD rule and registers every schema.
     */
    public void setUp(ChildProcess registry) throws Exception {
        try (Admin admin = Admin.create(kafkaSettings().admin())) {
            KafkaAccess.apply(admin, kafkaCredentials);
            PlatformSetup.createTopics(admin, Pipeline.topics(), (short) 1);
        }
        registry.awaitHttp(registryUrl + "/system/info", Duration.ofSeconds(90));
        PlatformSetup.requireBackwardCompatibility(registryUrl, registryCredentials, Duration.ofSeconds(30));
        PlatformSetup.registerSchemas(registryUrl, registryCredentials, Pipeline.topics());
    }

    /**
     * Starts a processor JVM hosting {@code stages} ({@code all} for every stage) with its health
     * endpoint on {@code httpPort}; its log is {@code logs/<name>.log}.
     */
    public ChildProcess startProcessors(String name, List<String> stages, int httpPort, String heap) throws IOException {
        return startProcessors(name, stages, httpPort, heap, Map.of());
    }

    /**
     * As {@link #startProcessors(String, List, int, String)} with extra environment, e.g. a second
     * instance of a stage: its own {@code OPENBIO_STREAMS_STATE_DIR} (Kafka Streams locks a state
     * folder to one process) and {@code OPENBIO_PROCESSOR_INSTANCE_ID}.
     */
    public ChildProcess startProcessors(String name, List<String> stages, int httpPort, String heap,
                                        Map<String, String> extraEnv) throws IOException {
        List<String> command = new ArrayList<>(List.of(LocalPaths.java(), "-Xmx" + heap,
                "-cp", processorsJar + ":" + processorsLib + "/*", "io.openbio.processors.ProcessorMain"));
        command.addAll(stages);
        Map<String, String> env = environment();
        env.put(Settings.PROCESSOR_HTTP_PORT.env(), Integer.toString(httpPort));
        env.putAll(extraEnv);
        return ChildProcess.start(name, command, env, data, logs.resolve(name + ".log"));
    }

    /** Starts the gateway with extra environment (e.g. OPENBIO_GATEWAY_REQUEST_TIMEOUT) without waiting. */
    public ChildProcess startGateway(Map<String, String> extraEnv) throws IOException {
        return startGateway("gateway", extraEnv);
    }

    /**
     * Starts a gateway named {@code name} (its log {@code logs/<name>.log}) without waiting; a second
     * one needs its own {@code OPENBIO_GATEWAY_PORT} and {@code OPENBIO_GATEWAY_INSTANCE_ID} in {@code extraEnv}.
     */
    public ChildProcess startGateway(String name, Map<String, String> extraEnv) throws IOException {
        Map<String, String> env = environment();
        env.putAll(extraEnv);
        return ChildProcess.start(name, List.of(LocalPaths.java(), "-Xmx512m", "-jar", gatewayJar.toString()),
                env, data, logs.resolve(name + ".log"));
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }
}
