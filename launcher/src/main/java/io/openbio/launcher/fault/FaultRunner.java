package io.openbio.launcher.fault;

import io.openbio.events.CallbackDelivery;
import io.openbio.launcher.ChildProcess;
import io.openbio.launcher.LocalPaths;
import io.openbio.launcher.LocalPlatform;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.launcher.bench.EkycCheckBenchmark;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.DiagnosticContract;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Route;
import io.openbio.schemas.serde.EventSerdes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The fault tests (issue: reliability), each one command ({@code bench/fault.sh <scenario>}),
 * run against the same components as the README's local platform ({@link LocalPlatform}):
 * <ul>
 * <li>{@code kill-stages}: every stage in its own JVM (as pods would be); under sustained mixed
 * load, each stage in turn is killed with SIGKILL and restarted; a verifier then proves every
 * accepted request has exactly one committed result on {@code openbio.results};</li>
 * <li>{@code broker-restart} / {@code broker-kill}: the broker is stopped (SIGTERM) or killed
 * (SIGKILL) during load and started again on the same data; no accepted request may be lost,
 * results and callbacks produced after it returns arrive;</li>
 * <li>{@code callback-outage}: the callback receiver fails (503), then processes but loses its
 * answers (500), then recovers; every callback must arrive at least once and duplicates carry the
 * same {@code Idempotency-Key}.</li>
 * </ul>
 * Arguments: scenario [rate=4 req/s] [stages=all (kill-stages only, comma-separated)]. Writes
 * {@code launcher/target/fault-<scenario>.md}; exits 1 when a check fails.
 */
public final class FaultRunner {
    private static final String COLLECTION = "fault-test";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * The load family (as the report names it) that sends each request route's requests; a route
     * without one here is reported under its own name.
     */
    private static final Map<String, String> LOAD_OF_ROUTE = Map.of(
            DiagnosticContract.ROUTE.name(), "diagnostic", CaptureContract.ROUTE.name(), "iad",
            EkycContract.CHECK_ROUTE.name(), "ekyc-check", EkycContract.TEMPLATE_ROUTE.name(), "ekyc-enrol");
    /** Stages on no route (callback delivery) serve the family whose requests ask for callbacks. */
    private static final String CALLBACK_LOAD = "diagnostic";

    private final StringBuilder report = new StringBuilder();
    private boolean passed = true;

    private FaultRunner() {
    }

    public static void main(String[] args) throws Exception {
        EventSerdes.trustGeneratedEvents();
        String scenario = args.length > 0 ? args[0] : "kill-stages";
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 4;
        List<String> stages = args.length > 2 && !args[2].equals("all") ? List.of(args[2].split(",")) : Pipeline.stageNames();
        for (String stage : stages) {
            if (Pipeline.stage(stage).isEmpty()) {
                throw new IllegalArgumentException("no stage '" + stage + "' in the pipeline contract: " + Pipeline.stageNames());
            }
        }
        FaultRunner runner = new FaultRunner();
        runner.line("Machine: %d cores, %s, Java %s; %s", Runtime.getRuntime().availableProcessors(), cpu(),
                System.getProperty("java.version"), Instant.now());
        switch (scenario) {
            case "kill-stages" -> runner.killStages(rate, stages);
            case "broker-restart" -> runner.brokerRestart(rate, false);
            case "broker-kill" -> runner.brokerRestart(rate, true);
            case "callback-outage" -> runner.callbackOutage(rate);
            default -> throw new IllegalArgumentException("scenario: kill-stages | broker-restart | broker-kill | callback-outage");
        }
        runner.line("");
        runner.line(runner.passed ? "RESULT: PASS" : "RESULT: FAIL");
        Path out = Path.of("launcher/target/fault-" + scenario + ".md");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, runner.report);
        System.out.println("report: " + out.toAbsolutePath());
        System.exit(runner.passed ? 0 : 1);
    }

    /** Which load family passes through {@code stage} (for the report): its first route in the pipeline contract. */
    static String familyOfStage(String stage) {
        for (Route route : Pipeline.routes()) {
            if (route.stageNames().contains(stage)) {
                return LOAD_OF_ROUTE.getOrDefault(route.name(), route.name());
            }
        }
        return CALLBACK_LOAD;
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }

    private void line(String format, Object... args) {
        String text = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        System.out.println(text);
        System.out.flush();
        report.append(text).append('\n');
    }

    private void check(boolean ok, String what) {
        line("- %s %s", ok ? "PASS" : "FAIL", what);
        passed &= ok;
    }

    // ---- the platform under test -------------------------------------------------------------

    /** The running components; closed in reverse order (also on Ctrl-C). */
    static final class Running implements AutoCloseable {
        final LocalPlatform platform;
        ChildProcess broker;
        ChildProcess registry;
        final Map<String, ChildProcess> processors = Collections.synchronizedMap(new LinkedHashMap<>());
        final Map<String, Integer> ports = new LinkedHashMap<>();
        ChildProcess gateway;

        Running(LocalPlatform platform) {
            this.platform = platform;
        }

        ChildProcess startStage(String group, List<String> stages, int port, String heap) throws Exception {
            ChildProcess process = platform.startProcessors(group, stages, port, heap);
            processors.put(group, process);
            ports.put(group, port);
            return process;
        }

        void awaitReady(String group, Duration timeout) throws Exception {
            processors.get(group).awaitHttp("http://127.0.0.1:" + ports.get(group) + "/health/ready", timeout);
        }

        @Override
        public void close() {
            if (gateway != null) {
                gateway.close();
            }
            List<ChildProcess> stages = new ArrayList<>(processors.values());
            stages.parallelStream().forEach(ChildProcess::close);
            if (registry != null) {
                registry.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
    }

    /** Fresh data, broker, registry, processors (one JVM per stage, or all in one), gateway. */
    private Running start(String scenario, boolean perStage) throws Exception {
        Path data = Path.of(System.getProperty("openbio.fault.data-dir", "launcher/target/fault-data")).toAbsolutePath()
                .resolve(scenario);
        LocalPaths.deleteTree(data);
        System.setProperty("openbio.data-dir", data.toString());
        // the CallbackReceiver listens on 127.0.0.1 (a random port): callbacks may go there in fault runs
        System.setProperty("openbio.callback.allow", KafkaSettings.setting("openbio.callback.allow", "127.0.0.1/32"));
        LocalPlatform platform = new LocalPlatform();
        Running running = new Running(platform);
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "fault-shutdown"));
        long t0 = System.nanoTime();
        running.broker = platform.startBroker();
        running.registry = platform.startRegistry();
        platform.setUp(running.registry);
        if (perStage) {
            int port = platform.processorPort + 10;
            for (String stage : Pipeline.stageNames()) {
                running.startStage(stage, List.of(stage), port++, "384m");
            }
        } else {
            running.startStage("processors", List.of("all"), platform.processorPort, "1g");
        }
        running.gateway = platform.startGateway(Map.of());
        for (String group : running.processors.keySet()) {
            running.awaitReady(group, Duration.ofSeconds(300));
        }
        running.gateway.awaitHttp(platform.gatewayUrl() + "/health", Duration.ofSeconds(180));
        line("Platform: broker, registry, %s, gateway; up in %.0f s; logs in %s",
                perStage ? running.processors.size() + " processor JVMs (one per stage)" : "one processor JVM (all stages)",
                (System.nanoTime() - t0) / 1e9, platform.logs);
        return running;
    }

    // ---- load --------------------------------------------------------------------------------

    static List<MixedLoad.Family> families(String gateway, CallbackReceiver receiver, List<String> names) throws Exception {
        byte[] photo = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        byte[] card = EkycCheckBenchmark.idCard(Files.readAllBytes(Path.of(".photos", "man_b.jpg")));
        String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
        String model = "{\"operations\":[\"FACE_CHECK\",\"DOC_CHECK\",\"FACE_MATCH_VALIDATION\",\"FACE_MATCH_SEARCH\"],"
                + "\"face_search_parameters\":{\"collections\":[\"" + COLLECTION + "\"],\"limit\":3}}";
        byte[] check = EkycCheckBenchmark.multipart(model, photo, card, boundary);
        io.openbio.launcher.bench.CaptureClient capture = new io.openbio.launcher.bench.CaptureClient(gateway);
        String callback = URLs.encode(receiver.url());
        List<MixedLoad.Family> all = List.of(
                new MixedLoad.Family("diagnostic", () -> post(gateway + "/diagnostic/digest?wait=false&callbackUrl=" + callback,
                        "image/jpeg", photo)),
                new MixedLoad.Family("iad", () -> post(gateway + "/check_capture_liveness", "application/octet-stream",
                        capture.freshBundle(photo))),
                new MixedLoad.Family("ekyc-check", () -> post(gateway + "/check?encrypted=false",
                        "multipart/form-data; boundary=" + boundary, check)),
                new MixedLoad.Family("ekyc-enrol", () -> post(gateway + "/add-image?encrypted=false&collection=" + COLLECTION,
                        "application/octet-stream", photo)));
        return all.stream().filter(f -> names.contains(f.name())).toList();
    }

    /** URL-encoding without checked exceptions. */
    private static final class URLs {
        static String encode(String s) {
            return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static HttpRequest post(String url, String type, byte[] body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    static void createCollection(String gateway) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/collections?collection=" + COLLECTION))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("creating the collection failed: " + r.statusCode() + " " + r.body());
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    // ---- verification ------------------------------------------------------------------------

    /** Counts of one set of requests against the result topic. */
    record Tally(int sent, int accepted, int withResult, int lost, int duplicated, int notAcceptedWithResult) {
    }

    private static Tally tally(List<MixedLoad.Sent> sent, ResultVerifier verifier) {
        int accepted = 0;
        int withResult = 0;
        int lost = 0;
        int duplicated = 0;
        int notAcceptedWithResult = 0;
        for (MixedLoad.Sent s : sent) {
            int results = s.requestId() == null ? 0 : verifier.results(s.requestId());
            if (s.accepted()) {
                accepted++;
                if (results >= 1) {
                    withResult++;
                } else {
                    lost++;
                }
                if (results > 1) {
                    duplicated++;
                }
            } else if (results > 0) {
                notAcceptedWithResult++;
                if (results > 1) {
                    duplicated++;
                }
            }
        }
        return new Tally(sent.size(), accepted, withResult, lost, duplicated, notAcceptedWithResult);
    }

    private List<MixedLoad.Sent> finish(MixedLoad load, ResultVerifier verifier) throws Exception {
        List<MixedLoad.Sent> sent = load.stop(Duration.ofSeconds(180));
        List<String> accepted = sent.stream().filter(MixedLoad.Sent::accepted).map(MixedLoad.Sent::requestId).toList();
        long t0 = System.nanoTime();
        List<String> missing = verifier.awaitResults(accepted, Duration.ofSeconds(180));
        line("Drain: %d accepted requests, %d without a result after %.0f s of waiting", accepted.size(), missing.size(),
                (System.nanoTime() - t0) / 1e9);
        // Late duplicates would show up after the last expected result: read once more after a pause.
        sleep(Duration.ofSeconds(5));
        verifier.poll();
        return sent;
    }

    private void overall(List<MixedLoad.Sent> sent, ResultVerifier verifier) {
        line("");
        line("| family | sent | answers by status | accepted | with a result | lost | duplicated | not accepted but a result |");
        line("|---|---|---|---|---|---|---|---|");
        Map<String, List<MixedLoad.Sent>> byFamily = sent.stream().collect(Collectors.groupingBy(MixedLoad.Sent::family,
                LinkedHashMap::new, Collectors.toList()));
        Tally all = tally(sent, verifier);
        for (Map.Entry<String, List<MixedLoad.Sent>> e : byFamily.entrySet()) {
            Tally t = tally(e.getValue(), verifier);
            line("| %s | %d | %s | %d | %d | %d | %d | %d |", e.getKey(), t.sent(), MixedLoad.statuses(e.getValue()),
                    t.accepted(), t.withResult(), t.lost(), t.duplicated(), t.notAcceptedWithResult());
        }
        line("| **all** | %d | %s | %d | %d | %d | %d | %d |", all.sent(), MixedLoad.statuses(sent), all.accepted(),
                all.withResult(), all.lost(), all.duplicated(), all.notAcceptedWithResult());
        line("");
        check(all.accepted() > 0, "requests were accepted (" + all.accepted() + ")");
        check(all.lost() == 0, "no accepted request lost (" + all.lost() + " lost)");
        check(all.duplicated() == 0, "no request has more than one committed result (" + all.duplicated() + " duplicated)");
        List<MixedLoad.Sent> unanswered = sent.stream().filter(s -> s.status() == 0).toList();
        check(unanswered.isEmpty(), "every HTTP request was answered (" + unanswered.size() + " without an answer)");
        List<MixedLoad.Sent> serverErrors = sent.stream().filter(s -> s.status() >= 500 && s.status() != 503 && s.status() != 504).toList();
        check(serverErrors.isEmpty(), "no 5xx other than 503/504 (" + serverErrors.size() + ")");
    }

    /** At-least-once callbacks: every accepted request with a callback was processed by the receiver at least once. */
    private void callbacks(List<MixedLoad.Sent> sent, CallbackReceiver receiver, ResultVerifier verifier, Duration wait) throws Exception {
        List<String> expected = sent.stream().filter(s -> s.family().equals("diagnostic") && s.accepted())
                .map(MixedLoad.Sent::requestId).toList();
        long until = System.nanoTime() + wait.toNanos();
        List<String> missing;
        do {
            Map<String, List<CallbackReceiver.Attempt>> attempts = receiver.attempts();
            missing = expected.stream().filter(id -> attempts.getOrDefault(id, List.of()).stream()
                    .noneMatch(CallbackReceiver.Attempt::processed)).toList();
            if (missing.isEmpty()) {
                break;
            }
            sleep(Duration.ofSeconds(1));
        } while (System.nanoTime() < until);
        Map<String, List<CallbackReceiver.Attempt>> attempts = receiver.attempts();
        int duplicates = 0;
        int attemptsTotal = 0;
        int wrongKey = 0;
        for (String id : expected) {
            List<CallbackReceiver.Attempt> list = List.copyOf(attempts.getOrDefault(id, List.of()));
            attemptsTotal += list.size();
            if (list.stream().filter(CallbackReceiver.Attempt::processed).count() > 1) {
                duplicates++;
            }
            wrongKey += (int) list.stream().filter(a -> !id.equals(a.requestId()) || !id.equals(a.idempotencyKey())).count();
        }
        verifier.poll();
        List<CallbackDelivery> deliveries = verifier.deliveries();
        long givenUp = deliveries.stream().filter(d -> !d.getDelivered()).count();
        line("");
        line("Callbacks: %d expected, %d attempts seen by the receiver, %d delivered more than once (duplicates), "
                        + "%d never delivered; delivery records: %d (%d given up)",
                expected.size(), attemptsTotal, duplicates, missing.size(), deliveries.size(), givenUp);
        check(!expected.isEmpty(), "callbacks were requested (" + expected.size() + ")");
        check(missing.isEmpty(), "every callback delivered at least once (" + missing.size() + " missing)");
        check(wrongKey == 0, "every attempt's Idempotency-Key is its request id, duplicates included (" + wrongKey + " wrong)");
    }

    // ---- scenarios ---------------------------------------------------------------------------

    private void killStages(double rate, List<String> stages) throws Exception {
        line("# Fault test: kill -9 of each processor stage under load");
        line("Command: bench/fault.sh kill-stages %s %s", fmt(rate), String.join(",", stages));
        try (Running running = start("kill-stages", true); CallbackReceiver receiver = new CallbackReceiver();
             ResultVerifier verifier = new ResultVerifier(running.platform.kafkaSettings())) {
            String gateway = running.platform.gatewayUrl();
            createCollection(gateway);
            try (MixedLoad load = new MixedLoad(families(gateway, receiver, List.of("diagnostic", "iad", "ekyc-check", "ekyc-enrol")))) {
                load.start(rate);
                line("Load: %s req/s in all, round robin over diagnostic (async, with callback), iad, ekyc-check "
                        + "(four operations incl. search), ekyc-enrol; 20 s warm-up", fmt(rate));
                sleep(Duration.ofSeconds(20));
                record Window(String stage, long killedAt, long readyAt, double recoverySeconds) {
                }
                List<Window> windows = new ArrayList<>();
                for (String stage : stages) {
                    ChildProcess victim = running.processors.get(stage);
                    long killedAt = System.currentTimeMillis();
                    long pid = victim.process().pid();
                    victim.kill();
                    System.out.printf("killed %s (pid %d)%n", stage, pid);
                    sleep(Duration.ofSeconds(3));
                    running.startStage(stage, List.of(stage), running.ports.get(stage), "384m");
                    running.awaitReady(stage, Duration.ofSeconds(300));
                    long readyAt = System.currentTimeMillis();
                    windows.add(new Window(stage, killedAt, readyAt, (readyAt - killedAt) / 1000.0));
                    System.out.printf("%s ready again after %.1f s%n", stage, (readyAt - killedAt) / 1000.0);
                    sleep(Duration.ofSeconds(8));
                }
                List<MixedLoad.Sent> sent = finish(load, verifier);
                line("");
                line("Per stage: requests sent from the kill until 8 s after the restarted stage was ready "
                        + "(max latency: of the family that passes through the stage).");
                line("");
                line("| stage killed (SIGKILL) | family through it | kill -> ready again | sent in window | accepted | lost | duplicated | max latency in window |");
                line("|---|---|---|---|---|---|---|---|");
                for (Window w : windows) {
                    List<MixedLoad.Sent> in = sent.stream()
                            .filter(s -> s.sentAtMillis() >= w.killedAt() && s.sentAtMillis() < w.readyAt() + 8000).toList();
                    Tally t = tally(in, verifier);
                    long maxLatency = in.stream().filter(s -> s.family().equals(familyOfStage(w.stage())))
                            .mapToLong(MixedLoad.Sent::latencyMillis).max().orElse(0);
                    line("| %s | %s | %.1f s | %d | %d | %d | %d | %.1f s |", w.stage(), familyOfStage(w.stage()),
                            w.recoverySeconds(), t.sent(), t.accepted(), t.lost(), t.duplicated(), maxLatency / 1000.0);
                }
                overall(sent, verifier);
                callbacks(sent, receiver, verifier, Duration.ofSeconds(120));
            }
        }
    }

    private void brokerRestart(double rate, boolean hard) throws Exception {
        String scenario = hard ? "broker-kill" : "broker-restart";
        line(hard ? "# Fault test: broker killed (SIGKILL) and restarted under load" : "# Fault test: broker stop and restart under load");
        line("Command: bench/fault.sh %s %s", scenario, fmt(rate));
        try (Running running = start(scenario, false); CallbackReceiver receiver = new CallbackReceiver()) {
            String gateway = running.platform.gatewayUrl();
            createCollection(gateway);
            ResultVerifier verifier;
            try (MixedLoad load = new MixedLoad(families(gateway, receiver, List.of("diagnostic", "iad", "ekyc-check", "ekyc-enrol")))) {
                load.start(rate);
                line("Load: %s req/s in all, round robin over diagnostic (async, with callback), iad, ekyc-check, ekyc-enrol; "
                        + "20 s before the stop", fmt(rate));
                sleep(Duration.ofSeconds(20));
                long stopAt = System.currentTimeMillis();
                if (hard) {
                    running.broker.kill(); // SIGKILL: no controlled shutdown, unflushed log segments recovered on start
                } else {
                    running.broker.close(); // SIGTERM: a controlled shutdown, as a rolling restart does
                }
                long downAt = System.currentTimeMillis();
                sleep(Duration.ofSeconds(20));
                long restartAt = System.currentTimeMillis();
                running.broker = running.platform.startBroker();
                long upAt = System.currentTimeMillis();
                running.gateway.awaitHttp(gateway + "/health", Duration.ofSeconds(300));
                long healthyAt = System.currentTimeMillis();
                sleep(Duration.ofSeconds(30));
                verifier = new ResultVerifier(running.platform.kafkaSettings());
                List<MixedLoad.Sent> sent = finish(load, verifier);
                long firstOk = sent.stream().filter(s -> s.sentAtMillis() >= restartAt && s.status() / 100 == 2)
                        .mapToLong(s -> s.sentAtMillis() + s.latencyMillis()).min().orElse(-1);
                List<MixedLoad.Sent> during = sent.stream().filter(s -> s.sentAtMillis() >= stopAt && s.sentAtMillis() < healthyAt).toList();
                line("");
                line("Broker: stop took %.1f s (" + (hard ? "SIGKILL" : "SIGTERM, controlled shutdown") + "), down for %.1f s; after the restart it accepted "
                                + "connections in %.1f s; gateway /health UP %.1f s after the restart; first 2xx answer to a "
                                + "request sent after the restart %.1f s after the restart.",
                        (downAt - stopAt) / 1000.0, (restartAt - downAt) / 1000.0, (upAt - restartAt) / 1000.0,
                        (healthyAt - restartAt) / 1000.0, firstOk < 0 ? Double.NaN : (firstOk - restartAt) / 1000.0);
                line("Requests sent while the broker was stopping, down or coming back: %d, answers %s",
                        during.size(), MixedLoad.statuses(during));
                overall(sent, verifier);
                callbacks(sent, receiver, verifier, Duration.ofSeconds(120));
                verifier.close();
            }
        }
    }

    private void callbackOutage(double rate) throws Exception {
        line("# Fault test: a callback receiver that fails and recovers");
        line("Command: bench/fault.sh callback-outage %s", fmt(rate));
        try (Running running = start("callback-outage", false); CallbackReceiver receiver = new CallbackReceiver();
             ResultVerifier verifier = new ResultVerifier(running.platform.kafkaSettings())) {
            String gateway = running.platform.gatewayUrl();
            try (MixedLoad load = new MixedLoad(families(gateway, receiver, List.of("diagnostic")))) {
                load.start(rate);
                line("Load: %s req/s of POST /diagnostic/digest?wait=false&callbackUrl=... (202, result pushed to the callback)", fmt(rate));
                line("Receiver: up 10 s, then failing with 503 for 15 s, then processing but answering 500 for 15 s "
                        + "(its answers lost: the sender must retry, the receiver sees duplicates), then up.");
                sleep(Duration.ofSeconds(10));
                receiver.mode(CallbackReceiver.Mode.DOWN);
                sleep(Duration.ofSeconds(15));
                receiver.mode(CallbackReceiver.Mode.ACK_LOST);
                sleep(Duration.ofSeconds(15));
                receiver.mode(CallbackReceiver.Mode.UP);
                sleep(Duration.ofSeconds(10));
                List<MixedLoad.Sent> sent = finish(load, verifier);
                overall(sent, verifier);
                callbacks(sent, receiver, verifier, Duration.ofSeconds(120));
            }
        }
    }

    private static String fmt(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
