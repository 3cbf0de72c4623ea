package io.openbio.testkit;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;

/**
 * The synthetic ID card of the eKYC tests (processors' topology tests, gateway's integration test;
 * launcher's EkycCheckBenchmark draws the same): a light card on a dark desk, a portrait pasted in,
 * text lines, as a JPEG. Each card is drawn once per portrait and cached, so every test of a run gets
 * the same bytes.
 */
public final class IdCards {
    private static final Map<ByteBuffer, byte[]> CARDS = new ConcurrentHashMap<>();
    private static final ByteBuffer BLANK = ByteBuffer.allocate(0);

    private IdCards() {
    }

    /** The card with {@code portraitPhoto} (an encoded image) as its portrait. */
    public static byte[] withPortrait(byte[] portraitPhoto) {
        Objects.requireNonNull(portraitPhoto, "portraitPhoto; use blank() for a card without one");
        return CARDS.computeIfAbsent(ByteBuffer.wrap(portraitPhoto.clone()), k -> draw(portraitPhoto)).clone();
    }

    /** The card with test photo {@code photoName} (see {@link Photos}) as its portrait. */
    public static byte[] withPortrait(String photoName) {
        return withPortrait(Photos.bytes(photoName));
    }

    /** The card with its portrait area left an empty grey box (no face to find on it). */
    public static byte[] blank() {
        return CARDS.computeIfAbsent(BLANK, k -> draw(null)).clone();
    }

    private static byte[] draw(byte[] portraitPhoto) {
        try {
            BufferedImage scene = new BufferedImage(1280, 900, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scene.createGraphics();
            g.setColor(new Color(40, 44, 52));
            g.fillRect(0, 0, 1280, 900);
            g.setColor(new Color(235, 238, 230));
            g.fillRoundRect(140, 150, 1000, 630, 40, 40);
            if (portraitPhoto != null) {
                BufferedImage photo = ImageIO.read(new ByteArrayInputStream(portraitPhoto));
                g.drawImage(photo, 180, 230, 360, 480, null);
            } else {
                g.setColor(new Color(190, 192, 188));
                g.fillRect(180, 230, 360, 480);
            }
            g.setColor(new Color(30, 30, 60));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 40));
            g.drawString("IDENTITY CARD", 600, 260);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 30));
            g.drawString("Surname: SAMPLE", 600, 360);
            g.drawString("Given names: ADAM", 600, 420);
            g.drawString("Born: 01.02.1980", 600, 480);
            g.drawString("No. X1234567", 600, 540);
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(scene, "jpeg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
