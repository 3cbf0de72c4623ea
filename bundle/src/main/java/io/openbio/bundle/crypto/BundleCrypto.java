package io.openbio.bundle.crypto;

import io.openbio.bundle.BundleDecryptException;
import io.openbio.bundle.format.BundleFormat;
import io.openbio.bundle.format.ParsedBundle;
import io.openbio.bundle.format.StrictJson;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cryptography of format v1, from standard primitives only: ECDH P-256 and AES-256-GCM from
 * the JCA, HKDF-SHA256 and point validation from Bouncy Castle.
 */
public final class BundleCrypto {
    private BundleCrypto() {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final X9ECParameters BC_P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECParameterSpec P256;

    static {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            P256 = params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A fresh P-256 key pair (for ephemeral keys and for the server's key store). */
    public static KeyPair generateP256() {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return kpg.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    /** True when {@code key} is an EC key on P-256. */
    public static boolean isP256(Object key) {
        if (!(key instanceof ECKey ec) || ec.getParams() == null) {
            return false;
        }
        ECParameterSpec p = ec.getParams();
        return p.getCurve().equals(P256.getCurve()) && p.getGenerator().equals(P256.getGenerator())
                && p.getOrder().equals(P256.getOrder());
    }

    /**
     * Encrypts {@code plaintext} (an already encoded inner body) to {@code serverKey} and frames it
     * as a v1 bundle. Low level: {@link io.openbio.bundle.BundleWriter} is the normal entry point.
     */
    public static byte[] seal(byte[] plaintext, PublicKey serverKey, String kid) {
        byte[] iv = new byte[BundleFormat.IV_BYTES];
        RANDOM.nextBytes(iv);
        return seal(plaintext, serverKey, kid, generateP256(), iv);
    }

    /**
     * Deterministic sealing with a given ephemeral key pair and IV: for reproducing the test
     * vectors of SPEC.md only. Reusing an ephemeral key or IV for two bundles breaks the format's
     * security; production code calls {@link #seal(byte[], PublicKey, String)}.
     */
    public static byte[] seal(byte[] plaintext, PublicKey serverKey, String kid, KeyPair ephemeral, byte[] iv) {
        if (iv == null || iv.length != BundleFormat.IV_BYTES) {
            throw new IllegalArgumentException("iv must be " + BundleFormat.IV_BYTES + " bytes");
        }
        if (ephemeral == null || !isP256(ephemeral.getPublic()) || !(ephemeral.getPublic() instanceof ECPublicKey)) {
            throw new IllegalArgumentException("ephemeral key pair must be EC P-256");
        }
        if (!BundleFormat.validKid(kid)) {
            throw new IllegalArgumentException("kid must be 1-64 characters of [A-Za-z0-9._-]");
        }
        if (!isP256(serverKey) || !(serverKey instanceof ECPublicKey)) {
            throw new IllegalArgumentException("server key must be an EC P-256 public key");
        }
        if (plaintext == null || plaintext.length == 0 || plaintext.length > BundleFormat.MAX_PLAINTEXT_BYTES) {
            throw new IllegalArgumentException("plaintext must be 1-" + BundleFormat.MAX_PLAINTEXT_BYTES + " bytes");
        }
        try {
            byte[] epk = encodePoint(((ECPublicKey) ephemeral.getPublic()).getW());
            byte[] z = ecdh(ephemeral.getPrivate(), serverKey);

            Map<String, String> header = new LinkedHashMap<>();
            header.put("kid", kid);
            header.put("alg", BundleFormat.ALG);
            header.put("epk", Base64.getEncoder().encodeToString(epk));
            header.put("iv", Base64.getEncoder().encodeToString(iv));
            byte[] headerJson = StrictJson.write(header);
            int bodyLength = plaintext.length + BundleFormat.GCM_TAG_BYTES;

            int aadLength = BundleFormat.PREFIX_BYTES + headerJson.length + BundleFormat.BODY_LENGTH_BYTES;
            byte[] out = new byte[aadLength + bodyLength];
            System.arraycopy(BundleFormat.MAGIC, 0, out, 0, 4);
            out[4] = (byte) BundleFormat.VERSION;
            out[5] = (byte) (headerJson.length >>> 8);
            out[6] = (byte) headerJson.length;
            System.arraycopy(headerJson, 0, out, BundleFormat.PREFIX_BYTES, headerJson.length);
            int p = BundleFormat.PREFIX_BYTES + headerJson.length;
            out[p] = (byte) (bodyLength >>> 24);
            out[p + 1] = (byte) (bodyLength >>> 16);
            out[p + 2] = (byte) (bodyLength >>> 8);
            out[p + 3] = (byte) bodyLength;

            byte[] key = hkdf(z, epk, BundleFormat.hkdfInfo(BundleFormat.ALG, kid));
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            gcm.updateAAD(out, 0, aadLength);
            int written = gcm.doFinal(plaintext, 0, plaintext.length, out, aadLength);
            if (written != bodyLength) {
                throw new IllegalStateException("AES-GCM wrote " + written + " bytes, expected " + bodyLength);
            }
            Arrays.fill(z, (byte) 0);
            Arrays.fill(key, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bundle encryption failed", e);
        }
    }

    /** Decrypts a parsed bundle with the server's private key; returns the inner body. */
    public static byte[] open(byte[] bundle, ParsedBundle parsed, PrivateKey privateKey) throws BundleDecryptException {
        if (!isP256(privateKey)) {
            throw new BundleDecryptException("the key for kid '" + parsed.header().kid() + "' is not an EC P-256 private key");
        }
        PublicKey epk = decodePoint(parsed.epk());
        byte[] z;
        try {
            z = ecdh(privateKey, epk);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new BundleDecryptException("ECDH failed", e);
        }
        byte[] key = hkdf(z, parsed.epk(), BundleFormat.hkdfInfo(parsed.header().alg(), parsed.header().kid()));
        Arrays.fill(z, (byte) 0);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, parsed.iv()));
            gcm.updateAAD(bundle, 0, parsed.aadLength());
            return gcm.doFinal(bundle, parsed.bodyOffset(), parsed.bodyLength());
        } catch (AEADBadTagException e) {
            throw new BundleDecryptException("authentication tag mismatch (wrong key or modified bundle)", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new BundleDecryptException("AES-GCM decryption failed", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The ephemeral public key from its uncompressed encoding, validated to lie on P-256. */
    static PublicKey decodePoint(byte[] encoded) throws BundleDecryptException {
        try {
            org.bouncycastle.math.ec.ECPoint q = BC_P256.getCurve().decodePoint(encoded).normalize();
            if (q.isInfinity() || !q.isValid()) {
                throw new BundleDecryptException("ephemeral key is not a valid P-256 point");
            }
            ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, P256));
        } catch (BundleDecryptException e) {
            throw e;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new BundleDecryptException("ephemeral key is not a valid P-256 point", e);
        }
    }

    /** Uncompressed SEC1 encoding: 0x04 || X || Y, coordinates left-padded to 32 bytes. */
    public static byte[] encodePoint(ECPoint w) {
        byte[] out = new byte[BundleFormat.EPK_BYTES];
        out[0] = 0x04;
        copyUnsigned(w.getAffineX(), out, 1);
        copyUnsigned(w.getAffineY(), out, 33);
        return out;
    }

    private static void copyUnsigned(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 32 ? bytes.length - 32 : 0;
        int length = bytes.length - start;
        System.arraycopy(bytes, start, out, offset + 32 - length, length);
    }

    private static byte[] ecdh(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(privateKey);
        ka.doPhase(publicKey, true);
        byte[] z = ka.generateSecret();
        if (z.length != 32) {
            throw new GeneralSecurityException("unexpected ECDH secret length " + z.length);
        }
        return z;
    }

    /** HKDF-SHA256 (RFC 5869), 32 bytes of output: the AES-256 key. */
    static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, info));
        byte[] okm = new byte[32];
        hkdf.generateBytes(okm, 0, okm.length);
        return okm;
    }
}
