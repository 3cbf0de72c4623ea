package io.openbio.processors.capture;

import io.openbio.bundle.CaptureRules;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.CapturedFrame;
import io.openbio.events.Signal;
import io.openbio.processors.diagnostic.ImageInfoProcessor;
import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The injection-attack signals read from a capture's metadata and frames. Each is a plain,
 * documented rule over what the capture client declared and what the frames are; none is a
 * probability. Any failed signal means "this was not a live capture from a real camera" and sets
 * the capture liveness probability to 0 (see {@link LivenessProcessor}). These rules are
 * specified, with every boundary, in {@code bundle/SPEC.md} section 6 (tested by
 * {@code CaptureRulesTest}); the numbers are {@link CaptureRules}'.
 *
 * <ul>
 * <li>{@code timing}: capture start &lt;= end, duration at most {@value #MAX_CAPTURE_MS} ms, frame
 * timestamps non-decreasing and inside the capture window (&plusmn;{@value #SKEW_MS} ms), the capture
 * began after its nonce was issued and ended before the bundle arrived (&plusmn;{@value #SKEW_MS} ms
 * clock skew), and arrived at most {@value #MAX_AGE_MS} ms after it ended.</li>
 * <li>{@code virtual_camera}: the declared camera label, when there is one, names no known virtual
 * camera or stream-injection driver ({@link #VIRTUAL_CAMERAS}) and is not a video file
 * ({@link #VIDEO_FILE_SUFFIXES}: the label of a browser camera fed from a file).</li>
 * <li>{@code frame_duplication}: no two frames are byte-identical (a replayed still image).</li>
 * <li>{@code resolution}: each frame's real pixel size (from its image header) equals the size the
 * client declared for it, and matches the declared camera resolution in either orientation.</li>
 * <li>{@code exif}: a frame that carries EXIF pixel dimensions (PixelXDimension / PixelYDimension)
 * carries its own: a photo that was cropped or resized after it was taken keeps the stale values of
 * the original and is not a frame straight from a camera. Frames without EXIF pass (canvas and
 * camera-API frames have none).</li>
 * </ul>
 */
public final class CaptureSignals {
    // The numbers are the format's (bundle/SPEC.md section 6), shared with its spec check.
    static final long MAX_CAPTURE_MS = CaptureRules.MAX_CAPTURE_MS;
    static final long SKEW_MS = CaptureRules.CLOCK_SKEW_MS;
    static final long MAX_AGE_MS = CaptureRules.MAX_ARRIVAL_DELAY_MS;

    /** Endings of a camera label that is the video file a browser's fake camera plays (Chromium: y4m, mjpeg). */
    public static final List<String> VIDEO_FILE_SUFFIXES = List.of(".y4m", ".mjpeg", ".mjpg");

    /** Lower-case label fragments of virtual cameras and injection tools. */
    public static final List<String> VIRTUAL_CAMERAS = List.of(
            "obs virtual", "obs-camera", "manycam", "snap camera", "xsplit", "v4l2loopback", "virtual cam",
            "virtualcam", "virtual camera", "e2esoft", "vcam", "camtwist", "splitcam", "youcam", "fake",
            "dummy video", "akvirtualcamera", "webcamoid", "droidcam obs", "unity video capture", "newtek ndi",
            "ndi webcam", "mmhmm", "chromacam", "sparkocam", "iglasses");

    private CaptureSignals() {
    }

    /** The signals of {@code capture}, whose frames are sealed (opened here, in memory only). */
    public static List<Signal> evaluate(CaptureAnalysis sealed) {
        CaptureAnalysis capture = io.openbio.processors.core.Sealing.withOpenFrames(sealed);
        List<Signal> signals = new ArrayList<>();
        signals.add(timing(capture));
        signals.add(virtualCamera(capture.getCameraLabel()));
        signals.add(duplication(capture.getFrames()));
        signals.add(resolution(capture));
        signals.add(exif(capture.getFrames()));
        return signals;
    }

    /**
     * A capture's signals once the nonce stage has checked it: its timing checked again now that the
     * nonce stage has set when the nonce was issued (a capture that started before its nonce existed was
     * not made for this request). For stages that evaluated the signals before the nonce use (lcp-verify,
     * dis-customers).
     */
    public static List<Signal> withNonceTiming(CaptureAnalysis capture) {
        List<Signal> signals = new ArrayList<>(capture.getSignals());
        Signal timing = timing(CaptureAnalysis.newBuilder(capture).setFrames(List.of()).build());
        if (!timing.getPassed()) {
            signals.removeIf(s -> "timing".equals(s.getName()));
            signals.add(timing);
        }
        return signals;
    }

    public static Signal timing(CaptureAnalysis c) {
        long start = c.getCaptureStart();
        long end = c.getCaptureEnd();
        long received = c.getReceivedAt().toEpochMilli();
        if (end < start) {
            return fail("timing", "capture ends before it starts");
        }
        if (end - start > MAX_CAPTURE_MS) {
            return fail("timing", "capture lasted longer than " + MAX_CAPTURE_MS + " ms");
        }
        long previous = Long.MIN_VALUE;
        for (CapturedFrame frame : c.getFrames()) {
            long t = frame.getTimestamp();
            if (t < start - SKEW_MS || t > end + SKEW_MS) {
                return fail("timing", "a frame timestamp lies outside the capture window");
            }
            if (t < previous) {
                return fail("timing", "frame timestamps go backwards");
            }
            previous = t;
        }
        if (c.getNonceIssuedAt() != null && start < c.getNonceIssuedAt() - SKEW_MS) {
            return fail("timing", "capture started before its nonce was issued");
        }
        if (end > received + SKEW_MS) {
            return fail("timing", "capture ends after the bundle was received");
        }
        if (received - end > MAX_AGE_MS) {
            return fail("timing", "bundle arrived more than " + MAX_AGE_MS / 1000 + " s after the capture ended");
        }
        return new Signal("timing", true, "capture window consistent", (double) (end - start));
    }

    static Signal virtualCamera(String label) {
        if (label == null || label.isBlank()) {
            // Browsers hide labels until the user grants camera access and native SDKs often send
            // none: a missing label is not evidence of a virtual camera by itself.
            return new Signal("virtual_camera", true, "no camera label declared", null);
        }
        String lower = label.toLowerCase(Locale.ROOT);
        for (String known : VIRTUAL_CAMERAS) {
            if (lower.contains(known)) {
                return fail("virtual_camera", "camera label names a virtual camera");
            }
        }
        for (String suffix : VIDEO_FILE_SUFFIXES) {
            if (lower.strip().endsWith(suffix)) {
                // Chromium's --use-file-for-fake-video-capture names its camera after the file it plays
                return fail("virtual_camera", "camera label is a video file (a file-fed camera)");
            }
        }
        return new Signal("virtual_camera", true, "camera label names no known virtual camera", null);
    }

    static Signal duplication(List<CapturedFrame> frames) {
        Set<String> seen = new HashSet<>();
        for (CapturedFrame frame : frames) {
            if (!seen.add(sha256(frame.getData()))) {
                return fail("frame_duplication", "two frames are byte-identical");
            }
        }
        return new Signal("frame_duplication", true, frames.size() + " distinct frame(s)", null);
    }

    static Signal resolution(CaptureAnalysis c) {
        Integer camW = c.getCameraWidth();
        Integer camH = c.getCameraHeight();
        for (CapturedFrame frame : c.getFrames()) {
            ImageInfoProcessor.ImageInfo info = ImageInfoProcessor.inspect(frame.getData());
            if (info.width() == null) {
                return fail("resolution", "a frame is not a readable image");
            }
            if (frame.getDeclaredWidth() != null && frame.getDeclaredHeight() != null
                    && (!frame.getDeclaredWidth().equals(info.width()) || !frame.getDeclaredHeight().equals(info.height()))) {
                return fail("resolution", "a frame's pixel size differs from the size declared for it");
            }
            if (camW != null && camH != null && !sameSize(camW, camH, info.width(), info.height())) {
                return fail("resolution", "a frame's pixel size differs from the declared camera resolution");
            }
        }
        return new Signal("resolution", true, "frame sizes match the declared camera", null);
    }

    static Signal exif(List<CapturedFrame> frames) {
        for (CapturedFrame frame : frames) {
            byte[] bytes = new byte[frame.getData().remaining()];
            frame.getData().duplicate().get(bytes);
            ExifSubIFDDirectory exif;
            try {
                Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes));
                exif = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
            } catch (Exception e) {
                continue; // no readable EXIF: nothing to compare
            }
            if (exif == null || !exif.containsTag(ExifSubIFDDirectory.TAG_EXIF_IMAGE_WIDTH)
                    || !exif.containsTag(ExifSubIFDDirectory.TAG_EXIF_IMAGE_HEIGHT)) {
                continue;
            }
            ImageInfoProcessor.ImageInfo info = ImageInfoProcessor.inspect(frame.getData());
            Integer w = exif.getInteger(ExifSubIFDDirectory.TAG_EXIF_IMAGE_WIDTH);
            Integer h = exif.getInteger(ExifSubIFDDirectory.TAG_EXIF_IMAGE_HEIGHT);
            if (info.width() != null && w != null && h != null && !sameSize(w, h, info.width(), info.height())) {
                return fail("exif", "a frame's EXIF pixel size differs from its real size (an edited photo)");
            }
        }
        return new Signal("exif", true, "no frame carries inconsistent EXIF dimensions", null);
    }

    private static boolean sameSize(int w, int h, int fw, int fh) {
        return (w == fw && h == fh) || (w == fh && h == fw);
    }

    private static Signal fail(String name, String detail) {
        return new Signal(name, false, detail, null);
    }

    private static String sha256(ByteBuffer data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data.duplicate());
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
