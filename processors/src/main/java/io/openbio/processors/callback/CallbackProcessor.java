package io.openbio.processors.callback;

import io.openbio.events.CallbackDelivery;
import io.openbio.events.ResultEvent;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.PlatformContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.serde.EventSerdes;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Pushes every result whose request named a callback URL to that URL (see {@link CallbackSender}
 * for the delivery contract), and records each outcome on {@link Topics#CALLBACK_DELIVERIES}.
 *
 * <p>Delivery is at-least-once: the result's offset is committed (in the exactly-once
 * transaction that also writes the delivery record) only after the POST succeeded or was given
 * up on, so a processor killed mid-delivery re-sends after restart. Receivers de-duplicate with the
 * {@code Idempotency-Key} header, which is the request id and is the same on every attempt.
 */
public final class CallbackProcessor implements StreamProcessor {

    private final CallbackSender sender;

    /** With the default settings ({@link ProcessorSettings#defaults()}); ProcessorMain passes the process's. */
    public CallbackProcessor() {
        this(ProcessorSettings.defaults());
    }

    /** Retries, backoffs and the per-attempt timeout from {@code settings}. */
    public CallbackProcessor(ProcessorSettings settings) {
        this(new CallbackSender(settings.callbackMaxAttempts(), settings.callbackInitialBackoff(),
                settings.callbackMaxBackoff(), settings.callbackTimeout()));
    }

    public CallbackProcessor(CallbackSender sender) {
        this.sender = sender;
    }

    @Override
    public Stage stage() {
        return PlatformContract.CALLBACK;
    }

    @Override
    public Map<String, Object> configOverrides() {
        // Deliveries can take seconds each (retries with backoff): poll few records at a time
        // and allow a long gap between polls so a slow receiver does not cause a rebalance.
        return Map.of(
                StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 20,
                StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), 900_000);
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        TopicSpec<ResultEvent> in = Topics.RESULTS;
        TopicSpec<CallbackDelivery> out = Topics.CALLBACK_DELIVERIES;
        builder.stream(in.name(), in.consumed(serdes).withName("results"))
                .filter((key, result) -> result != null && result.getCallbackUrl() != null)
                .mapValues(sender::deliver)
                .to(out.name(), out.produced(serdes));
        return builder.build();
    }
}
