package io.openbio.processors.callback;

import io.openbio.events.ResultEvent;
import java.util.concurrent.CompletableFuture;

/**
 * One delivery attempt of a callback, started without blocking the caller (the stream thread): the
 * future completes with the attempt's {@link Outcome}, never exceptionally. {@link CallbackSender} is
 * the HTTP one; topology tests pass their own to control outcomes and time.
 */
public interface CallbackTransport extends AutoCloseable {

    CompletableFuture<Outcome> attempt(ResultEvent result, int attempt);

    /** The identity of the receiver a URL points to (scheme, host, port): attempts are bounded per receiver. */
    static String receiver(String url) {
        try {
            java.net.URI uri = new java.net.URI(url.trim());
            return (uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort()).toLowerCase(java.util.Locale.ROOT);
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return "invalid";
        }
    }

    @Override
    default void close() {
    }

    /**
     * How one attempt ended.
     *
     * @param delivered the receiver answered 2xx
     * @param status    the HTTP status, null when no answer came
     * @param error     why it failed (no URL, no secret), null when delivered
     * @param retryable worth another attempt: 408, 425, 429, 5xx, no answer, a host that does not resolve now
     */
    record Outcome(boolean delivered, Integer status, String error, boolean retryable) {
        static Outcome answered(int status) {
            if (status / 100 == 2) {
                return new Outcome(true, status, null, false);
            }
            return new Outcome(false, status, "receiver answered " + status, retryable(status));
        }

        static Outcome failed(String error, boolean retryable) {
            return new Outcome(false, null, error, retryable);
        }

        static boolean retryable(int status) {
            return status == 408 || status == 425 || status == 429 || status >= 500;
        }
    }
}
