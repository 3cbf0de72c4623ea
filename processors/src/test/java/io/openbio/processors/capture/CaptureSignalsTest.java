package io.openbio.processors.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.CaptureAnalysis;
import io.openbio.events.CapturedFrame;
import io.openbio.events.RequestEnvelope;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class CaptureSignalsTest {
    static byte[] jpeg(int w, int h, int shade) throws Exception {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new java.awt.Color(shade));
        g.fillRect(0, 0, w, h);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    static CaptureAnalysis.Builder capture(long start, long end, long received, List<CapturedFrame> frames) {
        return CaptureAnalysis.newBuilder()
                .setEnvelope(RequestEnvelope.newBuilder().setRequestId("r").setTenant("t").setOperation("o")
                        .setCreatedAt(Instant.ofEpochMilli(received)).build())
                .setReceivedAt(Instant.ofEpochMilli(received)).setKeyId("k").setNonce("n")
                .setCaptureStart(start).setCaptureEnd(end).setDevice(Map.of()).setCameraLabel("Integrated Camera")
                .setFrames(frames);
    }

    static CapturedFrame frame(byte[] data, long t, Integer w, Integer h) {
        return new CapturedFrame(ByteBuffer.wrap(data), "image/jpeg", t, w, h);
    }

    @Test
    void consistentCapturePassesEverySignal() throws Exception {
        // frames differ in content (black vs white pixel) so they are not byte-identical
        long now = 1_800_000_000_000L;
        var c = capture(now - 2000, now - 100, now, List.of(frame(jpeg(64, 48, 0), now - 1500, 64, 48), frame(jpeg(64, 48, 0xFFFFFF), now - 500, 64, 48)))
                .setCameraWidth(48).setCameraHeight(64).setNonceIssuedAt(now - 30_000).build();
        // evaluate reads frames as stages pass them on: sealed for the request
        var sealed = io.openbio.events.CaptureAnalysis.newBuilder(c).setFrames(c.getFrames().stream()
                .map(f -> io.openbio.events.CapturedFrame.newBuilder(f).setData(io.openbio.processors.TestSealing.sealImage("t", "r",
                        io.openbio.processors.TestSealing.bytes(f.getData()))).build()).toList()).build();
        assertThat(CaptureSignals.evaluate(sealed)).allMatch(s -> s.getPassed());
    }

    @Test
    void timingRulesCatchImpossibleCaptures() throws Exception {
        long now = 1_800_000_000_000L;
        byte[] img = jpeg(8, 8, 1);
        assertThat(CaptureSignals.timing(capture(now, now - 1, now, List.of()).build()).getPassed()).isFalse();
        assertThat(CaptureSignals.timing(capture(now - 120_000, now, now, List.of()).build()).getPassed()).isFalse();
        assertThat(CaptureSignals.timing(capture(now - 1000, now, now, List.of(frame(img, now - 900_000, null, null))).build()).getPassed()).isFalse();
        assertThat(CaptureSignals.timing(capture(now - 1000, now, now, List.of(frame(img, now - 100, null, null), frame(jpeg(8, 8, 0xFFFFFF), now - 900, null, null))).build()).getPassed()).isFalse();
        assertThat(CaptureSignals.timing(capture(now - 1000, now, now, List.of()).setNonceIssuedAt(now + 60_000).build()).getPassed()).isFalse();
        assertThat(CaptureSignals.timing(capture(now - 1000, now, now - 60_000, List.of()).build()).getPassed()).as("ends after receipt").isFalse();
        assertThat(CaptureSignals.timing(capture(now - 1000, now, now + 3_600_000, List.of()).build()).getPassed()).as("stale").isFalse();
    }

    @Test
    void virtualCameraLabelsAreFlagged() {
        assertThat(CaptureSignals.virtualCamera("OBS Virtual Camera").getPassed()).isFalse();
        assertThat(CaptureSignals.virtualCamera("ManyCam Virtual Webcam").getPassed()).isFalse();
        assertThat(CaptureSignals.virtualCamera(" ").getPassed()).as("no label is no evidence").isTrue();
        assertThat(CaptureSignals.virtualCamera("FaceTime HD Camera").getPassed()).isTrue();
        // the label Chromium gives a camera fed from a file (--use-file-for-fake-video-capture)
        assertThat(CaptureSignals.virtualCamera("/tmp/still-photo.y4m").getPassed()).isFalse();
        assertThat(CaptureSignals.virtualCamera("replay.MJPEG ").getPassed()).isFalse();
    }

    @Test
    void duplicateFramesAndResolutionMismatchesAreFlagged() throws Exception {
        long now = 1_800_000_000_000L;
        byte[] a = jpeg(64, 48, 1);
        assertThat(CaptureSignals.duplication(List.of(frame(a, now, null, null), frame(a, now, null, null))).getPassed()).isFalse();
        assertThat(CaptureSignals.resolution(capture(now - 1000, now, now, List.of(frame(a, now, 640, 480))).build()).getPassed()).isFalse();
        assertThat(CaptureSignals.resolution(capture(now - 1000, now, now, List.of(frame(a, now, null, null)))
                .setCameraWidth(1280).setCameraHeight(720).build()).getPassed()).isFalse();
        assertThat(CaptureSignals.resolution(capture(now - 1000, now, now, List.of(frame("junk".getBytes(), now, null, null))).build()).getPassed()).isFalse();
    }

    /** A JPEG with an EXIF APP1 segment declaring PixelXDimension / PixelYDimension. */
    static byte[] withExifSize(byte[] jpeg, int width, int height) {
        java.nio.ByteBuffer tiff = java.nio.ByteBuffer.allocate(8 + 2 + 12 + 4 + 2 + 24 + 4);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8);
        tiff.putShort((short) 1).putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(26).putInt(0);
        tiff.putShort((short) 2);
        tiff.putShort((short) 0xA002).putShort((short) 3).putInt(1).putShort((short) width).putShort((short) 0);
        tiff.putShort((short) 0xA003).putShort((short) 3).putInt(1).putShort((short) height).putShort((short) 0);
        tiff.putInt(0);
        byte[] payload = tiff.array();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE1);
        int length = 2 + 6 + payload.length;
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    @Test
    void exifDimensionsThatDisagreeWithTheImageAreFlagged() throws Exception {
        long now = 1_800_000_000_000L;
        byte[] plain = jpeg(64, 48, 0x336699);
        assertThat(CaptureSignals.exif(List.of(frame(plain, now, null, null))).getPassed()).as("no EXIF").isTrue();
        assertThat(CaptureSignals.exif(List.of(frame(withExifSize(plain, 64, 48), now, null, null))).getPassed()).as("consistent").isTrue();
        assertThat(CaptureSignals.exif(List.of(frame(withExifSize(plain, 4000, 3000), now, null, null))).getPassed()).as("stale").isFalse();
    }
}
