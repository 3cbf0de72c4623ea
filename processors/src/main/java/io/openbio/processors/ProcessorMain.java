package io.openbio.processors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openbio.processors.core.ProcessorRuntime;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.schemas.kafka.KafkaSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one or more processor stages in this JVM: {@code ProcessorMain digest}, {@code ProcessorMain
 * digest image-info}, or {@code ProcessorMain all}. In Kubernetes each Deployment runs one stage;
 * the local run hosts all of them in one JVM to start fast on a small machine.
 *
 * <p>HTTP on {@code openbio.processor.http-port} (env {@code OPENBIO_PROCESSOR_HTTP_PORT}, default
 * 8090, 0 for none): {@code /health/live} (200 unless a stage failed), {@code /health/ready} (200
 * when every stage is RUNNING, else 503), {@code /metrics} (Prometheus, with Kafka Streams metrics
 * tagged by processor). SIGTERM / Ctrl-C closes every stage gracefully.
 *
 * <p>The stages' settings are read once ({@link ProcessorSettings#fromEnvironment()}) and checked
 * ({@link ProcessorSettings#validate()}): settings the platform cannot work with stop the process
 * before any stage starts.
 */
public final class ProcessorMain {
    private static final Logger log = LoggerFactory.getLogger(ProcessorMain.class);

    private ProcessorMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> names = args.length == 0 || Arrays.asList(args).contains("all")
                ? ProcessorCatalog.names() : Arrays.asList(args);
        KafkaSettings settings = KafkaSettings.fromEnvironment();
        // read once, checked before anything starts; the stages get them through their constructors
        ProcessorSettings stageSettings = ProcessorSettings.fromEnvironment().validate();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);

        List<ProcessorRuntime> runtimes = new ArrayList<>();
        for (String name : names) {
            runtimes.add(new ProcessorRuntime(ProcessorCatalog.create(name, stageSettings), settings, meters));
        }
        int port = stageSettings.httpPort();
        HttpServer server = port > 0 ? healthServer(port, runtimes, meters) : null;

        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down processors {}", names);
            runtimes.forEach(ProcessorRuntime::close);
            if (server != null) {
                server.stop(0);
            }
            done.countDown();
        }, "processors-shutdown"));
        runtimes.forEach(ProcessorRuntime::start);
        log.info("processors {} started (broker {}, registry {}), health on port {}",
                names, settings.bootstrapServers(), settings.registryUrl(), port);
        done.await();
    }

    static HttpServer healthServer(int port, List<ProcessorRuntime> runtimes, PrometheusMeterRegistry meters) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "processors-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health/live", exchange -> {
            boolean alive = runtimes.stream().allMatch(ProcessorRuntime::alive);
            respond(exchange, alive ? 200 : 503, "application/json", status(runtimes, alive ? "UP" : "DOWN"));
        });
        server.createContext("/health/ready", exchange -> {
            boolean ready = runtimes.stream().allMatch(ProcessorRuntime::ready);
            respond(exchange, ready ? 200 : 503, "application/json", status(runtimes, ready ? "UP" : "DOWN"));
        });
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", meters.scrape()));
        server.start();
        return server;
    }

    private static String status(List<ProcessorRuntime> runtimes, String overall) {
        StringBuilder json = new StringBuilder("{\"status\":\"").append(overall).append("\",\"processors\":{");
        for (int i = 0; i < runtimes.size(); i++) {
            ProcessorRuntime runtime = runtimes.get(i);
            json.append(i == 0 ? "" : ",").append('"').append(runtime.name()).append("\":\"").append(runtime.state()).append('"');
        }
        return json.append("}}").toString();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
