package io.openbio.schemas.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.schemas.crypto.SealedPayloadException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadCipherTest {
    private static final char[] PASSWORD = "test-password".toCharArray();

    @TempDir
    Path dir;

    private PayloadCipher cipher(Path store) {
        return new PayloadCipher(PayloadKeyStore.openOrCreate(store, PASSWORD, null), Duration.ofHours(1));
    }

    private static byte[] jpeg(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        bytes[2] = (byte) 0xFF;
        return bytes;
    }

    @Test
    void roundTripAndCiphertextHidesThePlaintext() throws Exception {
        Path store = dir.resolve("keys/payload.p12");
        PayloadCipher cipher = cipher(store);
        assertThat(Files.getPosixFilePermissions(store)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        byte[] image = jpeg(50_000);
        byte[] sealed = cipher.seal("t1", Purpose.IMAGE, "req-1", image);
        assertThat(PayloadCipher.isSealed(sealed)).isTrue();
        assertThat(sealed[0]).isNotEqualTo((byte) 0xFF);
        assertThat(indexOf(sealed, Arrays.copyOfRange(image, 0, 16))).isNegative();
        assertThat(PayloadCipher.plaintextLength(sealed)).isEqualTo(image.length);
        assertThat(cipher.open("t1", Purpose.IMAGE, "req-1", sealed)).isEqualTo(image);
        // another process with the same key store opens it (the DEK travels wrapped in the envelope)
        assertThat(cipher(store).open("t1", Purpose.IMAGE, "req-1", sealed)).isEqualTo(image);
        // two seals of the same bytes differ (random nonces)
        assertThat(cipher.seal("t1", Purpose.IMAGE, "req-1", image)).isNotEqualTo(sealed);
        assertThat(cipher.openText("t1", Purpose.TEMPLATE, "r", cipher.sealText("t1", Purpose.TEMPLATE, "r", "abc"))).isEqualTo("abc");
        float[] vector = {0.5f, -0.25f, 1e-3f};
        assertThat(cipher.openVector("t1", "rec", cipher.sealVector("t1", "rec", vector))).containsExactly(vector);
        assertThat(cipher.open("t1", Purpose.PART, "k", cipher.seal("t1", Purpose.PART, "k", new byte[0]))).isEmpty();
    }

    @Test
    void anyMismatchOrTamperIsATypedFailure() {
        PayloadCipher cipher = cipher(dir.resolve("p.p12"));
        byte[] sealed = cipher.seal("t1", Purpose.TEMPLATE, "rec-1", "template".getBytes(StandardCharsets.UTF_8));
        assertFails(() -> cipher.open("t2", Purpose.TEMPLATE, "rec-1", sealed), Reason.TAMPERED);
        assertFails(() -> cipher.open("t1", Purpose.TEMPLATE, "rec-2", sealed), Reason.TAMPERED);
        assertFails(() -> cipher.open("t1", Purpose.IMAGE, "rec-1", sealed), Reason.TAMPERED);
        for (int i = 0; i < sealed.length; i++) {
            byte[] flipped = sealed.clone();
            flipped[i] ^= 0x01;
            int at = i;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> cipher.open("t1", Purpose.TEMPLATE, "rec-1", flipped))
                    .as("byte %d flipped", at).isInstanceOf(SealedPayloadException.class);
        }
        for (int length : new int[] {0, 3, 5, 20, 40, sealed.length - 17, sealed.length - 1}) {
            byte[] cut = Arrays.copyOf(sealed, length);
            assertThatThrownBy(() -> cipher.open("t1", Purpose.TEMPLATE, "rec-1", cut)).isInstanceOf(SealedPayloadException.class);
        }
        assertFails(() -> cipher.open("t1", Purpose.TEMPLATE, "rec-1", Arrays.copyOf(sealed, 20)), Reason.TRUNCATED);
        assertFails(() -> cipher.open("t1", Purpose.IMAGE, "rec-1", jpeg(100)), Reason.NOT_SEALED);
        assertFails(() -> cipher.openText("t1", Purpose.TEMPLATE, "rec-1", "not base64 !"), Reason.NOT_SEALED);
        // a key store without the envelope's KEK
        PayloadCipher other = cipher(dir.resolve("other.p12"));
        byte[] foreign = other.seal("t1", Purpose.TEMPLATE, "rec-1", new byte[] {1});
        // both stores name their first key kek-1: the same id, another key, so it does not authenticate
        assertFails(() -> cipher.open("t1", Purpose.TEMPLATE, "rec-1", foreign), Reason.TAMPERED);
    }

    @Test
    void unknownKekIdIsTyped() throws Exception {
        Path a = dir.resolve("a.p12");
        PayloadCipher cipher = cipher(a);
        Path b = dir.resolve("b.p12");
        PayloadKeyStore.create(b, PASSWORD);
        PayloadKeyStore.addKek(b, PASSWORD);
        byte[] sealed = cipher(b).seal("t1", Purpose.IMAGE, "r", new byte[] {1, 2});
        assertThat(PayloadCipher.kekId(sealed)).isEqualTo("kek-2");
        assertFails(() -> cipher.open("t1", Purpose.IMAGE, "r", sealed), Reason.UNKNOWN_KEK);
    }

    @Test
    void kekRotationOldEnvelopesStillOpenNewOnesUseTheNewPrimary() throws Exception {
        Path store = dir.resolve("rot.p12");
        PayloadCipher before = cipher(store);
        byte[] old = before.seal("t1", Purpose.TEMPLATE, "rec", new byte[] {9, 9, 9});
        assertThat(PayloadCipher.kekId(old)).isEqualTo("kek-1");

        String added = PayloadKeyStore.addKek(store, PASSWORD);
        assertThat(added).isEqualTo("kek-2");
        PayloadCipher after = cipher(store);
        byte[] fresh = after.seal("t1", Purpose.TEMPLATE, "rec", new byte[] {7});
        assertThat(PayloadCipher.kekId(fresh)).isEqualTo("kek-2");
        assertThat(after.open("t1", Purpose.TEMPLATE, "rec", old)).containsExactly(9, 9, 9);

        // a configured primary wins over the newest (roll the new key to every reader first, then make it primary)
        PayloadCipher pinned = new PayloadCipher(PayloadKeyStore.open(store, PASSWORD, "kek-1"), Duration.ofHours(1));
        assertThat(PayloadCipher.kekId(pinned.seal("t1", Purpose.TEMPLATE, "rec", new byte[] {1}))).isEqualTo("kek-1");
        assertThat(pinned.open("t1", Purpose.TEMPLATE, "rec", fresh)).containsExactly(7);
        assertThatThrownBy(() -> PayloadKeyStore.open(store, PASSWORD, "kek-9")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRunningReaderFindsAKekAddedToItsStoreLaterByReReadingTheFile() throws Exception {
        Path store = dir.resolve("live.p12");
        PayloadKeyStore.create(store, PASSWORD);
        PayloadCipher reader = new PayloadCipher(new PayloadKeyStore(store, PASSWORD, null, 0), Duration.ofHours(1));
        reader.seal("t1", Purpose.IMAGE, "r", new byte[] {1}); // loaded, with kek-1 only
        PayloadKeyStore.addKek(store, PASSWORD);
        byte[] fresh = cipher(store).seal("t1", Purpose.IMAGE, "r", new byte[] {2});
        assertThat(PayloadCipher.kekId(fresh)).isEqualTo("kek-2");
        assertThat(reader.open("t1", Purpose.IMAGE, "r", fresh)).containsExactly(2);
        // with the default interval, an unknown id right after loading does not re-read the file
        PayloadKeyStore throttled = PayloadKeyStore.open(store, PASSWORD, null);
        assertThat(throttled.kek("kek-9")).isNull();
    }

    @Test
    void dataKeysRotateByAgeAndUseCount() {
        AtomicLong now = new AtomicLong(1_000_000);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        PayloadKeyStore keys = PayloadKeyStore.openOrCreate(dir.resolve("dek.p12"), PASSWORD, null);
        PayloadCipher cipher = new PayloadCipher(keys, Duration.ofMinutes(10), 3, clock);
        byte[] a = cipher.seal("t1", Purpose.IMAGE, "r", new byte[] {1});
        byte[] b = cipher.seal("t1", Purpose.IMAGE, "r", new byte[] {2});
        assertThat(dekId(a)).isEqualTo(dekId(b));
        assertThat(dekId(cipher.seal("t2", Purpose.IMAGE, "r", new byte[] {2}))).isNotEqualTo(dekId(a)); // per tenant
        byte[] c = cipher.seal("t1", Purpose.IMAGE, "r", new byte[] {3});
        byte[] d = cipher.seal("t1", Purpose.IMAGE, "r", new byte[] {4}); // fourth use: over 3
        assertThat(dekId(c)).isEqualTo(dekId(a));
        assertThat(dekId(d)).isNotEqualTo(dekId(a));
        now.addAndGet(Duration.ofMinutes(10).toMillis());
        byte[] e = cipher.seal("t1", Purpose.IMAGE, "r", new byte[] {5});
        assertThat(dekId(e)).isNotEqualTo(dekId(d));
        for (byte[] sealed : new byte[][] {a, b, c, d, e}) {
            assertThat(cipher.open("t1", Purpose.IMAGE, "r", sealed)).hasSize(1);
        }
    }

    private static String dekId(byte[] envelope) {
        int kekIdLength = envelope[4] & 0xFF;
        return Arrays.toString(Arrays.copyOfRange(envelope, 5 + kekIdLength, 5 + kekIdLength + PayloadCipher.DEK_ID_BYTES));
    }

    private static void assertFails(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SealedPayloadException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
