package io.openbio.processors.callback;

import io.openbio.events.CallbackDelivery;
import io.openbio.events.ResultEvent;
import io.openbio.schemas.json.ResultJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery contract of result callbacks:
 * <ul>
 * <li>{@code POST <callbackUrl>} with {@code Content-Type: application/json} and the result's JSON
 * ({@link ResultJson}) as the body;</li>
 * <li>headers {@code Idempotency-Key} (the request id, identical on every attempt and after a
 * restart) and {@code X-OpenBio-Request-Id}, {@code X-OpenBio-Attempt};</li>
 * <li>any 2xx is success; 408, 425, 429, 5xx and connection failures are retried with exponential
 * backoff (initial, doubling, capped) up to the attempt limit; other 4xx answers are final;</li>
 * <li>the outcome, delivered or not, becomes a {@link CallbackDelivery} record.</li>
 * </ul>
 */
public final class CallbackSender {
    private static final Logger log = LoggerFactory.getLogger(CallbackSender.class);

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration timeout;
    private final HttpClient client;

    public CallbackSender(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration timeout) {
        this.maxAttempts = Math.max(1, maxAttempts);
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public CallbackDelivery deliver(ResultEvent result) {
        String body = ResultJson.toJsonString(result);
        Integer lastStatus = null;
        String lastError = null;
        int attempt = 0;
        boolean delivered = false;
        Duration backoff = initialBackoff;
        while (attempt < maxAttempts) {
            attempt++;
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(result.getCallbackUrl()))
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", result.getRequestId())
                        .header("X-OpenBio-Request-Id", result.getRequestId())
                        .header("X-OpenBio-Attempt", Integer.toString(attempt))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                lastStatus = response.statusCode();
                lastError = null;
                if (lastStatus / 100 == 2) {
                    delivered = true;
                    break;
                }
                if (!retryable(lastStatus)) {
                    lastError = "receiver answered " + lastStatus;
                    break;
                }
                lastError = "receiver answered " + lastStatus;
            } catch (InterruptedException e) {
                throw interrupted();
            } catch (IllegalArgumentException e) {
                lastError = "invalid callback URL";
                break;
            } catch (Exception e) {
                lastStatus = null;
                lastError = e.getClass().getSimpleName();
            }
            if (attempt < maxAttempts) {
                sleep(backoff);
            }
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        }
        if (delivered) {
            log.info("callback for request {} delivered after {} attempt(s)", result.getRequestId(), attempt);
        } else {
            log.warn("callback for request {} not delivered after {} attempt(s): {}", result.getRequestId(), attempt, lastError);
        }
        return CallbackDelivery.newBuilder()
                .setRequestId(result.getRequestId())
                .setTenant(result.getTenant())
                .setCallbackUrl(result.getCallbackUrl())
                .setIdempotencyKey(result.getRequestId())
                .setDelivered(delivered)
                .setAttempts(attempt)
                .setLastStatus(lastStatus)
                .setLastError(lastError)
                .setAt(Instant.now())
                .build();
    }

    static boolean retryable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    /**
     * An interrupted delivery must not be recorded (its offset would be committed and the callback
     * lost): fail the record instead, so the task re-reads it from the last commit.
     */
    private static IllegalStateException interrupted() {
        Thread.currentThread().interrupt();
        return new IllegalStateException("callback delivery interrupted; the result will be delivered again");
    }
}
