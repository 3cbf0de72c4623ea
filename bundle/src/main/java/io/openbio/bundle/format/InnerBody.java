package io.openbio.bundle.format;

import io.openbio.bundle.BundleMetadataException;
import io.openbio.bundle.CameraInfo;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureChallenge;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plaintext inside the encryption: {@code uint32 M || metadata JSON (M bytes) || frame 0 || frame 1 ...},
 * the frames' lengths given by the metadata's {@code frames[i].length}.
 */
public final class InnerBody {
    private InnerBody() {}

    // ---------------------------------------------------------------- encode

    /** Encodes a bundle's content; {@link IllegalArgumentException} when it breaks a limit of the format. */
    public static byte[] encode(CaptureBundle bundle) {
        require(bundle != null, "bundle is null");
        CaptureMetadata m = bundle.metadata();
        List<CaptureFrame> frames = bundle.frames();
        require(m != null, "metadata is null");
        require(frames != null && !frames.isEmpty(), "at least one frame is required");
        int maxFrames = maxFrames(m.challenge() != null);
        require(frames.size() <= maxFrames, "at most " + maxFrames + " frames"
                + (m.challenge() == null ? " without a challenge" : " with a challenge"));
        require(BundleFormat.codePointsWithin(m.nonce(), 1, BundleFormat.MAX_NONCE_CHARS),
                "nonce must be 1-" + BundleFormat.MAX_NONCE_CHARS + " code points of well-formed Unicode");
        require(m.captureStartMillis() >= 0 && m.captureEndMillis() >= 0, "capture times must not be negative");

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("nonce", m.nonce());
        json.put("captureStart", m.captureStartMillis());
        json.put("captureEnd", m.captureEndMillis());
        Map<String, String> device = m.device() == null ? Map.of() : m.device();
        require(device.size() <= BundleFormat.MAX_DEVICE_ENTRIES, "at most " + BundleFormat.MAX_DEVICE_ENTRIES + " device entries");
        Map<String, String> deviceJson = new LinkedHashMap<>();
        device.forEach((k, v) -> {
            require(BundleFormat.codePointsWithin(k, 1, BundleFormat.MAX_DEVICE_KEY_CHARS), "bad device key");
            require(BundleFormat.codePointsWithin(v, 0, BundleFormat.MAX_TEXT_CHARS),
                    "device value for '" + k + "' is null, too long or not well-formed Unicode");
            deviceJson.put(k, v);
        });
        json.put("device", deviceJson);
        if (m.camera() != null) {
            CameraInfo c = m.camera();
            Map<String, Object> camera = new LinkedHashMap<>();
            putText(camera, "label", c.label());
            putDimension(camera, "width", c.width());
            putDimension(camera, "height", c.height());
            putText(camera, "facingMode", c.facingMode());
            json.put("camera", camera);
        }
        Map<String, Object> client = new LinkedHashMap<>();
        putText(client, "name", m.clientName());
        putText(client, "version", m.clientVersion());
        json.put("client", client);
        if (m.challenge() != null) {
            json.put("challenge", challengeJson(m.challenge(), m.nonce()));
        }

        long total = 0;
        List<Map<String, Object>> frameJson = new ArrayList<>();
        for (CaptureFrame f : frames) {
            require(f != null && f.image() != null && f.image().length > 0, "every frame needs a non-empty image");
            require(BundleFormat.validContentType(f.contentType()), "frame content type must be a media type such as image/jpeg");
            require(f.timestampMillis() >= 0, "frame timestamp must not be negative");
            Map<String, Object> fj = new LinkedHashMap<>();
            fj.put("contentType", f.contentType());
            fj.put("timestamp", f.timestampMillis());
            putDimension(fj, "width", f.width());
            putDimension(fj, "height", f.height());
            fj.put("length", f.image().length);
            frameJson.add(fj);
            total += f.image().length;
        }
        json.put("frames", frameJson);

        byte[] meta = StrictJson.write(json);
        require(meta.length <= BundleFormat.MAX_METADATA_BYTES, "metadata JSON exceeds " + BundleFormat.MAX_METADATA_BYTES + " bytes");
        total += BundleFormat.METADATA_LENGTH_BYTES + meta.length;
        require(total <= BundleFormat.MAX_PLAINTEXT_BYTES,
                "bundle content of " + total + " bytes exceeds " + BundleFormat.MAX_PLAINTEXT_BYTES);

        byte[] out = new byte[(int) total];
        int p = 0;
        out[p++] = (byte) (meta.length >>> 24);
        out[p++] = (byte) (meta.length >>> 16);
        out[p++] = (byte) (meta.length >>> 8);
        out[p++] = (byte) meta.length;
        System.arraycopy(meta, 0, out, p, meta.length);
        p += meta.length;
        for (CaptureFrame f : frames) {
            System.arraycopy(f.image(), 0, out, p, f.image().length);
            p += f.image().length;
        }
        return out;
    }

    /** The frame limit: {@link BundleFormat#MAX_CHALLENGE_FRAMES} with a challenge, {@link BundleFormat#MAX_FRAMES} without. */
    public static int maxFrames(boolean challenge) {
        return challenge ? BundleFormat.MAX_CHALLENGE_FRAMES : BundleFormat.MAX_FRAMES;
    }

    private static Map<String, Object> challengeJson(CaptureChallenge c, String nonce) {
        require(nonce.equals(c.id()), "challenge id must be the bundle's nonce");
        List<String> actions = c.actions();
        List<Long> prompts = c.prompts();
        require(actions != null && !actions.isEmpty() && actions.size() <= BundleFormat.MAX_CHALLENGE_ACTIONS,
                "a challenge has 1-" + BundleFormat.MAX_CHALLENGE_ACTIONS + " actions");
        require(prompts != null && prompts.size() == actions.size(), "a challenge needs one prompt time per action");
        for (String action : actions) {
            require(BundleFormat.validAction(action),
                    "action names are 1-" + BundleFormat.MAX_ACTION_CHARS + " characters of [A-Z0-9_] starting with a letter");
        }
        for (Long prompt : prompts) {
            require(prompt != null && prompt >= 0, "prompt times must not be negative");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", c.id());
        json.put("actions", actions);
        json.put("prompts", prompts);
        return json;
    }

    private static void putText(Map<String, Object> target, String name, String value) {
        if (value != null) {
            require(BundleFormat.codePointsWithin(value, 0, BundleFormat.MAX_TEXT_CHARS),
                    name + " longer than " + BundleFormat.MAX_TEXT_CHARS + " code points or not well-formed Unicode");
            target.put(name, value);
        }
    }

    private static void putDimension(Map<String, Object> target, String name, Integer value) {
        if (value != null) {
            require(value >= 1 && value <= BundleFormat.MAX_DIMENSION, name + " must be 1-" + BundleFormat.MAX_DIMENSION);
            target.put(name, value);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    // ---------------------------------------------------------------- decode

    /** Decodes an authenticated plaintext; anything that does not fit v1 is a {@link BundleMetadataException}. */
    public static CaptureBundle decode(byte[] plain) throws BundleMetadataException {
        if (plain.length < BundleFormat.METADATA_LENGTH_BYTES) {
            throw new BundleMetadataException("body shorter than its metadata length field");
        }
        long metaLength = ((plain[0] & 0xFFL) << 24) | ((plain[1] & 0xFFL) << 16) | ((plain[2] & 0xFFL) << 8) | (plain[3] & 0xFFL);
        if (metaLength < 2 || metaLength > BundleFormat.MAX_METADATA_BYTES
                || BundleFormat.METADATA_LENGTH_BYTES + metaLength > plain.length) {
            throw new BundleMetadataException("metadata length " + metaLength + " out of range");
        }
        int metaEnd = BundleFormat.METADATA_LENGTH_BYTES + (int) metaLength;
        ObjectNode json;
        try {
            json = StrictJson.parseObject(Arrays.copyOfRange(plain, BundleFormat.METADATA_LENGTH_BYTES, metaEnd));
        } catch (IOException e) {
            throw new BundleMetadataException("metadata is not valid JSON: " + ParsedBundle.safe(e.getMessage()), e);
        }

        String nonce = requiredText(json, "nonce", BundleFormat.MAX_NONCE_CHARS);
        if (nonce.isEmpty()) {
            throw new BundleMetadataException("nonce is empty");
        }
        long start = requiredTime(json, "captureStart");
        long end = requiredTime(json, "captureEnd");
        Map<String, String> device = device(json.get("device"));
        CameraInfo camera = camera(json.get("camera"));
        String clientName = null;
        String clientVersion = null;
        JsonNode client = json.get("client");
        if (client != null && !client.isNull()) {
            ObjectNode c = object(client, "client");
            clientName = optionalText(c, "name", BundleFormat.MAX_TEXT_CHARS);
            clientVersion = optionalText(c, "version", BundleFormat.MAX_TEXT_CHARS);
        }

        CaptureChallenge challenge = challenge(json.get("challenge"), nonce);

        JsonNode framesNode = json.get("frames");
        if (framesNode == null || !framesNode.isArray()) {
            throw new BundleMetadataException("frames missing or not an array");
        }
        ArrayNode framesArray = (ArrayNode) framesNode;
        int maxFrames = maxFrames(challenge != null);
        if (framesArray.isEmpty() || framesArray.size() > maxFrames) {
            throw new BundleMetadataException("frame count " + framesArray.size() + " not in 1-" + maxFrames
                    + (challenge == null ? " (no challenge)" : " (challenge)"));
        }
        long remaining = plain.length - metaEnd;
        long declared = 0;
        List<int[]> lengths = new ArrayList<>();
        for (JsonNode f : framesArray) {
            ObjectNode fo = object(f, "frame");
            long length = requiredLong(fo, "length", 1, BundleFormat.MAX_PLAINTEXT_BYTES);
            declared += length;
            lengths.add(new int[] {(int) length});
        }
        if (declared != remaining) {
            throw new BundleMetadataException("frames declare " + declared + " bytes, body holds " + remaining);
        }
        List<CaptureFrame> frames = new ArrayList<>(framesArray.size());
        int p = metaEnd;
        int i = 0;
        for (JsonNode f : framesArray) {
            ObjectNode fo = (ObjectNode) f;
            String contentType = requiredText(fo, "contentType", BundleFormat.MAX_CONTENT_TYPE_CHARS);
            if (!BundleFormat.validContentType(contentType)) {
                // it is echoed as the Content-Type of /extract_image and /decrypt: type/subtype only
                throw new BundleMetadataException("frame content type '" + ParsedBundle.clip(contentType) + "' is not a media type");
            }
            long timestamp = requiredTime(fo, "timestamp");
            Integer width = dimension(fo, "width");
            Integer height = dimension(fo, "height");
            int length = lengths.get(i++)[0];
            frames.add(new CaptureFrame(Arrays.copyOfRange(plain, p, p + length), contentType, timestamp, width, height));
            p += length;
        }
        CaptureMetadata metadata = new CaptureMetadata(nonce, start, end, device, camera, clientName, clientVersion, challenge);
        return new CaptureBundle(metadata, List.copyOf(frames));
    }

    private static Map<String, String> device(JsonNode node) throws BundleMetadataException {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        ObjectNode o = object(node, "device");
        if (o.size() > BundleFormat.MAX_DEVICE_ENTRIES) {
            throw new BundleMetadataException("more than " + BundleFormat.MAX_DEVICE_ENTRIES + " device entries");
        }
        Map<String, String> device = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!BundleFormat.codePointsWithin(e.getKey(), 1, BundleFormat.MAX_DEVICE_KEY_CHARS)) {
                throw new BundleMetadataException("bad device key");
            }
            if (!e.getValue().isTextual() || !BundleFormat.codePointsWithin(e.getValue().textValue(), 0, BundleFormat.MAX_TEXT_CHARS)) {
                throw new BundleMetadataException("device value '" + ParsedBundle.clip(e.getKey()) + "' is not a string of at most "
                        + BundleFormat.MAX_TEXT_CHARS + " code points");
            }
            device.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(device);
    }

    private static final java.util.Set<String> CHALLENGE_MEMBERS = java.util.Set.of("id", "actions", "prompts");

    /** SPEC.md 5.2: exactly id (= the nonce), actions and prompts (as many as actions); nothing else. */
    private static CaptureChallenge challenge(JsonNode node, String nonce) throws BundleMetadataException {
        if (node == null || node.isNull()) {
            return null;
        }
        ObjectNode o = object(node, "challenge");
        for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CHALLENGE_MEMBERS.contains(name)) {
                throw new BundleMetadataException("challenge has an unknown member '" + ParsedBundle.clip(name) + "'");
            }
        }
        String id = requiredText(o, "id", BundleFormat.MAX_NONCE_CHARS);
        if (!id.equals(nonce)) {
            throw new BundleMetadataException("challenge id is not the bundle's nonce");
        }
        JsonNode actionsNode = o.get("actions");
        JsonNode promptsNode = o.get("prompts");
        if (actionsNode == null || !actionsNode.isArray() || promptsNode == null || !promptsNode.isArray()) {
            throw new BundleMetadataException("challenge actions or prompts missing or not an array");
        }
        if (actionsNode.isEmpty() || actionsNode.size() > BundleFormat.MAX_CHALLENGE_ACTIONS) {
            throw new BundleMetadataException("challenge action count " + actionsNode.size() + " not in 1-"
                    + BundleFormat.MAX_CHALLENGE_ACTIONS);
        }
        if (promptsNode.size() != actionsNode.size()) {
            throw new BundleMetadataException("challenge has " + actionsNode.size() + " actions but "
                    + promptsNode.size() + " prompt times");
        }
        List<String> actions = new ArrayList<>(actionsNode.size());
        for (JsonNode a : actionsNode) {
            if (!a.isTextual() || !BundleFormat.validAction(a.textValue())) {
                throw new BundleMetadataException("challenge action is not a name of 1-" + BundleFormat.MAX_ACTION_CHARS
                        + " characters of [A-Z0-9_]");
            }
            actions.add(a.textValue());
        }
        List<Long> prompts = new ArrayList<>(promptsNode.size());
        for (JsonNode p : promptsNode) {
            if (!p.isIntegralNumber() || !p.canConvertToLong() || p.longValue() < 0) {
                throw new BundleMetadataException("challenge prompt time is not an integer >= 0");
            }
            prompts.add(p.longValue());
        }
        return new CaptureChallenge(id, actions, prompts);
    }

    private static CameraInfo camera(JsonNode node) throws BundleMetadataException {
        if (node == null || node.isNull()) {
            return null;
        }
        ObjectNode o = object(node, "camera");
        return new CameraInfo(optionalText(o, "label", BundleFormat.MAX_TEXT_CHARS), dimension(o, "width"),
                dimension(o, "height"), optionalText(o, "facingMode", BundleFormat.MAX_TEXT_CHARS));
    }

    private static ObjectNode object(JsonNode node, String what) throws BundleMetadataException {
        if (!node.isObject()) {
            throw new BundleMetadataException(what + " is not an object");
        }
        return (ObjectNode) node;
    }

    private static String requiredText(ObjectNode o, String name, int max) throws BundleMetadataException {
        String value = optionalText(o, name, max);
        if (value == null) {
            throw new BundleMetadataException("'" + name + "' is missing");
        }
        return value;
    }

    private static String optionalText(ObjectNode o, String name, int max) throws BundleMetadataException {
        JsonNode node = o.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !BundleFormat.codePointsWithin(node.textValue(), 0, max)) {
            throw new BundleMetadataException("'" + name + "' is not a string of at most " + max + " code points");
        }
        return node.textValue();
    }

    private static long requiredTime(ObjectNode o, String name) throws BundleMetadataException {
        return requiredLong(o, name, 0, Long.MAX_VALUE);
    }

    private static long requiredLong(ObjectNode o, String name, long min, long max) throws BundleMetadataException {
        JsonNode node = o.get(name);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new BundleMetadataException("'" + name + "' missing or not an integer");
        }
        long value = node.longValue();
        if (value < min || value > max) {
            throw new BundleMetadataException("'" + name + "' = " + value + " out of range");
        }
        return value;
    }

    private static Integer dimension(ObjectNode o, String name) throws BundleMetadataException {
        JsonNode node = o.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        return (int) requiredLong(o, name, 1, BundleFormat.MAX_DIMENSION);
    }
}
