package io.openbio.processors;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openbio.processors.core.ProcessorRuntime;
import io.openbio.processors.core.ProcessorSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The processors' {@code /health/live}, {@code /health/ready} and {@code /metrics} on
 * {@link ProcessorSettings#httpBind()}:{@link ProcessorSettings#httpPort()}.
 *
 * <p>Jetty rather than the JDK's {@code com.sun.net.httpserver}: the JDK server read a request line
 * on its (here single) executor thread, so one client that sent half a line held /health/live for as
 * long as it stayed (47 s measured; Kubernetes restarts a pod whose liveness probe times out), and its
 * only time bounds are JVM-wide system properties read once when the class loads. Jetty parses
 * requests without blocking a thread (a stalled client holds a connection, never a thread), serves
 * from a small pool, and closes every connection idle past {@link ProcessorSettings#httpIdleTimeout()},
 * also one stopped half-way through its request.
 */
public final class HealthServer implements AutoCloseable {
    /** Threads of the pool: Jetty's acceptor and selector take two, the rest answer requests. */
    static final int THREADS = 6;
    /** Request line and headers above this are refused (431): probes and scrapers send a few hundred bytes. */
    static final int MAX_HEADER_BYTES = 8 * 1024;

    private final Server server;
    private final ServerConnector connector;

    private HealthServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Starts the server; its port is {@link #port()} (the configured one, or a free one for port 0 in tests). */
    public static HealthServer start(ProcessorSettings settings, int port, List<ProcessorRuntime> runtimes,
                                     PrometheusMeterRegistry meters) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(THREADS, 2);
        pool.setName("processors-http");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(settings.httpBind());
        connector.setPort(port);
        connector.setIdleTimeout(settings.httpIdleTimeout().toMillis());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                switch (path) {
                    case "/health/live" -> {
                        boolean alive = runtimes.stream().allMatch(ProcessorRuntime::alive);
                        respond(response, callback, alive ? 200 : 503, "application/json", status(runtimes, alive ? "UP" : "DOWN"));
                    }
                    case "/health/ready" -> {
                        boolean ready = runtimes.stream().allMatch(ProcessorRuntime::ready);
                        respond(response, callback, ready ? 200 : 503, "application/json", status(runtimes, ready ? "UP" : "DOWN"));
                    }
                    case "/metrics" -> respond(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8",
                            meters == null ? "" : meters.scrape());
                    default -> respond(response, callback, 404, "application/json", "{\"status\":404,\"error\":\"Not Found\"}");
                }
                return true;
            }
        });
        server.setStopTimeout(1000);
        server.start();
        return new HealthServer(server, connector);
    }

    /** The address listened on. */
    public String host() {
        return connector.getHost();
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping at shutdown: nothing left to do about it
        }
    }

    private static void respond(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    static String status(List<ProcessorRuntime> runtimes, String overall) {
        StringBuilder json = new StringBuilder("{\"status\":\"").append(overall).append("\",\"processors\":{");
        for (int i = 0; i < runtimes.size(); i++) {
            ProcessorRuntime runtime = runtimes.get(i);
            json.append(i == 0 ? "" : ",").append('"').append(runtime.name()).append("\":\"").append(runtime.state()).append('"');
        }
        return json.append("}}").toString();
    }
}
