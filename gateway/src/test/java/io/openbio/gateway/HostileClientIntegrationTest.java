package io.openbio.gateway;

import io.openbio.testkit.LargePng;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Slow and hostile clients over real HTTP against the wired platform (issue #13, "Trust boundaries"):
 * each test is one finding, and failed before its fix.
 */
class HostileClientIntegrationTest {
    /** The slow-client gateway's bounds, small so the test is quick: */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration BODY_READ_TIMEOUT = Duration.ofSeconds(3);
    private static final int THREADS = 20;

    static WiredPlatform platform;
    static int gateway;
    static int slowGateway;
    static ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        gateway = platform.gateway("gw-hostile");
        slowGateway = platform.gateway("gw-hostile-slow",
                "server.tomcat.connection-timeout=" + CONNECTION_TIMEOUT.toMillis() + "ms",
                "server.tomcat.keep-alive-timeout=" + CONNECTION_TIMEOUT.toMillis() + "ms",
                "openbio.gateway.body-read-timeout=" + BODY_READ_TIMEOUT.toMillis() + "ms",
                "server.tomcat.threads.max=" + THREADS);
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterAll
    static void down() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    record Raw(int status, String headers, String body) {
        JsonNode json() {
            try {
                return Http.JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** Sends {@code request} as it is over a socket and reads the answer until the server closes. */
    private static Raw raw(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (IOException e) {
                // reset after the answer: what was read is the answer
            }
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("an HTTP answer: %s", text).isPositive();
            String head = text.substring(0, end);
            String body = text.substring(end + 4);
            if ("chunked".equalsIgnoreCase(new Raw(0, head, "").header("Transfer-Encoding"))) {
                body = unchunk(body);
            }
            return new Raw(Integer.parseInt(head.split(" ")[1]), head, body);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    private static void assertIadFormat(Raw answer, int status, String path) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.headers()).startsWith("application/json");
        JsonNode body = answer.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("path").asText()).isEqualTo(path);
        assertThat(body.has("error_code")).as(answer.body()).isTrue();
        assertThat(body.has("timestamp")).isTrue();
    }

    private static void assertIdliveFormat(int status, String contentType, String body) {
        assertThat(status).as(body).isEqualTo(400);
        assertThat(contentType).as(body).startsWith("application/json");
        JsonNode json;
        try {
            json = Http.JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
        assertThat(json.get("status").asInt()).isEqualTo(400);
        assertThat(json.size()).as("exactly status and message: %s", json).isEqualTo(2);
    }

    private static List<ILoggingEvent> serverErrors() {
        List<ILoggingEvent> errors = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            String name = e.getLoggerName();
            boolean web = name.startsWith("io.openbio.gateway") || name.startsWith("org.apache.catalina")
                    || name.startsWith("org.apache.coyote") || name.startsWith("org.apache.tomcat") || name.startsWith("org.springframework.web");
            if (web && (e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null)) {
                errors.add(e);
            }
        }
        return errors;
    }

    private static Socket slow(int port, String head) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Whether the server closes {@code socket} within {@code bound} (whatever it answers first). */
    private static boolean closedWithin(Socket socket, Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                if (in.read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
    }

    @Test
    void slowClientsInRequestLineHeadersAndBodyNeitherStarveHealthNorKeepTheirConnections() throws Exception {
        String[] heads = {
            "GE",
            "GET /api_version HTTP/1.1\r\nHost: x\r\nX-Slow: ",
            "POST /diagnostic/digest HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\nab",
        };
        List<Socket> sockets = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < 3 * (THREADS + 10); i++) {
                sockets.add(slow(slowGateway, heads[i % heads.length]));
            }
            // one more byte every second on every connection: each stays inside the connection timeout
            trickle.scheduleAtFixedRate(() -> {
                for (Socket s : sockets) {
                    try {
                        s.getOutputStream().write('a');
                    } catch (IOException e) {
                        // closed by the server already
                    }
                }
            }, 1, 1, TimeUnit.SECONDS);
            for (int round = 0; round < 3; round++) {
                for (String path : List.of("/health", "/api_version")) {
                    long start = System.nanoTime();
                    HttpResponse<String> answer = Http.CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slowGateway + path))
                            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertThat(answer.statusCode()).as("%s while %d slow clients are connected", path, sockets.size()).isEqualTo(200);
                    assertThat(took).as("%s took", path).isLessThan(Duration.ofSeconds(3));
                }
                Thread.sleep(700);
            }
            trickle.shutdownNow();
            trickle.awaitTermination(5, TimeUnit.SECONDS);
            Duration bound = CONNECTION_TIMEOUT.plus(BODY_READ_TIMEOUT).plusSeconds(3);
            for (int i = 0; i < sockets.size(); i++) {
                assertThat(closedWithin(sockets.get(i), bound)).as("slow connection %d (%s) closed by the server within %s",
                        i, heads[i % heads.length].split("\r\n")[0], bound).isTrue();
            }
        } finally {
            trickle.shutdownNow();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void anOversizedHeaderIsA4xxInTheApisOwnFormatNotTomcatsPage() throws Exception {
        String big = "a".repeat(64 * 1024);
        Raw iad = raw(gateway, "GET /api_version HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n");
        assertThat(iad.status()).isBetween(400, 499);
        assertIadFormat(iad, iad.status(), "/api_version");
        assertThat(iad.body()).doesNotContainIgnoringCase("<html");

        Raw idlive = raw(gateway, "POST /check HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(idlive.status()).isBetween(400, 499);
        assertIdliveFormat(idlive.status(), idlive.header("Content-Type"), idlive.body());
    }

    @Test
    void badPercentEncodingInAQueryParameterIsA400WithNothingLoggedAsAnError() throws Exception {
        logs.list.clear();
        Raw audit = raw(gateway, "GET /audit/records?operation=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertIadFormat(audit, 400, "/audit/records");
        Raw collections = raw(gateway, "POST /collections?collection=%E0%A4%A HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertIdliveFormat(collections.status(), collections.header("Content-Type"), collections.body());
        Raw notUtf8 = raw(gateway, "POST /collections?collection=%C3%28 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertIdliveFormat(notUtf8.status(), notUtf8.header("Content-Type"), notUtf8.body());
        assertThat(serverErrors()).as("ERROR logs or stack traces").isEmpty();
    }

    @Test
    void aJsonKeyTwiceIsA400() throws Exception {
        Http.Answer template = Http.post(gateway, "/add-template?collection=dup", "application/json",
                "{\"templates\":[\"AAAA\"],\"templates\":[\"BBBB\"]}".getBytes(StandardCharsets.UTF_8));
        assertIdliveFormat(template.status(), template.raw().headers().firstValue("Content-Type").orElse(""), template.body());
        assertThat(template.json().get("message").asText()).contains("twice");

        Http.Answer digest = Http.post(gateway, "/diagnostic/digest", "application/json",
                "{\"payload\":\"YQ==\",\"payload\":\"Yg==\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(digest.status()).as(digest.body()).isEqualTo(400);
        assertThat(digest.json().get("path").asText()).isEqualTo("/diagnostic/digest");
        assertThat(digest.json().get("message").asText()).contains("twice");

        Http.Answer check = Http.send(new Multipart()
                .field("checkModel", "application/json", "{\"operations\":[\"FACE_CHECK\"],\"operations\":[\"DOC_CHECK\"]}")
                .file("face", "face.jpg", "image/jpeg", CaptureClient.photo("man_a.jpg"))
                .post(gateway, "/check?encrypted=false"));
        assertIdliveFormat(check.status(), check.raw().headers().firstValue("Content-Type").orElse(""), check.body());
        assertThat(check.json().get("message").asText()).contains("twice");
    }

    private static HttpResponse<byte[]> postBytes(String path, byte[] body) throws Exception {
        return Http.CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void imageAnswersAreTypedByTheirBytesNeverByTheClientsDeclaredTypeAndCarryNosniff() throws Exception {
        CaptureClient client = new CaptureClient(gateway);
        byte[] html = "<html><body><script>alert(document.cookie)</script></body></html>".getBytes(StandardCharsets.UTF_8);
        byte[] jpeg = CaptureClient.photo("man_a.jpg");
        for (String path : List.of("/extract_image", "/decrypt")) {
            HttpResponse<byte[]> refused = postBytes(path, client.bundleOf(html, "text/html", 640, 480));
            String type = refused.headers().firstValue("Content-Type").orElse("");
            assertThat(type).as(path).doesNotContain("html");
            assertThat(refused.statusCode()).as(path).isEqualTo(400);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("Failed to parse file").doesNotContain("<script>");
            assertThat(refused.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");

            HttpResponse<byte[]> image = postBytes(path, client.bundleOf(jpeg, "text/html", 584, 824));
            assertThat(image.statusCode()).as(path).isEqualTo(200);
            assertThat(image.headers().firstValue("Content-Type")).as(path).hasValue("image/jpeg");
            assertThat(image.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(image.body()).isEqualTo(jpeg);
        }
    }

    @Test
    void a6300x6300PngUnderThePixelCapIsRefusedWithTheIdlive400NotAnOutOfMemoryError() throws Exception {
        byte[] png = LargePng.of(6300, 6300, 3);
        assertThat(png.length).isLessThan(200_000);
        long start = System.nanoTime();
        Http.Answer answer = Http.post(gateway, "/generate-template?encrypted=false", "application/octet-stream", png);
        assertIdliveFormat(answer.status(), answer.raw().headers().firstValue("Content-Type").orElse(""), answer.body());
        // IMAGE_TOO_LARGE's message, refused before decoding (decoded, it was "Face not found" in a large heap, an OOM in a small one)
        assertThat(answer.json().get("message").asText()).isIn("Image dimensions exceed the limit", "Failed to read the image");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        // the stage is still there: a real photo still gets its template
        Http.Answer ok = Http.post(gateway, "/generate-template?encrypted=false", "application/octet-stream", CaptureClient.photo("man_a.jpg"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    }
}
