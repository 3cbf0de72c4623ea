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
        assertThat(CaptureSignals.evaluate(c)).allMatch(s -> s.getPassed());
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
}
