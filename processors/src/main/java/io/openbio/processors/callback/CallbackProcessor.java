package io.openbio.processors.callback;

import io.openbio.events.CallbackAttempt;
import io.openbio.events.CallbackDelivery;
import io.openbio.events.ResultEvent;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.callback.CallbackDestinationPolicy;
import io.openbio.schemas.contract.PlatformContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.serde.EventSerdes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes every result whose request named a callback URL to that URL ({@link CallbackSender}: the
 * checked destination, the signed request), retrying on retry topics, and records each final outcome
 * on {@link Topics#CALLBACK_DELIVERIES}.
 *
 * <p><b>No receiver waits on another.</b> Attempts run asynchronously: the stream thread starts them and
 * a wall-clock punctuation (every {@link #TICK}) routes the finished ones, so a receiver that never
 * answers costs its own callbacks the per-attempt timeout and nobody else anything. At most
 * {@link CallbackSender#MAX_CONNECTIONS_PER_RECEIVER} attempts per receiver and {@link #MAX_IN_FLIGHT}
 * per task run at once; the rest wait in the store. A failed attempt that is worth another goes to
 * retry topic {@code n} ({@code openbio.callbacks.retry.n}) with the time it is due
 * ({@code OPENBIO_CALLBACK_RETRY_DELAYS_MS}); this stage reads it back and waits in its store until then,
 * as spring-kafka's retryable topics do, but inside Kafka Streams' exactly-once lifecycle. Given up
 * (retries exhausted, a final 4xx, a refused destination): {@link Topics#CALLBACK_DEAD} with the result,
 * to replay, and an undelivered {@link CallbackDelivery}. Spring-kafka's {@code @RetryableTopic} was not
 * used: its listener calls receivers one record at a time on the consumer thread, so a tarpit would
 * still stall every callback behind it, and it would be a second consumer lifecycle beside
 * {@code ProcessorRuntime}'s.
 *
 * <p><b>At-least-once.</b> A callback taken from {@code openbio.results} or a retry topic is put in the
 * changelogged store {@value #STORE} in the same exactly-once transaction that commits its offset, and
 * leaves it only in the transaction that writes its outcome (delivery record, retry or dead letter). A
 * processor killed mid-attempt restores the store and sends again, so receivers de-duplicate with
 * {@code Idempotency-Key} / {@code webhook-id}: the request id, the same on every attempt.
 */
public final class CallbackProcessor implements StreamProcessor {
    private static final Logger log = LoggerFactory.getLogger(CallbackProcessor.class);

    static final String STORE = "callback-pending";
    /** How often finished attempts are routed and due ones started: adds at most this to a delivery. */
    static final Duration TICK = Duration.ofMillis(50);
    /** Attempts in flight per task (memory bound; the rest wait in the store). */
    static final int MAX_IN_FLIGHT = 256;

    private final CallbackTransport transport;
    private final List<Duration> retryDelays;

    /** With the default settings ({@link ProcessorSettings#defaults()}); ProcessorMain passes the process's. */
    public CallbackProcessor() {
        this(ProcessorSettings.defaults());
    }

    /** Retry delays, the per-attempt timeout, the allow-list and the signing secrets from {@code settings}. */
    public CallbackProcessor(ProcessorSettings settings) {
        this(sender(settings), settings.callbackRetryDelays());
    }

    public CallbackProcessor(CallbackTransport transport, List<Duration> retryDelays) {
        if (retryDelays.size() > Topics.CALLBACK_RETRIES.size()) {
            throw new IllegalArgumentException("at most " + Topics.CALLBACK_RETRIES.size() + " retry delays (one per retry topic)");
        }
        this.transport = transport;
        this.retryDelays = List.copyOf(retryDelays);
    }

    private static CallbackSender sender(ProcessorSettings settings) {
        CallbackDestinationPolicy policy = CallbackDestinationPolicy.parse(settings.callbackAllow(), java.net.InetAddress::getAllByName);
        CallbackSigner signer = CallbackSigner.parse(settings.callbackSecrets());
        if (!signer.configured()) {
            log.warn("callback stage: no OPENBIO_CALLBACK_SECRETS; callbacks are sent UNSIGNED (no webhook-signature header)"
                    + " and receivers cannot tell them from forgeries: set tenant=base64 secrets, or *=base64 for all tenants");
        }
        if (policy.hasAllowList()) {
            log.warn("callback stage: allow-list OPENBIO_CALLBACK_ALLOW set; callbacks may reach the internal addresses it names");
        }
        return new CallbackSender(policy, signer, settings.callbackTimeout(), Clock.systemUTC());
    }

    @Override
    public Stage stage() {
        return PlatformContract.CALLBACK;
    }

    /** Closes the HTTP client: its connection pool and I/O threads outlive the stream threads otherwise. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        TopicSpec<ResultEvent> results = Topics.RESULTS;
        TopicSpec<CallbackDelivery> deliveries = Topics.CALLBACK_DELIVERIES;
        Topology topology = new Topology();
        topology.addSource("results", Serdes.String().deserializer(), results.valueSerde(serdes).deserializer(), results.name());
        topology.addSource("retries", Serdes.String().deserializer(),
                Topics.CALLBACK_DEAD.valueSerde(serdes).deserializer(),
                Topics.CALLBACK_RETRIES.stream().map(TopicSpec::name).toArray(String[]::new));
        topology.addProcessor("deliver", () -> new Deliver(transport, retryDelays), "results", "retries");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                Serdes.String(), Topics.CALLBACK_DEAD.valueSerde(serdes)), "deliver");
        topology.addSink("deliveries", deliveries.name(), Serdes.String().serializer(), deliveries.valueSerde(serdes).serializer(), "deliver");
        for (int level = 1; level <= Topics.CALLBACK_RETRIES.size(); level++) {
            TopicSpec<CallbackAttempt> retry = Topics.CALLBACK_RETRIES.get(level - 1);
            topology.addSink("retry-" + level, retry.name(), Serdes.String().serializer(), retry.valueSerde(serdes).serializer(), "deliver");
        }
        topology.addSink("dead", Topics.CALLBACK_DEAD.name(), Serdes.String().serializer(),
                Topics.CALLBACK_DEAD.valueSerde(serdes).serializer(), "deliver");
        return topology;
    }

    /** Starts due attempts, routes finished ones; see the class comment. */
    static final class Deliver implements Processor<String, SpecificRecord, String, SpecificRecord> {
        private record Waiting(long notBefore, String key) {
        }

        private record InFlight(CallbackAttempt attempt, String receiver, CompletableFuture<CallbackTransport.Outcome> outcome) {
        }

        private final CallbackTransport transport;
        private final List<Duration> retryDelays;
        private final PriorityQueue<Waiting> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.notBefore, b.notBefore));
        private final Map<String, InFlight> inFlight = new HashMap<>();
        private final Map<String, Integer> perReceiver = new HashMap<>();
        private ProcessorContext<String, SpecificRecord> context;
        private KeyValueStore<String, CallbackAttempt> pending;

        Deliver(CallbackTransport transport, List<Duration> retryDelays) {
            this.transport = transport;
            this.retryDelays = retryDelays;
        }

        @Override
        public void init(ProcessorContext<String, SpecificRecord> context) {
            this.context = context;
            this.pending = context.getStateStore(STORE);
            // after a restart or a rebalance: everything that was waiting or in flight is due again
            try (KeyValueIterator<String, CallbackAttempt> all = pending.all()) {
                while (all.hasNext()) {
                    KeyValue<String, CallbackAttempt> entry = all.next();
                    waiting.add(new Waiting(entry.value.getNotBefore().toEpochMilli(), entry.key));
                }
            }
            context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::tick);
        }

        @Override
        public void process(Record<String, SpecificRecord> record) {
            long now = context.currentSystemTimeMs();
            CallbackAttempt attempt;
            if (record.value() instanceof ResultEvent result) {
                if (result.getCallbackUrl() == null) {
                    return;
                }
                attempt = CallbackAttempt.newBuilder().setResult(result).setAttempt(1).setNotBefore(Instant.ofEpochMilli(now)).build();
            } else if (record.value() instanceof CallbackAttempt retry) {
                attempt = retry;
            } else {
                return;
            }
            String key = attempt.getResult().getRequestId();
            pending.put(key, attempt);
            waiting.add(new Waiting(attempt.getNotBefore().toEpochMilli(), key));
            startDue(now);
        }

        void tick(long now) {
            Iterator<Map.Entry<String, InFlight>> it = inFlight.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, InFlight> entry = it.next();
                InFlight flight = entry.getValue();
                if (!flight.outcome().isDone()) {
                    continue;
                }
                it.remove();
                perReceiver.merge(flight.receiver(), -1, (a, b) -> a + b == 0 ? null : a + b);
                route(entry.getKey(), flight.attempt(), flight.outcome().join(), now);
            }
            startDue(now);
        }

        private void startDue(long now) {
            List<Waiting> deferred = new ArrayList<>();
            while (!waiting.isEmpty() && waiting.peek().notBefore() <= now && inFlight.size() < MAX_IN_FLIGHT) {
                Waiting next = waiting.poll();
                CallbackAttempt attempt = pending.get(next.key());
                if (attempt == null || inFlight.containsKey(next.key())) {
                    continue; // finished meanwhile, or a duplicate of one in flight
                }
                if (attempt.getNotBefore().toEpochMilli() > now) {
                    deferred.add(new Waiting(attempt.getNotBefore().toEpochMilli(), next.key()));
                    continue;
                }
                String receiver = CallbackTransport.receiver(attempt.getResult().getCallbackUrl());
                if (perReceiver.getOrDefault(receiver, 0) >= CallbackSender.MAX_CONNECTIONS_PER_RECEIVER) {
                    deferred.add(next); // this receiver is busy: others go first
                    continue;
                }
                CompletableFuture<CallbackTransport.Outcome> outcome;
                try {
                    outcome = transport.attempt(attempt.getResult(), attempt.getAttempt());
                } catch (RuntimeException e) {
                    outcome = CompletableFuture.completedFuture(CallbackTransport.Outcome.failed(e.getClass().getSimpleName(), true));
                }
                inFlight.put(next.key(), new InFlight(attempt, receiver, outcome));
                perReceiver.merge(receiver, 1, Integer::sum);
            }
            waiting.addAll(deferred);
        }

        private void route(String key, CallbackAttempt attempt, CallbackTransport.Outcome outcome, long now) {
            ResultEvent result = attempt.getResult();
            int made = attempt.getAttempt();
            pending.delete(key);
            if (outcome.delivered()) {
                log.info("callback for request {} delivered to {} at attempt {}", key,
                        CallbackDestinationPolicy.redact(result.getCallbackUrl()), made);
                context.forward(new Record<>(key, delivery(result, true, made, outcome, now), now), "deliveries");
                return;
            }
            if (outcome.retryable() && made <= retryDelays.size()) {
                CallbackAttempt next = CallbackAttempt.newBuilder().setResult(result).setAttempt(made + 1)
                        .setNotBefore(Instant.ofEpochMilli(now + retryDelays.get(made - 1).toMillis()))
                        .setLastStatus(outcome.status()).setLastError(outcome.error()).build();
                context.forward(new Record<>(key, next, now), "retry-" + made);
                return;
            }
            log.warn("callback for request {} to {} given up after {} attempt(s): {}", key,
                    CallbackDestinationPolicy.redact(result.getCallbackUrl()), made, outcome.error());
            CallbackAttempt dead = CallbackAttempt.newBuilder().setResult(result).setAttempt(made)
                    .setNotBefore(Instant.ofEpochMilli(now)).setLastStatus(outcome.status()).setLastError(outcome.error()).build();
            context.forward(new Record<>(key, dead, now), "dead");
            context.forward(new Record<>(key, delivery(result, false, made, outcome, now), now), "deliveries");
        }

        private static CallbackDelivery delivery(ResultEvent result, boolean delivered, int attempts,
                                                 CallbackTransport.Outcome outcome, long now) {
            return CallbackDelivery.newBuilder()
                    .setRequestId(result.getRequestId())
                    .setTenant(result.getTenant())
                    .setCallbackUrl(CallbackDestinationPolicy.redact(result.getCallbackUrl()))
                    .setIdempotencyKey(result.getRequestId())
                    .setDelivered(delivered)
                    .setAttempts(attempts)
                    .setLastStatus(outcome.status())
                    .setLastError(outcome.error())
                    .setAt(Instant.ofEpochMilli(now))
                    .build();
        }

        @Override
        public void close() {
            inFlight.clear();
            perReceiver.clear();
            waiting.clear();
        }
    }
}
