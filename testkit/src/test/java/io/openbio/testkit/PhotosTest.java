package io.openbio.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhotosTest {
    @Test
    void theNamedPhotosAreExactlyTheOnesTheBuildFetches() throws Exception {
        // inference/src/test/resources/photos.tsv: the fetch list (file, source, member), header first
        List<String> fetched = Files.readAllLines(Path.of("../inference/src/test/resources/photos.tsv")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).skip(1).map(l -> l.split("\\t")[0]).toList();
        List<Object> named = Arrays.stream(Photos.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().equals("DIR_PROPERTY"))
                .map(PhotosTest::value).toList();
        assertThat(named).containsExactlyInAnyOrderElementsOf(fetched);
    }

    private static Object value(Field f) {
        try {
            return f.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theSystemPropertyNamesTheFolder() {
        String before = System.getProperty(Photos.DIR_PROPERTY);
        try {
            System.setProperty(Photos.DIR_PROPERTY, "/somewhere/photos");
            assertThat(Photos.dir()).isEqualTo(Path.of("/somewhere/photos"));
        } finally {
            if (before == null) {
                System.clearProperty(Photos.DIR_PROPERTY);
            } else {
                System.setProperty(Photos.DIR_PROPERTY, before);
            }
        }
    }
}
