package io.openbio.processors.dis.customer;

import io.openbio.bundle.BundleException;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.KeyResolver;
import io.openbio.bundle.format.BundleFormat;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.Signal;
import io.openbio.events.StageTrace;
import io.openbio.inference.challenge.TimedFrame;
import io.openbio.processors.capture.CaptureSignals;
import io.openbio.processors.capture.DecryptProcessor;
import io.openbio.processors.core.Sealing;
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
 * <p><b>The nonce.</b> A record's bundle carries a nonce of {@code POST /bundle/nonce} (reachable with the DIS bearer
 * key, so issued to the key's tenant). Its use goes through the nonce stage as every capture's does
 * ({@link #open} makes the nonce use, keyed by nonce on {@code openbio.capture.decrypted}; the stage sends it back on
 * {@code openbio.dis.captures} with its {@code nonce} signal), so a nonce is single-use across every capture API of the
 * platform. {@link #checked} reads the record back: a nonce never issued, another tenant's, expired or already used is
 * a failed injection signal like the others.
 */
final class DisRecords {
    /** A record back from the nonce stage: its frames in capture order and its injection signals, the nonce's among them. */
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

    /**
     * The record's nonce use: the capture decrypted (its frames sealed for the request, the bundle itself not carried
     * on) with its injection signals, for the nonce stage.
     */
    static CaptureAnalysis open(RequestEnvelope request, byte[] bytes, KeyResolver keys, List<StageTrace> trace) throws Unreadable {
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
        CaptureAnalysis capture = DecryptProcessor.analysis(request, kid, bundle, trace);
        return CaptureAnalysis.newBuilder(capture).setSignals(CaptureSignals.evaluate(capture)).build();
    }

    /** A record back from the nonce stage: its frames opened (in memory only) and every signal, the timing one checked again. */
    static Opened checked(CaptureAnalysis capture) {
        List<TimedFrame> frames = capture.getFrames().stream()
                .map(f -> new TimedFrame(f.getTimestamp(), Sealing.frame(capture, f))).toList();
        return new Opened(frames, CaptureSignals.withNonceTiming(capture));
    }
}
