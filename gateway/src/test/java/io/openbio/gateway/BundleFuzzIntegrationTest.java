package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 10,000 mutated bundles (seeded, reproducible) thrown at /check_capture_liveness and
 * /extract_image through the whole pipeline: every answer is a 4xx in the seed's error format (or a
 * 200 for a mutation that left the bundle valid), never a 5xx, and none is left hanging.
 */
class BundleFuzzIntegrationTest {
    static WiredPlatform platform;
    static int gateway;
    static CaptureClient client;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        // The tenant rate quota off: 32 requests in flight that fail fast could pass the default
        // 500/s of the one tenant, and a 429 would leave a mutated bundle unparsed.
        gateway = platform.gateway("gw-fuzz", "openbio.gateway.tenant.max-rate=0");
        client = new CaptureClient(gateway);
    }

    static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        switch (random.nextInt(6)) {
            case 0 -> { // bit flips
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int at = random.nextInt(b.length);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length)); // truncation
            case 2 -> { // insertion of junk
                int at = random.nextInt(b.length);
                byte[] junk = new byte[1 + random.nextInt(64)];
                random.nextBytes(junk);
                byte[] out = new byte[b.length + junk.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(junk, 0, out, at, junk.length);
                System.arraycopy(b, at, out, at + junk.length, b.length - at);
                b = out;
            }
            case 3 -> { // header region: small edits near the start (magic, lengths, header JSON)
                int at = random.nextInt(Math.min(b.length, 300));
                b[at] = (byte) random.nextInt(256);
            }
            case 4 -> { // length fields set to extremes
                int at = random.nextInt(Math.min(b.length - 4, 16));
                b[at] = (byte) 0xFF;
                b[at + 1] = (byte) 0xFF;
            }
            default -> { // random tail
                int from = random.nextInt(b.length);
                byte[] tail = new byte[b.length - from];
                random.nextBytes(tail);
                System.arraycopy(tail, 0, b, from, tail.length);
            }
        }
        return b;
    }

    @Test
    void tenThousandMutatedBundlesGiveNo5xxAndNoStuckRequest() throws Exception {
        byte[] photo = CaptureClient.photo("man_a.jpg");
        List<byte[]> seeds = List.of(client.bundle(photo, "Integrated Camera"), client.bundle(photo, "Integrated Camera"));
        Random random = new Random(20261122L);
        Semaphore window = new Semaphore(32);
        Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        List<String> serverErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<?>[] calls = new CompletableFuture<?>[10_000];
        for (int i = 0; i < calls.length; i++) {
            byte[] body = mutate(seeds.get(i % 2), random);
            String path = i % 10 == 0 ? "/extract_image" : "/check_capture_liveness";
            window.acquire();
            calls[i] = Http.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + path))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        window.release();
                        if (error != null) {
                            failures.incrementAndGet();
                            return;
                        }
                        byStatus.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        if (response.statusCode() >= 500) {
                            serverErrors.add(response.statusCode() + " " + response.body());
                        }
                    });
        }
        CompletableFuture.allOf(calls).get(10, TimeUnit.MINUTES);
        assertThat(failures.get()).as("requests without an answer (stuck or dropped)").isZero();
        assertThat(serverErrors).as("5xx answers; statuses: %s", byStatus).isEmpty();
        assertThat(byStatus.keySet()).allMatch(s -> s == 200 || (s >= 400 && s < 500));
        assertThat(byStatus.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(10_000);
    }
}
