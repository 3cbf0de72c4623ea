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
 * <li>{@code two-instances}: two JVMs of each stage (by default every stage the load passes
 * through) and two gateways with their own instance ids, the load spread over both; one instance
 * of each stage in turn is killed with SIGKILL while its peer carries on, and started again 3 s
 * later under the same name and state folder (as a crashed container restarts in its pod); then a
 * gateway is killed while requests are pending on it. Reports per stage the longest gap in answers
 * ({@link AnswerGaps}) and checks that the killed gateway's pending requests still have their
 * result on {@code openbio.results}. Fourth argument {@code static} (each instance's name as
 * {@code OPENBIO_PROCESSOR_INSTANCE_ID}) or {@code dynamic} membership.</li>
 * </ul>
 * Arguments: scenario [rate=4 req/s; two-instances 2] [stages=all (kill-stages, two-instances: comma-separated)]
 * [static|dynamic (two-instances)]. Writes
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
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : scenario.equals("two-instances") ? 2 : 4;
        List<String> stages = args.length > 2 && !args[2].equals("all") ? List.of(args[2].split(","))
                : scenario.equals("two-instances") ? loadedStages() : Pipeline.stageNames();
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
            case "two-instances" -> runner.twoInstances(rate, stages, args.length > 3 ? args[3] : "static");
            default -> throw new IllegalArgumentException(
                    "scenario: kill-stages | broker-restart | broker-kill | callback-outage | two-instances");
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

    /** The stages the mixed load passes through: its routes' stages and the callback stage, in pipeline order. */
    static List<String> loadedStages() {
        java.util.Set<String> loaded = new java.util.HashSet<>();
        for (Route route : Pipeline.routes()) {
            if (LOAD_OF_ROUTE.containsKey(route.name())) {
                loaded.addAll(route.stageNames());
            }
        }
        loaded.add("callback");
        return Pipeline.stageNames().stream().filter(loaded::contains).toList();
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
        /** two-instances: every processor instance's own environment (kept for its restart) and the gateways by name. */
        final Map<String, Map<String, String>> envs = new LinkedHashMap<>();
        final Map<String, ChildProcess> gateways = Collections.synchronizedMap(new LinkedHashMap<>());
        final Map<String, Map<String, String>> gatewayEnvs = new LinkedHashMap<>();

        Running(LocalPlatform platform) {
            this.platform = platform;
        }

        ChildProcess startStage(String group, List<String> stages, int port, String heap) throws Exception {
            ChildProcess process = platform.startProcessors(group, stages, port, heap);
            processors.put(group, process);
            ports.put(group, port);
            return process;
        }

        /** Starts (or starts again) a processor instance with its own environment (state folder, instance id). */
        ChildProcess startInstance(String instance, List<String> stages, int port, String heap, Map<String, String> env) throws Exception {
            ChildProcess process = platform.startProcessors(instance, stages, port, heap, env);
            processors.put(instance, process);
            ports.put(instance, port);
            envs.put(instance, env);
            return process;
        }

        ChildProcess startGateway(String name, Map<String, String> env) throws Exception {
            ChildProcess process = platform.startGateway(name, env);
            gateways.put(name, process);
            gatewayEnvs.put(name, env);
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
            new ArrayList<>(gateways.values()).forEach(ChildProcess::close);
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

    /**
     * A platform on fresh data ({@code launcher/target/fault-data/<scenario>}) with its broker and registry
     * started and set up, stopped at exit; the caller starts processors and gateways.
     */
    static Running brokerAndRegistry(String scenario) throws Exception {
        Path data = Path.of(System.getProperty("openbio.fault.data-dir", "launcher/target/fault-data")).toAbsolutePath()
                .resolve(scenario);
        LocalPaths.deleteTree(data);
        System.setProperty("openbio.data-dir", data.toString());
        // the CallbackReceiver listens on 127.0.0.1 (a random port): callbacks may go there in fault runs
        System.setProperty("openbio.callback.allow", KafkaSettings.setting("openbio.callback.allow", "127.0.0.1/32"));
        Running running = new Running(new LocalPlatform());
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, scenario + "-shutdown"));
        running.broker = running.platform.startBroker();
        running.registry = running.platform.startRegistry();
        running.platform.setUp(running.registry);
        return running;
    }

    /** Fresh data, broker, registry, processors (one JVM per stage, or all in one), gateway. */
    private Running start(String scenario, boolean perStage) throws Exception {
        long t0 = System.nanoTime();
        Running running = brokerAndRegistry(scenario);
        LocalPlatform platform = running.platform;
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
        return families(List.of(gateway), receiver, names);
    }

    /** The load families, each building its requests for whichever of {@code gateways} the load picks. */
    static List<MixedLoad.Family> families(List<String> gateways, CallbackReceiver receiver, List<String> names) throws Exception {
        byte[] photo = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        byte[] card = EkycCheckBenchmark.idCard(Files.readAllBytes(Path.of(".photos", "man_b.jpg")));
        String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
        String model = "{\"operations\":[\"FACE_CHECK\",\"DOC_CHECK\",\"FACE_MATCH_VALIDATION\",\"FACE_MATCH_SEARCH\"],"
                + "\"face_search_parameters\":{\"collections\":[\"" + COLLECTION + "\"],\"limit\":3}}";
        byte[] check = EkycCheckBenchmark.multipart(model, photo, card, boundary);
        Map<String, io.openbio.launcher.bench.CaptureClient> capture = new LinkedHashMap<>();
        for (String gateway : gateways) {
            capture.put(gateway, new io.openbio.launcher.bench.CaptureClient(gateway));
        }
        String callback = URLs.encode(receiver.url());
        List<MixedLoad.Family> all = List.of(
                new MixedLoad.Family("diagnostic", gateway -> post(gateway + "/diagnostic/digest?wait=false&callbackUrl=" + callback,
                        "image/jpeg", photo)),
                new MixedLoad.Family("iad", gateway -> post(gateway + "/check_capture_liveness", "application/octet-stream",
                        capture.get(gateway).freshBundle(photo))),
                new MixedLoad.Family("ekyc-check", gateway -> post(gateway + "/check?encrypted=false",
                        "multipart/form-data; boundary=" + boundary, check)),
                new MixedLoad.Family("ekyc-enrol", gateway -> post(gateway + "/add-image?encrypted=false&collection=" + COLLECTION,
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
        for (MixedLoad.Sent s : unanswered.stream().limit(10).toList()) {
            line("  - %s to %s at %s, after %d ms: %s", s.family(), s.gateway(), Instant.ofEpochMilli(s.sentAtMillis()),
                    s.latencyMillis(), s.error());
        }
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
            try (MixedLoad load = new MixedLoad(families(gateway, receiver, List.of("diagnostic", "iad", "ekyc-check", "ekyc-enrol")), List.of(gateway))) {
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
            try (MixedLoad load = new MixedLoad(families(gateway, receiver, List.of("diagnostic", "iad", "ekyc-check", "ekyc-enrol")), List.of(gateway))) {
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
            try (MixedLoad load = new MixedLoad(families(gateway, receiver, List.of("diagnostic")), List.of(gateway))) {
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

    // ---- two instances of everything ----------------------------------------------------------

    /** A processor instance's environment: its trace name, its own state folder, its static-membership id. */
    private static Map<String, String> instanceEnv(LocalPlatform platform, String instance, boolean staticMembership) {
        Map<String, String> env = new LinkedHashMap<>();
        // Instance.id() (the stage traces in every result) starts with HOSTNAME: the report tells the instances apart by it
        env.put("HOSTNAME", instance);
        // Kafka Streams locks a state folder to one process: each instance its own, as each pod has
        env.put(io.openbio.schemas.settings.Settings.STREAMS_STATE_DIR.env(),
                platform.data.resolve("instances").resolve(instance).resolve("streams").toString());
        if (staticMembership) {
            env.put(io.openbio.schemas.settings.Settings.PROCESSOR_INSTANCE_ID.env(), instance);
        }
        return env;
    }

    private static final String STAGE_HEAP = "384m";

    /** Broker, registry, two JVMs of each of {@code doubled}, the other stages in one JVM, two gateways. */
    private Running startTwo(List<String> doubled, boolean staticMembership) throws Exception {
        long t0 = System.nanoTime();
        Running running = brokerAndRegistry("two-instances");
        LocalPlatform platform = running.platform;
        int port = platform.processorPort + 10;
        List<String> others = Pipeline.stageNames().stream().filter(s -> !doubled.contains(s)).toList();
        for (String stage : doubled) {
            for (String suffix : List.of("-a", "-b")) {
                String instance = stage + suffix;
                running.startInstance(instance, List.of(stage), port++, STAGE_HEAP, instanceEnv(platform, instance, staticMembership));
            }
        }
        if (!others.isEmpty()) {
            running.startInstance("others", others, port, "1g", instanceEnv(platform, "others", staticMembership));
        }
        for (String name : List.of("gateway-a", "gateway-b")) {
            running.startGateway(name, Map.of(
                    io.openbio.schemas.settings.Settings.GATEWAY_PORT.env(), Integer.toString(gatewayPort(platform, name)),
                    io.openbio.schemas.settings.Settings.GATEWAY_INSTANCE_ID.env(), "fault-" + name));
        }
        for (String group : running.processors.keySet()) {
            running.awaitReady(group, Duration.ofSeconds(600));
        }
        for (String name : running.gateways.keySet()) {
            running.gateways.get(name).awaitHttp(gatewayUrl(platform, name) + "/health", Duration.ofSeconds(300));
        }
        line("Platform: broker, registry, %d processor JVMs (two of each of %d stages%s), two gateways (instance ids "
                        + "fault-gateway-a, fault-gateway-b: reply topics openbio.replies.fault-gateway-a / -b); %s membership; "
                        + "session timeout %s ms; up in %.0f s; logs in %s",
                running.processors.size(), doubled.size(), others.isEmpty() ? "" : ", the other " + others.size() + " in one JVM",
                staticMembership ? "static (group.instance.id = instance name)" : "dynamic",
                KafkaSettings.setting(io.openbio.schemas.settings.Settings.STREAMS_SESSION_TIMEOUT_MS),
                (System.nanoTime() - t0) / 1e9, platform.logs);
        return running;
    }

    /** gateway-a on the bench gateway port, gateway-b one below it (the port above is the registry's). */
    private static int gatewayPort(LocalPlatform platform, String name) {
        return name.equals("gateway-a") ? platform.gatewayPort : platform.gatewayPort - 1;
    }

    private static String gatewayUrl(LocalPlatform platform, String name) {
        return "http://127.0.0.1:" + gatewayPort(platform, name);
    }

    /** One stage's kill: which instance, when, when the restarted instance was ready, when the window closed. */
    record KillWindow(String stage, String killed, String peer, long killedAt, long readyAt, long endAt) {
    }

    private void twoInstances(double rate, List<String> stages, String membership) throws Exception {
        if (!membership.equals("static") && !membership.equals("dynamic")) {
            throw new IllegalArgumentException("membership: static | dynamic, not " + membership);
        }
        boolean staticMembership = membership.equals("static");
        line("# Fault test: two instances of every stage and two gateways; one instance of each killed in turn, then a gateway");
        line("Command: bench/fault.sh two-instances %s %s %s (OPENBIO_STREAMS_SESSION_TIMEOUT_MS=%s)", fmt(rate),
                String.join(",", stages), membership, KafkaSettings.setting(io.openbio.schemas.settings.Settings.STREAMS_SESSION_TIMEOUT_MS));
        try (Running running = startTwo(stages, staticMembership); CallbackReceiver receiver = new CallbackReceiver();
             ResultVerifier verifier = new ResultVerifier(running.platform.kafkaSettings())) {
            LocalPlatform platform = running.platform;
            List<String> urls = List.of(gatewayUrl(platform, "gateway-a"), gatewayUrl(platform, "gateway-b"));
            createCollection(urls.get(0));
            try (MixedLoad load = new MixedLoad(families(urls, receiver, List.of("diagnostic", "iad", "ekyc-check", "ekyc-enrol")), urls)) {
                long loadStart = System.currentTimeMillis();
                load.start(rate);
                line("Load: %s req/s in all, round robin over diagnostic (async, with callback), iad, ekyc-check, ekyc-enrol; "
                        + "each family alternating between the two gateways; 20 s warm-up", fmt(rate));
                sleep(Duration.ofSeconds(20));
                long warmFrom = loadStart + 8000;
                long warmTo = System.currentTimeMillis();
                List<KillWindow> windows = new ArrayList<>();
                int turn = 0;
                for (String stage : stages) {
                    // alternate which of the two dies, so both instances' restarts are exercised
                    String victim = stage + (turn % 2 == 0 ? "-a" : "-b");
                    String peer = stage + (turn % 2 == 0 ? "-b" : "-a");
                    turn++;
                    ChildProcess process = running.processors.get(victim);
                    long killedAt = System.currentTimeMillis();
                    process.kill();
                    System.out.printf("killed %s (pid %d); %s carries on%n", victim, process.process().pid(), peer);
                    // restarted as a crashed container is, in the same pod: same name, same state folder
                    sleep(Duration.ofSeconds(3));
                    running.startInstance(victim, List.of(stage), running.ports.get(victim), STAGE_HEAP, running.envs.get(victim));
                    running.awaitReady(victim, Duration.ofSeconds(300));
                    long readyAt = System.currentTimeMillis();
                    System.out.printf("%s ready again after %.1f s%n", victim, (readyAt - killedAt) / 1000.0);
                    sleep(Duration.ofSeconds(8));
                    windows.add(new KillWindow(stage, victim, peer, killedAt, readyAt, System.currentTimeMillis()));
                }
                // the gateway: killed while requests are pending on it
                String killedGateway = urls.get(0);
                long waitUntil = System.currentTimeMillis() + 20_000;
                while (load.pending(killedGateway) < 2 && System.currentTimeMillis() < waitUntil) {
                    Thread.sleep(50);
                }
                int pendingAtKill = load.pending(killedGateway);
                ChildProcess gatewayA = running.gateways.get("gateway-a");
                long gatewayKilledAt = System.currentTimeMillis();
                gatewayA.kill();
                System.out.printf("killed gateway-a with %d requests pending on it%n", pendingAtKill);
                // a load balancer notices (readiness) and sends to gateway-b only; the pod restarts gateway-a
                sleep(Duration.ofSeconds(1));
                load.down(killedGateway, true);
                sleep(Duration.ofSeconds(4));
                running.startGateway("gateway-a", running.gatewayEnvs.get("gateway-a"));
                running.gateways.get("gateway-a").awaitHttp(killedGateway + "/health", Duration.ofSeconds(300));
                long gatewayUpAt = System.currentTimeMillis();
                load.down(killedGateway, false);
                sleep(Duration.ofSeconds(8));
                List<MixedLoad.Sent> sent = finish(load, verifier);
                stageTable(sent, verifier, windows, warmFrom, warmTo);
                gatewayReport(sent, verifier, killedGateway, "openbio.replies.fault-gateway-a", gatewayKilledAt, gatewayUpAt, pendingAtKill);
                overallTwo(sent, verifier, killedGateway, gatewayKilledAt, gatewayUpAt);
                callbacks(sent, receiver, verifier, Duration.ofSeconds(120));
            }
        }
    }

    private void stageTable(List<MixedLoad.Sent> sent, ResultVerifier verifier, List<KillWindow> windows, long warmFrom, long warmTo) {
        Map<String, String> familyOf = new java.util.HashMap<>();
        sent.stream().filter(s -> s.requestId() != null).forEach(s -> familyOf.put(s.requestId(), s.family()));
        Map<String, io.openbio.events.ResultEvent> results = verifier.firstResults();
        Map<String, List<Long>> completions = new LinkedHashMap<>();
        results.forEach((id, r) -> {
            String family = familyOf.get(id);
            if (family != null) {
                completions.computeIfAbsent(family, f -> new ArrayList<>()).add(r.getCompletedAt().toEpochMilli());
            }
        });
        line("");
        line("Without a fault (warm-up, %.0f s): longest gap in answers per family %s; longest wait %s.", (warmTo - warmFrom) / 1000.0,
                perFamily(f -> String.format(Locale.ROOT, "%.1f s", AnswerGaps.longest(completions.getOrDefault(f, List.of()), warmFrom, warmTo).seconds())),
                perFamily(f -> String.format(Locale.ROOT, "%.1f s", longestWait(results, familyOf, f, warmFrom, warmTo) / 1000.0)));
        line("");
        line("Per stage: one instance killed (SIGKILL) and started again 3 s later under the same name and state folder "
                + "(a crashed container restarted in its pod); the window runs from the kill until 8 s after the restarted "
                + "instance was ready. Longest gap: the longest interval in the window in which no request of the family "
                + "through the stage completed (ResultEvent.completedAt). Longest wait: completedAt - createdAt of that "
                + "family's requests created in the window (the requests on the dead instance's partitions wait longest). "
                + "Peer answers: results whose trace shows the surviving instance handling the stage between kill and ready.");
        line("");
        line("| stage | killed | family through it | kill -> restarted instance ready | longest gap in answers | longest wait | peer answers meanwhile | sent in window | accepted | lost | duplicated |");
        line("|---|---|---|---|---|---|---|---|---|---|---|");
        for (KillWindow w : windows) {
            String family = familyOfStage(w.stage());
            AnswerGaps.Gap gap = AnswerGaps.longest(completions.getOrDefault(family, List.of()), w.killedAt(), w.endAt());
            long wait = longestWait(results, familyOf, family, w.killedAt(), w.endAt());
            boolean traced = results.values().stream().anyMatch(r -> r.getTrace().stream().anyMatch(t -> t.getStage().equals(w.stage())));
            long peerAnswers = results.values().stream().filter(r -> r.getTrace().stream().anyMatch(t -> t.getStage().equals(w.stage())
                    && t.getInstance().startsWith(w.peer() + "-") && t.getAt().toEpochMilli() >= w.killedAt()
                    && t.getAt().toEpochMilli() <= w.readyAt())).count();
            List<MixedLoad.Sent> in = sent.stream().filter(s -> s.sentAtMillis() >= w.killedAt() && s.sentAtMillis() < w.endAt()).toList();
            Tally t = tally(in, verifier);
            line("| %s | %s | %s | %.1f s | %.1f s | %.1f s | %s | %d | %d | %d | %d |", w.stage(), w.killed(), family,
                    (w.readyAt() - w.killedAt()) / 1000.0, gap.seconds(), wait / 1000.0, traced ? Long.toString(peerAnswers) : "(no trace)",
                    t.sent(), t.accepted(), t.lost(), t.duplicated());
        }
    }

    private static String perFamily(java.util.function.Function<String, String> value) {
        return List.of("diagnostic", "iad", "ekyc-check", "ekyc-enrol").stream().map(f -> f + " " + value.apply(f))
                .collect(Collectors.joining(", "));
    }

    /** The longest completedAt - createdAt of {@code family}'s results created in [from, to]. */
    private static long longestWait(Map<String, io.openbio.events.ResultEvent> results, Map<String, String> familyOf, String family,
                                    long from, long to) {
        return results.entrySet().stream().filter(e -> family.equals(familyOf.get(e.getKey())))
                .map(Map.Entry::getValue)
                .filter(r -> r.getCreatedAt().toEpochMilli() >= from && r.getCreatedAt().toEpochMilli() <= to)
                .mapToLong(r -> r.getCompletedAt().toEpochMilli() - r.getCreatedAt().toEpochMilli()).max().orElse(0);
    }

    /**
     * Requests pending on the killed gateway: their callers got a connection error and no request id,
     * so they are found on the result topic by the killed gateway's reply topic ({@code replyTo}) among
     * the results of requests no caller got an answer for.
     */
    private void gatewayReport(List<MixedLoad.Sent> sent, ResultVerifier verifier, String gateway, String replyTopic,
                               long killedAt, long upAt, int pendingAtKill) {
        List<MixedLoad.Sent> inFlight = sent.stream().filter(s -> s.gateway().equals(gateway) && s.status() == 0
                && s.sentAtMillis() < killedAt).toList();
        List<MixedLoad.Sent> refused = sent.stream().filter(s -> s.gateway().equals(gateway) && s.status() <= 0
                && s.sentAtMillis() >= killedAt).toList();
        java.util.Set<String> answered = sent.stream().map(MixedLoad.Sent::requestId).filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet());
        Map<String, io.openbio.events.ResultEvent> results = verifier.firstResults();
        List<io.openbio.events.ResultEvent> orphans = results.values().stream()
                .filter(r -> replyTopic.equals(r.getReplyTo()) && !answered.contains(r.getRequestId())
                        && r.getCreatedAt().toEpochMilli() <= killedAt && r.getCreatedAt().toEpochMilli() >= killedAt - 60_000)
                .toList();
        Map<String, Long> byOperation = orphans.stream().collect(Collectors.groupingBy(r -> r.getOperation().toString(),
                java.util.TreeMap::new, Collectors.counting()));
        long orphanDuplicates = orphans.stream().filter(r -> verifier.results(r.getRequestId()) > 1).count();
        line("");
        line("Gateway: gateway-a killed (SIGKILL) with %d requests pending on it; taken out of the load 1 s later, started "
                + "again 4 s after that, /health UP %.1f s after the kill.", pendingAtKill, (upAt - killedAt) / 1000.0);
        line("- in flight on the killed gateway (sent before the kill, connection error instead of an answer): %d (%s)",
                inFlight.size(), MixedLoad.statuses(inFlight).toString() + " " + inFlight.stream().map(MixedLoad.Sent::family)
                        .collect(Collectors.groupingBy(f -> f, java.util.TreeMap::new, Collectors.counting())));
        line("- their results on openbio.results (replyTo %s, created before the kill, no caller got their id): %d %s, "
                + "%d with more than one result", replyTopic, orphans.size(), byOperation, orphanDuplicates);
        line("- sent to the killed gateway after the kill, refused (connection refused, not accepted; nonces not issued): %d",
                refused.size());
        check(orphans.size() <= inFlight.size() + pendingAtKill, "no more orphaned results than requests in flight");
        check(inFlight.isEmpty() || !orphans.isEmpty() || pendingAtKill == 0,
                "requests in flight on the killed gateway that reached Kafka have their result on openbio.results ("
                        + orphans.size() + " of " + inFlight.size() + " in flight)");
        check(orphanDuplicates == 0, "each of them exactly once (" + orphanDuplicates + " duplicated)");
    }

    /** As {@link #overall}, but connection errors on the killed gateway are counted apart, not as unanswered. */
    private void overallTwo(List<MixedLoad.Sent> sent, ResultVerifier verifier, String killedGateway, long killedAt, long upAt) {
        java.util.function.Predicate<MixedLoad.Sent> onKilledGateway = s -> s.gateway().equals(killedGateway) && s.status() <= 0
                && s.sentAtMillis() < upAt && s.sentAtMillis() + s.latencyMillis() >= killedAt - 1000;
        List<MixedLoad.Sent> rest = sent.stream().filter(onKilledGateway.negate()).toList();
        line("");
        line("All requests (connection errors on the killed gateway counted above, not here):");
        overall(rest, verifier);
    }

    private static String fmt(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
