package io.openbio.processors.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.CallbackAttempt;
import io.openbio.events.CallbackDelivery;
import io.openbio.events.DiagnosticResult;
import io.openbio.events.ResultEvent;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.serde.EventSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The callback stage's routing with a scripted transport and the driver's wall-clock time (no
 * sleeping, no HTTP): delivered, retried on the retry topics with their delays, dead-lettered, and a
 * receiver that never answers holding up nobody else. The HTTP side is {@code CallbackSenderTest}.
 */
class CallbackTopologyTest {
    static final List<Duration> DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));
    private final EventSerdes serdes = EventSerdes.unregistered();
    private final Instant start = Instant.parse("2026-12-01T10:00:00Z");
    private final List<String> calls = new ArrayList<>();
    private final Map<String, CompletableFuture<CallbackTransport.Outcome>> never = new ConcurrentHashMap<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, ResultEvent> results;
    private TestOutputTopic<String, CallbackDelivery> deliveries;
    private TestOutputTopic<String, CallbackAttempt> dead;
    private final List<TestOutputTopic<String, CallbackAttempt>> retries = new ArrayList<>();

    static ResultEvent result(String id, String callback) {
        return ResultEvent.newBuilder().setRequestId(id).setTenant("t").setOperation("diagnostic.digest")
                .setCallbackUrl(callback).setCreatedAt(Instant.now()).setCompletedAt(Instant.now())
                .setPayload(new DiagnosticResult("ab".repeat(32), 3L, null, null, null)).build();
    }

    /** A driver whose transport answers {@code script(url, attempt)}; null means "never answers". */
    private void start(BiFunction<String, Integer, CallbackTransport.Outcome> script) {
        CallbackTransport transport = (result, attempt) -> {
            calls.add(result.getRequestId() + "#" + attempt);
            CallbackTransport.Outcome outcome = script.apply(result.getCallbackUrl(), attempt);
            if (outcome == null) {
                return never.computeIfAbsent(result.getRequestId() + "#" + attempt, k -> new CompletableFuture<>());
            }
            return CompletableFuture.completedFuture(outcome);
        };
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "cb");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        driver = new TopologyTestDriver(new CallbackProcessor(transport, DELAYS).topology(serdes), p, start);
        results = driver.createInputTopic(Topics.RESULTS.name(), Topics.RESULTS.keySerde().serializer(),
                Topics.RESULTS.valueSerde(serdes).serializer());
        deliveries = output(Topics.CALLBACK_DELIVERIES);
        dead = output(Topics.CALLBACK_DEAD);
        for (TopicSpec<CallbackAttempt> retry : Topics.CALLBACK_RETRIES) {
            retries.add(output(retry));
        }
    }

    private <V extends org.apache.avro.specific.SpecificRecord> TestOutputTopic<String, V> output(TopicSpec<V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde(serdes).deserializer());
    }

    private void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void aResultWithACallbackIsDeliveredOnceAndRecorded() {
        start((url, attempt) -> CallbackTransport.Outcome.answered(204));
        results.pipeInput("req-1", result("req-1", "https://hooks.example.com/a?token=s3cret"));
        results.pipeInput("req-2", result("req-2", null));
        advance(CallbackProcessor.TICK);

        List<CallbackDelivery> out = deliveries.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getDelivered()).isTrue();
        assertThat(out.get(0).getAttempts()).isEqualTo(1);
        assertThat(out.get(0).getLastStatus()).isEqualTo(204);
        assertThat(out.get(0).getIdempotencyKey()).isEqualTo("req-1");
        assertThat(out.get(0).getCallbackUrl()).as("query secrets redacted").isEqualTo("https://hooks.example.com/a?redacted");
        assertThat(calls).containsExactly("req-1#1");
        retries.forEach(r -> assertThat(r.isEmpty()).isTrue());
        assertThat(dead.isEmpty()).isTrue();
    }

    @Test
    void aFailedAttemptGoesToTheNextRetryTopicAndIsAttemptedOnlyAfterItsDelay() {
        start((url, attempt) -> attempt < 3 ? CallbackTransport.Outcome.answered(503) : CallbackTransport.Outcome.answered(200));
        results.pipeInput("req-3", result("req-3", "https://hooks.example.com/b"));
        advance(CallbackProcessor.TICK);

        List<CallbackAttempt> level1 = retries.get(0).readValuesToList();
        assertThat(level1).hasSize(1);
        assertThat(level1.get(0).getAttempt()).isEqualTo(2);
        assertThat(level1.get(0).getLastStatus()).isEqualTo(503);
        assertThat(level1.get(0).getNotBefore()).isEqualTo(start.plus(CallbackProcessor.TICK).plus(DELAYS.get(0)));
        assertThat(calls).as("nothing before the first delay").containsExactly("req-3#1");

        advance(Duration.ofMillis(900));
        assertThat(calls).as("still before the first delay").containsExactly("req-3#1");
        advance(Duration.ofMillis(150));
        assertThat(calls).containsExactly("req-3#1", "req-3#2");
        advance(CallbackProcessor.TICK);
        assertThat(retries.get(1).readValuesToList()).extracting(CallbackAttempt::getAttempt).containsExactly(3);
        advance(Duration.ofMillis(4900));
        assertThat(calls).hasSize(2);
        advance(Duration.ofMillis(200));
        assertThat(calls).containsExactly("req-3#1", "req-3#2", "req-3#3");
        advance(CallbackProcessor.TICK);

        List<CallbackDelivery> out = deliveries.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getDelivered()).isTrue();
        assertThat(out.get(0).getAttempts()).isEqualTo(3);
        assertThat(retries.get(2).isEmpty()).isTrue();
        assertThat(dead.isEmpty()).isTrue();
    }

    @Test
    void exhaustedRetriesAndFinalAnswersEndOnTheDeadLetterTopic() {
        start((url, attempt) -> url.endsWith("/gone") ? CallbackTransport.Outcome.answered(410) : CallbackTransport.Outcome.answered(503));
        results.pipeInput("req-4", result("req-4", "https://hooks.example.com/gone"));
        results.pipeInput("req-5", result("req-5", "https://hooks.example.com/down"));
        for (int i = 0; i < 40 * 20; i++) {
            advance(CallbackProcessor.TICK);
        }
        List<CallbackAttempt> letters = dead.readValuesToList();
        assertThat(letters).extracting(a -> a.getResult().getRequestId()).containsExactly("req-4", "req-5");
        assertThat(letters.get(0).getAttempt()).isEqualTo(1);
        assertThat(letters.get(0).getLastStatus()).isEqualTo(410);
        assertThat(letters.get(1).getAttempt()).isEqualTo(1 + DELAYS.size());
        assertThat(letters.get(1).getLastStatus()).isEqualTo(503);
        assertThat(calls).containsExactly("req-4#1", "req-5#1", "req-5#2", "req-5#3", "req-5#4");
        List<CallbackDelivery> out = deliveries.readValuesToList();
        assertThat(out).extracting(CallbackDelivery::getDelivered).containsExactly(false, false);
        assertThat(out).extracting(CallbackDelivery::getAttempts).containsExactly(1, 4);
        for (int level = 0; level < DELAYS.size(); level++) {
            assertThat(retries.get(level).readValuesToList()).extracting(a -> a.getResult().getRequestId()).containsExactly("req-5");
        }
    }

    @Test
    void aReceiverThatNeverAnswersHoldsUpNobodyElse() {
        start((url, attempt) -> url.contains("tarpit") ? null : CallbackTransport.Outcome.answered(200));
        for (int i = 0; i < 20; i++) {
            results.pipeInput("slow-" + i, result("slow-" + i, "https://tarpit.example.com/hook"));
        }
        results.pipeInput("fast-1", result("fast-1", "https://healthy.example.com/hook"));
        advance(CallbackProcessor.TICK);

        assertThat(deliveries.readValuesToList()).extracting(CallbackDelivery::getRequestId).containsExactly("fast-1");
        assertThat(calls.stream().filter(c -> c.startsWith("slow-")).count())
                .as("attempts at once per receiver").isEqualTo(CallbackSender.MAX_CONNECTIONS_PER_RECEIVER);

        // the tarpit's attempts time out (the sender's per-attempt timeout): they go to retry, the next ones start
        never.values().forEach(f -> f.complete(CallbackTransport.Outcome.failed("SocketTimeoutException", true)));
        advance(CallbackProcessor.TICK);
        assertThat(retries.get(0).readValuesToList()).hasSize(CallbackSender.MAX_CONNECTIONS_PER_RECEIVER);
        assertThat(calls.stream().filter(c -> c.startsWith("slow-")).count()).isEqualTo(2L * CallbackSender.MAX_CONNECTIONS_PER_RECEIVER);
    }

    /** The stage's HTTP client is released with the stage: closing the runtime closes the transport once. */
    @Test
    void closingTheRuntimeClosesTheTransport() throws Exception {
        java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
        CallbackTransport transport = new CallbackTransport() {
            @Override
            public CompletableFuture<Outcome> attempt(ResultEvent result, int attempt) {
                return CompletableFuture.completedFuture(Outcome.answered(200));
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        java.nio.file.Path state = java.nio.file.Files.createTempDirectory("cb-close");
        io.openbio.schemas.kafka.KafkaSettings settings = new io.openbio.schemas.kafka.KafkaSettings(
                "127.0.0.1:1", "http://127.0.0.1:1/apis/registry/v2", 5, 1, state, (short) 1)
                .with(io.openbio.schemas.kafka.KafkaSecurity.NONE);
        io.openbio.processors.core.ProcessorRuntime runtime =
                new io.openbio.processors.core.ProcessorRuntime(new CallbackProcessor(transport, DELAYS), settings, null);
        assertThat(closed).hasValue(0);
        runtime.close();
        assertThat(closed).hasValue(1);
    }
}
