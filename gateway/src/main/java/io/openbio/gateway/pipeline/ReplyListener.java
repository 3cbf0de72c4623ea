package io.openbio.gateway.pipeline;

import io.openbio.events.ResultEvent;
import io.openbio.gateway.config.PipelineConfig.GatewayInstance;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.setup.SchemaSetup;
import io.openbio.schemas.serde.EventSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.stereotype.Component;

/**
 * Reads this instance's reply topic ({@code openbio.replies.<instanceId>}, created at start) from its
 * end and completes the waiting requests. Each instance reads only its own topic, so each receives
 * only its own replies; a reply for a request that already timed out is dropped here (the result
 * itself stays on {@link Topics#RESULTS}).
 */
@Component
public class ReplyListener implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ReplyListener.class);

    private final TopicSpec<ResultEvent> topic;
    private final Admin admin;
    private final KafkaSettings settings;
    private final KafkaMessageListenerContainer<String, ResultEvent> container;
    private volatile boolean running;

    public ReplyListener(GatewayInstance instance, KafkaSettings settings, EventSerdes serdes, Admin admin, PendingReplies pending) {
        this.topic = Topics.replies(instance.id());
        this.admin = admin;
        this.settings = settings;
        Map<String, Object> config = settings.replyConsumer("openbio-gateway-" + instance.id(), "gateway-replies-" + instance.id());
        DefaultKafkaConsumerFactory<String, ResultEvent> factory = new DefaultKafkaConsumerFactory<>(
                config, Serdes.String().deserializer(), topic.valueSerde(serdes).deserializer());
        ContainerProperties properties = new ContainerProperties(
                new TopicPartitionOffset(topic.name(), 0, TopicPartitionOffset.SeekPosition.END));
        properties.setMessageListener((MessageListener<String, ResultEvent>) record -> {
            if (record.value() != null && !pending.complete(record.value())) {
                log.debug("reply for request {} arrived after its timeout; it stays on {}", record.key(), Topics.RESULTS.name());
            }
        });
        properties.setPollTimeout(200);
        // It starts at the end of its topic every time, so committed offsets would never be read:
        // no acknowledgement means no offset commit (a group-coordinator round trip on the listener
        // thread after every poll that brought replies).
        properties.setAckMode(ContainerProperties.AckMode.MANUAL);
        this.container = new KafkaMessageListenerContainer<>(factory, properties);
        this.container.setBeanName("reply-listener");
    }

    public String replyTopic() {
        return topic.name();
    }

    @Override
    public void start() {
        createReplyTopic();
        try {
            // Up front, so processors replying concurrently never race to register it.
            SchemaSetup.register(settings.registryUrl(), topic.name(), ResultEvent.getClassSchema());
        } catch (Exception e) {
            log.warn("could not register the reply schema for {} now ({}); the first reply will", topic.name(), e.toString());
        }
        container.start();
        running = true;
        log.info("gateway listens for replies on {}", topic.name());
    }

    private void createReplyTopic() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                admin.createTopics(List.of(topic.newTopic(settings.replication()))).all().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot create reply topic " + topic.name(), e.getCause());
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot create reply topic " + topic.name(), e);
                }
            }
            log.warn("broker not reachable yet; retrying creation of {}", topic.name());
            try {
                Thread.sleep(1000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ie);
            }
        }
    }

    /** True once the container has its partition assigned (replies sent from now on will be seen). */
    public boolean assigned() {
        return container.isRunning() && container.getAssignedPartitions() != null
                && !container.getAssignedPartitions().isEmpty();
    }

    @Override
    public void stop() {
        container.stop();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Start before the web server takes requests, stop after it stopped taking them.
        return Integer.MAX_VALUE - 2000;
    }
}
