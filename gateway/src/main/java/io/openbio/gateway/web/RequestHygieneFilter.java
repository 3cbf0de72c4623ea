package io.openbio.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * First of the gateway's filters, before authentication and anything that reads parameters:
 * <ul>
 * <li>every response carries {@code X-Content-Type-Options: nosniff}, so a browser never guesses a
 * type from the bytes (image answers, error bodies);</li>
 * <li>a query string with bad percent-encoding ({@code %zz}, a truncated {@code %A}) or escapes that
 * are not UTF-8 ({@code %E0%A4%A}) is a 400 in the path's API format ({@link ApiProducts}). Tomcat
 * would throw on the first {@code getParameter} instead, and that surfaced as a 500 with a stack
 * trace in the log. The query string itself is never logged (it may carry identifiers).</li>
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestHygieneFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(RequestHygieneFilter.class);

    private final ApiProducts products;

    public RequestHygieneFilter(ApiProducts products) {
        this.products = products;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        String query = request.getQueryString();
        if (query != null && !wellEncoded(query)) {
            log.info("{} {} -> 400: malformed percent-encoding in the query string", request.getMethod(), request.getRequestURI());
            products.write(response, 400, "Malformed query string: bad percent-encoding or not UTF-8", request.getRequestURI(), "UNKNOWN");
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * Whether every {@code %} of {@code query} is followed by two hex digits and every parameter name
     * and value decodes to valid UTF-8 ({@code +} is a space and needs no check).
     */
    static boolean wellEncoded(String query) {
        for (String pair : query.split("&", -1)) {
            for (String part : pair.split("=", 2)) {
                if (!decodesToUtf8(part)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean decodesToUtf8(String part) {
        if (part.indexOf('%') < 0) {
            return true;
        }
        ByteBuffer bytes = ByteBuffer.allocate(part.length() * 3);
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '%') {
                if (i + 2 >= part.length()) {
                    return false;
                }
                int hi = Character.digit(part.charAt(i + 1), 16);
                int lo = Character.digit(part.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return false;
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
