package io.openbio.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real test photos: the one place that finds their folder and names the files tests use.
 *
 * <p>The inference module's build fetches them (inference/src/test/resources/photos.tsv) into
 * {@code .photos/} at the repository root, and passes that folder to its tests as the system
 * property {@code openbio.photos.dir}. Modules that do not pass it find the folder by walking up
 * from the working directory to the first {@code .photos/} holding the file.
 */
public final class Photos {
    /** System property naming the photos folder (set by inference's surefire configuration). */
    public static final String DIR_PROPERTY = "openbio.photos.dir";

    /** One man, frontal; the selfie of the eKYC tests and the portrait of their ID card. */
    public static final String MAN_A = "man_a.jpg";
    /** Another man, frontal: the "different person" of the match tests. */
    public static final String MAN_B = "man_b.jpg";
    /** Two faces swapped between photos (a manipulated picture). */
    public static final String FACE_SWAPPED = "face_swapped.jpg";
    /** One man, three photos side by side. */
    public static final String SAME_MAN_X3 = "same_man_x3.jpg";
    /** Four Yale face database crops. */
    public static final String YALE_X4 = "yale_x4.jpg";
    public static final String FACEREG = "facereg.jpg";
    public static final String AB = "ab.jpg";
    public static final String MESSI = "messi5.jpg";
    public static final String ASTRONAUT = "astronaut.png";
    /** A grey camera-man photo, also used as a textured desk under synthetic documents. */
    public static final String CAMERA = "camera.png";
    /** A sudoku grid: a real picture with no face in it. */
    public static final String SUDOKU = "sudoku.png";
    /** Group photos (several faces each). */
    public static final String GROUP1 = "group1.jpg";
    public static final String GROUP2 = "group2.jpg";
    public static final String GROUP3 = "group3.jpg";
    public static final String GROUP4 = "group4.jpg";
    public static final String GROUP5 = "group5.jpg";
    public static final String GROUP6 = "group6.jpg";
    /** A photo and its edited copy (error-level analysis). */
    public static final String ELA_ORIGINAL = "ela_original.jpg";
    public static final String ELA_MODIFIED = "ela_modified.jpg";
    /** Pages of text (no face): sharp, defocused, motion-blurred. */
    public static final String IMAGE_TEXT = "imageTextN.png";
    public static final String PAGE = "page.png";
    public static final String TEXT_DEFOCUS = "text_defocus.jpg";
    public static final String TEXT_MOTION = "text_motion.jpg";
    /** Close-up open palms (opencv-doc back-projection tutorial): one hand filling the frame, palm up. */
    public static final String PALM_A = "palm_a.jpg";
    /** The same hand as {@link #PALM_A} in another pose. */
    public static final String PALM_B = "palm_b.jpg";
    /** One upright open palm, fingers up. */
    public static final String PALM_C = "palm_c.jpg";
    /** One upright open palm, fingers spread, the thumb cut by the left edge. */
    public static final String PALM_D = "palm_d.jpg";
    /** A window screenshot showing one upright open palm. */
    public static final String PALM_E = "palm_e.jpg";
    /** Two men and a ball (grey video frames, small hands). */
    public static final String BASKETBALL1 = "basketball1.png";
    public static final String BASKETBALL2 = "basketball2.png";
    /** Not a photo: the OCR-B typeface (Debian fonts-ocr-b) that prints the MRZ of {@link MrzDocuments}. */
    public static final String OCR_B_FONT = "fonts/OCRB.otf";

    private Photos() {
    }

    /**
     * The photos folder: {@code -Dopenbio.photos.dir} when set, else the nearest {@code .photos/}
     * from the working directory up, else {@code ../.photos} (a module directory's sibling).
     */
    public static Path dir() {
        String p = System.getProperty(DIR_PROPERTY);
        if (p != null) {
            return Path.of(p);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve(".photos");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return Path.of("../.photos");
    }

    /** The path of photo {@code name}; fails naming the fix when the build's fetch step did not run. */
    public static Path path(String name) {
        Path f = dir().resolve(name);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("test photo " + f + " is missing: run `mvn -B -pl inference "
                    + "process-test-resources` (fetches inference/src/test/resources/photos.tsv into .photos/)");
        }
        return f;
    }

    /**
     * Skips (JUnit assumption) the calling test when any of {@code names} is missing, for tests that
     * are optional without the photos; tests that need them call {@link #bytes} and fail instead.
     */
    public static void assumePresent(String... names) {
        for (String name : names) {
            Path f = dir().resolve(name);
            Assumptions.assumeTrue(Files.isRegularFile(f), () -> "test photo " + f + " is missing");
        }
    }

    /**
     * Panel {@code index} (0-based) of {@code count} equal side-by-side panels of photo {@code name}, as a
     * JPEG (quality 0.95): e.g. one of {@link #SAME_MAN_X3}'s three photos of one man.
     */
    public static byte[] panel(String name, int index, int count) {
        try {
            java.awt.image.BufferedImage all = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes(name)));
            int width = all.getWidth() / count;
            java.awt.image.BufferedImage panel = new java.awt.image.BufferedImage(width, all.getHeight(),
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            panel.getGraphics().drawImage(all.getSubimage(index * width, 0, width, all.getHeight()), 0, 0, null);
            return Jpegs.encode(panel, 0.95f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of photo {@code name} (see {@link #path}). */
    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
