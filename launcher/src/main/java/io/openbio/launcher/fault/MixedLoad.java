package io.openbio.launcher.fault;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained open-loop load over several endpoint families, round robin, at a fixed total rate, to
 * one gateway or spread over several (each family's requests alternate between the gateways that
 * are not {@link #down}, as a load balancer would send them). Every request's answer is kept:
 * family, gateway, when it was sent, the HTTP status and the request id the gateway returned
 * ({@code X-Request-Id}), so a verifier can match accepted requests to results.
 */
final class MixedLoad implements AutoCloseable {
    /** How a family builds its next request to a gateway (base URL); it may call that gateway, e.g. for a nonce. */
    interface RequestBuilder {
        HttpRequest build(String gateway) throws Exception;
    }

    /**
     * How a family that does not go through a gateway submits its next request (e.g. a record produced to
     * a Kafka client's request topic): completes with the answer's status and the id the request was
     * submitted under (null: not accepted), or exceptionally (counted as no answer).
     */
    interface Submitter {
        CompletableFuture<Answer> submit() throws Exception;
    }

    /** What a {@link Submitter}'s request was answered: its status and its request id. */
    record Answer(int status, String requestId) {
    }

    /** An endpoint family: a name and how to build its next request, or how to submit it without HTTP. */
    record Family(String name, RequestBuilder next, Submitter submitter) {
        Family(String name, RequestBuilder next) {
            this(name, next, null);
        }

        static Family submitting(String name, Submitter submitter) {
            return new Family(name, null, submitter);
        }
    }

    /** One request as the caller saw it; status 0 = no answer (connection refused, client timeout), -1 = not built. */
    record Sent(String family, long sentAtMillis, int status, String requestId, long latencyMillis, String error, String gateway) {
        /** The gateway put it on a request topic: it answered with an id and not with 429/503. */
        boolean accepted() {
            return requestId != null && status > 0 && status != 429 && status != 503;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(8, daemon("load-http"))).build();
    // 8: a builder may wait (a challenge capture is sent once its last frame's time has passed)
    private final ExecutorService builders = Executors.newFixedThreadPool(8, daemon("load-build"));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("load-tick"));
    private final List<Family> families;
    private final List<String> gateways;
    private final java.util.Set<String> down = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> pending = new java.util.concurrent.ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> inFlight = new ConcurrentLinkedQueue<>();
    private final AtomicLong counter = new AtomicLong();
    private ScheduledFuture<?> ticking;

    MixedLoad(List<Family> families, List<String> gateways) {
        this.families = families;
        this.gateways = List.copyOf(gateways);
        gateways.forEach(g -> pending.put(g, new java.util.concurrent.atomic.AtomicInteger()));
    }

    /** Stops sending to {@code gateway} (a load balancer that noticed it died), or sends to it again. */
    void down(String gateway, boolean isDown) {
        if (isDown) {
            down.add(gateway);
        } else {
            down.remove(gateway);
        }
    }

    /** Requests sent to {@code gateway} and not answered yet. */
    int pending(String gateway) {
        return pending.get(gateway).get();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    void start(double ratePerSecond) {
        long period = (long) (TimeUnit.SECONDS.toNanos(1) / ratePerSecond);
        ticking = scheduler.scheduleAtFixedRate(this::fire, 0, period, TimeUnit.NANOSECONDS);
    }

    private void fire() {
        long n = counter.getAndIncrement();
        Family family = families.get((int) (n % families.size()));
        List<String> up = gateways.stream().filter(g -> !down.contains(g)).toList();
        // each family alternates over the gateways (not gateway = family's index, which would pin a family to one)
        String gateway = up.isEmpty() ? gateways.get(0) : up.get((int) ((n / families.size()) % up.size()));
        CompletableFuture<Void> done = new CompletableFuture<>();
        inFlight.add(done);
        if (family.submitter() != null) {
            builders.execute(() -> submit(family, done));
            return;
        }
        builders.execute(() -> {
            long sentAt = System.currentTimeMillis();
            HttpRequest request;
            try {
                request = family.next().build(gateway);
            } catch (Exception e) {
                sent.add(new Sent(family.name(), sentAt, -1, null, 0, "request not built: " + e, gateway));
                done.complete(null);
                return;
            }
            long started = System.nanoTime();
            pending.get(gateway).incrementAndGet();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                pending.get(gateway).decrementAndGet();
                long latency = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                if (error != null) {
                    sent.add(new Sent(family.name(), sentAt, 0, null, latency, error.toString(), gateway));
                } else {
                    String id = response.headers().firstValue("X-Request-Id").orElse(null);
                    sent.add(new Sent(family.name(), sentAt, response.statusCode(), id, latency, null, gateway));
                }
                done.complete(null);
            });
        });
    }

    /** A family without HTTP: its request submitted, its answer kept under the gateway name "-" (it passes none). */
    private void submit(Family family, CompletableFuture<Void> done) {
        long sentAt = System.currentTimeMillis();
        long started = System.nanoTime();
        CompletableFuture<Answer> answer;
        try {
            answer = family.submitter().submit();
        } catch (Exception e) {
            sent.add(new Sent(family.name(), sentAt, -1, null, 0, "request not built: " + e, "-"));
            done.complete(null);
            return;
        }
        answer.whenComplete((a, error) -> {
            long latency = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (error != null) {
                sent.add(new Sent(family.name(), sentAt, 0, null, latency, error.toString(), "-"));
            } else {
                sent.add(new Sent(family.name(), sentAt, a.status(), a.requestId(), latency, null, "-"));
            }
            done.complete(null);
        });
    }

    /** Stops sending and waits (bounded) for every request in flight to be answered. */
    List<Sent> stop(Duration wait) throws InterruptedException {
        if (ticking != null) {
            ticking.cancel(false);
        }
        try {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the caller sees unanswered requests as missing from the list
        }
        return new ArrayList<>(sent);
    }

    List<Sent> snapshot() {
        return new ArrayList<>(sent);
    }

    static Map<String, Integer> statuses(List<Sent> sent) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Sent s : sent) {
            counts.merge(s.status() == 0 ? "no answer" : s.status() == -1 ? "not built" : Integer.toString(s.status()), 1, Integer::sum);
        }
        return counts;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        builders.shutdownNow();
    }
}
