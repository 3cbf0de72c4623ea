package io.openbio.processors.core;

import io.openbio.schemas.Topics;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.settings.Settings;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one processor process, read once at start ({@link #fromEnvironment()}, in
 * {@code ProcessorMain}) and passed to the stages through their constructors, so no stage reads the
 * environment and tests pass settings explicitly ({@link #defaults()} and the {@code with...} copies).
 * Each is a system property or its environment variable ({@link KafkaSettings#setting}).
 *
 * @param assemblyTimeout        {@code OPENBIO_EKYC_ASSEMBLY_TIMEOUT_MS} (default 20 s): how long the eKYC
 *                               assembler and the match stage wait for a /check's parts
 * @param gatewayRequestTimeout  {@code OPENBIO_GATEWAY_REQUEST_TIMEOUT} (default 30 s, the gateway's
 *                               default; Spring's duration format: {@code 30s}, {@code 30000}, {@code PT30S}):
 *                               how long the gateway waits for a result; only checked against here
 * @param callbackRetryDelays    {@code OPENBIO_CALLBACK_RETRY_DELAYS_MS} (default {@code 1000,5000,30000}): the delay
 *                               before attempt 2, 3, 4, one per retry topic ({@code Topics.CALLBACK_RETRIES}, at most
 *                               that many); fewer values mean fewer attempts. With the default a dead receiver gets
 *                               4 attempts over about 36 s (plus their timeouts), close to the 43 s of the former inline retries
 * @param callbackTimeout        {@code OPENBIO_CALLBACK_TIMEOUT_MS} (default 5 s) per delivery attempt (connect, and
 *                               again for the answer): what a receiver that never answers costs its own callbacks
 * @param callbackAllow          {@code OPENBIO_CALLBACK_ALLOW} (default none): internal destinations callbacks may
 *                               reach anyway ({@code io.openbio.schemas.callback.CallbackDestinationPolicy#parse})
 * @param callbackSecrets        {@code OPENBIO_CALLBACK_SECRETS} (default none): signing secrets,
 *                               {@code tenant=base64,...} and {@code *=base64} for other tenants (never printed)
 * @param searchMaxRebuildMs     {@code OPENBIO_SEARCH_MAX_REBUILD_MS} (default 2 h): longest a search stream
 *                               thread may rebuild its shards' indexes before it must poll again
 * @param searchRebuildThreads   {@code OPENBIO_SEARCH_REBUILD_THREADS} (default the machine's cores, at least 1):
 *                               threads that build a shard's index on start
 * @param httpPort               {@code OPENBIO_PROCESSOR_HTTP_PORT} (default 8090, 0 for none): health and metrics
 * @param httpBind               {@code OPENBIO_PROCESSOR_HTTP_BIND} (default {@code 0.0.0.0}, every interface, so
 *                               Kubernetes probes reach the pod): the address the health server listens on; the
 *                               local run binds loopback ({@code 127.0.0.1})
 * @param httpIdleTimeout        {@code OPENBIO_PROCESSOR_HTTP_IDLE_TIMEOUT_MS} (default 5 s): a health connection
 *                               that sends nothing for this long is closed, also half-way through a request
 *                               line or headers (a probe's whole exchange takes milliseconds; Kubernetes'
 *                               default probe period is 10 s)
 * @param lcpAuditRetention      {@code OPENBIO_LCP_AUDIT_RETENTION_DAYS} (default 400 days, the audit topic's own
 *                               retention): how long the lcp-audit stage keeps an audit log entry in its stores
 */
public record ProcessorSettings(Duration assemblyTimeout, Duration gatewayRequestTimeout, List<Duration> callbackRetryDelays,
                                Duration callbackTimeout, String callbackAllow, String callbackSecrets,
                                int searchMaxRebuildMs, int searchRebuildThreads, int httpPort, String httpBind,
                                Duration httpIdleTimeout, Duration lcpAuditRetention) {

    /** Every interface: Kubernetes probes reach a pod on its pod IP. */
    public static final String DEFAULT_HTTP_BIND = "0.0.0.0";
    public static final Duration DEFAULT_HTTP_IDLE_TIMEOUT = Duration.ofSeconds(5);
    /** The Liveness Check Proxy audit log's default retention: the audit topic's 400 days. */
    public static final Duration DEFAULT_LCP_AUDIT_RETENTION = Duration.ofDays(400);

    private static final String DEFAULT_RETRY_DELAYS_MS = "1000,5000,30000";
    private static final Pattern SIMPLE_DURATION = Pattern.compile("^([+-]?\\d+)([a-zA-Z]{0,2})$");

    public ProcessorSettings {
        Objects.requireNonNull(assemblyTimeout, "assemblyTimeout");
        Objects.requireNonNull(gatewayRequestTimeout, "gatewayRequestTimeout");
        callbackRetryDelays = List.copyOf(callbackRetryDelays);
        Objects.requireNonNull(callbackTimeout, "callbackTimeout");
        callbackAllow = callbackAllow == null ? "" : callbackAllow;
        callbackSecrets = callbackSecrets == null ? "" : callbackSecrets;
        searchRebuildThreads = Math.max(1, searchRebuildThreads);
        httpBind = httpBind == null || httpBind.isBlank() ? DEFAULT_HTTP_BIND : httpBind.trim();
        Objects.requireNonNull(httpIdleTimeout, "httpIdleTimeout");
        if (httpIdleTimeout.isNegative() || httpIdleTimeout.isZero()) {
            throw new IllegalArgumentException("OPENBIO_PROCESSOR_HTTP_IDLE_TIMEOUT_MS must be positive: " + httpIdleTimeout.toMillis());
        }
        Objects.requireNonNull(lcpAuditRetention, "lcpAuditRetention");
        if (lcpAuditRetention.isNegative() || lcpAuditRetention.isZero()) {
            throw new IllegalArgumentException("OPENBIO_LCP_AUDIT_RETENTION_DAYS must be positive: " + lcpAuditRetention.toDays());
        }
    }

    /** With the Liveness Check Proxy audit retention at its default. */
    public ProcessorSettings(Duration assemblyTimeout, Duration gatewayRequestTimeout, List<Duration> callbackRetryDelays,
                             Duration callbackTimeout, String callbackAllow, String callbackSecrets,
                             int searchMaxRebuildMs, int searchRebuildThreads, int httpPort, String httpBind, Duration httpIdleTimeout) {
        this(assemblyTimeout, gatewayRequestTimeout, callbackRetryDelays, callbackTimeout, callbackAllow, callbackSecrets,
                searchMaxRebuildMs, searchRebuildThreads, httpPort, httpBind, httpIdleTimeout, DEFAULT_LCP_AUDIT_RETENTION);
    }

    /** With the health server's bind address and idle timeout at their defaults. */
    public ProcessorSettings(Duration assemblyTimeout, Duration gatewayRequestTimeout, List<Duration> callbackRetryDelays,
                             Duration callbackTimeout, String callbackAllow, String callbackSecrets,
                             int searchMaxRebuildMs, int searchRebuildThreads, int httpPort) {
        this(assemblyTimeout, gatewayRequestTimeout, callbackRetryDelays, callbackTimeout, callbackAllow, callbackSecrets,
                searchMaxRebuildMs, searchRebuildThreads, httpPort, DEFAULT_HTTP_BIND, DEFAULT_HTTP_IDLE_TIMEOUT);
    }

    /** The settings of this process: system properties, then environment variables, then the defaults. */
    public static ProcessorSettings fromEnvironment() {
        return new ProcessorSettings(
                Duration.ofMillis(Long.parseLong(KafkaSettings.setting(Settings.EKYC_ASSEMBLY_TIMEOUT_MS))),
                duration(Settings.GATEWAY_REQUEST_TIMEOUT.property(), KafkaSettings.setting(Settings.GATEWAY_REQUEST_TIMEOUT)),
                millisList(KafkaSettings.setting(Settings.CALLBACK_RETRY_DELAYS_MS)),
                Duration.ofMillis(Long.parseLong(KafkaSettings.setting(Settings.CALLBACK_TIMEOUT_MS))),
                KafkaSettings.setting(Settings.CALLBACK_ALLOW, ""),
                KafkaSettings.setting(Settings.CALLBACK_SECRETS, ""),
                Integer.parseInt(KafkaSettings.setting(Settings.SEARCH_MAX_REBUILD_MS)),
                Integer.parseInt(KafkaSettings.setting(Settings.SEARCH_REBUILD_THREADS,
                        Integer.toString(Runtime.getRuntime().availableProcessors()))),
                Integer.parseInt(KafkaSettings.setting(Settings.PROCESSOR_HTTP_PORT)),
                KafkaSettings.setting(Settings.PROCESSOR_HTTP_BIND),
                Duration.ofMillis(Long.parseLong(KafkaSettings.setting(Settings.PROCESSOR_HTTP_IDLE_TIMEOUT_MS))),
                Duration.ofDays(Long.parseLong(KafkaSettings.setting(Settings.LCP_AUDIT_RETENTION_DAYS).trim())));
    }

    /** Every default, whatever the environment says (tests; a stage built with its no-arg constructor). */
    public static ProcessorSettings defaults() {
        return new ProcessorSettings(Duration.ofSeconds(20), Duration.ofSeconds(30), millisList(DEFAULT_RETRY_DELAYS_MS),
                Duration.ofSeconds(5), "", "", 2 * 60 * 60 * 1000, Runtime.getRuntime().availableProcessors(), 8090);
    }

    /**
     * Refuses settings the platform cannot work with, before any stage starts:
     * <ul>
     * <li>the assembly timeout must be below the gateway's request timeout: the assembler answers a
     * /check whose parts are late with ERROR sections after the assembly timeout, and a caller still
     * waiting gets that answer only while the gateway waits; otherwise it gets a 504 and the answer is lost
     * to it.</li>
     * <li>at most one callback retry delay per retry topic ({@code Topics.CALLBACK_RETRIES}).</li>
     * </ul>
     *
     * @return these settings
     * @throws IllegalStateException naming the settings to change
     */
    public ProcessorSettings validate() {
        if (assemblyTimeout.compareTo(gatewayRequestTimeout) >= 0) {
            throw new IllegalStateException("OPENBIO_EKYC_ASSEMBLY_TIMEOUT_MS (" + assemblyTimeout.toMillis()
                    + " ms) must be below OPENBIO_GATEWAY_REQUEST_TIMEOUT (" + gatewayRequestTimeout.toMillis()
                    + " ms): a /check with a late part would time out at the gateway (504) before the assembler answers it"
                    + " with an ERROR section; lower the assembly timeout or raise the gateway's request timeout");
        }
        if (callbackRetryDelays.size() > Topics.CALLBACK_RETRIES.size()) {
            throw new IllegalStateException("OPENBIO_CALLBACK_RETRY_DELAYS_MS has " + callbackRetryDelays.size()
                    + " delays; there are " + Topics.CALLBACK_RETRIES.size() + " retry topics (one delay each)");
        }
        return this;
    }

    public ProcessorSettings withAssemblyTimeout(Duration timeout) {
        return new ProcessorSettings(timeout, gatewayRequestTimeout, callbackRetryDelays, callbackTimeout,
                callbackAllow, callbackSecrets, searchMaxRebuildMs, searchRebuildThreads, httpPort, httpBind, httpIdleTimeout, lcpAuditRetention);
    }

    public ProcessorSettings withGatewayRequestTimeout(Duration timeout) {
        return new ProcessorSettings(assemblyTimeout, timeout, callbackRetryDelays, callbackTimeout,
                callbackAllow, callbackSecrets, searchMaxRebuildMs, searchRebuildThreads, httpPort, httpBind, httpIdleTimeout, lcpAuditRetention);
    }

    /** Callback delivery settings (tests): retry delays, per-attempt timeout, allow-list and signing secrets. */
    public ProcessorSettings withCallbacks(List<Duration> retryDelays, Duration timeout, String allow, String secrets) {
        return new ProcessorSettings(assemblyTimeout, gatewayRequestTimeout, retryDelays, timeout, allow, secrets,
                searchMaxRebuildMs, searchRebuildThreads, httpPort, httpBind, httpIdleTimeout, lcpAuditRetention);
    }

    /** The lcp-audit stage's retention (tests). */
    public ProcessorSettings withLcpAuditRetention(Duration retention) {
        return new ProcessorSettings(assemblyTimeout, gatewayRequestTimeout, callbackRetryDelays, callbackTimeout,
                callbackAllow, callbackSecrets, searchMaxRebuildMs, searchRebuildThreads, httpPort, httpBind, httpIdleTimeout, retention);
    }

    /** Never prints the callback signing secrets. */
    @Override
    public String toString() {
        return "ProcessorSettings[assemblyTimeout=" + assemblyTimeout + ", gatewayRequestTimeout=" + gatewayRequestTimeout
                + ", callbackRetryDelays=" + callbackRetryDelays + ", callbackTimeout=" + callbackTimeout
                + ", callbackAllow=" + callbackAllow + ", callbackSecrets=" + (callbackSecrets.isEmpty() ? "none" : "(set)")
                + ", searchMaxRebuildMs=" + searchMaxRebuildMs + ", searchRebuildThreads=" + searchRebuildThreads
                + ", httpPort=" + httpPort + ", httpBind=" + httpBind + ", httpIdleTimeout=" + httpIdleTimeout
                + ", lcpAuditRetention=" + lcpAuditRetention + "]";
    }

    static List<Duration> millisList(String text) {
        List<Duration> out = new java.util.ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(Duration.ofMillis(Long.parseLong(part.trim())));
            }
        }
        return out;
    }

    /** The health server on {@code port} and {@code bind}, closing connections idle for {@code idleTimeout}. */
    public ProcessorSettings withHttp(int port, String bind, Duration idleTimeout) {
        return new ProcessorSettings(assemblyTimeout, gatewayRequestTimeout, callbackRetryDelays, callbackTimeout,
                callbackAllow, callbackSecrets, searchMaxRebuildMs, searchRebuildThreads, port, bind, idleTimeout, lcpAuditRetention);
    }

    public ProcessorSettings withSearchRebuildThreads(int threads) {
        return new ProcessorSettings(assemblyTimeout, gatewayRequestTimeout, callbackRetryDelays, callbackTimeout,
                callbackAllow, callbackSecrets, searchMaxRebuildMs, threads, httpPort, httpBind, httpIdleTimeout, lcpAuditRetention);
    }

    /**
     * A duration as Spring Boot reads {@code openbio.gateway.request-timeout}: an ISO-8601 duration
     * ({@code PT30S}) or a number with an optional unit {@code ns us ms s m h d} (no unit: milliseconds).
     */
    public static Duration duration(String name, String value) {
        String text = value.trim();
        try {
            if (text.regionMatches(true, 0, "P", 0, 1) || text.regionMatches(true, 0, "-P", 0, 2)) {
                return Duration.parse(text);
            }
            Matcher m = SIMPLE_DURATION.matcher(text);
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "", "ms" -> Duration.ofMillis(amount);
                    case "ns" -> Duration.ofNanos(amount);
                    case "us" -> Duration.ofNanos(amount * 1000);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "d" -> Duration.ofDays(amount);
                    default -> throw new IllegalArgumentException(name + ": unknown unit '" + m.group(2) + "' in '" + value + "'");
                };
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a duration", e);
        }
        throw new IllegalArgumentException(name + ": '" + value + "' is not a duration (e.g. 30s, 30000, PT30S)");
    }
}
