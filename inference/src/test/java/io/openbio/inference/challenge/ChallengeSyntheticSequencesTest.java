package io.openbio.inference.challenge;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The synthetic capture generator does what the evaluation assumes (geometry, timestamps, kinds). */
class ChallengeSyntheticSequencesTest {
    /** x of the centre of the dark marker. */
    static double markerX(BufferedImage img) {
        double sum = 0;
        double n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xff) < 60) {
                    sum += x;
                    n++;
                }
            }
        }
        return sum / n;
    }

    static BufferedImage marker(int x0, int y0) {
        BufferedImage img = new BufferedImage(SyntheticSequences.SIZE, SyntheticSequences.SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.fillRect(x0 - 4, y0 - 4, 8, 8);
        g.dispose();
        return img;
    }

    @Test
    void aTurnToThePersonsLeftMovesTheFaceTowardsTheImagesRightWithForeshortening() {
        double c = SyntheticSequences.SIZE / 2.0;
        double r = 0.62 * SyntheticSequences.FACE_WIDTH;
        // a point on the face centre moves by r sin(yaw)
        BufferedImage left = SyntheticSequences.turned(marker((int) c, (int) c), 30, 0);
        assertThat(markerX(left)).isCloseTo(c + r * Math.sin(Math.toRadians(30)), org.assertj.core.data.Offset.offset(2.0));
        BufferedImage right = SyntheticSequences.turned(marker((int) c, (int) c), -30, 0);
        assertThat(markerX(right)).isCloseTo(c - r * Math.sin(Math.toRadians(30)), org.assertj.core.data.Offset.offset(2.0));
        // a point beyond the silhouette stays
        BufferedImage outside = SyntheticSequences.turned(marker(20, (int) c), 30, 0);
        assertThat(markerX(outside)).isCloseTo(20, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void lookingUpMovesTheFaceUp() {
        double c = SyntheticSequences.SIZE / 2.0;
        BufferedImage up = SyntheticSequences.turned(marker((int) c, (int) c), 0, 20);
        double sumY = 0;
        double n = 0;
        for (int y = 0; y < up.getHeight(); y++) {
            for (int x = 0; x < up.getWidth(); x++) {
                if ((up.getRGB(x, y) & 0xff) < 60) {
                    sumY += y;
                    n++;
                }
            }
        }
        assertThat(sumY / n).isLessThan(c - 20);
    }

    @Test
    void sequencesAreDecodableTimestampedAndOfEveryKind() throws Exception {
        List<SyntheticSequences.Sequence> all = SyntheticSequences.all(2);
        Map<SyntheticSequences.Kind, Integer> count = new EnumMap<>(SyntheticSequences.Kind.class);
        for (SyntheticSequences.Sequence s : all) {
            count.merge(s.kind(), 1, Integer::sum);
            List<TimedFrame> f = s.frames().frames();
            assertThat(f).hasSizeGreaterThanOrEqualTo(20);
            assertThat(s.frames().yaw()).hasSize(f.size());
            if (s.kind() != SyntheticSequences.Kind.REVERSED) {
                for (int i = 1; i < f.size(); i++) {
                    assertThat(f.get(i).timestampMs() - f.get(i - 1).timestampMs()).isEqualTo(SyntheticSequences.STEP_MS);
                }
            }
            assertThat(f.get(f.size() - 1).timestampMs()).isLessThan(s.challenge().expiresAt());
        }
        assertThat(count.keySet()).containsExactlyInAnyOrder(SyntheticSequences.Kind.values());
        SyntheticSequences.Sequence g = all.get(0);
        BufferedImage first = ImageIO.read(new ByteArrayInputStream(g.frames().frames().get(0).image()));
        assertThat(first.getWidth()).isEqualTo(SyntheticSequences.SIZE);
        Path dump = Path.of(System.getProperty("java.io.tmpdir"), "challenge-sequences");
        Files.createDirectories(dump);
        for (int i : new int[] {0, 7, 12, 20, 27}) {
            Files.write(dump.resolve(g.kind() + "-" + i + ".jpg"), g.frames().frames().get(i).image());
        }
    }
}
