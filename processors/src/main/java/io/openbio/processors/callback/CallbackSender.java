package io.openbio.processors.callback;

import io.openbio.events.ApiResponse;
import io.openbio.events.ResultEvent;
import io.openbio.schemas.contract.BioServerContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import io.openbio.schemas.callback.CallbackDestinationPolicy;
import io.openbio.schemas.callback.CallbackDestinationPolicy.Destination;
import io.openbio.schemas.json.ResultJson;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The delivery contract of result callbacks, one attempt at a time (the retries are the callback
 * stage's, on retry topics):
 * <ul>
 * <li>the destination is checked first with {@link CallbackDestinationPolicy} (resolving the host once)
 * and the connection goes to exactly the address that was checked: Apache HttpClient 5 gets the address
 * in its target {@link HttpHost} and a {@link DnsResolver} that refuses every lookup, so no second DNS
 * answer (DNS rebinding) can redirect it, while TLS still verifies the certificate against the host
 * name (which {@code java.net.http} cannot do when the URL holds the address instead);</li>
 * <li>{@code POST <callbackUrl>} with {@code Content-Type: application/json} and the result's JSON
 * ({@link ResultJson}) as the body; no redirects followed, no proxy, no cookies;</li>
 * <li>headers {@code Idempotency-Key} and {@code webhook-id} (both the request id, the same on every
 * attempt), {@code webhook-timestamp} (unix seconds of this attempt), {@code webhook-signature}
 * ({@link CallbackSigner}), {@code X-OpenBio-Request-Id}, {@code X-OpenBio-Attempt};</li>
 * <li>any 2xx is success; 408, 425, 429, 5xx, no answer within the timeout, and a host that does not
 * resolve are worth another attempt; other 4xx and a refused destination are final; an attempt ends after
 * at most twice the timeout (a receiver trickling its answer byte by byte included).</li>
 * </ul>
 * The client is asynchronous (no thread waits for a receiver) and holds at most
 * {@link #MAX_CONNECTIONS_PER_RECEIVER} connections per receiver, so a receiver that never answers ties
 * up only its own connections.
 */
public final class CallbackSender implements CallbackTransport {
    /** Concurrent attempts per receiver (also the stage's per-receiver bound). */
    public static final int MAX_CONNECTIONS_PER_RECEIVER = 4;

    private final CallbackDestinationPolicy policy;
    private final CallbackSigner signer;
    private final Duration timeout;
    private final Clock clock;
    private final CloseableHttpAsyncClient client;
    /** Host resolution blocks (the JDK's resolver); it runs here, never on the stream thread. */
    private final ExecutorService resolving;

    public CallbackSender(CallbackDestinationPolicy policy, CallbackSigner signer, Duration timeout, Clock clock) {
        this.policy = policy;
        this.signer = signer;
        this.timeout = timeout;
        this.clock = clock;
        DnsResolver noLookups = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                throw new UnknownHostException("callbacks connect only to checked addresses");
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                throw new UnknownHostException("callbacks connect only to checked addresses");
            }
        };
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDnsResolver(noLookups)
                        .setMaxConnPerRoute(MAX_CONNECTIONS_PER_RECEIVER)
                        .setMaxConnTotal(512)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(timeout)).setSocketTimeout(Timeout.of(timeout)).build())
                        .build())
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(2).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("OpenBio-Callbacks")
                .build();
        this.client.start();
        AtomicInteger threads = new AtomicInteger();
        this.resolving = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "callback-resolve-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public CompletableFuture<Outcome> attempt(ResultEvent result, int attempt) {
        return CompletableFuture.supplyAsync(() -> check(result), resolving)
                .thenCompose(checked -> checked.outcome != null
                        ? CompletableFuture.completedFuture(checked.outcome)
                        : send(checked.destination, result, attempt))
                .exceptionally(e -> Outcome.failed(e.getClass().getSimpleName(), true));
    }

    private record Checked(Destination destination, Outcome outcome) {
    }

    private Checked check(ResultEvent result) {
        try {
            return new Checked(policy.check(result.getTenant(), result.getCallbackUrl()), null);
        } catch (CallbackDestinationPolicy.RefusedException e) {
            return new Checked(null, Outcome.failed("destination refused: " + e.getMessage(), false));
        } catch (UnknownHostException e) {
            return new Checked(null, Outcome.failed("host does not resolve", true));
        }
    }

    /**
     * The POST's body: the platform's result JSON ({@link ResultJson}), except for a product whose reference
     * fixes the callback's body: BioServer's replayLivenessCallback ({@code {"sessionId":...}}, seed 003),
     * which the bioserver stage writes as the result's sealed {@link ApiResponse} JSON.
     */
    public static byte[] body(ResultEvent result) {
        if (BioServerContract.REPLAY_CALLBACK.equals(result.getOperation()) && result.getPayload() instanceof ApiResponse response) {
            return PayloadKeys.shared().openText(result.getTenant(), Purpose.RESULT, result.getRequestId(), response.getJson())
                    .getBytes(StandardCharsets.UTF_8);
        }
        return ResultJson.toJsonString(result).getBytes(StandardCharsets.UTF_8);
    }

    private CompletableFuture<Outcome> send(Destination destination, ResultEvent result, int attempt) {
        byte[] body = body(result);
        String id = result.getRequestId();
        long timestamp = clock.instant().getEpochSecond();
        SimpleRequestBuilder builder = SimpleRequestBuilder.post(destination.uri())
                .setBody(body, ContentType.APPLICATION_JSON)
                .addHeader("Idempotency-Key", id)
                .addHeader("webhook-id", id)
                .addHeader("webhook-timestamp", Long.toString(timestamp))
                .addHeader("X-OpenBio-Request-Id", id)
                .addHeader("X-OpenBio-Attempt", Integer.toString(attempt))
                .setRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(timeout))
                        .setResponseTimeout(Timeout.of(timeout))
                        .build());
        signer.signature(result.getTenant(), id, timestamp, body).ifPresent(signature -> builder.addHeader("webhook-signature", signature));
        SimpleHttpRequest request = builder.build();
        HttpHost target = new HttpHost(destination.uri().getScheme().toLowerCase(java.util.Locale.ROOT),
                destination.addresses().get(0), destination.host(), destination.port());
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Future<Message<HttpResponse, Void>> exchange = client.execute(target, SimpleRequestProducer.create(request), new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()),
                null, null, new FutureCallback<Message<HttpResponse, Void>>() {
                    @Override
                    public void completed(Message<HttpResponse, Void> response) {
                        outcome.complete(Outcome.answered(response.getHead().getCode()));
                    }

                    @Override
                    public void failed(Exception e) {
                        outcome.complete(Outcome.failed(e.getClass().getSimpleName(), true));
                    }

                    @Override
                    public void cancelled() {
                        outcome.complete(Outcome.failed("cancelled", true));
                    }
                });
        // The timeouts above are per connection step and per silence on the socket: a receiver that
        // answers a byte at a time would hold the attempt (and one of its receiver's connections)
        // forever. Every attempt ends after twice the timeout, whatever the receiver does.
        return outcome.completeOnTimeout(Outcome.failed("attempt deadline exceeded", true), 2 * timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, error) -> {
                    if (!exchange.isDone()) {
                        exchange.cancel(true);
                    }
                });
    }

    @Override
    public void close() {
        client.close(CloseMode.IMMEDIATE);
        resolving.shutdownNow();
    }
}
