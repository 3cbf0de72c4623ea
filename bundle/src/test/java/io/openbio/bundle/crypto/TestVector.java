package io.openbio.bundle.crypto;

import io.openbio.bundle.CameraInfo;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureChallenge;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;
import io.openbio.bundle.format.BundleFormat;
import io.openbio.bundle.format.InnerBody;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

import javax.crypto.KeyAgreement;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deterministic test vectors of SPEC.md, computed from their inputs. {@code main} prints one as
 * JSON: without arguments the passive capture ({@code src/test/resources/io/openbio/bundle/test-vector-v1.json}),
 * with {@code challenge} the challenge capture ({@code test-vector-v1-challenge.json}).
 */
public final class TestVector {
    private TestVector() {}

    public static final String KID = "obk1-testvector01";
    public static final byte[] IV = HexFormat.of().parseHex("000102030405060708090a0b");
    /** The challenge vector's IV (a vector of its own: neither its ephemeral key nor its IV repeats the first's). */
    public static final byte[] CHALLENGE_IV = HexFormat.of().parseHex("101112131415161718191a1b");
    public static final String CHALLENGE_NONCE = "test-vector-challenge-nonce";
    /** Frames of the challenge vector: more than a bundle without a challenge may carry. */
    public static final int CHALLENGE_FRAMES = 17;

    static BigInteger scalar(String label) throws Exception {
        X9ECParameters p = CustomNamedCurves.getByName("secp256r1");
        byte[] h = MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
        return new BigInteger(1, h).mod(p.getN());
    }

    static KeyPair keyPair(BigInteger d) throws Exception {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
        org.bouncycastle.math.ec.ECPoint q = CustomNamedCurves.getByName("secp256r1").getG().multiply(d).normalize();
        KeyFactory kf = KeyFactory.getInstance("EC");
        return new KeyPair(
                kf.generatePublic(new ECPublicKeySpec(new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), spec)),
                kf.generatePrivate(new ECPrivateKeySpec(d, spec)));
    }

    public static KeyPair server() throws Exception {
        return keyPair(scalar("openbio capture bundle v1 test vector: server key"));
    }

    public static KeyPair ephemeral() throws Exception {
        return keyPair(scalar("openbio capture bundle v1 test vector: ephemeral key"));
    }

    public static KeyPair challengeEphemeral() throws Exception {
        return keyPair(scalar("openbio capture bundle v1 challenge test vector: ephemeral key"));
    }

    /**
     * A challenge capture: 17 frames 250 ms apart (4 fps) from 1700000000000, the challenge
     * TURN_LEFT then SMILE prompted at +500 and +2500 ms; frame i is the 5 bytes {@code ffd8 i ffd9}.
     */
    public static CaptureBundle challengeContent() {
        Map<String, String> device = new LinkedHashMap<>();
        device.put("os", "TestOS 1");
        device.put("userAgent", "test-vector");
        long start = 1_700_000_000_000L;
        List<CaptureFrame> frames = new java.util.ArrayList<>();
        for (int i = 0; i < CHALLENGE_FRAMES; i++) {
            frames.add(new CaptureFrame(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) i, (byte) 0xff, (byte) 0xd9},
                    "image/jpeg", start + 250L * i, 2, 2));
        }
        return new CaptureBundle(
                new CaptureMetadata(CHALLENGE_NONCE, start, start + 250L * (CHALLENGE_FRAMES - 1), device,
                        new CameraInfo("Test Camera", 2, 2, "user"), "test-vector", "1",
                        new CaptureChallenge(CHALLENGE_NONCE, List.of("TURN_LEFT", "SMILE"), List.of(start + 500, start + 2500))),
                frames);
    }

    public static CaptureBundle content() {
        Map<String, String> device = new LinkedHashMap<>();
        device.put("os", "TestOS 1");
        device.put("userAgent", "test-vector");
        return new CaptureBundle(
                new CaptureMetadata("test-vector-nonce", 1_700_000_000_000L, 1_700_000_000_250L, device,
                        new CameraInfo("Test Camera", 2, 2, "user"), "test-vector", "1"),
                List.of(new CaptureFrame(HexFormat.of().parseHex("ffd8ffd9"), "image/jpeg", 1_700_000_000_100L, 2, 2)));
    }

    /** All inputs, intermediates and the output, in the order SPEC.md explains them. */
    public static Map<String, String> compute() throws Exception {
        return compute(content(), ephemeral(), IV);
    }

    /** The challenge vector: same server key and kid, its own ephemeral key and IV. */
    public static Map<String, String> computeChallenge() throws Exception {
        return compute(challengeContent(), challengeEphemeral(), CHALLENGE_IV);
    }

    static Map<String, String> compute(CaptureBundle content, KeyPair eph, byte[] iv) throws Exception {
        HexFormat hex = HexFormat.of();
        KeyPair server = server();
        byte[] plaintext = InnerBody.encode(content);
        byte[] bundle = BundleCrypto.seal(plaintext, server.getPublic(), KID, eph, iv);
        int metadataLength = ((plaintext[0] & 0xFF) << 24) | ((plaintext[1] & 0xFF) << 16) | ((plaintext[2] & 0xFF) << 8) | (plaintext[3] & 0xFF);
        byte[] epk = BundleCrypto.encodePoint(((java.security.interfaces.ECPublicKey) eph.getPublic()).getW());
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(eph.getPrivate());
        ka.doPhase(server.getPublic(), true);
        byte[] z = ka.generateSecret();
        byte[] info = BundleFormat.hkdfInfo(BundleFormat.ALG, KID);
        byte[] key = BundleCrypto.hkdf(z, epk, info);
        int h = ((bundle[5] & 0xFF) << 8) | (bundle[6] & 0xFF);
        int aadLength = 7 + h + 4;

        Map<String, String> v = new LinkedHashMap<>();
        v.put("serverPrivateKeyD", String.format("%064x", ((java.security.interfaces.ECPrivateKey) server.getPrivate()).getS()));
        v.put("serverPublicKeySpki", Base64.getEncoder().encodeToString(server.getPublic().getEncoded()));
        v.put("kid", KID);
        v.put("ephemeralPrivateKeyD", String.format("%064x", ((java.security.interfaces.ECPrivateKey) eph.getPrivate()).getS()));
        v.put("epk", hex.formatHex(epk));
        v.put("iv", hex.formatHex(iv));
        v.put("plaintext", hex.formatHex(plaintext));
        v.put("metadataJson", new String(plaintext, 4, metadataLength, StandardCharsets.UTF_8));
        v.put("ecdhSharedSecret", hex.formatHex(z));
        v.put("hkdfSalt", hex.formatHex(epk));
        v.put("hkdfInfo", new String(info, StandardCharsets.UTF_8));
        v.put("aesKey", hex.formatHex(key));
        v.put("headerJson", new String(bundle, 7, h, StandardCharsets.UTF_8));
        v.put("aad", hex.formatHex(bundle, 0, aadLength));
        v.put("bundle", hex.formatHex(bundle));
        return v;
    }

    public static void main(String[] args) throws Exception {
        System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(args.length > 0 && args[0].equals("challenge") ? computeChallenge() : compute()));
    }
}
