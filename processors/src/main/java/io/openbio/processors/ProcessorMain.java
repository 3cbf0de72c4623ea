package io.openbio.processors;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openbio.processors.core.ProcessorRuntime;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.schemas.kafka.KafkaSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one or more processor stages in this JVM: {@code ProcessorMain digest}, {@code ProcessorMain
 * digest image-info}, or {@code ProcessorMain all}. In Kubernetes each Deployment runs one stage;
 * the local run hosts all of them in one JVM to start fast on a small machine.
 *
 * <p>HTTP ({@link HealthServer}) on {@code openbio.processor.http-port} (env {@code OPENBIO_PROCESSOR_HTTP_PORT}, default
 * 8090, 0 for none) and {@code OPENBIO_PROCESSOR_HTTP_BIND} (default every interface): {@code /health/live} (200 unless a stage failed), {@code /health/ready} (200
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
        HealthServer server = port > 0 ? HealthServer.start(stageSettings, port, runtimes, meters) : null;

        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down processors {}", names);
            runtimes.forEach(ProcessorRuntime::close);
            if (server != null) {
                server.close();
            }
            done.countDown();
        }, "processors-shutdown"));
        runtimes.forEach(ProcessorRuntime::start);
        log.info("processors {} started (broker {}, registry {}), health on {}:{}",
                names, settings.bootstrapServers(), settings.registryUrl(), stageSettings.httpBind(), port);
        done.await();
    }
}
