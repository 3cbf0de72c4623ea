package io.openbio.bundle;

import io.openbio.bundle.crypto.BundleCrypto;
import io.openbio.bundle.format.BundleFormat;
import io.openbio.bundle.format.InnerBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleRoundTripTest {

    private static final String KID = "obk1-0123456789ab";
    private final KeyPair server = TestData.keyPair();
    private final KeyResolver keys = TestData.resolver(KID, server.getPrivate());

    @Test
    void javaToJavaRoundTripKeepsEveryFieldAndByte() throws Exception {
        CaptureBundle in = TestData.sample(3);
        byte[] bundle = BundleWriter.write(in, server.getPublic(), KID);

        CaptureBundle out = BundleReader.read(bundle, keys);

        assertThat(out.metadata()).isEqualTo(in.metadata());
        assertThat(out.frames()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            CaptureFrame a = in.frames().get(i);
            CaptureFrame b = out.frames().get(i);
            assertThat(b.image()).isEqualTo(a.image());
            assertThat(b.contentType()).isEqualTo(a.contentType());
            assertThat(b.timestampMillis()).isEqualTo(a.timestampMillis());
            assertThat(b.width()).isEqualTo(a.width());
            assertThat(b.height()).isEqualTo(a.height());
        }
    }

    @Test
    void optionalFieldsMayBeAbsent() throws Exception {
        CaptureBundle in = new CaptureBundle(
                new CaptureMetadata("n", 0, 0, null, null, null, null),
                List.of(new CaptureFrame(new byte[] {1}, "image/jpeg", 0, null, null)));
        CaptureBundle out = BundleReader.read(BundleWriter.write(in, server.getPublic(), KID), keys);
        assertThat(out.metadata()).isEqualTo(new CaptureMetadata("n", 0, 0, Map.of(), null, null, null));
        assertThat(out.frames().get(0).image()).containsExactly(1);
        assertThat(out.frames().get(0).width()).isNull();
    }

    @Test
    void sixteenFramesIsTheLimit() throws Exception {
        assertThat(BundleReader.read(BundleWriter.write(TestData.sample(16), server.getPublic(), KID), keys).frames())
                .hasSize(16);
        assertThatThrownBy(() -> BundleWriter.write(TestData.sample(17), server.getPublic(), KID))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachBundleUsesAFreshEphemeralKeyAndIv() throws Exception {
        CaptureBundle in = TestData.sample(1);
        byte[] a = BundleWriter.write(in, server.getPublic(), KID);
        byte[] b = BundleWriter.write(in, server.getPublic(), KID);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.length).isEqualTo(b.length);
    }

    @Test
    void headerNeedsNoKey() throws Exception {
        byte[] bundle = BundleWriter.write(TestData.sample(1), server.getPublic(), KID);
        assertThat(BundleReader.header(bundle)).isEqualTo(new BundleHeader(1, KID, BundleFormat.ALG));
        assertThat(Arrays.copyOf(bundle, 5)).containsExactly('O', 'B', 'C', 'B', 1);
    }

    @Test
    void tamperedCiphertextByteFailsToDecrypt() throws Exception {
        byte[] bundle = BundleWriter.write(TestData.sample(1), server.getPublic(), KID);
        for (int pos : new int[] {bundle.length - 1, bundle.length - 20, bundle.length / 2 + 30}) {
            byte[] bad = bundle.clone();
            bad[pos] ^= 0x01;
            assertThatThrownBy(() -> BundleReader.read(bad, keys))
                    .isInstanceOf(BundleDecryptException.class)
                    .extracting(e -> ((BundleException) e).apiMessage()).isEqualTo("Failed to decrypt message");
        }
    }

    @Test
    void everySingleBitFlipIsRejected() throws Exception {
        CaptureBundle small = new CaptureBundle(new CaptureMetadata("n", 1, 2, Map.of(), null, "c", "1"),
                List.of(new CaptureFrame(new byte[] {9, 8, 7}, "image/jpeg", 1, 1, 1)));
        byte[] bundle = BundleWriter.write(small, server.getPublic(), KID);
        for (int i = 0; i < bundle.length; i++) {
            for (int bit = 0; bit < 8; bit += 3) {
                byte[] bad = bundle.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> BundleReader.read(bad, keys)).isInstanceOf(BundleException.class);
            }
        }
    }

    @Test
    void headerFieldsAreAuthenticated() throws Exception {
        byte[] bundle = BundleWriter.write(TestData.sample(1), server.getPublic(), KID);
        // swap the kid for another kid the server also knows: the AAD no longer matches
        String json = headerJson(bundle);
        String otherKid = "obk1-0123456789ac";
        byte[] forged = withHeader(bundle, json.replace(KID, otherKid));
        KeyResolver both = kid -> KID.equals(kid) || otherKid.equals(kid)
                ? java.util.Optional.of(server.getPrivate()) : java.util.Optional.empty();
        assertThat(BundleReader.header(forged).kid()).isEqualTo(otherKid);
        assertThatThrownBy(() -> BundleReader.read(forged, both)).isInstanceOf(BundleDecryptException.class);
        // re-serialised header with the same members: different bytes, so different AAD
        byte[] reordered = withHeader(bundle, " " + json);
        assertThatThrownBy(() -> BundleReader.read(reordered, keys)).isInstanceOf(BundleDecryptException.class);
    }

    @Test
    void wrongKeyFailsToDecrypt() throws Exception {
        byte[] bundle = BundleWriter.write(TestData.sample(1), server.getPublic(), KID);
        KeyResolver wrong = TestData.resolver(KID, TestData.keyPair().getPrivate());
        assertThatThrownBy(() -> BundleReader.read(bundle, wrong))
                .isInstanceOf(BundleDecryptException.class)
                .hasMessageContaining("tag");
    }

    @Test
    void unknownKidFailsToDecrypt() throws Exception {
        byte[] bundle = BundleWriter.write(TestData.sample(1), server.getPublic(), KID);
        assertThatThrownBy(() -> BundleReader.read(bundle, kid -> java.util.Optional.empty()))
                .isInstanceOf(BundleDecryptException.class).hasMessageContaining("unknown key id");
        assertThatThrownBy(() -> BundleReader.read(bundle, null)).isInstanceOf(BundleDecryptException.class);
        assertThatThrownBy(() -> BundleReader.read(bundle, kid -> { throw new IllegalStateException("boom"); }))
                .isInstanceOf(BundleDecryptException.class);
        assertThatThrownBy(() -> BundleReader.read(bundle, kid -> null)).isInstanceOf(BundleDecryptException.class);
    }

    @Test
    void keyOfAnotherKindFailsToDecrypt() throws Exception {
        byte[] bundle = BundleWriter.write(TestData.sample(1), server.getPublic(), KID);
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyResolver rsaKeys = TestData.resolver(KID, rsa.generateKeyPair().getPrivate());
        assertThatThrownBy(() -> BundleReader.read(bundle, rsaKeys)).isInstanceOf(BundleDecryptException.class);
        java.security.KeyPairGenerator p384 = java.security.KeyPairGenerator.getInstance("EC");
        p384.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        KeyResolver p384Keys = TestData.resolver(KID, p384.generateKeyPair().getPrivate());
        assertThatThrownBy(() -> BundleReader.read(bundle, p384Keys)).isInstanceOf(BundleDecryptException.class);
    }

    @Test
    void truncatedBundlesFailToParse() throws Exception {
        byte[] bundle = BundleWriter.write(TestData.sample(2), server.getPublic(), KID);
        for (int len : new int[] {0, 1, 4, 5, 7, 11, 50, bundle.length / 2, bundle.length - 17, bundle.length - 1}) {
            byte[] cut = Arrays.copyOf(bundle, len);
            assertThatThrownBy(() -> BundleReader.read(cut, keys))
                    .isInstanceOf(BundleParseException.class)
                    .extracting(e -> ((BundleException) e).apiMessage()).isEqualTo("Failed to parse file");
        }
        byte[] longer = Arrays.copyOf(bundle, bundle.length + 1);
        assertThatThrownBy(() -> BundleReader.read(longer, keys)).isInstanceOf(BundleParseException.class);
    }

    @Test
    void emptyNullRandomAndHugeInputFailToParse() {
        assertThatThrownBy(() -> BundleReader.read(new byte[0], keys)).isInstanceOf(BundleParseException.class);
        assertThatThrownBy(() -> BundleReader.read(null, keys)).isInstanceOf(BundleParseException.class);
        assertThatThrownBy(() -> BundleReader.header(null)).isInstanceOf(BundleParseException.class);
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[random.nextInt(4096)];
            random.nextBytes(junk);
            assertThatThrownBy(() -> BundleReader.read(junk, keys)).isInstanceOf(BundleParseException.class);
        }
        byte[] twentyMb = new byte[20 * 1024 * 1024];
        random.nextBytes(twentyMb);
        assertThatThrownBy(() -> BundleReader.read(twentyMb, keys)).isInstanceOf(BundleParseException.class);
        // 20 MB that starts like a bundle
        System.arraycopy(new byte[] {'O', 'B', 'C', 'B', 1, 0, 2, '{', '}'}, 0, twentyMb, 0, 9);
        assertThatThrownBy(() -> BundleReader.read(twentyMb, keys)).isInstanceOf(BundleParseException.class);
    }

    @Test
    void hostileLengthsFailToParseWithoutAllocating() throws Exception {
        byte[] bundle = BundleWriter.write(TestData.sample(1), server.getPublic(), KID);
        int h = ((bundle[5] & 0xFF) << 8) | (bundle[6] & 0xFF);
        byte[] hugeBody = bundle.clone();
        ByteBuffer.wrap(hugeBody).putInt(7 + h, Integer.MAX_VALUE);
        assertThatThrownBy(() -> BundleReader.read(hugeBody, keys)).isInstanceOf(BundleParseException.class);
        byte[] negativeBody = bundle.clone();
        ByteBuffer.wrap(negativeBody).putInt(7 + h, -1);
        assertThatThrownBy(() -> BundleReader.read(negativeBody, keys)).isInstanceOf(BundleParseException.class);
        byte[] hugeHeader = bundle.clone();
        hugeHeader[5] = (byte) 0xFF;
        hugeHeader[6] = (byte) 0xFF;
        assertThatThrownBy(() -> BundleReader.read(hugeHeader, keys)).isInstanceOf(BundleParseException.class);
        byte[] version2 = bundle.clone();
        version2[4] = 2;
        assertThatThrownBy(() -> BundleReader.read(version2, keys)).isInstanceOf(BundleParseException.class)
                .hasMessageContaining("version");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[]", "{}", "null", "{\"kid\":\"k\"}", "{\"kid\":\"k\",\"kid\":\"k\",\"alg\":\"x\"}",
            "{\"kid\":\"bad kid\",\"alg\":\"ECDH-P256-HKDF-SHA256-A256GCM\",\"epk\":\"\",\"iv\":\"\"}",
            "{\"kid\":\"k\",\"alg\":\"RSA-OAEP\",\"epk\":\"AA==\",\"iv\":\"AA==\"}",
            "{\"kid\":\"k\",\"alg\":\"ECDH-P256-HKDF-SHA256-A256GCM\",\"epk\":\"%%%\",\"iv\":\"AA==\"}",
            "{\"kid\":\"k\",\"alg\":\"ECDH-P256-HKDF-SHA256-A256GCM\",\"epk\":\"AA==\",\"iv\":\"AA==\"}",
            "{\"kid\":1,\"alg\":\"ECDH-P256-HKDF-SHA256-A256GCM\"}",
            "{\"kid\":\"k\"} trailing", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
            "\uFEFF{}", "{\"kid\":\"k\",\"extra\":true}"
    })
    void badHeaderJsonFailsToParse(String json) throws Exception {
        byte[] bundle = BundleWriter.write(TestData.sample(1), server.getPublic(), KID);
        byte[] bad = withHeader(bundle, json);
        assertThatThrownBy(() -> BundleReader.read(bad, keys)).isInstanceOf(BundleParseException.class);
        assertThatThrownBy(() -> BundleReader.header(bad)).isInstanceOf(BundleParseException.class);
    }

    @Test
    void epkThatIsNotOnTheCurveFailsToDecrypt() throws Exception {
        byte[] bundle = BundleWriter.write(TestData.sample(1), server.getPublic(), KID);
        String json = headerJson(bundle);
        String epk = json.replaceAll(".*\"epk\":\"([^\"]+)\".*", "$1");
        byte[] point = java.util.Base64.getDecoder().decode(epk);
        point[64] ^= 1; // y no longer matches x
        byte[] bad = withHeader(bundle, json.replace(epk, java.util.Base64.getEncoder().encodeToString(point)));
        assertThatThrownBy(() -> BundleReader.read(bad, keys)).isInstanceOf(BundleDecryptException.class)
                .hasMessageContaining("not a valid P-256 point");
    }

    @Test
    void garbageInnerBodyWithValidCryptoIsAMetadataError() {
        List<byte[]> bodies = List.of(
                new byte[] {1},
                new byte[] {0, 0, 0, 2, '{', '}'},
                withMeta("not json", new byte[0]),
                withMeta("{}", new byte[0]),
                withMeta("{\"nonce\":\"n\",\"captureStart\":1,\"captureEnd\":2,\"frames\":[]}", new byte[0]),
                withMeta("{\"nonce\":\"n\",\"captureStart\":1,\"captureEnd\":2,\"frames\":[{\"contentType\":\"image/jpeg\",\"timestamp\":1,\"length\":5}]}", new byte[4]),
                withMeta("{\"nonce\":\"n\",\"captureStart\":1,\"captureEnd\":2,\"frames\":[{\"contentType\":\"image/jpeg\",\"timestamp\":1,\"length\":5}]}", new byte[6]),
                withMeta("{\"nonce\":\"n\",\"captureStart\":1.5,\"captureEnd\":2,\"frames\":[{\"contentType\":\"image/jpeg\",\"timestamp\":1,\"length\":1}]}", new byte[1]),
                withMeta("{\"nonce\":\"n\",\"captureStart\":1,\"captureEnd\":99999999999999999999999,\"frames\":[{\"contentType\":\"image/jpeg\",\"timestamp\":1,\"length\":1}]}", new byte[1]),
                withMeta("{\"nonce\":\"\",\"captureStart\":1,\"captureEnd\":2,\"frames\":[{\"contentType\":\"image/jpeg\",\"timestamp\":1,\"length\":1}]}", new byte[1]),
                withMeta("{\"nonce\":\"n\",\"captureStart\":1,\"captureEnd\":2,\"device\":{\"os\":7},\"frames\":[{\"contentType\":\"image/jpeg\",\"timestamp\":1,\"length\":1}]}", new byte[1]),
                withMeta("{\"nonce\":\"n\",\"captureStart\":1,\"captureEnd\":2,\"frames\":[{\"contentType\":\"image/jpeg\",\"timestamp\":1,\"length\":1,\"width\":0}]}", new byte[1]),
                withMeta("{\"nonce\":\"n\",\"captureStart\":1,\"captureEnd\":2,\"frames\":[{\"contentType\":\"image/jpeg\",\"timestamp\":1,\"length\":-1}]}", new byte[0]),
                withMeta("{\"nonce\":\"n\",\"captureStart\":1,\"captureEnd\":2,\"frames\":[{\"contentType\":\"image/jpeg\",\"timestamp\":1,\"length\":9223372036854775807},{\"contentType\":\"image/jpeg\",\"timestamp\":1,\"length\":9223372036854775807}]}", new byte[1]),
                withMeta("{\"nonce\":\"n\",\"captureStart\":1,\"captureEnd\":2,\"camera\":\"usb\",\"frames\":[{\"contentType\":\"image/jpeg\",\"timestamp\":1,\"length\":1}]}", new byte[1]));
        for (byte[] body : bodies) {
            byte[] bundle = BundleCrypto.seal(body, server.getPublic(), KID);
            assertThatThrownBy(() -> BundleReader.read(bundle, keys))
                    .isInstanceOf(BundleMetadataException.class)
                    .extracting(e -> ((BundleException) e).apiMessage()).isEqualTo("Failed to read a meta data");
        }
        byte[] hugeMetaLength = new byte[] {(byte) 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, '{', '}'};
        assertThatThrownBy(() -> BundleReader.read(BundleCrypto.seal(hugeMetaLength, server.getPublic(), KID), keys))
                .isInstanceOf(BundleMetadataException.class);
    }

    @Test
    void unknownMetadataMembersAreIgnored() throws Exception {
        byte[] body = withMeta("{\"nonce\":\"n\",\"captureStart\":1,\"captureEnd\":2,\"future\":{\"x\":[1,2]},"
                + "\"frames\":[{\"contentType\":\"image/jpeg\",\"timestamp\":1,\"length\":2,\"exif\":\"...\"}]}", new byte[] {5, 6});
        CaptureBundle out = BundleReader.read(BundleCrypto.seal(body, server.getPublic(), KID), keys);
        assertThat(out.frames().get(0).image()).containsExactly(5, 6);
        assertThat(out.metadata().nonce()).isEqualTo("n");
    }

    @Test
    void writerRejectsWhatTheReaderWouldReject() {
        CaptureBundle ok = TestData.sample(1);
        assertThatThrownBy(() -> BundleWriter.write(ok, server.getPublic(), "bad kid")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BundleWriter.write(ok, server.getPublic(), "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BundleWriter.write(ok, null, KID)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BundleWriter.write(new CaptureBundle(ok.metadata(), List.of()), server.getPublic(), KID))
                .isInstanceOf(IllegalArgumentException.class);
        CaptureMetadata noNonce = new CaptureMetadata("", 0, 0, Map.of(), null, null, null);
        assertThatThrownBy(() -> BundleWriter.write(new CaptureBundle(noNonce, ok.frames()), server.getPublic(), KID))
                .isInstanceOf(IllegalArgumentException.class);
        CaptureFrame tooBig = new CaptureFrame(new byte[BundleFormat.MAX_PLAINTEXT_BYTES], "image/jpeg", 0, null, null);
        assertThatThrownBy(() -> BundleWriter.write(new CaptureBundle(ok.metadata(), List.of(tooBig)), server.getPublic(), KID))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largestAllowedBundleRoundTrips() throws Exception {
        CaptureBundle sample = TestData.sample(1);
        int room = BundleFormat.MAX_PLAINTEXT_BYTES - InnerBody.encode(sample).length + sample.frames().get(0).image().length;
        // the length field of the frame grows by a few digits
        byte[] image = new byte[room - 8];
        new Random(1).nextBytes(image);
        CaptureBundle big = new CaptureBundle(sample.metadata(), List.of(new CaptureFrame(image, "image/jpeg", 1, null, null)));
        byte[] bundle = BundleWriter.write(big, server.getPublic(), KID);
        assertThat(bundle.length).isLessThanOrEqualTo(BundleFormat.MAX_BUNDLE_BYTES);
        assertThat(BundleReader.read(bundle, keys).frames().get(0).image()).isEqualTo(image);
    }

    @Test
    void messagesNeverCarryImageBytesOrKeys() throws Exception {
        CaptureBundle in = TestData.sample(1);
        byte[] bundle = BundleWriter.write(in, server.getPublic(), KID);
        KeyResolver wrong = TestData.resolver(KID, TestData.keyPair().getPrivate());
        String hexImage = HexFormat.of().formatHex(in.frames().get(0).image(), 0, 8);
        try {
            BundleReader.read(bundle, wrong);
        } catch (BundleException e) {
            assertThat(e.getMessage()).doesNotContain(hexImage)
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(server.getPrivate().getEncoded()));
        }
        assertThat(in.frames().get(0).toString()).contains("bytes").doesNotContain("[B@");
    }

    // ------------------------------------------------------------------ helpers

    static String headerJson(byte[] bundle) {
        int h = ((bundle[5] & 0xFF) << 8) | (bundle[6] & 0xFF);
        return new String(bundle, 7, h, StandardCharsets.UTF_8);
    }

    /** The bundle with its header JSON replaced (lengths fixed up, ciphertext unchanged). */
    static byte[] withHeader(byte[] bundle, String json) {
        int h = ((bundle[5] & 0xFF) << 8) | (bundle[6] & 0xFF);
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(bundle.length - h + header.length);
        out.put(bundle, 0, 5).putShort((short) header.length).put(header).put(bundle, 7 + h, bundle.length - 7 - h);
        return out.array();
    }

    static byte[] withMeta(String json, byte[] frames) {
        byte[] meta = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + meta.length + frames.length).putInt(meta.length).put(meta).put(frames).array();
    }
}
