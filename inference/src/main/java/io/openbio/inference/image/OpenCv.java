package io.openbio.inference.image;

import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the OpenCV natives bundled in the org.openpnp:opencv jar, once. */
public final class OpenCv {
    private static volatile boolean loaded;

    private OpenCv() {
    }

    public static void load() {
        if (!loaded) {
            synchronized (OpenCv.class) {
                if (!loaded) {
                    try {
                        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
                    } catch (Exception ignored) {
                        // the loader reports the real problem
                    }
                    nu.pattern.OpenCV.loadLocally();
                    loaded = true;
                }
            }
        }
    }
}
