package io.openbio.inference;

import io.openbio.inference.detect.BoundingBox;
import io.openbio.testkit.Photos;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real test photos' committed face labels; finding and reading the photos is testkit's {@link Photos}. */
public final class TestPhotos {
    public record Label(String photo, String identity, BoundingBox box) {
    }

    private TestPhotos() {
    }

    public static Path dir() {
        return Photos.dir();
    }

    /** Bytes of a photo; fails naming the fix when the build's fetch step did not run. */
    public static byte[] bytes(String name) {
        return Photos.bytes(name);
    }

    public static List<Label> labels() {
        try (InputStream in = TestPhotos.class.getResourceAsStream("/face-labels.tsv")) {
            List<Label> out = new ArrayList<>();
            boolean header = true;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] f = line.split("\t", -1);
                BoundingBox b = f[2].isEmpty() ? null : new BoundingBox(Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]));
                out.add(new Label(f[0], f[1], b));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> photos() {
        return labels().stream().map(Label::photo).distinct().toList();
    }

    public static List<Label> facesIn(String photo) {
        return labels().stream().filter(l -> l.photo().equals(photo) && l.box() != null).toList();
    }
}
