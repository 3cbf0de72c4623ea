package io.openbio.inference.tfjs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal Protocol Buffers writer (wire format only): varint and length-delimited fields. Enough to write an ONNX {@code ModelProto}; the field numbers used are those of
 * onnx/onnx.proto (ONNX IR version 7).
 */
final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private void raw(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void tag(int field, int wireType) {
        raw(((long) field << 3) | wireType);
    }

    Proto varint(int field, long v) {
        tag(field, 0);
        raw(v);
        return this;
    }

    Proto bytes(int field, byte[] b) {
        tag(field, 2);
        raw(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    Proto string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto m) {
        return bytes(field, m.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
