package io.openbio.launcher.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * The load harness: drives one endpoint family of a running platform with real images, at a fixed
 * rate (open loop, latency from the scheduled send) or with N callers (closed loop), and reports
 * p50/p95/p99 latency, throughput and answers by HTTP status. {@code bench/load.sh} starts the
 * platform and runs it for every family.
 *
 * <p>Arguments: gatewayUrl family mode(rate|closed) n seconds [output]. Families: {@code diagnostic}
 * (POST /diagnostic/digest), {@code iad} (POST /check_capture_liveness, a fresh bundle per request),
 * {@code ekyc-check} (POST /check FACE_CHECK + FACE_MATCH_VALIDATION, plain images),
 * {@code ekyc-template} (POST /generate-template), {@code ekyc-enrol} (POST /add-image into a fresh collection).
 */
public final class LoadHarness {
    private LoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        String gateway = args[0];
        String family = args[1];
        String mode = args[2];
        int n = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        Path output = Path.of(args.length > 5 ? args[5] : "target/load-" + family + ".md");
        byte[] photo = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        int needed = mode.equals("rate") ? n * seconds + 20 : n * seconds * 50 + 20;
        IntFunction<HttpRequest> requests = requests(gateway, family, photo, needed);

        LoadRunner load = new LoadRunner();
        load.closedLoop(1, 5, requests); // warm-up
        LoadRunner.Outcome o = mode.equals("rate") ? load.openLoop(n, seconds, requests) : load.closedLoop(n, seconds, requests);
        StringBuilder statuses = new StringBuilder();
        for (Map.Entry<Integer, Integer> e : o.statuses().entrySet()) {
            statuses.append(statuses.length() == 0 ? "" : ", ").append(e.getKey() == 0 ? "no answer" : e.getKey()).append(": ").append(e.getValue());
        }
        String line = String.format(Locale.ROOT, "| %s | %s %d | %d | %.1f | %.1f | %.1f | %.1f/s | %s |",
                family, mode.equals("rate") ? "open loop, req/s" : "closed loop, callers", n, o.latencies().count() + o.errors(),
                o.latencies().percentileMs(50), o.latencies().percentileMs(95), o.latencies().percentileMs(99), o.throughput(), statuses);
        System.out.println(line);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, line + "\n");
        System.exit(0);
    }

    static IntFunction<HttpRequest> requests(String gateway, String family, byte[] photo, int needed) throws Exception {
        return switch (family) {
            case "diagnostic" -> i -> post(gateway + "/diagnostic/digest", "image/jpeg", photo);
            case "ekyc-template" -> i -> post(gateway + "/generate-template?encrypted=false", "application/octet-stream", photo);
            case "ekyc-enrol" -> {
                // enrolment into a collection (the collections stage, 1:N search's source of truth)
                String collection = "load-" + UUID.randomUUID().toString().substring(0, 8);
                int created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway + "/collections?collection=" + collection))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (created / 100 != 2) {
                    throw new IllegalStateException("creating collection " + collection + ": HTTP " + created);
                }
                yield i -> post(gateway + "/add-image?encrypted=false&collection=" + collection, "application/octet-stream", photo);
            }
            case "ekyc-check" -> {
                String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
                byte[] body = EkycCheckBenchmark.multipart("{\"operations\":[\"FACE_CHECK\",\"FACE_MATCH_VALIDATION\"]}",
                        photo, EkycCheckBenchmark.idCard(photo), boundary);
                yield i -> post(gateway + "/check?encrypted=false", "multipart/form-data; boundary=" + boundary, body);
            }
            case "iad" -> {
                List<byte[]> bundles = bundles(gateway, photo, needed);
                yield i -> post(gateway + "/check_capture_liveness", "application/octet-stream", bundles.get(i % bundles.size()));
            }
            default -> throw new IllegalArgumentException("unknown family " + family + " (diagnostic, iad, ekyc-check, ekyc-template, ekyc-enrol)");
        };
    }

    /** One bundle per request, each with a fresh nonce, built before the load starts. */
    static List<byte[]> bundles(String gateway, byte[] photo, int count) throws Exception {
        CaptureClient capture = new CaptureClient(gateway);
        List<byte[]> bundles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bundles.add(capture.freshBundle(photo));
        }
        if (bundles.isEmpty()) {
            throw new IllegalStateException("no bundle");
        }
        return bundles;
    }

    static HttpRequest post(String url, String type, byte[] body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

}
