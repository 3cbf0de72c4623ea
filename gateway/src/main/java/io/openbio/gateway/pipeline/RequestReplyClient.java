package io.openbio.gateway.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.config.GatewayProperties;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The gateway's one way into the pipeline: publish a request envelope and, when asked, wait for
 * its result without holding a thread (the future completes from the reply listener). A result that
 * does not come within the configured timeout fails the future with a 504 {@link PipelineException};
 * a request the broker does not take fails it with 503. Load is shed at once with 429 +
 * {@code Retry-After}: the gateway's pending bound, a lagging stage on the request's route, and the
 * request's tenant's quotas ({@link TenantQuotas}: its rate and its pending requests).
 */
@Component
public class RequestReplyClient {
    private final KafkaTemplate<String, RequestEnvelope> template;
    private final PendingReplies pending;
    private final ReplyListener replies;
    private final GatewayProperties properties;
    private final Timer roundTrip;
    private final int maxPending;
    private final StageLag stageLag;
    private final TenantQuotas quotas;

    public RequestReplyClient(KafkaTemplate<String, RequestEnvelope> template, PendingReplies pending,
                              ReplyListener replies, GatewayProperties properties, MeterRegistry meters, StageLag stageLag,
                              TenantQuotas quotas,
                              @org.springframework.beans.factory.annotation.Value("${openbio.gateway.max-pending:1000}") int maxPending) {
        this.maxPending = maxPending;
        this.quotas = quotas;
        this.stageLag = stageLag;
        this.template = template;
        this.pending = pending;
        this.replies = replies;
        this.properties = properties;
        this.roundTrip = Timer.builder("openbio.gateway.pipeline.roundtrip")
                .description("From publishing a request to receiving its result")
                .publishPercentileHistogram()
                .register(meters);
    }

    /** Response header carrying the request id of every request that goes to the pipeline. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    /** A new request envelope with a fresh id, for {@code operation}; the id is also set as the {@value #REQUEST_ID_HEADER} response header. */
    public RequestEnvelope.Builder newRequest(String tenant, String operation, List<Part> parts, Map<String, String> attributes) {
        String requestId = UUID.randomUUID().toString();
        // Echoed to the caller so a request can be followed to its result, callback and audit record.
        if (org.springframework.web.context.request.RequestContextHolder.getRequestAttributes()
                instanceof org.springframework.web.context.request.ServletRequestAttributes servlet && servlet.getResponse() != null) {
            servlet.getResponse().setHeader(REQUEST_ID_HEADER, requestId);
        }
        return RequestEnvelope.newBuilder()
                .setRequestId(requestId)
                .setTenant(properties.tenantOf(tenant))
                .setOperation(operation)
                .setCreatedAt(Instant.now())
                .setParts(parts)
                .setAttributes(attributes);
    }

    /** Publishes the request and completes with its result (or fails with 503 / 504). */
    public CompletableFuture<ResultEvent> call(TopicSpec<RequestEnvelope> topic, RequestEnvelope.Builder request) {
        return call(topic, request, properties.requestTimeout());
    }

    public CompletableFuture<ResultEvent> call(TopicSpec<RequestEnvelope> topic, RequestEnvelope.Builder request, Duration timeout) {
        return call(topic, request, null, timeout);
    }

    /**
     * As {@link #call(TopicSpec, RequestEnvelope.Builder)}, with an explicit Kafka key (e.g. a
     * collection, so one task owns it); null keys by request id.
     */
    public CompletableFuture<ResultEvent> call(TopicSpec<RequestEnvelope> topic, RequestEnvelope.Builder request, String key) {
        return call(topic, request, key, properties.requestTimeout());
    }

    private CompletableFuture<ResultEvent> call(TopicSpec<RequestEnvelope> topic, RequestEnvelope.Builder request, String key, Duration timeout) {
        if (pending.size() >= maxPending) {
            // Shed load at once instead of queueing into a timeout (BioServer-style 429 + Retry-After).
            throw new PipelineException(429, "too many requests in progress (" + maxPending + "); retry shortly", null);
        }
        shedOnLag(topic);
        RequestEnvelope envelope = sealed(request.setReplyTo(replies.replyTopic()).build());
        // Last, so a request refused by the checks above takes none of its tenant's quota.
        TenantQuotas.Permit permit = quotas.admitWaiting(envelope.getTenant());
        long start = System.nanoTime();
        CompletableFuture<ResultEvent> result;
        try {
            result = pending.register(envelope.getRequestId());
        } catch (RuntimeException e) {
            permit.release();
            throw e;
        }
        // Completed by the reply, the timeout below (orTimeout completes this same future) or a send failure.
        result.whenComplete((value, error) -> permit.release());
        send(topic, key == null ? envelope.getRequestId() : key, envelope).whenComplete((ok, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            }
        });
        return result
                .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((value, error) -> {
                    if (error == null) {
                        roundTrip.record(Duration.ofNanos(System.nanoTime() - start));
                        return io.openbio.schemas.crypto.SealedEvents.openPayload(io.openbio.schemas.crypto.PayloadKeys.shared(), value);
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof TimeoutException) {
                        throw new PipelineException(504, "no result within " + timeout.toMillis()
                                + " ms; request " + envelope.getRequestId() + " goes on and its result will be on the result topic", cause);
                    }
                    if (cause instanceof PipelineException p) {
                        throw p;
                    }
                    throw new PipelineException(503, "the event pipeline did not accept the request", cause);
                });
    }

    /** Publishes without waiting (results go to the result topic and the callback URL); completes when the broker has it. */
    public CompletableFuture<RequestEnvelope> submit(TopicSpec<RequestEnvelope> topic, RequestEnvelope.Builder request) {
        shedOnLag(topic);
        RequestEnvelope envelope = sealed(request.setReplyTo(null).build());
        quotas.admit(envelope.getTenant());
        return send(topic, envelope.getRequestId(), envelope).thenApply(ok -> envelope);
    }

    /**
     * Refuses a new request at once (429 + Retry-After) while a processor stage on its route is
     * further behind than {@code openbio.gateway.max-lag}: queueing more would only turn into
     * timeouts. Only the stages of the route that starts at {@code topic}
     * ({@link Pipeline#routeFrom(TopicSpec)}) count, so a backlog elsewhere (another product, or
     * the callback stage, which is on no route) never sheds this request.
     *
     * <p>A topic that starts no route in the contract sheds on no stage's lag: the gateway does
     * not know which stages such a request waits on, and shedding it on every stage would bring
     * back the coupling per-route shedding removes; {@code openbio.gateway.max-pending} still
     * bounds it. Reads the last lag snapshot only, never the broker.
     */
    private void shedOnLag(TopicSpec<RequestEnvelope> topic) {
        stageLag.overload(routeStages(topic)).ifPresent(overload -> {
            throw new PipelineException(429, "the pipeline is behind: stage '" + overload.stage() + "' has "
                    + overload.lag() + " records waiting (limit " + overload.maxLag() + "); retry in "
                    + overload.retryAfterSeconds() + " s", null, overload.retryAfterSeconds());
        });
    }

    /** The stages of the route starting at {@code topic}; none for a topic that starts no route. */
    static List<String> routeStages(TopicSpec<RequestEnvelope> topic) {
        return Pipeline.routeFrom(topic).map(Route::stageNames).orElse(List.of());
    }

    /** The request with its parts sealed (images, bundles, templates never travel in plaintext). */
    private static RequestEnvelope sealed(RequestEnvelope envelope) {
        return io.openbio.schemas.crypto.SealedEvents.sealParts(io.openbio.schemas.crypto.PayloadKeys.shared(), envelope);
    }

    private CompletableFuture<Void> send(TopicSpec<RequestEnvelope> topic, String key, RequestEnvelope envelope) {
        try {
            return template.send(topic.name(), key, envelope)
                    .handle((ok, error) -> {
                        if (error != null) {
                            throw new PipelineException(503, "the event pipeline did not accept the request", error);
                        }
                        return null;
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new PipelineException(503, "the event pipeline did not accept the request", e));
        }
    }
}
