package io.openbio.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds what slow request bodies can take from the request-processing threads. Tomcat parses the
 * request line and headers without a thread (its NIO poller waits for the bytes) and closes a
 * connection silent for {@code server.tomcat.connection-timeout}; but a servlet reads a body with
 * blocking reads on a worker thread, and Tomcat has no minimum data rate: a client trickling one
 * byte just inside the read timeout held a thread for as long as it liked (220 of them took every
 * thread, and {@code /health} timed out). So:
 * <ul>
 * <li>at most {@code openbio.gateway.max-body-readers} requests with a body are processed at once
 * (default three quarters of {@code server.tomcat.threads.max}); beyond that a request with a body
 * is answered 503 with {@code Retry-After: 1} at once, so requests without one ({@code /health},
 * {@code /api_version}, {@code /metrics}, nonces) always find a thread;</li>
 * <li>reading a body takes at most {@code openbio.gateway.body-read-timeout} in all (default 30 s,
 * a 10 MiB body at 2.8 Mbit/s): a read that returns after it fails with
 * {@link BodyReadTimeoutException} (408, connection closed). Each single read also ends after the
 * connection timeout without data (Tomcat's {@code SocketTimeoutException}, also 408), so a slow
 * body holds a thread for at most the two together.</li>
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class BodyReadGuardFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(BodyReadGuardFilter.class);

    private final ApiProducts products;
    private final Semaphore readers;
    private final long deadlineNanos;

    public BodyReadGuardFilter(ApiProducts products,
                               @Value("${openbio.gateway.max-body-readers:0}") int maxBodyReaders,
                               @Value("${server.tomcat.threads.max:200}") int maxThreads,
                               @Value("${openbio.gateway.body-read-timeout:30s}") Duration bodyReadTimeout) {
        this.products = products;
        this.readers = new Semaphore(maxBodyReaders > 0 ? maxBodyReaders : Math.max(1, maxThreads * 3 / 4));
        this.deadlineNanos = bodyReadTimeout.toNanos();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (!hasBody) {
            chain.doFilter(request, response);
            return;
        }
        if (!readers.tryAcquire()) {
            log.warn("{} {} -> 503: every body-reading slot is taken", request.getMethod(), request.getRequestURI());
            response.setHeader("Retry-After", "1");
            request.setAttribute(TomcatErrors.CLOSE_WITHOUT_DRAINING, Boolean.TRUE);
            products.write(response, 503, "Too many requests are sending a body; retry shortly", request.getRequestURI(), "UNKNOWN");
            return;
        }
        try {
            chain.doFilter(new DeadlineRequest(request, System.nanoTime() + deadlineNanos), response);
        } finally {
            readers.release();
        }
    }

    /** Reading the body took longer than {@code openbio.gateway.body-read-timeout}: answered 408. */
    public static final class BodyReadTimeoutException extends ApiException {
        public BodyReadTimeoutException() {
            super(408, "UNKNOWN", "request body was not received in time");
        }
    }

    private static final class DeadlineRequest extends HttpServletRequestWrapper {
        private final long deadline;
        private ServletInputStream guarded;

        DeadlineRequest(HttpServletRequest request, long deadline) {
            super(request);
            this.deadline = deadline;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (guarded == null) {
                ServletInputStream in = super.getInputStream();
                guarded = new CheckedServletInputStream(in) {
                    @Override
                    protected void beforeRead() {
                        check();
                    }

                    @Override
                    protected void afterRead(int bytes) {
                        check();
                    }

                    private void check() {
                        if (System.nanoTime() - deadline > 0) {
                            throw new BodyReadTimeoutException();
                        }
                    }
                };
            }
            return guarded;
        }
    }
}
