package io.openbio.processors.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.openbio.events.CallbackDelivery;
import io.openbio.events.DiagnosticResult;
import io.openbio.events.ResultEvent;
import io.openbio.schemas.Topics;
import io.openbio.testkit.Drivers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallbackTopologyTest {
    private HttpServer receiver;
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status = failuresLeft.getAndDecrement() > 0 ? 503 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.createContext("/gone", exchange -> {
            exchange.sendResponseHeaders(410, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private static ResultEvent result(String id, String callback) {
        return ResultEvent.newBuilder().setRequestId(id).setTenant("t").setOperation("diagnostic.digest")
                .setCallbackUrl(callback).setCreatedAt(Instant.now()).setCompletedAt(Instant.now())
                .setPayload(new DiagnosticResult("ab".repeat(32), 3L, null, null, null)).build();
    }

    private List<CallbackDelivery> run(ResultEvent... results) {
        CallbackSender sender = new CallbackSender(4, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2));
        try (Drivers.Driver driver = Drivers.start(new CallbackProcessor(sender).topology(Drivers.SERDES))) {
            var in = driver.input(Topics.RESULTS);
            var out = driver.output(Topics.CALLBACK_DELIVERIES);
            for (ResultEvent r : results) {
                in.pipeInput(r.getRequestId(), r);
            }
            return out.readValuesToList();
        }
    }

    @Test
    void resultWithCallbackIsPostedWithItsIdempotencyKey() {
        List<CallbackDelivery> deliveries = run(result("req-1", url("/hook")), result("req-2", null));
        assertThat(deliveries).hasSize(1);
        assertThat(deliveries.get(0).getDelivered()).isTrue();
        assertThat(deliveries.get(0).getAttempts()).isEqualTo(1);
        assertThat(keys).containsExactly("req-1");
        assertThat(bodies.get(0)).contains("\"requestId\":\"req-1\"").contains("\"status\":\"OK\"");
    }

    @Test
    void failingReceiverIsRetriedWithTheSameKeyUntilItAccepts() {
        failuresLeft.set(2);
        List<CallbackDelivery> deliveries = run(result("req-3", url("/hook")));
        assertThat(deliveries.get(0).getDelivered()).isTrue();
        assertThat(deliveries.get(0).getAttempts()).isEqualTo(3);
        assertThat(keys).containsExactly("req-3", "req-3", "req-3");
    }

    @Test
    void permanentRefusalAndExhaustedRetriesAreRecordedAsUndelivered() {
        failuresLeft.set(100);
        List<CallbackDelivery> deliveries = run(result("req-4", url("/gone")), result("req-5", url("/hook")));
        assertThat(deliveries).hasSize(2);
        assertThat(deliveries.get(0).getDelivered()).isFalse();
        assertThat(deliveries.get(0).getAttempts()).isEqualTo(1);
        assertThat(deliveries.get(0).getLastStatus()).isEqualTo(410);
        assertThat(deliveries.get(1).getDelivered()).isFalse();
        assertThat(deliveries.get(1).getAttempts()).isEqualTo(4);
        assertThat(deliveries.get(1).getLastStatus()).isEqualTo(503);
    }
}
