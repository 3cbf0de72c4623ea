package io.openbio.gateway.pipeline;

import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.kafka.KafkaSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Whether the pipeline can serve: the broker answers, the schema registry answers, and every
 * required processor stage has at least one live member in its Kafka Streams consumer group
 * ({@link Stage#applicationId(String)}). Checked at most every 2 s; the last answer is reused in between.
 *
 * <p>The required stages are the pipeline contract's ({@link Pipeline#stageNames()}), unless
 * {@code openbio.gateway.required-processors} ({@code OPENBIO_GATEWAY_REQUIRED_PROCESSORS}) names
 * others: a comma-separated list, for a deployment (or a test) that runs only some stages. Empty
 * means the contract's stages.
 */
@Component
public class PipelineHealth {
    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Admin admin;
    private final KafkaSettings settings;
    private final List<String> requiredProcessors;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Snapshot last;

    public PipelineHealth(Admin admin, KafkaSettings settings,
                          @Value("${openbio.gateway.required-processors:}") List<String> requiredProcessors) {
        this.admin = admin;
        this.settings = settings;
        List<String> configured = requiredProcessors == null ? List.of()
                : requiredProcessors.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.requiredProcessors = configured.isEmpty() ? Pipeline.stageNames() : configured;
    }

    /** The processor stages the pipeline needs: {@code openbio.gateway.required-processors}, else every stage of the contract. */
    public List<String> requiredProcessors() {
        return requiredProcessors;
    }

    public record Snapshot(boolean up, Map<String, String> components, long atNanos) {
    }

    public Snapshot check() {
        Snapshot cached = last;
        if (cached != null && System.nanoTime() - cached.atNanos() < CACHE_NANOS) {
            return cached;
        }
        Map<String, String> components = new LinkedHashMap<>();
        boolean up = true;
        try {
            admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
            components.put("broker", "UP");
        } catch (Exception e) {
            components.put("broker", "DOWN");
            up = false;
        }
        components.put("registry", registryUp() ? "UP" : "DOWN");
        up &= "UP".equals(components.get("registry"));
        if ("UP".equals(components.get("broker")) && !requiredProcessors.isEmpty()) {
            try {
                Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(
                                requiredProcessors.stream().map(Stage::applicationId).toList())
                        .all().get(2, TimeUnit.SECONDS);
                for (String processor : requiredProcessors) {
                    ConsumerGroupDescription group = groups.get(Stage.applicationId(processor));
                    boolean live = group != null && !group.members().isEmpty();
                    components.put("processor:" + processor, live ? "UP" : "DOWN");
                    up &= live;
                }
            } catch (Exception e) {
                requiredProcessors.forEach(p -> components.put("processor:" + p, "UNKNOWN"));
                up = false;
            }
        }
        Snapshot snapshot = new Snapshot(up, components, System.nanoTime());
        last = snapshot;
        return snapshot;
    }

    private boolean registryUp() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(settings.registryUrl() + "/system/info"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
