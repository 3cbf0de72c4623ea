package io.openbio.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriUtils;

/**
 * The {@link ApiProduct}s of this gateway, by path: every error the gateway answers (exception
 * handler, the API-key and payload-limit filters, pipeline results) is rendered here, in the format
 * and with the status of the product that owns the path. The longest matching prefix wins; a path
 * no product owns gets {@link ApiError#DEFAULT}. Two products claiming one prefix fail the start.
 * The owner is looked up on the path as the controllers' mappings see it ({@link #canonical}), so an
 * answer to {@code /%63ollections} or {@code /collections;x} is in the IDLive format too.
 */
@Component
public class ApiProducts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Owned(String prefix, ApiProduct product) {
    }

    private final List<Owned> byLongestPrefix;

    public ApiProducts(List<ApiProduct> products) {
        Map<String, ApiProduct> owners = new LinkedHashMap<>();
        for (ApiProduct product : products) {
            for (String prefix : product.pathPrefixes()) {
                if (!prefix.startsWith("/") || (prefix.length() > 1 && prefix.endsWith("/"))) {
                    throw new IllegalStateException("product " + product.name() + ": path prefix must start and not end with '/': " + prefix);
                }
                ApiProduct other = owners.putIfAbsent(prefix, product);
                if (other != null) {
                    throw new IllegalStateException("path prefix " + prefix + " is claimed by " + other.name() + " and " + product.name());
                }
            }
        }
        List<Owned> owned = new ArrayList<>();
        owners.forEach((prefix, product) -> owned.add(new Owned(prefix, product)));
        owned.sort(Comparator.comparingInt((Owned o) -> o.prefix().length()).reversed());
        this.byLongestPrefix = List.copyOf(owned);
    }

    /** The product owning {@code path} (longest prefix of its {@link #canonical} form), else {@link ApiError#DEFAULT}. */
    public ApiProduct of(String rawPath) {
        String path = canonical(rawPath);
        if (path != null) {
            for (Owned o : byLongestPrefix) {
                if (path.equals(o.prefix()) || path.startsWith(o.prefix().equals("/") ? "/" : o.prefix() + "/")) {
                    return o.product();
                }
            }
        }
        return ApiError.DEFAULT;
    }

    /**
     * A request path as routing sees it, for picking its product only (never for authorisation,
     * which Spring Security does on the parsed path): path parameters ({@code ;...}) removed,
     * percent-decoded, {@code \} as {@code /}, repeated slashes collapsed, dot segments resolved.
     * A path that does not decode stays as it is.
     */
    static String canonical(String path) {
        if (path == null || (path.indexOf(';') < 0 && path.indexOf('%') < 0 && path.indexOf('\\') < 0
                && !path.contains("//") && !path.contains("/."))) {
            return path;
        }
        try {
            String decoded = UriUtils.decode(path.replaceAll(";[^/]*", ""), StandardCharsets.UTF_8)
                    .replaceAll(";[^/]*", "").replace('\\', '/');
            String collapsed = decoded.replaceAll("/{2,}", "/");
            return StringUtils.cleanPath(collapsed);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }

    /** The status answered on {@code path} for a failure of {@code status}. */
    public int status(int status, String path) {
        return of(path).status(status);
    }

    /** The error body on {@code path}, its status mapped by the path's product. */
    public Map<String, Object> body(int status, String message, String path, String errorCode) {
        ApiProduct product = of(path);
        return product.errorBody(product.status(status), message, path, errorCode);
    }

    /** The error answer on {@code path}: the product's status and body, as JSON. */
    public ResponseEntity<Object> response(int status, String message, String path, String errorCode) {
        Map<String, Object> body = body(status, message, path, errorCode);
        if (body == null) {
            return ResponseEntity.status(status(status, path)).build();
        }
        return ResponseEntity.status(status(status, path)).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /** Writes the error answer directly (servlet filters, which answer before any controller). */
    public void write(HttpServletResponse response, int status, String message, String path, String errorCode) throws IOException {
        response.setStatus(status(status, path));
        Map<String, Object> body = body(status, message, path, errorCode);
        if (body == null) {
            return;
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
