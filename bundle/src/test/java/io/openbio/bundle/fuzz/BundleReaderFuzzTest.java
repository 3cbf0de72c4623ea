package io.openbio.bundle.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.openbio.bundle.BundleException;
import io.openbio.bundle.BundleHeader;
import io.openbio.bundle.BundleMetadataException;
import io.openbio.bundle.BundleParseException;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;
import io.openbio.bundle.KeyResolver;
import io.openbio.bundle.crypto.BundleCrypto;
import io.openbio.bundle.crypto.TestVector;
import io.openbio.bundle.format.BundleFormat;
import io.openbio.bundle.format.InnerBody;
import io.openbio.bundle.format.ParsedBundle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Coverage-guided fuzzing (Jazzer) of the capture-bundle reader, the parser behind
 * {@code POST /check_capture_liveness}. The contract under test: for any bytes whatsoever,
 * {@link BundleReader#header} and {@link BundleReader#read} either return or throw a
 * {@link BundleException} (which the gateway maps to 4xx). Any other throwable, an out-of-memory or
 * a hang is a finding.
 *
 * <p>{@code mvn verify} replays the seeds and stored findings under
 * {@code src/test/resources/io/openbio/bundle/fuzz/BundleReaderFuzzTestInputs/<method>/} (regression
 * mode); {@code bench/fuzz.sh} runs each method with {@code JAZZER_FUZZ=1} for a bounded campaign.
 * The seeds are valid bundles sealed to the SPEC test-vector server key with a fixed ephemeral key
 * and IV ({@link BundleSeeds#main} regenerates them).
 *
 * <p>Stored finding: {@code innerBody/regression-content-type-not-a-media-type}, a frame whose content
 * type is not {@code type/subtype}; the reader now refuses it (see
 * {@link #contentTypeThatIsNotAMediaTypeIsAMetadataError}).
 */
class BundleReaderFuzzTest {
    static final KeyPair SERVER = BundleSeeds.server();
    static final KeyPair EPHEMERAL = BundleSeeds.ephemeral();
    /** SPEC 5.1: frames[i].contentType is a media type. Checked as HTTP needs it: RFC 9110 tokens, no wildcard. */
    static final Pattern CONTENT_TYPE = Pattern.compile("[!#$%&'+.^_`|~0-9A-Za-z-]+/[!#$%&'+.^_`|~0-9A-Za-z-]+");
    static final KeyResolver KEYS = kid -> TestVector.KID.equals(kid) ? Optional.of(SERVER.getPrivate()) : Optional.empty();

    /**
     * Raw bundle bytes, as a client uploads them: the framing, the header JSON, the lengths and the
     * authenticated encryption. Checks that {@code header()} and {@code read()} agree on what is a
     * framing error, and that the framing parser itself ({@link ParsedBundle#parse}) fails only with
     * {@link BundleParseException}, never through the reader's last-resort wrapping of unexpected
     * exceptions.
     */
    @FuzzTest
    @DictionaryEntries({"OBCB", "\"kid\"", "\"alg\"", "\"epk\"", "\"iv\"", "ECDH-P256-HKDF-SHA256-A256GCM",
            "obk1-testvector01", "\"AAECAwQFBgcICQoL\""})
    void outerBundle(byte[] input) {
        try {
            ParsedBundle.parse(input);
        } catch (BundleParseException expected) {
            // a client error
        }
        BundleHeader header = null;
        BundleException headerError = null;
        try {
            header = BundleReader.header(input);
        } catch (BundleException e) {
            headerError = e;
        }
        try {
            CaptureBundle read = BundleReader.read(input, KEYS);
            check(header != null, "read() accepted a bundle whose header() was rejected: " + headerError);
            checkContent(read);
        } catch (BundleParseException e) {
            check(header == null, "read() reports a framing error header() did not see: " + e.getMessage());
        } catch (BundleException e) {
            check(header != null, "header() rejected what read() parsed: " + headerError);
        }
    }

    /**
     * The decrypted inner body (metadata length, metadata JSON, frames): {@link InnerBody#decode}, the
     * stage {@link BundleReader#read} runs after a successful decryption, called directly so that the
     * fuzzer needs no ECDH per input and so that an unexpected exception shows up as itself rather
     * than wrapped by the reader's safety net. The outcome must be a {@link CaptureBundle} or a
     * {@link BundleMetadataException}; what was read must encode again to an equal bundle, and the
     * same body sealed into a real bundle must read to the same content.
     */
    @FuzzTest
    @DictionaryEntries({"\"nonce\"", "\"captureStart\"", "\"captureEnd\"", "\"device\"", "\"camera\"", "\"client\"",
            "\"challenge\"", "\"id\"", "\"actions\"", "\"prompts\"", "TURN_LEFT",
            "\"frames\"", "\"contentType\"", "\"timestamp\"", "\"width\"", "\"height\"", "\"length\"", "\"label\"",
            "\"facingMode\"", "\"name\"", "\"version\"", "image/jpeg"})
    void innerBody(byte[] plaintext) {
        CaptureBundle read;
        try {
            read = InnerBody.decode(plaintext);
        } catch (BundleMetadataException e) {
            return;
        }
        checkContent(read);
        // what the reader accepts, the writer can write: same metadata, same frames
        byte[] again = InnerBody.encode(read);
        CaptureBundle reread;
        try {
            reread = InnerBody.decode(again);
        } catch (BundleMetadataException e) {
            throw new AssertionError("re-encoded body does not decode: " + e, e);
        }
        checkSame(read, reread, "an encode/decode round trip");
        // and through the whole reader: sealed with valid cryptography, it reads to the same content
        byte[] bundle = BundleCrypto.seal(plaintext, SERVER.getPublic(), TestVector.KID, EPHEMERAL, BundleSeeds.IV);
        try {
            checkSame(read, BundleReader.read(bundle, KEYS), "BundleReader.read");
        } catch (BundleException e) {
            throw new AssertionError("BundleReader.read refused a body InnerBody.decode accepts: " + e, e);
        }
    }

    /**
     * Regression for the fuzzer's finding (stored as {@code innerBody/regression-content-type-not-a-media-type}):
     * the reader accepted any non-blank frame content type, and the gateway's {@code /extract_image}
     * and {@code /decrypt} answered 500 when Spring could not use it as the response Content-Type.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "image\u0453peg", "image/*", "*/*", "image/jpeg; charset=nope", "image/jp eg", " image/jpeg", "image/"})
    void contentTypeThatIsNotAMediaTypeIsAMetadataError(String contentType) throws Exception {
        String meta = "{\"nonce\":\"n\",\"captureStart\":1,\"captureEnd\":2,\"frames\":[{\"contentType\":"
                + io.openbio.bundle.format.StrictJson.mapper().writeValueAsString(contentType) + ",\"timestamp\":1,\"length\":3}]}";
        byte[] json = meta.getBytes(StandardCharsets.UTF_8);
        byte[] body = ByteBuffer.allocate(4 + json.length + 3).putInt(json.length).put(json).put(new byte[] {1, 2, 3}).array();
        byte[] bundle = BundleCrypto.seal(body, SERVER.getPublic(), TestVector.KID, EPHEMERAL, BundleSeeds.IV);
        assertThatThrownBy(() -> BundleReader.read(bundle, KEYS)).isInstanceOf(BundleMetadataException.class);
        assertThatThrownBy(() -> InnerBody.encode(new CaptureBundle(new CaptureMetadata("n", 1, 2, null, null, null, null),
                List.of(new CaptureFrame(new byte[] {1, 2, 3}, contentType, 1, null, null)))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/jpeg", "image/png", "image/webp", "application/octet-stream", "image/vnd.ms-photo", "image/svg+xml"})
    void mediaTypesStillRead(String contentType) throws Exception {
        CaptureBundle content = new CaptureBundle(new CaptureMetadata("n", 1, 2, null, null, null, null),
                List.of(new CaptureFrame(new byte[] {1, 2, 3}, contentType, 1, null, null)));
        byte[] bundle = BundleCrypto.seal(InnerBody.encode(content), SERVER.getPublic(), TestVector.KID, EPHEMERAL, BundleSeeds.IV);
        check(BundleReader.read(bundle, KEYS).frames().get(0).contentType().equals(contentType), "content type changed");
    }

    private static void checkSame(CaptureBundle expected, CaptureBundle actual, String where) {
        check(actual.metadata().equals(expected.metadata()), "metadata changed in " + where);
        check(actual.frames().size() == expected.frames().size(), "frame count changed in " + where);
        for (int i = 0; i < expected.frames().size(); i++) {
            CaptureFrame a = expected.frames().get(i);
            CaptureFrame b = actual.frames().get(i);
            check(Arrays.equals(a.image(), b.image()) && a.contentType().equals(b.contentType())
                    && a.timestampMillis() == b.timestampMillis() && java.util.Objects.equals(a.width(), b.width())
                    && java.util.Objects.equals(a.height(), b.height()), "frame " + i + " changed in " + where);
        }
    }

    private static void checkContent(CaptureBundle read) {
        check(read != null && read.metadata() != null, "no metadata");
        check(!read.frames().isEmpty() && read.frames().size() <= InnerBody.maxFrames(read.metadata().challenge() != null),
                "frame count out of range");
        check(read.metadata().challenge() != null || read.frames().size() <= BundleFormat.MAX_FRAMES, "over 16 frames without a challenge");
        check(!read.metadata().nonce().isEmpty(), "empty nonce accepted");
        if (read.metadata().challenge() != null) {
            var c = read.metadata().challenge();
            check(c.id().equals(read.metadata().nonce()), "challenge id other than the nonce accepted");
            check(!c.actions().isEmpty() && c.actions().size() == c.prompts().size()
                    && c.actions().size() <= BundleFormat.MAX_CHALLENGE_ACTIONS, "challenge action/prompt counts accepted");
            c.actions().forEach(a -> check(BundleFormat.validAction(a), "invalid action name accepted"));
        }
        for (CaptureFrame f : read.frames()) {
            check(f.image().length > 0, "empty frame accepted");
            // the gateway answers /extract_image and /decrypt with this as the Content-Type header
            check(CONTENT_TYPE.matcher(f.contentType()).matches(),
                    "frame content type '" + f.contentType() + "' is not a media type (type/subtype)");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
