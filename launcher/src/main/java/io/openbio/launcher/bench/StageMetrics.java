package io.openbio.launcher.bench;

import io.openbio.schemas.contract.Route;
import io.openbio.schemas.contract.Stage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the stages' exactly-once commits cost, from the processors' {@code /metrics} (Kafka Streams and
 * producer metrics): the difference of two scrapes gives, per stage, the records processed, the
 * commits, and per commit the time spent flushing the producer (waiting for the acks of the
 * transaction's records), sending the consumed offsets to the transaction, and committing it.
 */
public final class StageMetrics {
    private static final List<String> COUNTERS = List.of("kafka_stream_thread_process_total", "kafka_stream_thread_commit_total",
            "kafka_producer_flush_time_ns_total", "kafka_producer_txn_send_offsets_time_ns_total",
            "kafka_producer_txn_commit_time_ns_total", "kafka_stream_thread_poll_total");
    private static final Pattern LINE = Pattern.compile("^(\\w+)\\{[^}]*processor=\"([a-z0-9-]+)\"[^}]*} (\\S+)$");

    private StageMetrics() {
    }

    /** metric + " " + stage -> value, summed over the stage's clients; empty when the endpoint does not answer. */
    public static Map<String, Double> scrape(String url) {
        Map<String, Double> values = new HashMap<>();
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                Matcher m = LINE.matcher(line);
                if (m.matches() && COUNTERS.contains(m.group(1)) && !m.group(3).equals("NaN")) {
                    values.merge(m.group(1) + " " + m.group(2), Double.parseDouble(m.group(3)), Double::sum);
                }
            }
        } catch (Exception e) {
            System.err.println("metrics not read from " + url + ": " + e);
        }
        return values;
    }

    static String table(Route route, Map<String, Double> before, Map<String, Double> after) {
        StringBuilder out = new StringBuilder("| stage | records | commits | polls | flush ms / commit | send offsets ms / commit | commit txn ms / commit |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Stage stage : route.stages()) {
            double records = delta("kafka_stream_thread_process_total", stage, before, after);
            double commits = delta("kafka_stream_thread_commit_total", stage, before, after);
            if (records == 0 && commits == 0) {
                continue;
            }
            double c = Math.max(commits, 1);
            out.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f |%n", stage.name(), records, commits,
                    delta("kafka_stream_thread_poll_total", stage, before, after),
                    delta("kafka_producer_flush_time_ns_total", stage, before, after) / 1e6 / c,
                    delta("kafka_producer_txn_send_offsets_time_ns_total", stage, before, after) / 1e6 / c,
                    delta("kafka_producer_txn_commit_time_ns_total", stage, before, after) / 1e6 / c));
        }
        return out.append('\n').toString();
    }

    private static double delta(String metric, Stage stage, Map<String, Double> before, Map<String, Double> after) {
        String key = metric + " " + stage.name();
        return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
    }
}
