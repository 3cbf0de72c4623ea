package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.gateway.browser.Chromium;
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
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
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
    static final int WIDTH = 640;
    static final int HEIGHT = 480;
    static final int FPS = 10;

    static WiredPlatform platform;
    static int gateway;

    @BeforeAll
    static void up() throws Exception {
        Chromium.assumeInstalled();
        platform = WiredPlatform.get();
        gateway = platform.gateway("gw-capture-page", "openbio.security.api-keys=capture-tenant:USER:" + ApiKeys.sha256(KEY));
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
        BufferedImage picture = Y4mWriter.fit(ImageIO.read(new ByteArrayInputStream(Photos.bytes(photo))), WIDTH, HEIGHT);
        Path file = Files.createTempFile("still-" + photo, ".y4m");
        Random noise = new Random(16);
        try (Y4mWriter y4m = new Y4mWriter(file, WIDTH, HEIGHT, FPS)) {
            for (int i = 0; i < frames; i++) {
                y4m.frame(withNoise(picture, noise, 3));
            }
        }
        return file;
    }

    static BufferedImage withNoise(BufferedImage image, Random random, int amplitude) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int d = random.nextInt(2 * amplitude + 1) - amplitude;
                int r = Math.max(0, Math.min(255, (p >> 16 & 0xff) + d));
                int g = Math.max(0, Math.min(255, (p >> 8 & 0xff) + d));
                int b = Math.max(0, Math.min(255, (p & 0xff) + d));
                out.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return out;
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
     * counts its frames and shows the picture the file holds.
     */
    @Test
    void theFakeCameraPlaysTheY4mIntoThePage() throws Exception {
        Path y4m = stillPhotoCamera(Photos.MAN_A, 10);
        ChromeDriver browser = Chromium.withFakeCamera(y4m);
        try {
            browser.get(url("/capture/"));
            assertThat(state(browser, "state")).isEqualTo("idle");
            browser.findElement(By.id("open-camera")).click();
            awaitState(browser, Duration.ofSeconds(20), "ready", "error");
            assertThat(state(browser, "state")).as("error: %s", state(browser, "error")).isEqualTo("ready");
            assertThat(state(browser, "video-size")).isEqualTo(WIDTH + "x" + HEIGHT);
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(d -> Integer.parseInt(state(browser, "video-frames")) >= 10);
            assertThat(browser.findElement(By.id("start")).isEnabled()).isTrue();

            double[] expected = meanColour(Y4mWriter.fit(ImageIO.read(new ByteArrayInputStream(Photos.bytes(Photos.MAN_A))), WIDTH, HEIGHT));
            List<Number> seen = meanVideoColour(browser);
            for (int c = 0; c < 3; c++) {
                // YUV 4:2:0 and back: colour is kept to a few levels on average.
                assertThat(seen.get(c).doubleValue()).as("channel %d", c).isCloseTo(expected[c], org.assertj.core.data.Offset.offset(6.0));
            }
        } finally {
            browser.quit();
            Files.deleteIfExists(y4m);
        }
    }
}
