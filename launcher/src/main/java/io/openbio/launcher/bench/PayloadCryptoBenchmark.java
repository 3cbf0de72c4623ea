package io.openbio.launcher.bench;

import io.openbio.schemas.crypto.PayloadCipher;
import io.openbio.schemas.crypto.PayloadKeyStore;
import io.openbio.schemas.crypto.Purpose;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Payload encryption in-process (no Kafka): seal and open per payload size, with a warm data-key
 * cache (the steady state: one data key per tenant per hour) and, for open, a warm reader cache; plus
 * the cold cost of a new data key (generate + wrap) and of a first open (unwrap). A hop that carries
 * a sealed payload pays one seal where it is produced and one open where it is used.
 *
 * <p>Usage: {@code PayloadCryptoBenchmark [iterations=2000] [report.md]}.
 */
public final class PayloadCryptoBenchmark {
    private PayloadCryptoBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path report = args.length > 1 ? Path.of(args[1]) : null;
        Path dir = Files.createTempDirectory("payload-bench");
        char[] password = "bench".toCharArray();
        PayloadKeyStore.create(dir.resolve("keys.p12"), password);
        PayloadKeyStore keys = PayloadKeyStore.open(dir.resolve("keys.p12"), password, null);
        PayloadCipher cipher = new PayloadCipher(keys, Duration.ofHours(1));
        Random random = new Random(1);

        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Payload encryption in-process (AES-256-GCM, JCA %s, %s, %d cores), %d iterations per size; microseconds",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), iterations));
        lines.add("");
        lines.add("| payload | bytes | seal p50 | seal p99 | open p50 | open p99 | seal MB/s |");
        lines.add("|---|---|---|---|---|---|---|");
        Object[][] sizes = {{"template (512 floats)", 512 * 4}, {"image 50 KB", 50 * 1024}, {"image 500 KB", 500 * 1024},
                {"image 2 MB", 2 * 1024 * 1024}};
        for (Object[] size : sizes) {
            byte[] payload = new byte[(int) size[1]];
            random.nextBytes(payload);
            Purpose purpose = payload.length == 2048 ? Purpose.TEMPLATE : Purpose.IMAGE;
            // warm-up: JIT and the AES-NI / GHASH intrinsics
            for (int i = 0; i < Math.max(200, iterations / 4); i++) {
                cipher.open("t", purpose, "r" + i, cipher.seal("t", purpose, "r" + i, payload));
            }
            long[] seal = new long[iterations];
            long[] open = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                String key = "req-" + i;
                long t0 = System.nanoTime();
                byte[] sealed = cipher.seal("t", purpose, key, payload);
                long t1 = System.nanoTime();
                byte[] plain = cipher.open("t", purpose, key, sealed);
                long t2 = System.nanoTime();
                if (plain.length != payload.length) {
                    throw new IllegalStateException("round trip");
                }
                seal[i] = t1 - t0;
                open[i] = t2 - t1;
            }
            Arrays.sort(seal);
            Arrays.sort(open);
            double mbps = payload.length / (seal[iterations / 2] / 1e9) / (1024 * 1024);
            lines.add(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.0f |", size[0], payload.length,
                    us(seal, 0.5), us(seal, 0.99), us(open, 0.5), us(open, 0.99), mbps));
        }
        // cold paths: a new data key per seal (DEK max age 0) and a reader that has not seen the data key
        PayloadCipher rotating = new PayloadCipher(keys, Duration.ZERO);
        byte[] small = new byte[2048];
        long[] cold = new long[Math.min(iterations, 500)];
        long[] firstOpen = new long[cold.length];
        for (int i = 0; i < cold.length + 100; i++) {
            long t0 = System.nanoTime();
            byte[] sealed = rotating.seal("t", Purpose.TEMPLATE, "k", small);
            long t1 = System.nanoTime();
            new PayloadCipher(keys, Duration.ofHours(1)).open("t", Purpose.TEMPLATE, "k", sealed);
            long t2 = System.nanoTime();
            if (i >= 100) {
                cold[i - 100] = t1 - t0;
                firstOpen[i - 100] = t2 - t1;
            }
        }
        Arrays.sort(cold);
        Arrays.sort(firstOpen);
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Cold paths (2 KB): seal with a new data key p50 %.1f us (generate + wrap), first open of a data key p50 %.1f us (unwrap + open); "
                + "each happens once per tenant per writer per `OPENBIO_PAYLOAD_DEK_MAX_AGE_MS`, and once per data key per reader.", us(cold, 0.5), us(firstOpen, 0.5)));
        String text = String.join("\n", lines) + "\n";
        System.out.print(text);
        if (report != null) {
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, text);
        }
    }

    private static double us(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1000.0;
    }
}
