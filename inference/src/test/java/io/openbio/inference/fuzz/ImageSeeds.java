package io.openbio.inference.fuzz;

import io.openbio.inference.embed.Template;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The seed inputs of {@link ImageDecoderFuzzTest} (tiny images, a few hundred bytes each, in every
 * format and colour model the decoder meets, drawn here with ImageIO so the repository holds no
 * photos) and of {@link TemplateFuzzTest}. Run {@code main} with the module directory to rewrite the
 * {@code seed-*} files under {@code src/test/resources/io/openbio/inference/fuzz/}.
 */
final class ImageSeeds {
    private ImageSeeds() {}

    static BufferedImage face(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(40, 90, 160, 255));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(224, 172, 105, 200));
        g.fillOval(w / 4, h / 6, w / 2, h * 2 / 3);
        g.setColor(Color.DARK_GRAY);
        g.fillRect(w * 3 / 8, h / 3, 1, 1);
        g.fillRect(w * 5 / 8, h / 3, 1, 1);
        g.dispose();
        return img;
    }

    static byte[] write(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IllegalStateException("no " + format + " writer for type " + img.getType());
        }
        return out.toByteArray();
    }

    static byte[] progressiveJpeg(BufferedImage img) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Inserts a minimal EXIF APP1 segment (IFD0 with only the Orientation tag) after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) throws IOException {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
        tiff.put(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8});
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        byte[] exif = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int len = 2 + exif.length + tiff.capacity();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len});
        out.write(exif);
        out.write(tiff.array());
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A PNG whose IHDR declares {@code w x h} (CRC fixed): a decompression bomb by its header. */
    static byte[] pngDeclaring(byte[] png, int w, int h) {
        byte[] out = png.clone();
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putInt(16, w).putInt(20, h);
        CRC32 crc = new CRC32();
        crc.update(out, 12, 17); // "IHDR" + 13 data bytes
        b.putInt(29, (int) crc.getValue());
        return out;
    }

    /** A JPEG whose SOF0 declares {@code w x h}: far more pixels than its scan holds (truncated). */
    static byte[] jpegDeclaring(byte[] jpeg, int w, int h) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 8 < out.length; i++) {
            if ((out[i] & 0xFF) == 0xFF && (out[i + 1] & 0xFF) == 0xC0) {
                ByteBuffer.wrap(out).putShort(i + 5, (short) h).putShort(i + 7, (short) w);
                return out;
            }
        }
        throw new IllegalStateException("no SOF0 marker");
    }

    static Map<String, byte[]> images() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        BufferedImage rgb = face(16, 12, BufferedImage.TYPE_INT_RGB);
        seeds.put("seed-rgb.jpg", write(rgb, "jpeg"));
        seeds.put("seed-grey.jpg", write(face(8, 8, BufferedImage.TYPE_BYTE_GRAY), "jpeg"));
        seeds.put("seed-progressive.jpg", progressiveJpeg(rgb));
        seeds.put("seed-exif6.jpg", withExifOrientation(write(face(12, 8, BufferedImage.TYPE_INT_RGB), "jpeg"), 6));
        seeds.put("seed-exif5.jpg", withExifOrientation(write(face(8, 6, BufferedImage.TYPE_INT_RGB), "jpeg"), 5));
        seeds.put("seed-rgba.png", write(face(8, 8, BufferedImage.TYPE_INT_ARGB), "png"));
        seeds.put("seed-grey.png", write(face(8, 6, BufferedImage.TYPE_BYTE_GRAY), "png"));
        seeds.put("seed-grey16.png", write(face(4, 4, BufferedImage.TYPE_USHORT_GRAY), "png"));
        seeds.put("seed-palette.png", write(face(8, 8, BufferedImage.TYPE_BYTE_INDEXED), "png"));
        seeds.put("seed-binary.png", write(face(8, 8, BufferedImage.TYPE_BYTE_BINARY), "png"));
        seeds.put("seed-palette.gif", write(face(8, 8, BufferedImage.TYPE_BYTE_INDEXED), "gif"));
        seeds.put("seed-rgb.bmp", write(face(4, 3, BufferedImage.TYPE_3BYTE_BGR), "bmp"));
        // the size limits: a header-only bomb, and a plausible size whose data ends early
        seeds.put("seed-bomb-60000x60000.png", pngDeclaring(write(face(8, 6, BufferedImage.TYPE_BYTE_GRAY), "png"), 60000, 60000));
        seeds.put("seed-truncated-3000x2000.jpg", jpegDeclaring(write(face(8, 8, BufferedImage.TYPE_BYTE_GRAY), "jpeg"), 3000, 2000));
        return seeds;
    }

    static Map<String, byte[]> templates() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        float[] v = new float[8];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sqrt(1.0 / v.length) * (i % 2 == 0 ? 1 : -1);
        }
        seeds.put("seed-dim8", Base64.getDecoder().decode(new Template("fr_feature", "0.0.1+0123456789ab", v).encode()));
        seeds.put("seed-dim0", Base64.getDecoder().decode(new Template("m", "", new float[0]).encode()));
        return seeds;
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args.length > 0 ? args[0] : ".").resolve("src/test/resources/io/openbio/inference/fuzz");
        Path images = Files.createDirectories(base.resolve("ImageDecoderFuzzTestInputs/decode"));
        for (Map.Entry<String, byte[]> e : images().entrySet()) {
            Files.write(images.resolve(e.getKey()), e.getValue());
        }
        Path templates = Files.createDirectories(base.resolve("TemplateFuzzTestInputs/decodeTemplate"));
        for (Map.Entry<String, byte[]> e : templates().entrySet()) {
            Files.write(templates.resolve(e.getKey()), e.getValue());
        }
        System.out.println("seeds written under " + base);
    }
}
