package io.openbio.processors.dis.customer;

import io.openbio.bundle.BundleException;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.KeyResolver;
import io.openbio.bundle.format.BundleFormat;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.Signal;
import io.openbio.inference.challenge.TimedFrame;
import io.openbio.processors.capture.CaptureSignals;
import io.openbio.processors.capture.DecryptProcessor;
import java.util.Arrays;
import java.util.List;

/**
 * DIS liveness records ({@code POST /customers/{id}/liveness/records}, octet-stream). The reference's record is the
 * DOT SDK's proprietary binary; on this platform <b>the record is the platform's capture bundle</b>
 * ({@code bundle/SPEC.md}: magic {@code OBCB}, header with the key id, the frames and the capture metadata encrypted
 * to the platform's capture-encryption key, as the web capture client and {@code CaptureClient} make it). Opened
 * here with the server's keys ({@link io.openbio.processors.core.ServerKeys}), as the Liveness Check Proxy opens a
 * bundle probe; the capture's injection signals ({@link CaptureSignals}: timing, virtual camera, frame duplication,
 * resolution, EXIF) are evaluated on it as for every capture of the platform.
 *
 * <p>Not checked: the bundle's nonce. DIS issues none for a record (its challenge endpoint issues eye-gaze corners,
 * not capture nonces), so a record is not bound to a platform nonce and its single use is not enforced by the nonce
 * stage; the timing signal still refuses a capture that arrives more than the format's arrival delay after it ended.
 */
final class DisRecords {
    /** A record opened: its frames in capture order and its injection signals. */
    record Opened(List<TimedFrame> frames, List<Signal> signals) {
        /** The names of the signals that failed. */
        List<String> failed() {
            return signals.stream().filter(s -> !s.getPassed()).map(Signal::getName).toList();
        }
    }

    /** The bytes are not a record this platform can read: the reason (no biometric data in it). */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    private DisRecords() {
    }

    static boolean isBundle(byte[] bytes) {
        return bytes.length >= BundleFormat.MAGIC.length
                && Arrays.equals(bytes, 0, BundleFormat.MAGIC.length, BundleFormat.MAGIC, 0, BundleFormat.MAGIC.length);
    }

    static Opened open(RequestEnvelope request, byte[] bytes, KeyResolver keys) throws Unreadable {
        if (!isBundle(bytes)) {
            throw new Unreadable("the record is not a capture bundle of this platform (bundle/SPEC.md)");
        }
        CaptureBundle bundle;
        String kid;
        try {
            kid = BundleReader.header(bytes).kid();
            bundle = BundleReader.read(bytes, keys);
        } catch (BundleException e) {
            throw new Unreadable("the capture bundle cannot be read: " + e.apiMessage());
        }
        if (bundle.frames().isEmpty()) {
            throw new Unreadable("the capture bundle has no frame");
        }
        CaptureAnalysis capture = DecryptProcessor.analysis(request, kid, bundle, List.of());
        List<Signal> signals = CaptureSignals.evaluate(capture);
        List<TimedFrame> frames = bundle.frames().stream().map(f -> new TimedFrame(f.timestampMillis(), f.image())).toList();
        return new Opened(frames, signals);
    }
}
