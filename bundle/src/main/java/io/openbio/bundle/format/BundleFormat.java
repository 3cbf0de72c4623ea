package io.openbio.bundle.format;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/** Constants of capture-bundle format v1; see {@code bundle/SPEC.md}. */
public final class BundleFormat {
    private BundleFormat() {}

    /** "OBCB": OpenBio Capture Bundle. */
    public static final byte[] MAGIC = {0x4F, 0x42, 0x43, 0x42};
    public static final int VERSION = 1;
    /** The only algorithm of version 1: ephemeral-static ECDH on P-256, HKDF-SHA256, AES-256-GCM. */
    public static final String ALG = "ECDH-P256-HKDF-SHA256-A256GCM";
    public static final String CURVE = "P-256";

    /** magic (4) + version (1) + header length (2). */
    public static final int PREFIX_BYTES = 7;
    /** The 4-byte body length that follows the header JSON. */
    public static final int BODY_LENGTH_BYTES = 4;
    public static final int MAX_HEADER_BYTES = 4096;
    public static final int GCM_TAG_BYTES = 16;
    public static final int IV_BYTES = 12;
    /** Uncompressed SEC1 point: 0x04 || X (32) || Y (32). */
    public static final int EPK_BYTES = 65;
    /** Largest encrypted body (ciphertext + tag). */
    public static final int MAX_BODY_BYTES = 12 * 1024 * 1024;
    /** Largest plaintext: body minus the tag. */
    public static final int MAX_PLAINTEXT_BYTES = MAX_BODY_BYTES - GCM_TAG_BYTES;
    /** Largest whole bundle a reader accepts. */
    public static final int MAX_BUNDLE_BYTES = PREFIX_BYTES + MAX_HEADER_BYTES + BODY_LENGTH_BYTES + MAX_BODY_BYTES;

    public static final int METADATA_LENGTH_BYTES = 4;
    public static final int MAX_METADATA_BYTES = 64 * 1024;
    public static final int MAX_FRAMES = 16;
    /**
     * Frames of a bundle that carries a {@code challenge} (an active-liveness capture: a frame
     * sequence at about 4-6 fps over a challenge of about 10 s); SPEC.md 5.2.
     */
    public static final int MAX_CHALLENGE_FRAMES = 64;
    /** Actions of a {@code challenge}: 1 to this many. */
    public static final int MAX_CHALLENGE_ACTIONS = 16;
    /** An action name: 1 to this many characters of {@link #ACTION_PATTERN}. */
    public static final int MAX_ACTION_CHARS = 64;
    /*
     * String limits below ("CHARS") count Unicode code points of the decoded string (see
     * codePoints), never UTF-16 code units or UTF-8 bytes; SPEC.md section 5.1.
     */
    public static final int MAX_NONCE_CHARS = 512;
    public static final int MAX_CONTENT_TYPE_CHARS = 128;
    public static final int MAX_DEVICE_ENTRIES = 64;
    public static final int MAX_DEVICE_KEY_CHARS = 64;
    public static final int MAX_TEXT_CHARS = 1024;
    public static final int MAX_DIMENSION = 65535;

    /**
     * Frame content types: a media type {@code type/subtype} of RFC 6838 restricted names, no
     * parameters, no wildcards; what the server may send back as a Content-Type header.
     */
    public static final Pattern CONTENT_TYPE_PATTERN =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*");

    /** Challenge action names as the server issues them, e.g. {@code TURN_LEFT}: ASCII upper case, digits, underscores. */
    public static final Pattern ACTION_PATTERN = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** Key ids: 1-64 characters of {@code [A-Za-z0-9._-]}. */
    public static final Pattern KID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** HKDF info prefix; the full info is {@code "openbio-capture-bundle/v1|" + alg + "|" + kid} in UTF-8. */
    public static final String INFO_PREFIX = "openbio-capture-bundle/v1|";

    public static byte[] hkdfInfo(String alg, String kid) {
        return (INFO_PREFIX + alg + "|" + kid).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The length of {@code s} in Unicode code points (scalar values), the unit of every string
     * limit of the format; -1 when {@code s} holds an unpaired surrogate (JSON can spell one as an
     * escape, {@code "\\uD800"}, but it is no Unicode text and the format refuses it).
     */
    public static int codePoints(String s) {
        int count = 0;
        for (int i = 0; i < s.length(); i++, count++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return -1;
                }
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            }
        }
        return count;
    }

    /** Whether {@code s} is well-formed Unicode of {@code min} to {@code max} code points. */
    public static boolean codePointsWithin(String s, int min, int max) {
        int n = s == null ? -1 : codePoints(s);
        return n >= min && n <= max;
    }

    /**
     * Decodes base64 exactly as the header must carry it: the standard alphabet with padding, in
     * canonical form (RFC 4648 sections 4 and 3.5: length a multiple of 4, the unused bits of the
     * last character zero). Anything else, unpadded or URL-safe input included, is null.
     */
    public static byte[] decodeStrictBase64(String text) {
        if (text == null || text.length() % 4 != 0) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
    }

    public static boolean validKid(String kid) {
        return kid != null && KID_PATTERN.matcher(kid).matches();
    }

    public static boolean validAction(String action) {
        return action != null && action.length() <= MAX_ACTION_CHARS && ACTION_PATTERN.matcher(action).matches();
    }

    public static boolean validContentType(String contentType) {
        return contentType != null && contentType.length() <= MAX_CONTENT_TYPE_CHARS
                && CONTENT_TYPE_PATTERN.matcher(contentType).matches();
    }
}
