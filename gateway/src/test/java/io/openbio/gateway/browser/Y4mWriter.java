package io.openbio.gateway.browser;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a YUV4MPEG2 file (4:2:0, {@code C420}): what Chromium plays as its fake camera with
 * {@code --use-file-for-fake-video-capture=<file.y4m>}, looping at the file's frame rate.
 *
 * <p>The stream is a text header ({@code YUV4MPEG2 W.. H.. F..:1 Ip A1:1 C420}), then per frame
 * {@code FRAME\n} and the Y plane (W x H), the Cb and Cr planes (W/2 x H/2 each, every sample the
 * mean of its 2x2 block). RGB is converted with the BT.601 studio-range matrix (Y 16-235, Cb/Cr
 * 16-240), which is how Chromium reads I420 from a camera. Width and height must be even.
 */
public final class Y4mWriter implements AutoCloseable {
    private final OutputStream out;
    private final int width;
    private final int height;
    private int frames;

    public Y4mWriter(Path file, int width, int height, int fps) throws IOException {
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("4:2:0 needs an even, positive size: " + width + "x" + height);
        }
        if (fps <= 0) {
            throw new IllegalArgumentException("fps must be positive: " + fps);
        }
        this.width = width;
        this.height = height;
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        out.write(header(width, height, fps));
    }

    /** Appends one frame; {@code image} must have the file's size (see {@link #fit}). */
    public Y4mWriter frame(BufferedImage image) throws IOException {
        out.write(FRAME_MARKER);
        out.write(i420(image, width, height));
        frames++;
        return this;
    }

    /** The header line of a file of this size and rate. */
    static byte[] header(int width, int height, int fps) {
        return ("YUV4MPEG2 W" + width + " H" + height + " F" + fps + ":1 Ip A1:1 C420\n").getBytes(StandardCharsets.US_ASCII);
    }

    static final byte[] FRAME_MARKER = "FRAME\n".getBytes(StandardCharsets.US_ASCII);

    /** One frame's planes: Y, then Cb and Cr (each the mean of a 2x2 block). */
    static byte[] i420(BufferedImage image, int width, int height) {
        if (image.getWidth() != width || image.getHeight() != height) {
            throw new IllegalArgumentException("frame is " + image.getWidth() + "x" + image.getHeight() + ", the file " + width + "x" + height);
        }
        int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
        byte[] planes = new byte[width * height * 3 / 2];
        int cbOffset = width * height;
        int crOffset = cbOffset + width * height / 4;
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            planes[i] = (byte) clamp(16 + (65.481 * r(p) + 128.553 * g(p) + 24.966 * b(p)) / 255.0);
        }
        for (int row = 0; row < height / 2; row++) {
            for (int col = 0; col < width / 2; col++) {
                double r = 0;
                double g = 0;
                double b = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int p = rgb[(2 * row + dy) * width + 2 * col + dx];
                        r += r(p);
                        g += g(p);
                        b += b(p);
                    }
                }
                r /= 4 * 255.0;
                g /= 4 * 255.0;
                b /= 4 * 255.0;
                int i = row * (width / 2) + col;
                planes[cbOffset + i] = (byte) clamp(128 - 37.797 * r - 74.203 * g + 112.0 * b);
                planes[crOffset + i] = (byte) clamp(128 + 112.0 * r - 93.786 * g - 18.214 * b);
            }
        }
        return planes;
    }

    public int frames() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /**
     * {@code image} scaled to fit inside {@code width x height} (aspect kept), centred on a mid-grey
     * background: a photo as a camera of that resolution would frame it.
     */
    public static BufferedImage fit(BufferedImage image, int width, int height) {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(new java.awt.Color(128, 128, 128));
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            double scale = Math.min((double) width / image.getWidth(), (double) height / image.getHeight());
            int w = (int) Math.round(image.getWidth() * scale);
            int h = (int) Math.round(image.getHeight() * scale);
            g.drawImage(image, (width - w) / 2, (height - h) / 2, w, h, null);
        } finally {
            g.dispose();
        }
        return canvas;
    }

    private static int r(int p) {
        return p >> 16 & 0xff;
    }

    private static int g(int p) {
        return p >> 8 & 0xff;
    }

    private static int b(int p) {
        return p & 0xff;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
