package io.openbio.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.bundle.crypto.BundleCrypto;
import io.openbio.bundle.format.BundleFormat;
import io.openbio.bundle.format.InnerBody;
import io.openbio.bundle.format.ParsedBundle;
import io.openbio.bundle.format.StrictJson;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reader is exactly as strict as SPEC.md: header base64 padded and canonical (3.1), string
 * limits in Unicode code points with well-formed Unicode only (5.1, 8), each limit tried just
 * inside and just outside, by the reader and by the writer.
 */
class SpecStrictnessTest {
    private static final KeyPair KEY = TestData.keyPair();
    private static final String EMOJI = "\uD83D\uDE00"; // U+1F600: 1 code point, 2 UTF-16 code units, 4 UTF-8 bytes

    // ------------------------------------------------------------ 3.1: header base64

    /** A real bundle whose header JSON is rewritten (framing kept valid), so only the header's text changes. */
    static byte[] withHeader(byte[] bundle, java.util.function.UnaryOperator<Map<String, Object>> edit) throws Exception {
        int h = ((bundle[5] & 0xFF) << 8) | (bundle[6] & 0xFF);
        @SuppressWarnings("unchecked")
        Map<String, Object> header = StrictJson.mapper().readValue(java.util.Arrays.copyOfRange(bundle, 7, 7 + h), LinkedHashMap.class);
        byte[] json = StrictJson.write(edit.apply(header));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bundle, 0, 5);
        out.write(json.length >>> 8);
        out.write(json.length);
        out.write(json);
        out.write(bundle, 7 + h, bundle.length - 7 - h);
        return out.toByteArray();
    }

    static String header(byte[] bundle, String member) throws Exception {
        int h = ((bundle[5] & 0xFF) << 8) | (bundle[6] & 0xFF);
        return StrictJson.parseObject(java.util.Arrays.copyOfRange(bundle, 7, 7 + h)).get(member).textValue();
    }

    @Test
    void writersEmitPaddedCanonicalBase64AndTheReaderTakesIt() throws Exception {
        for (int i = 0; i < 20; i++) {
            byte[] bundle = BundleWriter.write(TestData.sample(1), KEY.getPublic(), "k1");
            String epk = header(bundle, "epk");
            assertThat(epk).hasSize(88).endsWith("=").doesNotEndWith("==");
            assertThat(header(bundle, "iv")).hasSize(16);
            assertThat(BundleReader.read(bundle, TestData.resolver("k1", KEY.getPrivate())).frames()).hasSize(1);
        }
    }

    @Test
    void unpaddedBase64InTheHeaderIsAParseError() throws Exception {
        byte[] bundle = BundleWriter.write(TestData.sample(1), KEY.getPublic(), "k1");
        byte[] unpadded = withHeader(bundle, h -> {
            h.put("epk", ((String) h.get("epk")).replace("=", ""));
            return h;
        });
        assertThatThrownBy(() -> BundleReader.header(unpadded)).isInstanceOf(BundleParseException.class)
                .hasMessageContaining("'epk'").hasMessageContaining("base64");
        // the same bytes, padded again, parse: the padding is the only difference
        byte[] repadded = withHeader(unpadded, h -> {
            h.put("epk", h.get("epk") + "=");
            return h;
        });
        assertThat(BundleReader.header(repadded).kid()).isEqualTo("k1");
    }

    @Test
    void urlSafeWhitespaceAndNonCanonicalBase64AreParseErrors() throws Exception {
        byte[] bundle = BundleWriter.write(TestData.sample(1), KEY.getPublic(), "k1");
        String iv = header(bundle, "iv");
        byte[] ivBytes = Base64.getDecoder().decode(iv);
        for (String bad : List.of(
                Base64.getUrlEncoder().encodeToString(new byte[] {(byte) 0xFB, (byte) 0xFF, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), // "-_" alphabet
                iv.substring(0, 8) + "\n" + iv.substring(8),
                " " + iv,
                iv + "====")) {
            byte[] edited = withHeader(bundle, h -> {
                h.put("iv", bad);
                return h;
            });
            assertThatThrownBy(() -> BundleReader.header(edited)).as("iv %s", bad).isInstanceOf(BundleParseException.class);
        }
        assertThat(BundleFormat.decodeStrictBase64(iv)).isEqualTo(ivBytes);
        // canonical form: the unused low bits of the last character must be zero
        assertThat(BundleFormat.decodeStrictBase64("AQ==")).containsExactly(1);
        assertThat(BundleFormat.decodeStrictBase64("AR==")).as("non-canonical trailing bits").isNull();
        assertThat(BundleFormat.decodeStrictBase64("AQ")).as("unpadded").isNull();
        assertThat(BundleFormat.decodeStrictBase64("AQ=")).as("short padding").isNull();
        assertThat(BundleFormat.decodeStrictBase64("-_8=")).as("url-safe").isNull();
        assertThat(BundleFormat.decodeStrictBase64("+/8=")).containsExactly(0xFB, 0xFF);
        assertThat(BundleFormat.decodeStrictBase64("")).isEmpty();
    }

    @Test
    void theTestVectorHeaderIsPaddedCanonicalBase64() throws Exception {
        var vector = StrictJson.mapper().readTree(getClass().getResourceAsStream("test-vector-v1.json"));
        byte[] bundle = java.util.HexFormat.of().parseHex(vector.get("bundle").asText());
        String epk = header(bundle, "epk");
        assertThat(BundleFormat.decodeStrictBase64(epk)).hasSize(65);
        assertThat(BundleFormat.decodeStrictBase64(header(bundle, "iv"))).hasSize(12);
        assertThat(ParsedBundle.parse(bundle).header().kid()).isEqualTo("obk1-testvector01");
    }

    // ------------------------------------------------------------ 5.1: lengths in code points

    @Test
    void codePointsCountsScalarValuesAndRefusesUnpairedSurrogates() {
        assertThat(BundleFormat.codePoints("")).isZero();
        assertThat(BundleFormat.codePoints("abc")).isEqualTo(3);
        assertThat(BundleFormat.codePoints("\u00e9")).isEqualTo(1);
        assertThat(BundleFormat.codePoints(EMOJI)).isEqualTo(1);
        assertThat(BundleFormat.codePoints(EMOJI.repeat(3) + "x")).isEqualTo(4);
        assertThat(BundleFormat.codePoints("a\uD83D")).isEqualTo(-1);
        assertThat(BundleFormat.codePoints("\uDE00a")).isEqualTo(-1);
        assertThat(BundleFormat.codePoints("\uDE00\uD83D")).as("reversed pair").isEqualTo(-1);
    }

    /** Plaintext with the given metadata JSON text and one 1-byte frame. */
    static byte[] plain(String metadataJson) {
        byte[] meta = metadataJson.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(meta.length >>> 24);
        out.write(meta.length >>> 16);
        out.write(meta.length >>> 8);
        out.write(meta.length);
        out.writeBytes(meta);
        out.write(7);
        return out.toByteArray();
    }

    /** Metadata JSON with the given extra members (raw JSON text, so escapes stay as written). */
    static String meta(String nonceJson, String extra) {
        return "{\"nonce\":" + nonceJson + ",\"captureStart\":1,\"captureEnd\":2" + extra
                + ",\"frames\":[{\"contentType\":\"image/jpeg\",\"timestamp\":1,\"length\":1}]}";
    }

    static String q(String s) {
        return new String(StrictJson.write(s), StandardCharsets.UTF_8);
    }

    static boolean accepted(String metadataJson) {
        try {
            InnerBody.decode(plain(metadataJson));
            return true;
        } catch (BundleMetadataException e) {
            return false;
        }
    }

    @Test
    void nonceLimitIs512CodePoints() {
        int max = BundleFormat.MAX_NONCE_CHARS;
        assertThat(accepted(meta(q("x".repeat(max)), ""))).isTrue();
        assertThat(accepted(meta(q("x".repeat(max + 1)), ""))).isFalse();
        // 512 code points are 1024 UTF-16 code units and 2048 UTF-8 bytes: still inside
        assertThat(accepted(meta(q(EMOJI.repeat(max)), ""))).isTrue();
        assertThat(accepted(meta(q(EMOJI.repeat(max + 1)), ""))).isFalse();
        assertThat(accepted(meta(q("\u00e9".repeat(max)), ""))).isTrue();
        assertThat(accepted(meta(q(""), ""))).as("empty nonce").isFalse();
    }

    @Test
    void textLimitsAre1024CodePoints() {
        int max = BundleFormat.MAX_TEXT_CHARS;
        for (String member : List.of("label", "facingMode")) {
            assertThat(accepted(meta(q("n"), ",\"camera\":{\"" + member + "\":" + q(EMOJI.repeat(max)) + "}"))).as(member).isTrue();
            assertThat(accepted(meta(q("n"), ",\"camera\":{\"" + member + "\":" + q(EMOJI.repeat(max + 1)) + "}"))).as(member).isFalse();
        }
        for (String member : List.of("name", "version")) {
            assertThat(accepted(meta(q("n"), ",\"client\":{\"" + member + "\":" + q("c".repeat(max)) + "}"))).as(member).isTrue();
            assertThat(accepted(meta(q("n"), ",\"client\":{\"" + member + "\":" + q("c".repeat(max + 1)) + "}"))).as(member).isFalse();
        }
        assertThat(accepted(meta(q("n"), ",\"device\":{\"os\":" + q(EMOJI.repeat(max)) + "}"))).isTrue();
        assertThat(accepted(meta(q("n"), ",\"device\":{\"os\":" + q(EMOJI.repeat(max + 1)) + "}"))).isFalse();
    }

    @Test
    void deviceKeyLimitIs64CodePointsAndEntryLimitIs64() {
        int max = BundleFormat.MAX_DEVICE_KEY_CHARS;
        assertThat(accepted(meta(q("n"), ",\"device\":{" + q(EMOJI.repeat(max)) + ":\"v\"}"))).isTrue();
        assertThat(accepted(meta(q("n"), ",\"device\":{" + q(EMOJI.repeat(max + 1)) + ":\"v\"}"))).isFalse();
        assertThat(accepted(meta(q("n"), ",\"device\":{\"\":\"v\"}"))).as("empty key").isFalse();
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < BundleFormat.MAX_DEVICE_ENTRIES; i++) {
            entries.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        assertThat(accepted(meta(q("n"), ",\"device\":{" + entries + "}"))).isTrue();
        assertThat(accepted(meta(q("n"), ",\"device\":{" + entries + ",\"extra\":\"v\"}"))).isFalse();
    }

    @Test
    void unpairedSurrogateEscapesAreMetadataErrors() {
        assertThat(accepted(meta("\"n\\ud800\"", ""))).as("nonce").isFalse();
        assertThat(accepted(meta("\"\\udc00\"", ""))).as("lone low surrogate").isFalse();
        assertThat(accepted(meta("\"n\\ud83d\\ude00\"", ""))).as("an escaped pair is fine").isTrue();
        assertThat(accepted(meta(q("n"), ",\"camera\":{\"label\":\"cam\\ud800\"}"))).as("label").isFalse();
        assertThat(accepted(meta(q("n"), ",\"device\":{\"k\\udfff\":\"v\"}"))).as("device key").isFalse();
        assertThat(accepted(meta(q("n"), ",\"device\":{\"k\":\"\\ud800\"}"))).as("device value").isFalse();
        assertThat(accepted(meta(q("n"), ",\"client\":{\"name\":\"\\ud800\"}"))).as("client name").isFalse();
    }

    @Test
    void theReaderMapsCodePointViolationsToMetadataErrors() throws BundleException {
        byte[] bundle = BundleCrypto.seal(plain(meta(q("x".repeat(BundleFormat.MAX_NONCE_CHARS + 1)), "")), KEY.getPublic(), "k1");
        assertThatThrownBy(() -> BundleReader.read(bundle, TestData.resolver("k1", KEY.getPrivate())))
                .isInstanceOf(BundleMetadataException.class);
        byte[] ok = BundleCrypto.seal(plain(meta(q(EMOJI.repeat(BundleFormat.MAX_NONCE_CHARS)), "")), KEY.getPublic(), "k1");
        assertThat(BundleReader.read(ok, TestData.resolver("k1", KEY.getPrivate())).metadata().nonce()).isEqualTo(EMOJI.repeat(BundleFormat.MAX_NONCE_CHARS));
    }

    @Test
    void theWriterRefusesWhatTheReaderRefuses() {
        CaptureFrame frame = new CaptureFrame(new byte[] {1}, "image/jpeg", 1, null, null);
        int max = BundleFormat.MAX_NONCE_CHARS;
        CaptureBundle inside = new CaptureBundle(new CaptureMetadata(EMOJI.repeat(max), 1, 2, Map.of(), null, null, null), List.of(frame));
        assertThat(BundleWriter.write(inside, KEY.getPublic(), "k1")).isNotEmpty();
        for (CaptureMetadata bad : List.of(
                new CaptureMetadata("x".repeat(max + 1), 1, 2, Map.of(), null, null, null),
                new CaptureMetadata("n\uD800", 1, 2, Map.of(), null, null, null),
                new CaptureMetadata("n", 1, 2, Map.of(EMOJI.repeat(BundleFormat.MAX_DEVICE_KEY_CHARS + 1), "v"), null, null, null),
                new CaptureMetadata("n", 1, 2, Map.of("k", "\uDE00"), null, null, null),
                new CaptureMetadata("n", 1, 2, Map.of(), new CameraInfo(EMOJI.repeat(BundleFormat.MAX_TEXT_CHARS + 1), null, null, null), null, null),
                new CaptureMetadata("n", 1, 2, Map.of(), null, "c".repeat(BundleFormat.MAX_TEXT_CHARS + 1), null))) {
            assertThatThrownBy(() -> BundleWriter.write(new CaptureBundle(bad, List.of(frame)), KEY.getPublic(), "k1"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        CaptureMetadata longLabel = new CaptureMetadata("n", 1, 2, Map.of(EMOJI.repeat(BundleFormat.MAX_DEVICE_KEY_CHARS), EMOJI.repeat(BundleFormat.MAX_TEXT_CHARS)),
                new CameraInfo(EMOJI.repeat(BundleFormat.MAX_TEXT_CHARS), null, null, null), "c".repeat(BundleFormat.MAX_TEXT_CHARS), null);
        assertThat(BundleWriter.write(new CaptureBundle(longLabel, List.of(frame)), KEY.getPublic(), "k1")).isNotEmpty();
    }
}
