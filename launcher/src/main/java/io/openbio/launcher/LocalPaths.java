package io.openbio.launcher;

import io.openbio.schemas.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built artifacts of the project are, found from the repository root. */
public final class LocalPaths {
    private LocalPaths() {
    }

    /** The repository root: {@code openbio.home}, else the first folder upwards holding {@code launcher/pom.xml}. */
    public static Path root() {
        String configured = System.getProperty(Settings.HOME.property(), System.getenv(Settings.HOME.env()));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("launcher/pom.xml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("run from inside the repository, or set OPENBIO_HOME");
    }

    /**
     * {@code dir}, created where missing, reachable by its owner only ({@code rwx------}, tightened when
     * it exists with more): the local run's data folder holds the broker's segment files, the state
     * stores, key stores and credentials, which the broker and RocksDB write with the process's umask
     * (usually world-readable); a folder others cannot enter keeps them from other users.
     */
    public static Path privateDirectory(Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    public static Path require(Path path, String buildHint) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing; build first: " + buildHint);
        }
        return path;
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Deletes {@code dir} and everything under it; nothing when it does not exist (fresh bench and fault data). */
    public static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
