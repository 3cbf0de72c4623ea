package io.openbio.schemas.setup;

import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.kafka.KafkaAccess;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.registry.RegistryCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares a broker and a registry for the platform: on a SASL_SSL broker, creates every stage's and
 * the gateway's SCRAM credential and the ACLs the pipeline contract gives them ({@link KafkaAccess});
 * creates every topic of {@link io.openbio.schemas.contract.Pipeline#topics()}
 * (existing ones are kept) and sets the registry's global compatibility rule to BACKWARD, so a
 * schema change that would break readers of existing events is refused at registration.
 *
 * <p>Used by the local launcher, the tests, the docker-compose {@code setup} service and the k8s
 * topic Job: {@code java -cp <processors classpath> io.openbio.schemas.setup.PlatformSetup}.
 */
public final class PlatformSetup {
    private static final Logger log = LoggerFactory.getLogger(PlatformSetup.class);

    private PlatformSetup() {
    }

    public static void main(String[] args) throws Exception {
        // as the Kafka super user: OPENBIO_KAFKA_CREDENTIALS_DIR holds admin's password and every principal's
        KafkaSettings settings = KafkaSettings.fromEnvironment().asUser(KafkaAccess.ADMIN);
        try (Admin admin = Admin.create(settings.admin())) {
            if (settings.security().secured()) {
                KafkaAccess.apply(admin, settings.security());
            }
            createTopics(admin, io.openbio.schemas.contract.Pipeline.topics(), settings.replication());
        }
        RegistryCredentials credentials = RegistryCredentials.fromEnvironment();
        requireBackwardCompatibility(settings.registryUrl(), credentials, Duration.ofSeconds(60));
        registerSchemas(settings.registryUrl(), credentials, io.openbio.schemas.contract.Pipeline.topics());
        log.info("topics {} ready; registry rule COMPATIBILITY=BACKWARD set", io.openbio.schemas.contract.Pipeline.topics().stream().map(TopicSpec::name).toList());
    }

    /** Registers the value schema of every topic (see {@link SchemaSetup} for why up front). */
    public static void registerSchemas(String registryUrl, List<TopicSpec<?>> topics) throws IOException, InterruptedException {
        registerSchemas(registryUrl, RegistryCredentials.fromEnvironment(), topics);
    }

    /** Registers the value schema of every topic, sending {@code credentials}. */
    public static void registerSchemas(String registryUrl, RegistryCredentials credentials, List<TopicSpec<?>> topics)
            throws IOException, InterruptedException {
        for (TopicSpec<?> topic : topics) {
            SchemaSetup.register(registryUrl, credentials, topic.name(), org.apache.avro.specific.SpecificData.get().getSchema(topic.valueType()));
        }
    }

    /** Creates the topics that do not exist yet. */
    public static void createTopics(Admin admin, List<TopicSpec<?>> topics, short replication)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = topics.stream()
                .filter(t -> !existing.contains(t.name()))
                .map(t -> t.newTopic(replication))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Sets (or updates) the registry's global COMPATIBILITY rule to BACKWARD, retrying until the registry answers. */
    public static void requireBackwardCompatibility(String registryUrl, Duration timeout) throws IOException, InterruptedException {
        requireBackwardCompatibility(registryUrl, RegistryCredentials.fromEnvironment(), timeout);
    }

    /** Sets the global BACKWARD rule, sending {@code credentials} (the registry's admin API requires them). */
    public static void requireBackwardCompatibility(String registryUrl, RegistryCredentials credentials, Duration timeout)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String rule = "{\"type\":\"COMPATIBILITY\",\"config\":\"BACKWARD\"}";
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> created = http.send(credentials.authorize(HttpRequest.newBuilder(URI.create(registryUrl + "/admin/rules")))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(rule)).build(), HttpResponse.BodyHandlers.ofString());
                if (created.statusCode() / 100 == 2) {
                    return;
                }
                if (created.statusCode() == 409) {
                    HttpResponse<String> updated = http.send(credentials.authorize(HttpRequest.newBuilder(URI.create(registryUrl + "/admin/rules/COMPATIBILITY")))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(rule)).build(), HttpResponse.BodyHandlers.ofString());
                    if (updated.statusCode() / 100 == 2) {
                        return;
                    }
                    throw new IOException("registry refused the compatibility rule: " + updated.statusCode() + " " + updated.body());
                }
                throw new IOException("registry refused the compatibility rule: " + created.statusCode() + " " + created.body());
            } catch (java.net.ConnectException e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw new IOException("registry at " + registryUrl + " did not answer within " + timeout, last);
    }
}
