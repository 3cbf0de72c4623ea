package io.openbio.inference.embed;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A face template: the model that made it, that model's version, and the L2-normalised vector.
 *
 * <p>Wire format (then standard Base64 of the whole):
 * <pre>
 *   magic      4 bytes  "OBFT"
 *   format     1 byte   1
 *   idLen      1 byte, id      UTF-8   (e.g. "fr_feature")
 *   verLen     1 byte, version UTF-8   (package version + "+" + first 12 hex of the model SHA-256)
 *   dim        2 bytes  big-endian (512)
 *   vector     dim x float32 little-endian
 * </pre>
 * {@link #decode(String, String, String)} refuses a template of another format, model or version
 * ({@link ErrorCode#TEMPLATE_VERSION_MISMATCH}): vectors of different models are not comparable.
 */
public record Template(String modelId, String modelVersion, float[] vector) {
    static final byte[] MAGIC = {'O', 'B', 'F', 'T'};
    public static final int FORMAT = 1;

    public String encode() {
        byte[] id = modelId.getBytes(StandardCharsets.UTF_8);
        byte[] ver = modelVersion.getBytes(StandardCharsets.UTF_8);
        if (id.length > 255 || ver.length > 255) {
            throw new IllegalArgumentException("model id or version too long");
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + 1 + id.length + 1 + ver.length + 2 + 4 * vector.length);
        b.put(MAGIC).put((byte) FORMAT).put((byte) id.length).put(id).put((byte) ver.length).put(ver);
        b.putShort((short) vector.length);
        b.order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
            b.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    /** Parses any well-formed template of this format, whatever model made it. */
    public static Template decode(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
        } catch (IllegalArgumentException e) {
            throw new InferenceException(ErrorCode.INVALID_TEMPLATE, "template is not Base64: " + e.getMessage(), e);
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(raw);
            byte[] magic = new byte[4];
            b.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new InferenceException(ErrorCode.INVALID_TEMPLATE, "not an OpenBio face template (bad magic)");
            }
            int format = b.get() & 0xff;
            if (format != FORMAT) {
                throw new InferenceException(ErrorCode.TEMPLATE_VERSION_MISMATCH,
                        "template format " + format + " is not supported (this library reads format " + FORMAT + ")");
            }
            byte[] id = new byte[b.get() & 0xff];
            b.get(id);
            byte[] ver = new byte[b.get() & 0xff];
            b.get(ver);
            int dim = b.getShort() & 0xffff;
            if (b.remaining() != 4 * dim) {
                throw new InferenceException(ErrorCode.INVALID_TEMPLATE,
                        "template declares " + dim + " values but holds " + b.remaining() + " bytes");
            }
            b.order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[dim];
            for (int i = 0; i < dim; i++) {
                v[i] = b.getFloat();
            }
            return new Template(utf8(id, "model id"), utf8(ver, "model version"), v);
        } catch (BufferUnderflowException e) {
            throw new InferenceException(ErrorCode.INVALID_TEMPLATE, "template is truncated", e);
        }
    }

    /**
     * Strict UTF-8: a lenient decode would turn invalid bytes into U+FFFD, a template that no longer
     * encodes to what was sent and may not encode at all (3 bytes per replaced byte can exceed 255).
     */
    private static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InferenceException(ErrorCode.INVALID_TEMPLATE, "template " + what + " is not valid UTF-8", e);
        }
    }

    /** Parses a template and refuses it unless it was made by exactly this model and version. */
    public static Template decode(String base64, String expectedModelId, String expectedVersion) {
        Template t = decode(base64);
        if (!t.modelId.equals(expectedModelId) || !t.modelVersion.equals(expectedVersion)) {
            throw new InferenceException(ErrorCode.TEMPLATE_VERSION_MISMATCH, "template was made by model "
                    + t.modelId + " version " + t.modelVersion + "; this installation uses " + expectedModelId
                    + " version " + expectedVersion + ". Re-enrol the face from its image.");
        }
        return t;
    }

    /** Cosine similarity; refuses templates of different models or versions. */
    public double similarity(Template other) {
        if (!modelId.equals(other.modelId) || !modelVersion.equals(other.modelVersion)) {
            throw new InferenceException(ErrorCode.TEMPLATE_VERSION_MISMATCH, "cannot compare a " + modelId + "/"
                    + modelVersion + " template with a " + other.modelId + "/" + other.modelVersion + " template");
        }
        return Similarity.cosine(vector, other.vector);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Template t && t.modelId.equals(modelId) && t.modelVersion.equals(modelVersion)
                && Arrays.equals(t.vector, vector);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * modelId.hashCode() + modelVersion.hashCode()) + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "Template[" + modelId + "/" + modelVersion + ", dim=" + vector.length + "]";
    }
}
