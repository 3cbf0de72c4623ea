package io.openbio.processors;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.processors.core.ProcessorSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The processors' health server against slow and stalled clients, over real sockets: a client that
 * sends half a request line and stops must neither delay {@code /health/live} for others (Kubernetes
 * would restart a healthy pod) nor keep its connection past the idle timeout.
 */
class HealthServerTest {
    private static final Duration IDLE = Duration.ofSeconds(1);

    private HealthServer server;
    private final List<Socket> stalled = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ProcessorSettings settings = ProcessorSettings.defaults().withHttp(0, "127.0.0.1", IDLE);
        server = HealthServer.start(settings, 0, List.of(), null);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : stalled) {
            s.close();
        }
        server.close();
    }

    private Socket stall(String partial) throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        OutputStream out = socket.getOutputStream();
        out.write(partial.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        stalled.add(socket);
        return socket;
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpResponse<String> live() throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health/live"))
                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Milliseconds until the server closes {@code socket} (reads whatever it answers first), or -1 past {@code bound}. */
    private static long closedWithin(Socket socket, Duration bound) throws Exception {
        long start = System.nanoTime();
        socket.setSoTimeout((int) bound.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[1024];
        try {
            while (in.read(buffer) >= 0) {
                // a 408/400 answer before the close is fine
            }
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (java.io.IOException e) {
            // reset by the server: closed
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aHalfSentRequestLineNeitherBlocksLivenessNorOutlivesTheIdleTimeout() throws Exception {
        Socket half = stall("GET /health/li");

        long start = System.nanoTime();
        HttpResponse<String> answer = live();
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"status\":\"UP\"");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        long closedAfter = closedWithin(half, IDLE.plusSeconds(2));
        assertThat(closedAfter).as("stalled connection closed by the server within the idle timeout + 2 s").isNotNegative();
    }

    @Test
    void fiftyStalledClientsInEveryPartOfARequestLeaveLivenessAnswering() throws Exception {
        String[] partials = {"G", "GET /health/live HTTP/1.1\r\nHost: x\r\n", "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab"};
        for (int i = 0; i < 50; i++) {
            stall(partials[i % partials.length]);
        }
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            assertThat(live().statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        for (Socket socket : stalled) {
            assertThat(closedWithin(socket, IDLE.plusSeconds(3))).as("closed by the server").isNotNegative();
        }
    }

    @Test
    void bindsTheConfiguredAddress() throws Exception {
        ProcessorSettings loopback = ProcessorSettings.defaults().withHttp(0, "127.0.0.1", IDLE);
        assertThat(loopback.httpBind()).isEqualTo("127.0.0.1");
        assertThat(ProcessorSettings.defaults().httpBind()).as("default: every interface, for k8s probes").isEqualTo("0.0.0.0");
        assertThat(server.host()).isEqualTo("127.0.0.1");
    }
}
