package io.openbio.schemas.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A response-signing key: an RSA private key and its self-signed X.509 certificate, the one
 * {@code PrivateKeyEntry} (alias {@value #ALIAS}) of a PKCS12 file. The BioServer API (seed 003)
 * signs its answers with it (RS256) and publishes the certificate; every gateway must read the same
 * file, so that one published certificate verifies any instance's answers. Made like the payload key
 * store ({@link PayloadKeyStore}): owner-only, linked into place so two processes creating it at once
 * end up with one store.
 *
 * <p>Rotation: make a new store and replace the file (k8s: the Secret), then restart the gateways;
 * clients fetch the new certificate. The JWS header is the seed's bare {@code {"alg":"RS256"}} with no
 * key id, so only one key signs at a time.
 */
public final class SigningKeyStore {
    public static final String ALIAS = "signing";
    /**
     * 2048 bits, the RS256 minimum (RFC 7518 3.3) and what JWT libraries expect: every answer is
     * signed on the gateway, and a 3072-bit signature costs about three times as much (JCA, this
     * build's machine: 4.0 ms against 12.7 ms per signature, 2 busy cores). NIST SP 800-57 accepts
     * 2048 through 2030; a deployment wanting more makes its store with {@code SigningKeys create 3072}.
     */
    public static final int DEFAULT_KEY_BITS = 2048;
    static final Duration VALIDITY = Duration.ofDays(3650);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    private SigningKeyStore(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    /** The store at {@code path}; created with a new key and certificate when there is no file yet. */
    public static SigningKeyStore openOrCreate(Path path, char[] password) {
        if (!Files.exists(path)) {
            try {
                create(path, password);
            } catch (FileAlreadyExistsException e) {
                // another process made it first: use theirs
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot create the signing key store " + path, e);
            }
        }
        return open(path, password);
    }

    /** Opens an existing store; fails when there is none, or it holds no RSA key entry {@value #ALIAS}. */
    public static SigningKeyStore open(Path path, char[] password) {
        if (!Files.exists(path)) {
            throw new IllegalStateException("no signing key store at " + path);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(path)) {
                store.load(in, password);
            }
            if (!store.isKeyEntry(ALIAS) || !(store.getKey(ALIAS, password) instanceof RSAPrivateKey key)
                    || !(store.getCertificate(ALIAS) instanceof X509Certificate certificate)
                    || !(certificate.getPublicKey() instanceof RSAPublicKey)) {
                throw new IllegalStateException("the signing key store " + path + " holds no RSA key entry '" + ALIAS + "'");
            }
            return new SigningKeyStore(key, certificate);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the signing key store " + path, e);
        }
    }

    /** A new store file (mode 600) at {@code path} with a new {@value #DEFAULT_KEY_BITS}-bit key and its certificate; fails if the file exists. */
    public static void create(Path path, char[] password) throws IOException, GeneralSecurityException {
        create(path, password, DEFAULT_KEY_BITS);
    }

    /** {@link #create(Path, char[])} with an RSA key of {@code bits} (2048 or more). */
    public static void create(Path path, char[] password, int bits) throws IOException, GeneralSecurityException {
        if (bits < 2048) {
            throw new IllegalArgumentException("RS256 needs an RSA key of 2048 bits or more, not " + bits);
        }
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits, RANDOM);
        KeyPair pair = generator.generateKeyPair();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        store.setKeyEntry(ALIAS, pair.getPrivate(), password, new Certificate[] {selfSigned(pair)});
        Path tmp = Files.createTempFile(dir, ".signing-keys", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                store.store(out, password);
            }
            Files.createLink(path, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate as PEM ({@code -----BEGIN CERTIFICATE-----}, base64 lines of 64, LF line ends). */
    public String certificatePem() {
        try {
            return pem(certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the signing certificate", e);
        }
    }

    static String pem(byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
    }

    private static X509Certificate selfSigned(KeyPair pair) throws GeneralSecurityException {
        try {
            X500Name name = new X500Name("CN=OpenBio BioServer response signing");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), name, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        } catch (OperatorCreationException | CertIOException e) {
            throw new GeneralSecurityException("cannot create the signing certificate", e);
        }
    }
}
