package io.openbio.gateway.web;

import io.openbio.schemas.PayloadLimits;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforces the inline payload limit before anything reads a body: a declared Content-Length above
 * {@link PayloadLimits#MAX_PAYLOAD_BYTES} is answered 413 at once (in the path's API format and status, {@link ApiProducts}); a body without a length (chunked)
 * is counted as it is read and fails with {@link PayloadTooLargeException} past the limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class PayloadLimitFilter extends OncePerRequestFilter {
    private final ApiProducts products;

    public PayloadLimitFilter(ApiProducts products) {
        this.products = products;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > PayloadLimits.MAX_PAYLOAD_BYTES) {
            PayloadTooLargeException e = new PayloadTooLargeException();
            products.write(response, 413, e.getMessage(), request.getRequestURI(), e.errorCode());
            return;
        }
        chain.doFilter(declared >= 0 ? request : new LimitedRequest(request), response);
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private ServletInputStream limited;

        LimitedRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                ServletInputStream in = super.getInputStream();
                limited = new CheckedServletInputStream(in) {
                    private long count;

                    @Override
                    protected void afterRead(int bytes) {
                        if (bytes > 0 && (count += bytes) > PayloadLimits.MAX_PAYLOAD_BYTES) {
                            throw new PayloadTooLargeException();
                        }
                    }
                };
            }
            return limited;
        }
    }
}
