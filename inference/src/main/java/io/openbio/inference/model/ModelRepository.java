package io.openbio.inference.model;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds model files in the models folder and checks each one against the SHA-256 pinned in the
 * manifest before it is used. The folder is, in order: the system property
 * {@code openbio.models.dir}, the environment variable {@code OPENBIO_MODELS_DIR}, then
 * {@code ./models} or {@code ../models} relative to the working directory.
 */
public final class ModelRepository {
    public static final String DIR_PROPERTY = "openbio.models.dir";
    public static final String DIR_ENV = "OPENBIO_MODELS_DIR";
    static final String FIX = "Run `mvn -B -pl inference generate-resources` from the repository root (it runs "
            + "inference/scripts/fetch-from-registry.sh inference/models.tsv models), or point -D"
            + DIR_PROPERTY + " / " + DIR_ENV + " at a folder holding the files listed in inference/models.tsv.";

    private final Path dir;
    private final ModelManifest manifest;
    private final Map<String, Path> verified = new ConcurrentHashMap<>();

    public ModelRepository(Path dir, ModelManifest manifest) {
        this.dir = dir.toAbsolutePath().normalize();
        this.manifest = manifest;
    }

    /** The repository at the configured / default location with the bundled manifest. */
    public static ModelRepository fromEnvironment() {
        return new ModelRepository(resolveDir(), ModelManifest.load());
    }

    public static Path resolveDir() {
        String p = System.getProperty(DIR_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(DIR_ENV);
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        Path here = Path.of("models");
        if (Files.isDirectory(here)) {
            return here;
        }
        Path up = Path.of("..", "models");
        return Files.isDirectory(up) ? up : here;
    }

    public Path dir() {
        return dir;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /**
     * The path of a model file whose SHA-256 matches the manifest.
     *
     * @throws InferenceException {@link ErrorCode#MODEL_UNAVAILABLE} with the fix in the message
     */
    public Path verifiedPath(String id) {
        return verified.computeIfAbsent(id, this::verify);
    }

    private Path verify(String id) {
        ModelSpec spec = manifest.spec(id);
        Path file = dir.resolve(spec.file());
        if (!Files.isRegularFile(file)) {
            throw new InferenceException(ErrorCode.MODEL_UNAVAILABLE, "model '" + id + "' (" + spec.task()
                    + ") is missing: expected " + file + " from " + spec.source() + ":" + spec.member() + ". " + FIX);
        }
        String actual = sha256(file);
        if (!actual.equalsIgnoreCase(spec.sha256())) {
            throw new InferenceException(ErrorCode.MODEL_UNAVAILABLE, "model '" + id + "' at " + file
                    + " has SHA-256 " + actual + " but the manifest pins " + spec.sha256()
                    + ": the file is corrupt or not the pinned version. Delete it and fetch again. " + FIX);
        }
        return file;
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new InferenceException(ErrorCode.MODEL_UNAVAILABLE, "cannot read " + file + ": " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
