package io.openbio.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class IdCardsTest {
    private static byte[] portrait(Color color) throws Exception {
        BufferedImage image = new BufferedImage(90, 120, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 90, 120);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void aCardIsDrawnOncePerPortraitAndEachPortraitGetsItsOwn() throws Exception {
        byte[] red = portrait(Color.RED);
        byte[] card = IdCards.withPortrait(red);
        assertThat(IdCards.withPortrait(red.clone())).as("same portrait, same bytes").isEqualTo(card);
        assertThat(IdCards.withPortrait(portrait(Color.BLUE))).isNotEqualTo(card);
        assertThat(IdCards.blank()).isNotEqualTo(card).isEqualTo(IdCards.blank());

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(card));
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(900);
        Color inPortrait = new Color(image.getRGB(360, 470));
        assertThat(inPortrait.getRed()).as("the portrait is pasted at (180, 230, 360x480)").isGreaterThan(200);
        assertThat(inPortrait.getBlue()).isLessThan(60);
    }
}
