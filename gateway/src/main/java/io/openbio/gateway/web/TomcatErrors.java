package io.openbio.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.PrintWriter;
import org.apache.catalina.Host;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Tomcat's own answers, in the API's format:
 * <ul>
 * <li>{@link ApiErrorReportValve} replaces Tomcat's {@link ErrorReportValve}, which wrote an HTML page
 * for failures Tomcat answers before any servlet runs (a request line or headers above
 * {@code server.max-http-request-header-size}, a malformed request line): the error body and status of
 * the path's product ({@link ApiProducts}); the message names the status only, never request content;</li>
 * <li>{@link NoDrainValve}: a request marked {@link #CLOSE_WITHOUT_DRAINING} (a body refused because it
 * came too slowly, or because every body-reading slot was taken) is closed after its answer instead
 * of Tomcat reading the rest of its body on the request thread (up to {@code max-swallow-size}, as long
 * as the client kept trickling).</li>
 * </ul>
 */
@Component
public class TomcatErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    /** Request attribute: close the connection after the answer without reading the rest of the body. */
    public static final String CLOSE_WITHOUT_DRAINING = TomcatErrors.class.getName() + ".closeWithoutDraining";

    private final ApiProducts products;

    public TomcatErrors(ApiProducts products) {
        this.products = products;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextValves(new NoDrainValve());
        factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            ApiErrorReportValve valve = new ApiErrorReportValve(products);
            // StandardHost adds its errorReportValveClass at start unless a valve of that class is there already
            if (host instanceof StandardHost standard) {
                standard.setErrorReportValveClass(ApiErrorReportValve.class.getName());
            }
            host.getPipeline().addValve(valve);
        });
    }

    /** Tomcat's error report in the API's format. */
    public static final class ApiErrorReportValve extends ErrorReportValve {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final ApiProducts products;

        ApiErrorReportValve(ApiProducts products) {
            this.products = products;
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            String path = request.getRequestURI();
            HttpStatus known = HttpStatus.resolve(status);
            String message = status == 400 ? "Bad request: malformed or oversized request line or headers"
                    : known == null ? "Error" : known.getReasonPhrase();
            try {
                response.setStatus(products.status(status, path));
                Object body = products.body(status, message, path, "UNKNOWN");
                if (body == null) {
                    response.finishResponse();
                    return;
                }
                response.setContentType("application/json");
                response.setCharacterEncoding("utf-8");
                PrintWriter writer = response.getReporter();
                if (writer != null) {
                    writer.write(JSON.writeValueAsString(body));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the connection is gone or the response was committed meanwhile: nothing more to say
            }
        }
    }

    /** Honours {@link #CLOSE_WITHOUT_DRAINING}. */
    static final class NoDrainValve extends ValveBase {
        NoDrainValve() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            try {
                getNext().invoke(request, response);
            } finally {
                if (request.getAttribute(CLOSE_WITHOUT_DRAINING) != null) {
                    request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
                }
            }
        }
    }
}
