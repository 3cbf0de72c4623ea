package io.openbio.launcher.fault;

import io.openbio.launcher.ChildProcess;
import io.openbio.launcher.LocalPlatform;
import io.openbio.launcher.bench.StageMetrics;
import io.openbio.launcher.deploy.DeploymentFiles;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.serde.EventSerdes;
import io.openbio.schemas.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sizing measurement of k8s/README.md ("Sizing"), one command: {@code bench/stage-throughput.sh}.
 * Every stage the load passes through runs in its own JVM (as in a pod); the fault runner's mixed
 * load (diagnostic with a callback, iad, ekyc-check with search, ekyc-enrol, round robin) drives
 * them through the gateway. Per stage it reads the process CPU time of its JVM (all its threads,
 * ONNX Runtime's native ones included) and the records its stream threads processed
 * ({@code kafka_stream_thread_process_total} on its {@code /metrics}): after a warm-up, over a load
 * window that ends when every record has passed (no stage processed one for 30 s), then over 90 s
 * with no load (the warm JVM's own cost: polls, commits, GC), and reports CPU seconds per record
 * (the load window's CPU less that idle cost for as long, over its records): records per second
 * per core is its inverse. CPU time rather than wall rates,
 * because the machine may be shared (contention stretches wall time far more than CPU time).
 * From the records each stage processed per accepted request it derives the cores and pods
 * (at the stage's CPU limit) that 100 and 1,000 requests per second of the same mix need.
 *
 * <p>Two mixes ({@link SizingMix}), so that every stage of the pipeline has a row in one of them:
 * {@code ekyc} (the default, the fault runner's load above) and {@code products} (one family per other
 * product: LCP verify and audit queries, BioServer faces, DIS faces and customers' selfies, active
 * challenges, and Kafka-client requests produced to a tenant's topic: {@link ProductLoad}). Only the
 * stages the chosen mix passes through get a JVM.
 *
 * <p>Arguments: [rate=4 req/s] [seconds=120] [mix=ekyc|products]. Writes {@code launcher/target/stage-throughput.md}.
 */
public final class StageThroughput {
    private StageThroughput() {
    }

    public static void main(String[] args) throws Exception {
        EventSerdes.trustGeneratedEvents();
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 4;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        SizingMix mix = SizingMix.of(args.length > 2 ? args[2] : "ekyc");
        if (mix == SizingMix.PRODUCTS) {
            // the Kafka-client family's tenant: its principal, ACLs and topics are made when the platform starts
            String tenants = KafkaSettings.setting(Settings.KAFKA_CLIENT_TENANTS, "");
            System.setProperty(Settings.KAFKA_CLIENT_TENANTS.property(),
                    tenants.isEmpty() ? ProductLoad.KAFKA_TENANT : tenants + "," + ProductLoad.KAFKA_TENANT);
        }
        List<String> families = mix.families;
        StringBuilder report = new StringBuilder();
        line(report, "# Stage throughput: CPU per record, per stage (one JVM per stage)");
        line(report, "Command: bench/stage-throughput.sh %s %d %s; %d cores, Java %s; %s", fmt(rate), seconds, mix.label,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), Instant.now());

        // only the stages the mix passes through (each route of its families, and callback delivery or the
        // Kafka-client stage): every idle JVM costs CPU on a shared machine
        List<String> stages = mix.stages();
        try (FaultRunner.Running running = FaultRunner.brokerAndRegistry("stage-throughput"); CallbackReceiver receiver = new CallbackReceiver()) {
            LocalPlatform platform = running.platform;
            int port = platform.processorPort + 10;
            for (String stage : stages) {
                running.startStage(stage, List.of(stage), port++, "384m");
            }
            running.gateway = platform.startGateway(Map.of(Settings.GATEWAY_REQUIRED_PROCESSORS.env(), String.join(",", stages)));
            for (String group : running.processors.keySet()) {
                running.awaitReady(group, Duration.ofSeconds(300));
            }
            String gateway = platform.gatewayUrl();
            running.gateway.awaitHttp(gateway + "/health", Duration.ofSeconds(180));
            if (mix == SizingMix.EKYC) {
                FaultRunner.createCollection(gateway); // the ekyc-check searches and ekyc-enrol enrols in it
            }
            // the products mix's set-up calls (references, customers, a Kafka client) once, for warm-up and load
            ProductLoad products = mix == SizingMix.PRODUCTS ? new ProductLoad(platform, gateway) : null;
            // the families of the warm-up and of the measured load (the products mix's are made once, above)
            java.util.concurrent.Callable<List<MixedLoad.Family>> loadFamilies = () -> products != null ? products.families
                    : FaultRunner.families(gateway, receiver, families);

            try (MixedLoad load = new MixedLoad(loadFamilies.call(), List.of(gateway))) {
                // warm-up: models load on a stage's first request, the JIT compiles the hot paths
                load.start(rate);
                Thread.sleep(45_000);
                load.stop(Duration.ofSeconds(120));
            }
            drained(running);
            List<MixedLoad.Sent> sent;
            Snapshot load0;
            Snapshot load1;
            try (MixedLoad load = new MixedLoad(loadFamilies.call(), List.of(gateway))) {
                load0 = snapshot(running);
                load.start(rate);
                Thread.sleep(seconds * 1000L);
                sent = load.stop(Duration.ofSeconds(180));
                // the last requests' records pass the later stages after the load stops: count them too
                load1 = drained(running);
            }
            // what each JVM costs with no request (polls, commits, GC, metrics), warm, after the load
            Snapshot idle0 = snapshot(running);
            Thread.sleep(90_000);
            Snapshot idle1 = snapshot(running);
            if (products != null) {
                products.close();
            }
            long accepted = sent.stream().filter(MixedLoad.Sent::accepted).count();
            double loadSeconds = (load1.nanos - load0.nanos) / 1e9;
            double idleSeconds = (idle1.nanos - idle0.nanos) / 1e9;
            line(report, "Stages: %s (one JVM each, 384 MiB heap)", String.join(", ", stages));
            line(report, "Load: mix %s, %s req/s for %d s, round robin over %s: %d sent, %d accepted (%s); load window %.0f s (until no stage"
                    + " processed a record for 30 s); idle window %.0f s after it", mix.label, fmt(rate), seconds,
                    String.join(", ", families), sent.size(), accepted, MixedLoad.statuses(sent), loadSeconds, idleSeconds);
            line(report, "Per family: %s", perFamily(sent, families));
            line(report, "");
            line(report, "| stage | records | records / request | CPU s (load) | CPU s (idle, scaled) | CPU ms / record "
                    + "| records / s / core | cores at 100 req/s | pods at 100 (limit) | cores at 1,000 req/s | pods at 1,000 | max pods (partitions) |");
            line(report, "|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (String name : stages) {
                Stage stage = Pipeline.stage(name).orElseThrow();
                double records = load1.records.getOrDefault(name, 0.0) - load0.records.getOrDefault(name, 0.0);
                double cpuLoad = load1.cpu.getOrDefault(name, 0.0) - load0.cpu.getOrDefault(name, 0.0);
                double cpuIdle = (idle1.cpu.getOrDefault(name, 0.0) - idle0.cpu.getOrDefault(name, 0.0)) * loadSeconds / idleSeconds;
                int max = DeploymentFiles.maxReplicas(stage);
                if (records < 1) {
                    line(report, "| %s | 0 | - | %.1f | %.1f | - | - | - | - | - | - | %d |", name, cpuLoad, cpuIdle, max);
                    continue;
                }
                double perRecord = (cpuLoad - cpuIdle) / records;
                if (perRecord <= 0) {
                    // still working through a backlog in the idle window: no figure, rather than a wrong one
                    line(report, "| %s | %.0f | - | %.1f | %.1f | not measured (busy when idle) | - | - | - | - | - | %d |", name, records,
                            cpuLoad, cpuIdle, max);
                    continue;
                }
                double perRequest = records / Math.max(accepted, 1);
                double limit = cores(stage.deployment().cpuLimit());
                double cores100 = 100 * perRequest * perRecord;
                double cores1000 = 1000 * perRequest * perRecord;
                line(report, "| %s | %.0f | %.2f | %.1f | %.1f | %.2f | %.0f | %.1f | %d | %.1f | %d%s | %d |", name, records, perRequest,
                        cpuLoad, cpuIdle, perRecord * 1000, 1 / perRecord, cores100,
                        pods(cores100, limit), cores1000, pods(cores1000, limit), pods(cores1000, limit) > max ? " (over)" : "", max);
            }
            line(report, "");
            line(report, "CPU ms / record = (load-window CPU - idle-window CPU scaled to the load window) / records processed;"
                    + " pods = cores / the stage's CPU limit (pipeline contract), rounded up; (over) = more pods than the partitions"
                    + " of its input streams allow.");
        }
        Path out = Path.of("launcher/target/stage-throughput.md");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println("report: " + out.toAbsolutePath());
        System.exit(0);
    }

    /** Each family's sent requests by answer status, e.g. {@code lcp-verify 5 {200=5}}. */
    private static String perFamily(List<MixedLoad.Sent> sent, List<String> families) {
        StringBuilder out = new StringBuilder();
        for (String family : families) {
            List<MixedLoad.Sent> of = sent.stream().filter(s -> s.family().equals(family)).toList();
            out.append(out.length() == 0 ? "" : "; ").append(family).append(' ').append(of.size()).append(' ').append(MixedLoad.statuses(of));
        }
        return out.toString();
    }

    /** Per stage: its JVM's CPU seconds and its stream threads' processed records, at one instant. */
    private record Snapshot(long nanos, Map<String, Double> cpu, Map<String, Double> records) {
    }

    private static Snapshot snapshot(FaultRunner.Running running) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        Map<String, Double> records = new LinkedHashMap<>();
        long nanos = System.nanoTime();
        for (Map.Entry<String, ChildProcess> e : running.processors.entrySet()) {
            e.getValue().process().info().totalCpuDuration().ifPresent(d -> cpu.put(e.getKey(), d.toNanos() / 1e9));
            Map<String, Double> metrics = StageMetrics.scrape("http://127.0.0.1:" + running.ports.get(e.getKey()) + "/metrics");
            records.put(e.getKey(), metrics.getOrDefault("kafka_stream_thread_process_total " + e.getKey(), 0.0));
        }
        return new Snapshot(nanos, cpu, records);
    }

    /**
     * Waits until no stage processed a record for 30 s (at most 10 minutes), so the load window holds
     * every record of the requests sent; returns the first snapshot of that quiet stretch.
     */
    private static Snapshot drained(FaultRunner.Running running) throws InterruptedException {
        Snapshot quietSince = snapshot(running);
        long until = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < until) {
            Thread.sleep(10_000);
            Snapshot next = snapshot(running);
            if (total(next) != total(quietSince)) {
                quietSince = next;
            } else if (next.nanos - quietSince.nanos >= 30_000_000_000L) {
                return quietSince;
            }
        }
        return quietSince;
    }

    private static double total(Snapshot snapshot) {
        return snapshot.records.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static double cores(String quantity) {
        return quantity.endsWith("m") ? Double.parseDouble(quantity.substring(0, quantity.length() - 1)) / 1000 : Double.parseDouble(quantity);
    }

    private static int pods(double cores, double limit) {
        return (int) Math.max(1, Math.ceil(cores / limit - 1e-9));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void line(StringBuilder report, String format, Object... args) {
        String text = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        System.out.println(text);
        System.out.flush();
        report.append(text).append('\n');
    }
}
