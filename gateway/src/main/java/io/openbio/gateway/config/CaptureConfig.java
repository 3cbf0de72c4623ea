package io.openbio.gateway.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.openbio.bundle.BundleKeyStore;
import io.openbio.bundle.BundleKeys;
import io.openbio.events.NonceIssued;
import io.openbio.gateway.api.iad.IadProperties;
import io.openbio.gateway.config.PipelineConfig.GatewayInstance;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.serde.EventSerdes;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/** Capture-bundle wiring: the server's key store, the nonce producer, the licence gauge. */
@Configuration(proxyBeanMethods = false)
public class CaptureConfig {

    @Bean
    BundleKeyStore bundleKeyStore() {
        if (BundleKeys.usingDevPassword()) {
            org.slf4j.LoggerFactory.getLogger(CaptureConfig.class).warn(
                    "the bundle key store uses the development password; set OPENBIO_BUNDLE_KEYSTORE_PASSWORD");
        }
        return BundleKeys.open();
    }

    @Bean
    KafkaTemplate<String, NonceIssued> nonceTemplate(KafkaSettings settings, EventSerdes serdes, GatewayInstance instance) {
        var config = settings.producer("gateway-nonces-" + instance.id());
        config.put("max.block.ms", 5000);
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config, Serdes.String().serializer(),
                serdes.valueSerde(NonceIssued.class).serializer()));
    }

    /** The IAD Server's licence-expiration metric (this platform's configured date). */
    @Bean
    Gauge licenseExpiration(MeterRegistry meters, IadProperties iad) {
        Gauge.builder("openbio.license.expires.in", iad, p -> p.expirationDate().getEpochSecond() - Instant.now().getEpochSecond())
                .baseUnit("seconds").description("Seconds until the configured licence expiration date").register(meters);
        return Gauge.builder("openbio.license.expiration.timestamp", iad, p -> p.expirationDate().getEpochSecond())
                .baseUnit("seconds").description("Configured licence expiration date, Unix time").register(meters);
    }
}
