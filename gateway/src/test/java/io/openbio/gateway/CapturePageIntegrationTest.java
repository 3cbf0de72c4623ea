package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.gateway.browser.Chromium;
import io.openbio.gateway.browser.LiveY4m;
import io.openbio.gateway.browser.PlaneTurn;
import io.openbio.gateway.browser.Y4mWriter;
import io.openbio.gateway.security.ApiKeys;
import io.openbio.testkit.Photos;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web capture page ({@code /capture/}) in a real browser: headless Chromium whose camera is
 * Chromium's fake device playing a y4m file made here from images ({@link Y4mWriter}), against the
 * wired platform (real broker, every stage) with API keys on, the key typed into the page.
 * Skipped, saying what to install, only when no Chromium or chromedriver is found ({@link Chromium}).
 */
class CapturePageIntegrationTest {
    static final String KEY = "capture-page-user-key";
    static final String ADMIN_KEY = "capture-page-admin-key";
    static final int WIDTH = 640;
    static final int HEIGHT = 480;
    static final int FPS = 10;

    static WiredPlatform platform;
    static int gateway;

    /** Starts the platform only when there is a browser to drive: without one every test is skipped, saying why. */
    @BeforeAll
    static void up() throws Exception {
        if (Chromium.installed()) {
            platform = WiredPlatform.get();
            gateway = platform.gateway("gw-capture-page", "openbio.security.api-keys=capture-tenant:USER:" + ApiKeys.sha256(KEY)
                    + ",capture-tenant:ADMIN:" + ApiKeys.sha256(ADMIN_KEY));
        }
    }

    @BeforeEach
    void browserInstalled() {
        Chromium.assumeInstalled();
    }

    static String url(String path) {
        return "http://127.0.0.1:" + gateway + path;
    }

    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bundle/js/openbio-bundle.mjs"))) {
                return dir;
            }
        }
        throw new AssertionError("repository root not found");
    }

    /**
     * A printed photo held to a camera: the same picture every frame, with a camera's sensor noise
     * (so no two frames are byte-identical, as with a real camera filming a print).
     */
    static Path stillPhotoCamera(String photo, int frames) throws Exception {
        BufferedImage picture = camera(photo);
        Path file = Files.createTempFile("still-" + photo, ".y4m");
        Random noise = new Random(16);
        try (Y4mWriter y4m = new Y4mWriter(file, WIDTH, HEIGHT, FPS)) {
            for (int i = 0; i < frames; i++) {
                y4m.frame(withNoise(picture, noise, 3));
            }
        }
        return file;
    }

    /**
     * A printed photo held by a hand in front of the camera: each frame shifted (up to 4 px), zoomed
     * (up to 3 %) and rotated in the image plane (up to 1.5 degrees) at random, with sensor noise:
     * motion, but no head turning, smiling or blinking.
     */
    static Path jitteredPhotoCamera(String photo, int frames) throws Exception {
        BufferedImage picture = camera(photo);
        Path file = Files.createTempFile("jitter-" + photo, ".y4m");
        Random random = new Random(21);
        try (Y4mWriter y4m = new Y4mWriter(file, WIDTH, HEIGHT, FPS)) {
            for (int i = 0; i < frames; i++) {
                BufferedImage moved = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
                java.awt.Graphics2D g = moved.createGraphics();
                g.setColor(new java.awt.Color(128, 128, 128));
                g.fillRect(0, 0, WIDTH, HEIGHT);
                g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                java.awt.geom.AffineTransform t = new java.awt.geom.AffineTransform();
                t.translate(WIDTH / 2.0 + (random.nextDouble() * 8 - 4), HEIGHT / 2.0 + (random.nextDouble() * 8 - 4));
                t.rotate(Math.toRadians(random.nextDouble() * 3 - 1.5));
                double zoom = 1 + (random.nextDouble() * 0.06 - 0.03);
                t.scale(zoom, zoom);
                t.translate(-WIDTH / 2.0, -HEIGHT / 2.0);
                g.drawImage(picture, t, null);
                g.dispose();
                y4m.frame(withNoise(moved, random, 3));
            }
        }
        return file;
    }

    /** {@code image} with uniform noise of +-{@code amplitude} levels per pixel: a camera's sensor noise. */
    static BufferedImage withNoise(BufferedImage image, Random random, int amplitude) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            int d = random.nextInt(2 * amplitude + 1) - amplitude;
            int r = Math.max(0, Math.min(255, (p >> 16 & 0xff) + d));
            int g = Math.max(0, Math.min(255, (p >> 8 & 0xff) + d));
            int b = Math.max(0, Math.min(255, (p & 0xff) + d));
            rgb[i] = r << 16 | g << 8 | b;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    static BufferedImage camera(String photo) throws Exception {
        return Y4mWriter.fit(ImageIO.read(new ByteArrayInputStream(Photos.bytes(photo))), WIDTH, HEIGHT);
    }

    static String state(ChromeDriver browser, String name) {
        return browser.findElement(By.id("capture")).getDomAttribute("data-" + name);
    }

    static void awaitState(ChromeDriver browser, Duration timeout, String... states) {
        new WebDriverWait(browser, timeout).withMessage(() -> "page state " + state(browser, "state") + ", error "
                        + state(browser, "error") + "; expected one of " + List.of(states))
                .until(d -> List.of(states).contains(state(browser, "state")));
    }

    /** Mean R, G, B of the page's current video frame, read back through a canvas by the test. */
    @SuppressWarnings("unchecked")
    static List<Number> meanVideoColour(ChromeDriver browser) {
        return (List<Number>) browser.executeScript("""
                const v = document.getElementById('video');
                const c = document.createElement('canvas');
                c.width = v.videoWidth; c.height = v.videoHeight;
                const ctx = c.getContext('2d');
                ctx.drawImage(v, 0, 0);
                const d = ctx.getImageData(0, 0, c.width, c.height).data;
                let r = 0, g = 0, b = 0;
                for (let i = 0; i < d.length; i += 4) { r += d[i]; g += d[i + 1]; b += d[i + 2]; }
                const n = d.length / 4;
                return [r / n, g / n, b / n];
                """);
    }

    static double[] meanColour(BufferedImage image) {
        double r = 0;
        double g = 0;
        double b = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                r += p >> 16 & 0xff;
                g += p >> 8 & 0xff;
                b += p & 0xff;
            }
        }
        double n = (double) image.getWidth() * image.getHeight();
        return new double[] {r / n, g / n, b / n};
    }

    /** What the page showed, kept in target/capture-page/ for a person to look at. */
    static void screenshot(ChromeDriver browser, String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "capture-page"));
            Files.write(dir.resolve(name + ".png"), browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (Exception e) {
            System.err.println("no screenshot " + name + ": " + e);
        }
    }

    /** Opens the page with the API key typed in its settings and the camera open. */
    static void openWithCamera(ChromeDriver browser) {
        browser.get(url("/capture/"));
        browser.findElement(By.cssSelector("#settings summary")).click();
        browser.findElement(By.id("api-key")).sendKeys(KEY);
        browser.findElement(By.id("open-camera")).click();
        awaitState(browser, Duration.ofSeconds(20), "ready", "error");
        assertThat(state(browser, "state")).as("error: %s", state(browser, "error")).isEqualTo("ready");
    }

    /**
     * Runs one challenge on the open page: Start, the prompts, the verdict. Returns the server's
     * answer as the page shows it (its "Full answer").
     */
    static com.fasterxml.jackson.databind.JsonNode runChallenge(ChromeDriver browser) throws Exception {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> browser.findElement(By.id("start")).isEnabled());
        browser.findElement(By.id("start")).click();
        awaitState(browser, Duration.ofSeconds(20), "capturing", "error");
        awaitState(browser, Duration.ofSeconds(180), "done", "error");
        assertThat(state(browser, "state")).as("error: %s", state(browser, "error")).isEqualTo("done");
        String answer = (String) browser.executeScript("return document.getElementById('answer').textContent");
        com.fasterxml.jackson.databind.JsonNode verdict = Http.JSON.readTree(answer);
        List<String> actions = List.of(state(browser, "actions").split(","));
        assertThat(Integer.parseInt(state(browser, "prompts-shown"))).isEqualTo(actions.size());
        assertThat(verdict.get("frames").asInt()).as("frames the server read = frames the page sent")
                .isEqualTo(Integer.parseInt(state(browser, "frames")));
        assertThat(state(browser, "decision")).isEqualTo(verdict.get("decision").asText());
        assertThat(verdict.at("/signals/frame_duplication/passed").asBoolean())
                .as("the page sends no frame twice (repeats dropped: %s): %s", state(browser, "repeated-frames"), verdict).isTrue();
        List<WebElement> rows = browser.findElements(By.cssSelector("#evidence tbody tr"));
        assertThat(rows).extracting(r -> r.getDomAttribute("data-action")).containsExactlyElementsOf(actions);
        return verdict;
    }

    @Test
    void thePageAndItsBundleModuleAreServedWithoutAKey() throws Exception {
        Http.Answer folder = Http.send(HttpRequest.newBuilder(URI.create(url("/capture"))).GET().build());
        assertThat(folder.status()).isEqualTo(302);
        assertThat(folder.raw().headers().firstValue("Location").orElse("")).endsWith("/capture/");

        Http.Answer page = Http.get(gateway, "/capture/");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<script type=\"module\" src=\"capture.mjs\"></script>");

        for (String module : List.of("/capture/capture.mjs", "/capture/openbio-bundle.mjs")) {
            Http.Answer js = Http.get(gateway, module);
            assertThat(js.status()).as(module).isEqualTo(200);
            // Browsers refuse a module of another type (and every answer carries nosniff).
            assertThat(js.raw().headers().firstValue("Content-Type").orElse("")).as(module).startsWith("text/javascript");
        }
        assertThat(Http.get(gateway, "/capture/openbio-bundle.mjs").body())
                .as("the served module is bundle/js's, copied at build time")
                .isEqualTo(Files.readString(repoRoot().resolve("bundle/js/openbio-bundle.mjs")));
        // What the page calls still needs the key.
        assertThat(Http.post(gateway, "/bundle/nonce", "application/json", new byte[0]).status()).isEqualTo(401);
    }

    /**
     * The harness itself: the fake camera plays the y4m made here, the page opens it (getUserMedia),
     * counts its frames and shows the picture the file holds; a picture written over the file's
     * frame while it plays reaches the page (what the synthetic head-turn test relies on).
     */
    @Test
    void theFakeCameraPlaysTheY4mIntoThePage() throws Exception {
        BufferedImage picture = camera(Photos.MAN_A);
        Path file = Files.createTempFile("live", ".y4m");
        ChromeDriver browser = null;
        try (LiveY4m live = LiveY4m.create(file, picture, FPS)) {
            browser = Chromium.withFakeCamera(file);
            browser.get(url("/capture/"));
            assertThat(state(browser, "state")).isEqualTo("idle");
            browser.findElement(By.id("open-camera")).click();
            awaitState(browser, Duration.ofSeconds(20), "ready", "error");
            assertThat(state(browser, "state")).as("error: %s", state(browser, "error")).isEqualTo("ready");
            assertThat(state(browser, "video-size")).isEqualTo(WIDTH + "x" + HEIGHT);
            ChromeDriver page = browser;
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> Integer.parseInt(state(page, "video-frames")) >= 10);
            assertThat(browser.findElement(By.id("start")).isEnabled()).isTrue();
            assertVideoColour(browser, meanColour(picture));

            BufferedImage blue = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = blue.createGraphics();
            g.setColor(new java.awt.Color(30, 60, 200));
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.dispose();
            live.show(blue);
            assertVideoColour(browser, new double[] {30, 60, 200});
            screenshot(browser, "harness");
        } finally {
            if (browser != null) {
                browser.quit();
            }
            Files.deleteIfExists(file);
        }
    }

    /** Waits (3 s at most) until the page's video frame has the mean colour {@code expected}, to a few levels. */
    static void assertVideoColour(ChromeDriver browser, double[] expected) {
        new WebDriverWait(browser, Duration.ofSeconds(3))
                .withMessage(() -> "video colour " + meanVideoColour(browser) + ", expected " + java.util.Arrays.toString(expected))
                .until(d -> {
                    List<Number> seen = meanVideoColour(browser);
                    for (int c = 0; c < 3; c++) {
                        // YUV 4:2:0 and back: the mean colour is kept to a few levels.
                        if (Math.abs(seen.get(c).doubleValue() - expected[c]) > 6) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /**
     * A printed photo held to the camera (sensor noise, no motion) fails every challenge: SPOOF or
     * FAILED, and not one of its actions found. Three challenges in a row on the same page, so
     * several action draws are tried.
     */
    @Test
    void aStillPhotoAsTheCameraFailsEveryChallenge() throws Exception {
        Path y4m = stillPhotoCamera(Photos.MAN_B, 20);
        ChromeDriver browser = Chromium.withFakeCamera(y4m);
        try {
            openWithCamera(browser);
            for (int attempt = 0; attempt < 3; attempt++) {
                com.fasterxml.jackson.databind.JsonNode verdict = runChallenge(browser);
                screenshot(browser, "still-photo-" + attempt);
                assertThat(verdict.get("decision").asText()).as("%s", verdict).isIn("SPOOF", "FAILED");
                for (com.fasterxml.jackson.databind.JsonNode action : verdict.get("actions")) {
                    assertThat(action.get("found").asBoolean()).as("a still photo performed %s: %s", action, verdict).isFalse();
                }
                assertThat(browser.findElements(By.cssSelector("#evidence tbody tr[data-found='true']"))).isEmpty();
            }
        } finally {
            screenshot(browser, "still-photo-end");
            browser.quit();
            Files.deleteIfExists(y4m);
        }
    }

    /** The pose a synthetic person takes for an action: [yaw, pitch] in degrees of the plane turn. */
    static double[] pose(String action) {
        return switch (action == null ? "" : action) {
            case "TURN_LEFT" -> new double[] {35, 0};
            case "TURN_RIGHT" -> new double[] {-35, 0};
            case "LOOK_UP" -> new double[] {0, 30};
            case "LOOK_DOWN" -> new double[] {0, -30};
            default -> new double[] {0, 0};
        };
    }

    /**
     * A synthetic person in front of the fake camera: a real photo of a neutral, frontal face
     * (man_b) turned as a plane ({@link PlaneTurn}) when the page prompts a head movement, back to
     * frontal in the pauses, with a reaction time and a ramp like a person's, sensor noise on every
     * frame. Head actions only (smiles and closed eyes cannot be made from one photo). What the page
     * got is printed. Asserted is what must hold whatever the models make of a turning flat picture:
     * the page runs the whole challenge and shows its evidence, and every action's measure moved
     * the way the picture was turned (the page sends the camera's own image: a mirrored frame
     * would read as the opposite turn).
     */
    @Test
    void aSyntheticHeadTurnSequenceRunsThroughThePage() throws Exception {
        BufferedImage frontal = camera(Photos.MAN_B);
        Path file = Files.createTempFile("synthetic", ".y4m");
        Random noise = new Random(7);
        java.util.Map<Long, BufferedImage> turned = new java.util.HashMap<>();
        ChromeDriver browser = null;
        try (LiveY4m live = LiveY4m.create(file, withNoise(frontal, noise, 3), FPS)) {
            browser = Chromium.withFakeCamera(file);
            browser.get(url("/capture/"));
            browser.findElement(By.cssSelector("#settings summary")).click();
            browser.findElement(By.id("api-key")).sendKeys(KEY);
            for (WebElement kind : browser.findElements(By.cssSelector("#kinds input[name='kind']"))) {
                if (kind.isSelected() != "HEAD".equals(kind.getDomAttribute("value"))) {
                    kind.click();
                }
            }
            WebElement count = browser.findElement(By.id("action-count"));
            count.clear();
            count.sendKeys("2");
            browser.findElement(By.id("open-camera")).click();
            awaitState(browser, Duration.ofSeconds(20), "ready", "error");
            browser.findElement(By.id("start")).click();

            // Act: follow the prompt the page shows, 250 ms to react, 400 ms to reach the pose.
            double yaw = 0;
            double pitch = 0;
            double[] from = {0, 0};
            String acting = null;
            long since = System.currentTimeMillis();
            long deadline = since + 60_000;
            while (System.currentTimeMillis() < deadline) {
                String pageState = state(browser, "state");
                if (!"challenge".equals(pageState) && !"capturing".equals(pageState)) {
                    break;
                }
                String current = state(browser, "current-action");
                long now = System.currentTimeMillis();
                if (!java.util.Objects.equals(current, acting)) {
                    acting = current;
                    since = now;
                    from = new double[] {yaw, pitch};
                }
                double[] target = pose(acting);
                double progress = Math.max(0, Math.min(1, (now - since - 250) / 400.0));
                yaw = from[0] + (target[0] - from[0]) * progress;
                pitch = from[1] + (target[1] - from[1]) * progress;
                // Poses in steps of 5 degrees, each warped once: the loop keeps up with the camera.
                double y = 5 * Math.round(yaw / 5);
                double p = 5 * Math.round(pitch / 5);
                BufferedImage posed = turned.computeIfAbsent(Math.round(y) * 1000 + Math.round(p),
                        k -> PlaneTurn.turn(PlaneTurn.turn(frontal, y, false), p, true));
                live.show(withNoise(posed, noise, 3));
            }
            awaitState(browser, Duration.ofSeconds(180), "done", "error");
            screenshot(browser, "synthetic-head-turns");
            assertThat(state(browser, "state")).as("error: %s", state(browser, "error")).isEqualTo("done");
            String answer = (String) browser.executeScript("return document.getElementById('answer').textContent");
            com.fasterxml.jackson.databind.JsonNode verdict = Http.JSON.readTree(answer);
            Object label = browser.executeScript("return document.getElementById('video').srcObject.getVideoTracks()[0].label");
            System.out.println("synthetic head-turn sequence (camera label '" + label + "', actions " + state(browser, "actions")
                    + ", " + state(browser, "frames") + " frames): " + verdict);
            assertThat(verdict.get("decision").asText()).isIn("PASS", "SPOOF", "FAILED");
            assertThat(browser.findElements(By.cssSelector("#evidence tbody tr"))).hasSize(2);
            for (com.fasterxml.jackson.databind.JsonNode action : verdict.get("actions")) {
                assertThat(action.get("threshold").isNumber()).as("evidence of %s", action).isTrue();
                // The turns (35 degrees of plane turn, read as 20-60 degrees of yaw in every run so far) tell
                // a mirrored frame from the camera's own; the pitch warp reads weaker and is only printed.
                if (action.get("action").asText().startsWith("TURN_")) {
                    assertThat(Math.signum(action.get("peak").asDouble(Double.NaN))).as("%s moved the way the picture turned: %s",
                            action.get("action"), verdict).isEqualTo(Math.signum(action.get("threshold").asDouble()));
                }
            }
            assertThat(verdict.at("/signals/frame_duplication/passed").asBoolean())
                    .as("the page sends no frame twice: %s", verdict).isTrue();
        } finally {
            if (browser != null) {
                browser.quit();
            }
            Files.deleteIfExists(file);
        }
    }

    /** The same photo held by a moving hand (small shifts, zoom, rotation): still SPOOF or FAILED. */
    @Test
    void aJitteredStillPhotoFailsTheChallenge() throws Exception {
        Path y4m = jitteredPhotoCamera(Photos.MAN_B, 20);
        ChromeDriver browser = Chromium.withFakeCamera(y4m);
        try {
            openWithCamera(browser);
            com.fasterxml.jackson.databind.JsonNode verdict = runChallenge(browser);
            System.out.println("jittered still photo (actions " + state(browser, "actions") + "): " + verdict);
            assertThat(verdict.get("decision").asText()).as("%s", verdict).isIn("SPOOF", "FAILED");
        } finally {
            screenshot(browser, "jittered-photo");
            browser.quit();
            Files.deleteIfExists(y4m);
        }
    }

    /**
     * The Liveness Check Proxy's token style through the page: {@code /capture/?token=T} with no key typed
     * (the token is the end user's credential), a still photo as the camera: the page fetches the token's
     * challenge, films and uploads it to {@code /liveness/capture/T}; the capture does not pass and the
     * application's verify answers REJECTED.
     */
    @Test
    void aTokenCaptureOfAStillPhotoThroughThePageIsRejectedByVerify() throws Exception {
        Http.Answer stored = LcpIntegrationTest.putReference(gateway, "page-user", Photos.bytes(Photos.MAN_B), ADMIN_KEY);
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        LcpIntegrationTest.await(() -> LcpIntegrationTest.json(gateway, "GET", "/admin/users/page-user/reference", null, ADMIN_KEY).status() == 200,
                "page-user's reference readable");
        Http.Answer init = LcpIntegrationTest.json(gateway, "POST", "/liveness/init", "{\"userId\":\"page-user\",\"initiationType\":\"TOKEN\"}", KEY);
        assertThat(init.status()).as(init.body()).isEqualTo(200);
        String token = init.json().get("reference").asText();

        String decision = stillPhotoCaptureThroughThePage("/capture/?token=" + token, "token", "token-still-photo");
        assertThat(decision).isIn("SPOOF", "FAILED");
        String byToken = "{\"userId\":\"page-user\",\"livenessRecord\":{\"reference\":\"" + token + "\"}}";
        Http.Answer verify = LcpIntegrationTest.json(gateway, "POST", "/liveness/verify", byToken, KEY);
        assertThat(verify.status()).as(verify.body()).isEqualTo(200);
        assertThat(verify.json().get("result").asText()).isEqualTo("REJECTED");
        assertThat(LcpIntegrationTest.json(gateway, "POST", "/liveness/verify", byToken, KEY).status()).isEqualTo(400);
    }

    /**
     * A BioServer bio-session's passive replay liveness through the page: {@code /capture/?bioSession=<id>}
     * with no key typed (the session id is the credential), a still photo as the camera: the page fetches the
     * session's challenge (no action), films a few seconds and uploads them to {@code .../liveness-capture}
     * without a challenge member; the session's replay liveness then ends (replay-liveness-metadata).
     * PASSIVE_VIDEO asks for no movement, so a still photo is judged by the passive model and the injection
     * signals alone: the test asserts that the page drives the flow to a terminal status, not which one.
     */
    @Test
    void aBioSessionsPassiveCaptureRunsThroughThePage() throws Exception {
        java.util.function.BiFunction<String, String, Http.Answer> call = (path, body) -> Http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + gateway + path)).header("apikey", KEY).header("Content-Type", "application/json")
                .method(body == null ? "GET" : "POST", body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
        Http.Answer created = call.apply("/bioserver-app/v2/bio-sessions", "{}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String session = created.raw().headers().firstValue("Location").orElseThrow().replaceAll("^.*/(.*)", "$1");
        Http.Answer init = call.apply("/bioserver-app/v2/bio-sessions/" + session + "/init-liveness-parameters", "{\"type\":\"LIVENESS_PASSIVE_VIDEO\"}");
        assertThat(init.status()).as(init.body()).isEqualTo(200);

        String decision = stillPhotoCaptureThroughThePage("/capture/?bioSession=" + session, "bioSession", "bio-session-passive");
        assertThat(decision).isIn("PASS", "SPOOF", "FAILED");
        String metadataPath = "/bioserver-app/v3/bio-sessions/" + session + "/replay-liveness-metadata";
        LcpIntegrationTest.await(() -> java.util.List.of("SUCCESS", "SPOOF", "FAILED").contains(call.apply(metadataPath, null).json().get("status").asText()),
                "the session's replay liveness ended");
    }

    /**
     * Opens {@code page} (a capture client mode: {@code mode}) with a still photo of man_b as the camera, runs
     * the capture to its end and answers the page's decision.
     */
    static String stillPhotoCaptureThroughThePage(String page, String mode, String screenshotName) throws Exception {
        Path y4m = stillPhotoCamera(Photos.MAN_B, 20);
        ChromeDriver browser = Chromium.withFakeCamera(y4m);
        try {
            browser.get(url(page));
            assertThat(state(browser, "mode")).isEqualTo(mode);
            browser.findElement(By.id("open-camera")).click();
            awaitState(browser, Duration.ofSeconds(20), "ready", "error");
            assertThat(state(browser, "state")).as("error: %s", state(browser, "error")).isEqualTo("ready");
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> browser.findElement(By.id("start")).isEnabled());
            browser.findElement(By.id("start")).click();
            awaitState(browser, Duration.ofSeconds(180), "done", "error");
            screenshot(browser, screenshotName);
            assertThat(state(browser, "state")).as("error: %s", state(browser, "error")).isEqualTo("done");
            return state(browser, "decision");
        } finally {
            browser.quit();
            Files.deleteIfExists(y4m);
        }
    }
}
