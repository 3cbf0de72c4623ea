package io.openbio.inference.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import io.openbio.inference.embed.Template;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Coverage-guided fuzzing (Jazzer) of the face-template parser ({@link Template#decode(String)}),
 * which reads templates that clients send (eKYC collections: enrol / search by template). The
 * fuzzer mutates the binary template; the test Base64-encodes it as a client would. Contract: a
 * {@link Template} that encodes back to an equal one, or an {@link InferenceException} with
 * {@link ErrorCode#INVALID_TEMPLATE} or {@link ErrorCode#TEMPLATE_VERSION_MISMATCH}.
 *
 * <p>Stored finding: {@code TemplateFuzzTestInputs/decodeTemplate/regression-non-utf8-model-id}, a
 * template whose model id is 0xFF bytes: decoded leniently to U+FFFD it grew past 255 UTF-8 bytes and
 * {@link Template#encode()} threw {@link IllegalArgumentException}; the id is now decoded strictly.
 */
class TemplateFuzzTest {

    @FuzzTest
    void decodeTemplate(byte[] raw) {
        Template t;
        try {
            t = Template.decode(Base64.getEncoder().encodeToString(raw));
        } catch (InferenceException e) {
            if (e.code() != ErrorCode.INVALID_TEMPLATE && e.code() != ErrorCode.TEMPLATE_VERSION_MISMATCH) {
                throw new AssertionError("template decode failed with " + e.code(), e);
            }
            return;
        }
        Template again = Template.decode(t.encode());
        if (!again.equals(t)) {
            throw new AssertionError("template changed in an encode/decode round trip: " + t + " vs " + again);
        }
    }

    /** Regression for the fuzzer's finding, minimal: a model id that is not UTF-8 is an invalid template. */
    @Test
    void modelIdThatIsNotUtf8IsAnInvalidTemplate() {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes(new byte[] {'O', 'B', 'F', 'T', 1});
        raw.writeBytes(new byte[] {1, (byte) 0xFF}); // id: one byte, not UTF-8
        raw.writeBytes(new byte[] {1, 'v'});
        raw.writeBytes(new byte[] {0, 0}); // dim 0
        String base64 = Base64.getEncoder().encodeToString(raw.toByteArray());
        assertThatThrownBy(() -> Template.decode(base64)).isInstanceOfSatisfying(InferenceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TEMPLATE));
    }
}
