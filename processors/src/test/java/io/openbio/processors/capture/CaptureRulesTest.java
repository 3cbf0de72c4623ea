package io.openbio.processors.capture;

import static io.openbio.processors.capture.CaptureSignalsTest.frame;
import static io.openbio.processors.capture.CaptureSignalsTest.jpeg;
import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.bundle.CaptureRules;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.CapturedFrame;
import io.openbio.events.NonceIssued;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.Signal;
import io.openbio.schemas.Topics;
import io.openbio.schemas.settings.Settings;
import io.openbio.testkit.Drivers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each rule of bundle/SPEC.md section 6 at its boundary: a value exactly at the limit passes, one
 * millisecond (or pixel) beyond it fails. The limits come from {@link CaptureRules}, the constants
 * SPEC.md is checked against, so these tests follow the spec's numbers.
 */
class CaptureRulesTest {
    static final long NOW = 1_800_000_000_000L;
    static final long SKEW = CaptureRules.CLOCK_SKEW_MS;
    static byte[] a;
    static byte[] b;

    @BeforeAll
    static void images() throws Exception {
        // the event serdes trust io.openbio.events for Avro's class check, which builder defaults need
        assertThat(Drivers.SERDES).isNotNull();
        a = jpeg(64, 48, 0x000000);
        b = jpeg(64, 48, 0xFFFFFF);
    }

    /** A capture as the decrypt stage makes it (envelope complete: no Avro defaults needed). */
    static CaptureAnalysis.Builder capture(long start, long end, long received, List<CapturedFrame> frames) {
        return CaptureAnalysis.newBuilder()
                .setEnvelope(RequestEnvelope.newBuilder().setRequestId("r").setTenant("t").setOperation("o")
                        .setCreatedAt(Instant.ofEpochMilli(received)).setParts(List.of()).setAttributes(Map.of()).build())
                .setReceivedAt(Instant.ofEpochMilli(received)).setKeyId("k").setNonce("n")
                .setCaptureStart(start).setCaptureEnd(end).setDevice(Map.of()).setCameraLabel("Integrated Camera")
                .setFrames(frames);
    }

    static boolean timing(long start, long end, long received, Long nonceIssuedAt, CapturedFrame... frames) {
        CaptureAnalysis c = capture(start, end, received, List.of(frames)).setNonceIssuedAt(nonceIssuedAt).build();
        return CaptureSignals.timing(c).getPassed();
    }

    @Test
    void t1CaptureMustNotEndBeforeItStarts() {
        assertThat(timing(NOW - 1000, NOW - 1000, NOW, null)).as("end == start").isTrue();
        assertThat(timing(NOW - 1000, NOW - 1001, NOW, null)).as("end == start - 1").isFalse();
    }

    @Test
    void t2CaptureLastsAtMost60Seconds() {
        long max = CaptureRules.MAX_CAPTURE_MS;
        assertThat(max).isEqualTo(60_000);
        assertThat(timing(NOW - max, NOW, NOW, null)).as("exactly the maximum").isTrue();
        assertThat(timing(NOW - max - 1, NOW, NOW, null)).as("1 ms over").isFalse();
    }

    @Test
    void t3FramesLieInsideTheWindowWithin5Seconds() {
        long start = NOW - 2000;
        long end = NOW - 1000;
        assertThat(SKEW).isEqualTo(5_000);
        assertThat(timing(start, end, NOW, null, frame(a, start - SKEW, null, null))).as("start - 5 s").isTrue();
        assertThat(timing(start, end, NOW, null, frame(a, start - SKEW - 1, null, null))).as("start - 5 s - 1 ms").isFalse();
        assertThat(timing(start, end, NOW, null, frame(a, end + SKEW, null, null))).as("end + 5 s").isTrue();
        assertThat(timing(start, end, NOW, null, frame(a, end + SKEW + 1, null, null))).as("end + 5 s + 1 ms").isFalse();
        assertThat(timing(start, end, NOW, null, frame(a, start - 10_000, null, null))).as("10 s early").isFalse();
        assertThat(timing(start, end, NOW, null, frame(a, end + 10_000, null, null))).as("10 s late").isFalse();
    }

    @Test
    void t4FrameTimestampsNeverGoBackwards() {
        long start = NOW - 2000;
        long end = NOW - 1000;
        assertThat(timing(start, end, NOW, null, frame(a, start + 10, null, null), frame(b, start + 10, null, null))).as("equal").isTrue();
        assertThat(timing(start, end, NOW, null, frame(a, start + 10, null, null), frame(b, start + 9, null, null))).as("1 ms back").isFalse();
    }

    @Test
    void t5CaptureStartsNoEarlierThan5SecondsBeforeItsNonce() {
        long start = NOW - 2000;
        long end = NOW - 1000;
        assertThat(timing(start, end, NOW, start + SKEW)).as("start == issuedAt - 5 s").isTrue();
        assertThat(timing(start, end, NOW, start + SKEW + 1)).as("start == issuedAt - 5 s - 1 ms").isFalse();
        assertThat(timing(start, end, NOW, start + 10_000)).as("10 s before the nonce").isFalse();
        assertThat(timing(start, end, NOW, null)).as("unknown nonce: the nonce signal judges").isTrue();
    }

    @Test
    void t6CaptureEndsNoLaterThan5SecondsAfterArrival() {
        assertThat(timing(NOW - 1000 + SKEW, NOW + SKEW, NOW, null)).as("end == arrival + 5 s").isTrue();
        assertThat(timing(NOW - 1000 + SKEW + 1, NOW + SKEW + 1, NOW, null)).as("end == arrival + 5 s + 1 ms").isFalse();
        assertThat(timing(NOW + 9_000, NOW + 10_000, NOW, null)).as("10 s in the future").isFalse();
    }

    @Test
    void t7BundleArrivesAtMost5MinutesAfterTheCaptureEnded() {
        long max = CaptureRules.MAX_ARRIVAL_DELAY_MS;
        assertThat(max).isEqualTo(300_000);
        assertThat(timing(NOW - max - 1000, NOW - max, NOW, null)).as("arrival == end + 5 min").isTrue();
        assertThat(timing(NOW - max - 1001, NOW - max - 1, NOW, null)).as("arrival == end + 5 min + 1 ms").isFalse();
    }

    // ------------------------------------------------------------ 6.3 camera size

    static boolean resolution(Integer camW, Integer camH, CapturedFrame... frames) {
        return CaptureSignals.resolution(capture(NOW - 1000, NOW, NOW, List.of(frames)).setCameraWidth(camW).setCameraHeight(camH).build())
                .getPassed();
    }

    @Test
    void cameraSizeMustEqualEveryFrameInEitherOrientation() throws Exception {
        byte[] other = jpeg(64, 50, 0x808080);
        assertThat(resolution(64, 48, frame(a, NOW, null, null))).as("equal").isTrue();
        assertThat(resolution(48, 64, frame(a, NOW, null, null))).as("rotated").isTrue();
        assertThat(resolution(65, 48, frame(a, NOW, null, null))).as("1 px wider").isFalse();
        assertThat(resolution(64, 47, frame(a, NOW, null, null))).as("1 px lower").isFalse();
        assertThat(resolution(64, 48, frame(a, NOW, null, null), frame(other, NOW, null, null))).as("every frame, not just the first").isFalse();
        assertThat(resolution(640, null, frame(a, NOW, null, null))).as("width alone declares nothing").isTrue();
        assertThat(resolution(null, null, frame(a, NOW, null, null), frame(other, NOW, null, null))).as("no camera size").isTrue();
    }

    @Test
    void aFramesDeclaredSizeMustBeItsSizeExactly() {
        assertThat(resolution(null, null, frame(a, NOW, 64, 48))).isTrue();
        assertThat(resolution(null, null, frame(a, NOW, 48, 64))).as("no rotation for a frame's own size").isFalse();
        assertThat(resolution(null, null, frame(a, NOW, 65, 48))).as("1 px off").isFalse();
        assertThat(resolution(null, null, frame(a, NOW, 999, null))).as("width alone declares nothing").isTrue();
        assertThat(resolution(null, null, frame("not an image".getBytes(), NOW, null, null))).as("unreadable frame").isFalse();
    }

    // ------------------------------------------------------------ 6.2 nonce

    static CaptureAnalysis arriving(String requestId, String tenant, String nonce, Instant arrival) {
        return CaptureAnalysis.newBuilder()
                .setEnvelope(RequestEnvelope.newBuilder().setRequestId(requestId).setTenant(tenant).setOperation("x")
                        .setCreatedAt(arrival).setParts(List.of()).setAttributes(Map.of()).build())
                .setReceivedAt(arrival).setKeyId("k1").setNonce(nonce).setCaptureStart(0).setCaptureEnd(0).build();
    }

    static Signal nonce(CaptureAnalysis checked) {
        return checked.getSignals().stream().filter(s -> s.getName().equals("nonce")).findFirst().orElseThrow();
    }

    @Test
    void n4ExpiryIsJudgedAtArrivalWithoutTolerance() {
        try (Drivers.Driver d = Drivers.start(new NonceProcessor().topology(Drivers.SERDES))) {
            var issued = d.input(Topics.CAPTURE_NONCES);
            var captures = d.input(Topics.CAPTURE_DECRYPTED);
            var checked = d.output(Topics.CAPTURE_NONCE_CHECKED);
            Instant issuedAt = Instant.ofEpochMilli(NOW);
            Instant expires = issuedAt.plusMillis(CaptureRules.DEFAULT_NONCE_TTL_MS);
            issued.pipeInput("at", new NonceIssued("at", "t1", issuedAt, expires, null));
            issued.pipeInput("after", new NonceIssued("after", "t1", issuedAt, expires, null));
            captures.pipeInput("at", arriving("r1", "t1", "at", expires));
            captures.pipeInput("after", arriving("r2", "t1", "after", expires.plusMillis(1)));
            var out = checked.readValuesToList();
            assertThat(nonce(out.get(0)).getPassed()).as("arrival == expiresAt").isTrue();
            assertThat(nonce(out.get(1)).getPassed()).as("arrival == expiresAt + 1 ms").isFalse();
            assertThat(nonce(out.get(1)).getDetail()).contains("expired");
        }
    }

    @Test
    void n2NoncesAreBoundToTheirTenantAndAForeignTryUsesThemUp() {
        try (Drivers.Driver d = Drivers.start(new NonceProcessor().topology(Drivers.SERDES))) {
            var issued = d.input(Topics.CAPTURE_NONCES);
            var captures = d.input(Topics.CAPTURE_DECRYPTED);
            var checked = d.output(Topics.CAPTURE_NONCE_CHECKED);
            Instant now = Instant.ofEpochMilli(NOW);
            issued.pipeInput("n", new NonceIssued("n", "t1", now, now.plusSeconds(300), null));
            issued.pipeInput("late", new NonceIssued("late", "t1", now, now.plusSeconds(300), null));
            captures.pipeInput("n", arriving("r1", "t2", "n", now));
            captures.pipeInput("n", arriving("r2", "t1", "n", now));
            captures.pipeInput("late", arriving("r3", "t1", "late", now.plusSeconds(301)));
            captures.pipeInput("late", arriving("r4", "t1", "late", now));
            var out = checked.readValuesToList();
            assertThat(out).extracting(c -> nonce(c).getPassed()).containsExactly(false, false, false, false);
            assertThat(nonce(out.get(0)).getDetail()).contains("another tenant");
            assertThat(nonce(out.get(1)).getDetail()).as("the foreign try used it up").contains("already used");
            assertThat(nonce(out.get(3)).getDetail()).as("the expired try used it up").contains("already used");
        }
    }

    @Test
    void n1ANonceIsForgottenOneDayAfterItExpired() {
        long retention = CaptureRules.NONCE_RETENTION_AFTER_EXPIRY_MS;
        assertThat(retention).isEqualTo(Duration.ofDays(1).toMillis());
        Instant wall = Drivers.START;
        try (Drivers.Driver d = Drivers.start(new NonceProcessor().topology(Drivers.SERDES), wall)) {
            var issued = d.input(Topics.CAPTURE_NONCES);
            var captures = d.input(Topics.CAPTURE_DECRYPTED);
            var checked = d.output(Topics.CAPTURE_NONCE_CHECKED);
            // expired just over a day before the purge runs / well inside the day
            Instant purgeAt = wall.plus(Duration.ofMinutes(1));
            Instant gone = purgeAt.minusMillis(retention + 1);
            Instant kept = purgeAt.minusMillis(retention - 60_000);
            issued.pipeInput("gone", new NonceIssued("gone", "t1", gone.minusSeconds(300), gone, null));
            issued.pipeInput("kept", new NonceIssued("kept", "t1", kept.minusSeconds(300), kept, null));
            d.advanceWallClockTime(Duration.ofMinutes(1));
            captures.pipeInput("gone", arriving("r1", "t1", "gone", purgeAt));
            captures.pipeInput("kept", arriving("r2", "t1", "kept", purgeAt));
            var out = checked.readValuesToList();
            assertThat(nonce(out.get(0)).getDetail()).contains("never issued");
            assertThat(nonce(out.get(1)).getDetail()).contains("expired");
        }
    }

    @Test
    void theDefaultNonceLifetimeIsTheSpecsFiveMinutes() {
        assertThat(CaptureRules.DEFAULT_NONCE_TTL_MS).isEqualTo(Duration.ofMinutes(5).toMillis());
        assertThat(Settings.BUNDLE_NONCE_TTL.defaultValue()).isEqualTo(Duration.ofMillis(CaptureRules.DEFAULT_NONCE_TTL_MS).toMinutes() + "m");
    }
}
