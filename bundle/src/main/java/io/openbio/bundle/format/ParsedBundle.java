package io.openbio.bundle.format;

import io.openbio.bundle.BundleHeader;
import io.openbio.bundle.BundleParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;

/**
 * The outer framing of a bundle, validated: every length checked against the limits and against
 * the input before anything is allocated, the header JSON parsed strictly.
 *
 * @param header     version, kid, alg
 * @param epk        the ephemeral public key, uncompressed SEC1 point (65 bytes)
 * @param iv         the 12-byte AES-GCM IV
 * @param aadLength  bytes {@code [0, aadLength)} are the GCM additional authenticated data
 * @param bodyOffset where the ciphertext (and tag) starts; it runs to the end of the input
 * @param bodyLength ciphertext length including the 16-byte tag
 */
public record ParsedBundle(BundleHeader header, byte[] epk, byte[] iv, int aadLength, int bodyOffset, int bodyLength) {

    private static final Set<String> HEADER_MEMBERS = Set.of("kid", "alg", "epk", "iv");

    public static ParsedBundle parse(byte[] in) throws BundleParseException {
        if (in == null || in.length == 0) {
            throw new BundleParseException("empty input");
        }
        if (in.length > BundleFormat.MAX_BUNDLE_BYTES) {
            throw new BundleParseException("input of " + in.length + " bytes exceeds the limit of "
                    + BundleFormat.MAX_BUNDLE_BYTES);
        }
        int minimum = BundleFormat.PREFIX_BYTES + 2 + BundleFormat.BODY_LENGTH_BYTES + BundleFormat.GCM_TAG_BYTES;
        if (in.length < BundleFormat.MAGIC.length
                || !Arrays.equals(in, 0, BundleFormat.MAGIC.length, BundleFormat.MAGIC, 0, BundleFormat.MAGIC.length)) {
            throw new BundleParseException("not a capture bundle (bad magic)");
        }
        if (in.length < minimum) {
            throw new BundleParseException("truncated: " + in.length + " bytes");
        }
        int version = in[4] & 0xFF;
        if (version != BundleFormat.VERSION) {
            throw new BundleParseException("unsupported format version " + version);
        }
        int headerLength = ((in[5] & 0xFF) << 8) | (in[6] & 0xFF);
        if (headerLength < 2 || headerLength > BundleFormat.MAX_HEADER_BYTES) {
            throw new BundleParseException("header length " + headerLength + " out of range");
        }
        int headerEnd = BundleFormat.PREFIX_BYTES + headerLength;
        if (headerEnd + BundleFormat.BODY_LENGTH_BYTES > in.length) {
            throw new BundleParseException("truncated header");
        }
        long bodyLength = ((in[headerEnd] & 0xFFL) << 24) | ((in[headerEnd + 1] & 0xFFL) << 16)
                | ((in[headerEnd + 2] & 0xFFL) << 8) | (in[headerEnd + 3] & 0xFFL);
        if (bodyLength <= BundleFormat.GCM_TAG_BYTES || bodyLength > BundleFormat.MAX_BODY_BYTES) {
            throw new BundleParseException("body length " + bodyLength + " out of range");
        }
        int bodyOffset = headerEnd + BundleFormat.BODY_LENGTH_BYTES;
        long expected = bodyOffset + bodyLength;
        if (expected > in.length) {
            throw new BundleParseException("truncated: body declares " + bodyLength + " bytes, "
                    + (in.length - bodyOffset) + " present");
        }
        if (expected < in.length) {
            throw new BundleParseException((in.length - expected) + " bytes after the end of the body");
        }

        ObjectNode json;
        try {
            json = StrictJson.parseObject(Arrays.copyOfRange(in, BundleFormat.PREFIX_BYTES, headerEnd));
        } catch (IOException e) {
            throw new BundleParseException("header is not valid JSON: " + safe(e.getMessage()), e);
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!HEADER_MEMBERS.contains(name)) {
                throw new BundleParseException("unknown header member '" + clip(name) + "'");
            }
        }
        String kid = text(json, "kid");
        if (!BundleFormat.validKid(kid)) {
            throw new BundleParseException("header kid is not 1-64 characters of [A-Za-z0-9._-]");
        }
        String alg = text(json, "alg");
        if (!BundleFormat.ALG.equals(alg)) {
            throw new BundleParseException("unsupported alg '" + clip(alg) + "'");
        }
        byte[] epk = base64(json, "epk", BundleFormat.EPK_BYTES);
        if (epk[0] != 0x04) {
            throw new BundleParseException("epk is not an uncompressed point");
        }
        byte[] iv = base64(json, "iv", BundleFormat.IV_BYTES);
        return new ParsedBundle(new BundleHeader(version, kid, alg), epk, iv, bodyOffset, bodyOffset, (int) bodyLength);
    }

    private static String text(ObjectNode json, String name) throws BundleParseException {
        JsonNode node = json.get(name);
        if (node == null || !node.isTextual()) {
            throw new BundleParseException("header member '" + name + "' missing or not a string");
        }
        return node.textValue();
    }

    private static byte[] base64(ObjectNode json, String name, int length) throws BundleParseException {
        String value = text(json, name);
        byte[] bytes = BundleFormat.decodeStrictBase64(value);
        if (bytes == null) {
            throw new BundleParseException("header member '" + name + "' is not padded, canonical standard base64");
        }
        if (bytes.length != length) {
            throw new BundleParseException("header member '" + name + "' decodes to " + bytes.length
                    + " bytes, expected " + length);
        }
        return bytes;
    }

    static String clip(String s) {
        return clip(s, 40);
    }

    private static String clip(String s, int max) {
        if (s == null) {
            return "null";
        }
        String printable = s.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > max ? printable.substring(0, max) + "..." : printable;
    }

    /** The first line of a parser message, printable ASCII, at most 160 characters. */
    static String safe(String message) {
        return message == null ? "" : clip(message.lines().findFirst().orElse(""), 160);
    }
}
