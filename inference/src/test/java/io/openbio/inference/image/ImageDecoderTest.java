package io.openbio.inference.image;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.detect.Face;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder();

    private static void assertCode(Runnable r, ErrorCode code) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(InferenceException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }

    @Test
    void decodesRealJpegAndGreyPng() {
        DecodedImage jpg = decoder.decode(TestPhotos.bytes(Photos.MAN_B));
        assertThat(jpg.width()).isEqualTo(584);
        assertThat(jpg.height()).isEqualTo(824);
        assertThat(jpg.format()).isEqualTo("jpeg");
        DecodedImage png = decoder.decode(TestPhotos.bytes(Photos.CAMERA));
        assertThat(png.width()).isEqualTo(512);
        assertThat(png.image().rgb()).hasSize(512 * 512 * 3);
    }

    /**
     * WebP is read by its bytes (a tester's WebP file named .jpg failed as "Failed to read the image"):
     * astronaut.png re-encoded as lossy WebP (cwebp -q 80, Debian webp 1.2.4; the photo is public
     * domain) decodes to the same picture as the PNG, within lossy-coding error.
     */
    @Test
    void decodesWebpByItsContent() throws Exception {
        byte[] webp;
        try (var in = ImageDecoderTest.class.getResourceAsStream("astronaut.webp")) {
            webp = in.readAllBytes();
        }
        DecodedImage decoded = decoder.decode(webp);
        assertThat(decoded.format()).isEqualTo("webp");
        assertThat(decoded.width()).isEqualTo(512);
        assertThat(decoded.height()).isEqualTo(512);
        byte[] png = decoder.decode(TestPhotos.bytes(Photos.ASTRONAUT)).image().rgb();
        byte[] fromWebp = decoded.image().rgb();
        long diff = 0;
        for (int i = 0; i < png.length; i++) {
            diff += Math.abs((png[i] & 0xFF) - (fromWebp[i] & 0xFF));
        }
        assertThat(diff / (double) png.length).as("mean absolute difference per channel").isLessThan(6.0);
        assertCode(() -> decoder.decode(Arrays.copyOf(webp, webp.length / 2)), ErrorCode.IMAGE_TRUNCATED);
    }

    @Test
    void rejectsNonImages() {
        assertCode(() -> decoder.decode(new byte[0]), ErrorCode.INVALID_IMAGE);
        assertCode(() -> decoder.decode("%PDF-1.7 not an image".getBytes(StandardCharsets.US_ASCII)), ErrorCode.INVALID_IMAGE);
        assertCode(() -> decoder.decode(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}), ErrorCode.INVALID_IMAGE);
    }

    @Test
    void rejectsTruncatedJpegAndPng() {
        byte[] jpg = TestPhotos.bytes(Photos.MAN_A);
        assertCode(() -> decoder.decode(Arrays.copyOf(jpg, jpg.length / 2)), ErrorCode.IMAGE_TRUNCATED);
        byte[] png = TestPhotos.bytes(Photos.ASTRONAUT);
        assertCode(() -> decoder.decode(Arrays.copyOf(png, png.length / 2)), ErrorCode.IMAGE_TRUNCATED);
    }

    @Test
    void rejectsDecompressionBombFromHeaderAlone() throws Exception {
        // a real PNG whose IHDR is rewritten to declare 60000 x 60000 pixels (3.6 gigapixels)
        byte[] png = TestPhotos.bytes(Photos.CAMERA).clone();
        ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, 60000).putInt(20, 60000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17); // "IHDR" + 13 data bytes
        b.putInt(29, (int) crc.getValue());
        assertCode(() -> decoder.decode(png), ErrorCode.IMAGE_TOO_LARGE);
    }

    @Test
    void appliesExifOrientationSoFacesAreUpright() throws Exception {
        OpenCv.load();
        byte[] upright = TestPhotos.bytes(Photos.MAN_B);
        DecodedImage ref = decoder.decode(upright);
        Face refFace = Shared.analyzer().detect(ref);
        // store the photo rotated 90 degrees counter-clockwise, tagged "rotate 90 CW to display" (6)
        Mat m = Imgcodecs.imdecode(new MatOfByte(upright), Imgcodecs.IMREAD_COLOR);
        Mat rotated = new Mat();
        Core.rotate(m, rotated, Core.ROTATE_90_COUNTERCLOCKWISE);
        MatOfByte enc = new MatOfByte();
        Imgcodecs.imencode(".jpg", rotated, enc);
        byte[] tagged = withExifOrientation(enc.toArray(), 6);

        DecodedImage d = decoder.decode(tagged);
        assertThat(d.exifOrientation()).isEqualTo(6);
        assertThat(d.storedWidth()).isEqualTo(824);
        assertThat(d.width()).isEqualTo(584);
        assertThat(d.height()).isEqualTo(824);
        Face f = Shared.analyzer().detect(d);
        assertThat(f.keypoints().rightEye().x()).isCloseTo(refFace.keypoints().rightEye().x(), org.assertj.core.data.Offset.offset(8.0));
        assertThat(f.keypoints().rightEye().y()).isCloseTo(refFace.keypoints().rightEye().y(), org.assertj.core.data.Offset.offset(8.0));
        // without applying the tag the face would be sideways: eyes would be stacked vertically
        assertThat(Math.abs(f.keypoints().rightEye().y() - f.keypoints().leftEye().y()))
                .isLessThan(Math.abs(f.keypoints().rightEye().x() - f.keypoints().leftEye().x()));
        m.release();
        rotated.release();
    }

    /** Inserts a minimal EXIF APP1 segment (IFD0 with only the Orientation tag) after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) throws Exception {
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
}
