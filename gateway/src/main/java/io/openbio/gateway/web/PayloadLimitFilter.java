package io.openbio.gateway.web;

import io.openbio.schemas.PayloadLimits;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
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
                limited = new ServletInputStream() {
                    private long count;

                    private void counted(long n) {
                        if (n > 0 && (count += n) > PayloadLimits.MAX_PAYLOAD_BYTES) {
                            throw new PayloadTooLargeException();
                        }
                    }

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        counted(b < 0 ? 0 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = in.read(b, off, len);
                        counted(n);
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return limited;
        }
    }
}
