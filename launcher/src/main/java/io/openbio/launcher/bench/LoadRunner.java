package io.openbio.launcher.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Open-loop (fixed rate) and closed-loop (N callers) HTTP load with latency percentiles. */
final class LoadRunner {
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();

    record Outcome(Latencies latencies, int errors, double seconds, java.util.Map<Integer, Integer> statuses) {
        double throughput() {
            return latencies.count() / seconds;
        }
    }

    private static void count(java.util.Map<Integer, Integer> statuses, int status) {
        statuses.merge(status, 1, Integer::sum);
    }

    /** Sends request i at start + i/rate; latency counts from that scheduled time (no coordinated omission). */
    Outcome openLoop(int rate, int seconds, IntFunction<HttpRequest> request) throws Exception {
        Latencies latencies = new Latencies();
        AtomicInteger errors = new AtomicInteger();
        java.util.Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentSkipListMap<>();
        int total = rate * seconds;
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<CompletableFuture<Void>> inFlight = new ArrayList<>(total);
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            HttpRequest r = request.apply(i);
            CompletableFuture<Void> done = new CompletableFuture<>();
            inFlight.add(done);
            scheduler.schedule(() -> http.sendAsync(r, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                count(statuses, error == null ? response.statusCode() : 0); // 0: no answer
                if (error == null && response.statusCode() / 100 == 2) {
                    latencies.add(System.nanoTime() - scheduled);
                } else {
                    errors.incrementAndGet();
                }
                done.complete(null);
            }), scheduled - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(seconds + 180L, TimeUnit.SECONDS);
        scheduler.shutdown();
        return new Outcome(latencies, errors.get(), (System.nanoTime() - start) / 1e9, statuses);
    }

    /** {@code callers} threads each sending the next request as soon as the last one answered. */
    Outcome closedLoop(int callers, int seconds, IntFunction<HttpRequest> request) throws Exception {
        Latencies latencies = new Latencies();
        AtomicInteger errors = new AtomicInteger();
        java.util.Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentSkipListMap<>();
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < callers; w++) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    HttpRequest r = request.apply(next.getAndIncrement());
                    long t = System.nanoTime();
                    try {
                        int status = http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
                        count(statuses, status);
                        if (status / 100 == 2) {
                            latencies.add(System.nanoTime() - t);
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        count(statuses, 0);
                        errors.incrementAndGet();
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return new Outcome(latencies, errors.get(), (System.nanoTime() - start) / 1e9, statuses);
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (Exception e) {
            return "unknown CPU";
        }
    }
}
