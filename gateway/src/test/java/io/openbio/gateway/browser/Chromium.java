package io.openbio.gateway.browser;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven by chromedriver, both from the system (Debian: {@code apt-get install
 * chromium chromium-driver}; {@code .ci/run} installs them when missing). Selenium Manager is never
 * asked to download anything: both paths are given explicitly. The camera is Chromium's fake
 * device playing a y4m file ({@link Y4mWriter}); the permission prompt is answered yes.
 */
public final class Chromium {
    /** Overrides for the lookups below. */
    public static final String BROWSER_PROPERTY = "openbio.chromium";
    public static final String DRIVER_PROPERTY = "openbio.chromedriver";

    private Chromium() {
    }

    /** The browser binary, or empty. */
    public static Optional<Path> browser() {
        return find(BROWSER_PROPERTY, List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"));
    }

    /** The chromedriver binary, or empty. */
    public static Optional<Path> driver() {
        return find(DRIVER_PROPERTY, List.of("chromedriver"));
    }

    /** Whether both the browser and chromedriver were found. */
    public static boolean installed() {
        return browser().isPresent() && driver().isPresent();
    }

    /** Skips the calling test, saying what to install, when either binary is missing. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(installed(),
                "no Chromium and chromedriver found (PATH or -D" + BROWSER_PROPERTY + " / -D" + DRIVER_PROPERTY
                        + "): install them once with 'sudo apt-get install -y chromium chromium-driver' (Debian/Ubuntu); "
                        + ".ci/run does it when missing. The capture page's browser test is skipped.");
    }

    /** A headless Chromium whose camera plays {@code y4m}. */
    public static ChromeDriver withFakeCamera(Path y4m) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser().orElseThrow().toFile());
        options.addArguments(
                "--headless=new",
                // Containers and CI run as root, where Chromium's sandbox cannot start.
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1024,900",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                "--use-file-for-fake-video-capture=" + y4m.toAbsolutePath(),
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                // A headless page's timers and animation frames must not be throttled during the sequence.
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver().orElseThrow().toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }

    private static Optional<Path> find(String property, List<String> names) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : pathVariable.split(File.pathSeparator)) {
            for (String name : names) {
                if (!dir.isEmpty()) {
                    Path candidate = Path.of(dir, name);
                    if (Files.isExecutable(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
