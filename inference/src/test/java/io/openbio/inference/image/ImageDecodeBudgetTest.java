package io.openbio.inference.image;

import io.openbio.testkit.LargePng;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import io.openbio.inference.TestPhotos;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The decode memory budget: an image whose pixels would not fit is refused from its header, before
 * anything is allocated for them (finding: a 128 KB 6300x6300 PNG, under the 40 MP cap, ran two stages
 * out of memory).
 */
class ImageDecodeBudgetTest {

    private static void assertTooLarge(Runnable decode) {
        assertThatThrownBy(decode::run).isInstanceOfSatisfying(InferenceException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE));
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aTinyPngOf6300x6300PixelsIsRefusedFromItsHeaderWithoutAllocatingItsPixels() throws Exception {
        for (int channels : new int[] {3, 1}) {
            byte[] png = LargePng.of(6300, 6300, channels);
            assertThat(png.length).as("small on disk").isLessThan(200_000);
            ImageDecoder decoder = new ImageDecoder();
            long allocated = allocatedByThisThread();
            long start = System.nanoTime();
            assertTooLarge(() -> decoder.decode(png));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(allocatedByThisThread() - allocated).as("bytes allocated to refuse it (channels %d)", channels)
                    .isLessThan(16L << 20);
        }
    }

    @Test
    void theBudgetIsTheDecodersRasterPlusTheRgbConversion() throws Exception {
        // 1000 x 1000 RGB: 3 + 7 bytes a pixel = 10 MB
        byte[] png = LargePng.of(1000, 1000, 3);
        assertTooLarge(() -> new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.DEFAULT_MAX_SIDE,
                ImageDecoder.DEFAULT_MAX_BYTES, 9_999_999).decode(png));
        assertThat(new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.DEFAULT_MAX_SIDE,
                ImageDecoder.DEFAULT_MAX_BYTES, 10_000_000).decode(png).width()).isEqualTo(1000);
        // a real photo passes the default budget
        assertThat(new ImageDecoder().decode(TestPhotos.bytes("man_b.jpg")).width()).isEqualTo(584);
    }

    @Test
    void theBudgetIsASetting() {
        assertThat(new ImageDecoder().maxDecodeBytes()).isEqualTo(ImageDecoder.DEFAULT_MAX_DECODE_BYTES);
        try {
            System.setProperty(ImageDecoder.DECODE_BUDGET_SETTING, "1048576");
            assertThat(new ImageDecoder().maxDecodeBytes()).isEqualTo(1 << 20);
            System.setProperty(ImageDecoder.DECODE_BUDGET_SETTING, "lots");
            assertThatThrownBy(ImageDecoder::new).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("OPENBIO_IMAGE_DECODE_BUDGET_BYTES");
        } finally {
            System.clearProperty(ImageDecoder.DECODE_BUDGET_SETTING);
        }
    }

    @Test
    void inAModestHeapTheLargePngIsRefusedNotAnOutOfMemoryError() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx160m", "-cp", System.getProperty("java.class.path"),
                DecodeInSmallHeap.class.getName(), "6300", "6300", "3").redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).as(out).contains("REFUSED IMAGE_TOO_LARGE");
    }
}
