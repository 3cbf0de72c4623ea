package io.openbio.launcher.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A callback receiver for the fault tests: records every callback attempt (request id from the
 * body, the {@code Idempotency-Key} header it is filed under, the answer given) and answers according to its mode:
 * {@link Mode#UP} 200, {@link Mode#DOWN} 503 (the receiver is failing), {@link Mode#ACK_LOST}
 * processes the callback but answers 500, as when the receiver's answer is lost, so the sender
 * retries and the receiver sees a duplicate.
 */
final class CallbackReceiver implements AutoCloseable {
    enum Mode { UP, DOWN, ACK_LOST }

    /** One attempt as the receiver saw it. */
    record Attempt(String requestId, String idempotencyKey, int answered, boolean processed, long atMillis) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, List<Attempt>> attempts = new ConcurrentHashMap<>();
    private volatile Mode mode = Mode.UP;

    CallbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "callback-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/callback", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    Map<String, List<Attempt>> attempts() {
        return attempts;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String requestId = null;
        try {
            JsonNode json = JSON.readTree(body);
            JsonNode id = json == null ? null : json.get("requestId");
            requestId = id == null ? null : id.asText();
        } catch (IOException e) {
            // recorded under the key below
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        Mode now = mode;
        int status = switch (now) {
            case UP -> 200;
            case DOWN -> 503;
            case ACK_LOST -> 500;
        };
        // keyed by the Idempotency-Key: the verifier checks it names the request the body carries
        attempts.computeIfAbsent(key == null ? "(none)" : key, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(
                new Attempt(requestId, key, status, now != Mode.DOWN, System.currentTimeMillis()));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
