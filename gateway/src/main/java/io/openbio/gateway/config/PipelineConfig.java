package io.openbio.gateway.config;

import io.openbio.events.RequestEnvelope;
import io.openbio.schemas.kafka.KafkaAccess;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.serde.EventSerdes;
import java.net.InetAddress;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serdes;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Kafka wiring of the gateway. The client settings themselves come from {@link KafkaSettings}, the
 * platform's one place for Kafka configuration; Spring properties {@code openbio.kafka.bootstrap}
 * and {@code openbio.registry.url} override its environment defaults.
 */
@Configuration(proxyBeanMethods = false)
public class PipelineConfig {

    @Bean
    KafkaSettings kafkaSettings(@Value("${openbio.kafka.bootstrap:}") String bootstrap,
                                @Value("${openbio.registry.url:}") String registry) {
        KafkaSettings env = KafkaSettings.fromEnvironment();
        // every gateway instance authenticates to Kafka as the gateway principal (KafkaAccess.GATEWAY)
        return env.with(bootstrap.isBlank() ? env.bootstrapServers() : bootstrap,
                registry.isBlank() ? env.registryUrl() : registry).asUser(KafkaAccess.GATEWAY);
    }

    @Bean
    EventSerdes eventSerdes(KafkaSettings settings) {
        return settings.serdes();
    }

    /** The instance id, defaulting to host name and HTTP port. */
    @Bean
    GatewayInstance gatewayInstance(GatewayProperties properties, @Value("${server.port:8080}") int port) {
        String id = properties.instanceId();
        if (id == null || id.isBlank()) {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "gateway";
            }
            id = (host + "-" + port).replaceAll("[^A-Za-z0-9._-]", "-");
        }
        return new GatewayInstance(id);
    }

    @Bean
    KafkaTemplate<String, RequestEnvelope> requestTemplate(KafkaSettings settings, EventSerdes serdes, GatewayInstance instance) {
        Map<String, Object> config = settings.producer("gateway-" + instance.id());
        // Fail fast when the broker is away: the caller gets 503 instead of a servlet thread
        // blocked for the client's default minute.
        config.put("max.block.ms", 5000);
        config.put("request.timeout.ms", 10000);
        config.put("delivery.timeout.ms", 20000);
        DefaultKafkaProducerFactory<String, RequestEnvelope> factory = new DefaultKafkaProducerFactory<>(
                config, Serdes.String().serializer(), serdes.valueSerde(RequestEnvelope.class).serializer());
        return new KafkaTemplate<>(factory);
    }

    @Bean(destroyMethod = "close")
    Admin kafkaAdmin(KafkaSettings settings) {
        Map<String, Object> config = settings.admin();
        config.put("request.timeout.ms", 5000);
        config.put("default.api.timeout.ms", 10000);
        return Admin.create(config);
    }

    /** This gateway instance's identity. */
    public record GatewayInstance(String id) {
    }
}
