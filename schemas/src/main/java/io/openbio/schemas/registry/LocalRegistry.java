package io.openbio.schemas.registry;

import io.openbio.schemas.settings.Settings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Apicurio Registry server built by the {@code registry} module, run as a child process on
 * loopback with in-memory storage: the local run's and the integration tests' real schema registry.
 *
 * <p>The registry answers writes and its admin API only with the platform's credentials (user
 * {@value #USER}, see {@code registry/README.md}); this class starts it with a fresh random password,
 * handed to the child in its environment ({@code OPENBIO_REGISTRY_PASSWORD}, not on its command
 * line, which {@code ps} shows), and {@link #credentials()} gives it to the clients.
 */
public final class LocalRegistry implements AutoCloseable {
    public static final String JAR = "registry/target/quarkus-app/quarkus-run.jar";
    /** The one user of the registry built by the {@code registry} module (its application.properties). */
    public static final String USER = "openbio";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Process process;
    private final int port;
    private final RegistryCredentials credentials;

    private LocalRegistry(Process process, int port, RegistryCredentials credentials) {
        this.process = process;
        this.port = port;
        this.credentials = credentials;
    }

    /** A new random password: 32 bytes of {@link SecureRandom}, hex. */
    public static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The environment variable the registry reads its password from (no default: it will not start without). */
    public static String passwordEnv() {
        return Settings.REGISTRY_PASSWORD.env();
    }

    /** The registry jar: system property {@code openbio.registry.jar}, else {@value #JAR} in this or a parent folder. */
    public static Path locateJar() {
        String configured = System.getProperty(Settings.REGISTRY_JAR.property(), System.getenv(Settings.REGISTRY_JAR.env()));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(JAR);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("registry server not built: " + JAR
                + " is missing; build it with 'mvn -pl registry package' (or the whole project with 'mvn verify')");
    }

    /** Starts the registry on {@code port} (0: a free port) with a new random password and waits until it answers. */
    public static LocalRegistry start(int port, Path log, Duration timeout) throws IOException, InterruptedException {
        return start(port, log, timeout, newPassword());
    }

    /** Starts the registry on {@code port} (0: a free port) with {@code password} and waits until it answers. */
    public static LocalRegistry start(int port, Path log, Duration timeout, String password) throws IOException, InterruptedException {
        int chosen = port > 0 ? port : freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + chosen, "-Dquarkus.http.host=127.0.0.1",
                "-jar", locateJar().toString()));
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put(passwordEnv(), password);
        Process process = builder.start();
        LocalRegistry registry = new LocalRegistry(process, chosen, RegistryCredentials.of(USER, password));
        try {
            registry.awaitUp(timeout);
        } catch (IOException | RuntimeException | InterruptedException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    private void awaitUp(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("registry process exited with " + process.exitValue() + " before it answered");
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/system/info"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException("registry did not answer on port " + port + " within " + timeout);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** Base URL of the registry's native v2 API (what the serdes take). */
    public String url() {
        return "http://127.0.0.1:" + port + "/apis/registry/v2";
    }

    /** Base URL of the Confluent-compatible API. */
    public String ccompatUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    /** What the platform's clients send to write to this registry. */
    public RegistryCredentials credentials() {
        return credentials;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
