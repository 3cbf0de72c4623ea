package io.openbio.bundle;

import io.openbio.bundle.crypto.BundleCrypto;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's bundle keys in a PKCS12 file: one EC P-256 key pair per key id, each with a
 * self-signed certificate (PKCS12 stores private keys with a certificate chain). The entry alias
 * is the kid, {@code obk<sequence>-<12 hex of SHA-256(SPKI)>}; the highest sequence is the active
 * key, new bundles are encrypted to it, and every older key stays so old bundles still decrypt.
 *
 * <p>Changes (creation, rotation) take an exclusive lock on {@code <file>.lock} (so they need a
 * writable directory), re-read the file,
 * write a temporary file next to it and atomically move it into place, so two processes (or two
 * threads) opening or rotating the same store at once never lose a key or see a half-written file.
 * A resolver miss re-reads the file when it changed on disk, so a key rotated by another process
 * is found. Opening an existing store only reads it, so it works from a read-only mount.
 *
 * <p>Errors: {@link UncheckedIOException} for file problems (including a wrong password), and
 * {@link IllegalStateException} for a store that cannot be used.
 */
public final class BundleKeyStore {

    private static final String TYPE = "PKCS12";
    private static final Pattern KID = Pattern.compile("obk(\\d{1,9})-([0-9a-f]{12})");
    private static final Map<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Entry(String kid, int sequence, PrivateKey privateKey, PublicKey publicKey, byte[] certificate) {}

    private record Snapshot(Map<String, Entry> entries, String activeKid, Object fileKey, long modified, long size) {}

    private final Path file;
    private final char[] password;
    private volatile Snapshot snapshot;
    /** The file's identity, size and time when {@link #reload} last read it (null: not read by it yet). */
    private volatile FileVersion loadedVersion;

    private record FileVersion(Object fileKey, long size, java.nio.file.attribute.FileTime modified) {
        static FileVersion of(Path file) {
            try {
                java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
                return new FileVersion(a.fileKey(), a.size(), a.lastModifiedTime());
            } catch (IOException e) {
                return null; // missing or unreadable: read it, and let that report the problem
            }
        }
    }

    private BundleKeyStore(Path file, char[] password) {
        this.file = file;
        this.password = password.clone();
    }

    /**
     * Opens the key store at {@code file}, creating it with a first key pair when it does not
     * exist (or holds no key).
     */
    public static BundleKeyStore openOrCreate(Path file, char[] password) {
        if (file == null || password == null) {
            throw new IllegalArgumentException("file and password are required");
        }
        BundleKeyStore store = new BundleKeyStore(file.toAbsolutePath().normalize(), password);
        // An existing store is read without the lock: writers replace the file atomically, so a
        // reader sees the old or the new file, never half of one, and a read-only mount works.
        if (Files.exists(store.file)) {
            Snapshot existing = store.readUnlocked();
            if (existing.activeKid() != null) {
                store.snapshot = existing;
                return store;
            }
        }
        store.locked(() -> {
            KeyStore ks = store.loadOrEmpty();
            if (activeOf(entries(ks, store.password)) == null) {
                addNewKey(ks, store.password, 1);
                store.save(ks);
            }
            store.snapshot = store.snapshotOf(ks);
            return null;
        });
        return store;
    }

    /** The kid new bundles should be encrypted to. */
    public String activeKid() {
        return snapshot.activeKid();
    }

    /**
     * The active key's self-signed X.509 certificate, DER: what seed 003's {@code init-liveness-parameters}
     * answers in {@code certificates} ("used to encrypt data sent to the server").
     */
    public byte[] activeCertificate() {
        Snapshot s = snapshot;
        return s.entries().get(s.activeKid()).certificate().clone();
    }

    public PublicKey activePublicKey() {
        Snapshot s = snapshot;
        return s.entries().get(s.activeKid()).publicKey();
    }

    /** Resolves every kid in the store; re-reads the file once on a miss if it changed on disk. */
    public KeyResolver resolver() {
        return kid -> {
            if (kid == null) {
                return Optional.empty();
            }
            Entry e = snapshot.entries().get(kid);
            if (e == null && changedOnDisk()) {
                try {
                    reload();
                } catch (RuntimeException ignored) {
                    // keep serving the keys already loaded
                }
                e = snapshot.entries().get(kid);
            }
            return Optional.ofNullable(e).map(Entry::privateKey);
        };
    }

    /** Adds a new key pair, makes it active and returns its kid; older keys are kept. */
    public String rotate() {
        return locked(() -> {
            KeyStore ks = loadOrEmpty();
            Map<String, Entry> entries = entries(ks, password);
            int next = entries.values().stream().mapToInt(Entry::sequence).max().orElse(0) + 1;
            String kid = addNewKey(ks, password, next);
            save(ks);
            snapshot = snapshotOf(ks);
            return kid;
        });
    }

    /**
     * Re-reads the file (e.g. after another process rotated the key); needs no write access. A file
     * whose identity, size and modification time are those of the last reload is not read again:
     * opening the PKCS12 store derives a key per entry (PBKDF2), hundreds of milliseconds of CPU on a
     * small machine, which a periodic reload would otherwise spend every time.
     */
    public void reload() {
        FileVersion version = FileVersion.of(file);
        if (version != null && version.equals(loadedVersion)) {
            return;
        }
        reloadAlways();
        loadedVersion = version;
    }

    private void reloadAlways() {
        Snapshot s = readUnlocked();
        if (s.activeKid() == null) {
            throw new IllegalStateException("key store " + file + " holds no bundle key");
        }
        snapshot = s;
    }

    private Snapshot readUnlocked() {
        try {
            return snapshotOf(loadOrEmpty());
        } catch (IOException e) {
            throw new UncheckedIOException("key store " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every kid, oldest first. */
    public List<String> kids() {
        return List.copyOf(snapshot.entries().keySet());
    }

    public Path file() {
        return file;
    }

    /**
     * What {@code GET /bundle/public-key} answers (and the Kafka clients' {@code iad.public_key}): the
     * active key's {@code kid}, {@code alg}, {@code curve} and {@code publicKey} ({@link #publicKeyBase64}), in that order.
     */
    public Map<String, Object> publicKeyDocument() {
        Snapshot s = snapshot;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kid", s.activeKid());
        body.put("alg", io.openbio.bundle.format.BundleFormat.ALG);
        body.put("curve", io.openbio.bundle.format.BundleFormat.CURVE);
        body.put("publicKey", publicKeyBase64(s.entries().get(s.activeKid()).publicKey()));
        return body;
    }

    /** Base64 (RFC 4648, with padding) of the DER SubjectPublicKeyInfo: what {@code GET /bundle/public-key} serves. */
    public static String publicKeyBase64(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    // ------------------------------------------------------------------ internals

    @FunctionalInterface
    private interface Action<T> {
        T run() throws IOException, GeneralSecurityException;
    }

    private <T> T locked(Action<T> action) {
        Object jvmLock = JVM_LOCKS.computeIfAbsent(file, f -> new Object());
        synchronized (jvmLock) {
            try {
                Path parent = file.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    return action.run();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("key store " + file + ": " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("key store " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private KeyStore loadOrEmpty() throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(TYPE);
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        } catch (NoSuchFileException e) {
            ks.load(null, password);
        }
        return ks;
    }

    private void save(KeyStore ks) throws IOException, GeneralSecurityException {
        Path dir = file.getParent() == null ? Path.of(".") : file.getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp"); // owner-only on POSIX
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(channel)) {
                ks.store(out, password);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private boolean changedOnDisk() {
        Snapshot s = snapshot;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() != s.modified() || a.size() != s.size()
                    || (a.fileKey() != null && !a.fileKey().equals(s.fileKey()));
        } catch (IOException e) {
            return false;
        }
    }

    private Snapshot snapshotOf(KeyStore ks) throws GeneralSecurityException, IOException {
        Map<String, Entry> entries = entries(ks, password);
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Snapshot(entries, activeOf(entries), a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
    }

    /** Bundle key entries ordered by sequence (oldest first). */
    private static Map<String, Entry> entries(KeyStore ks, char[] password) throws GeneralSecurityException {
        List<Entry> list = new ArrayList<>();
        for (String alias : Collections.list(ks.aliases())) {
            Matcher m = KID.matcher(alias);
            if (!m.matches() || !ks.isKeyEntry(alias)) {
                continue;
            }
            Key key = ks.getKey(alias, password);
            Certificate cert = ks.getCertificate(alias);
            if (key instanceof PrivateKey pk && cert != null && BundleCrypto.isP256(pk)) {
                list.add(new Entry(alias, Integer.parseInt(m.group(1)), pk, cert.getPublicKey(), cert.getEncoded()));
            }
        }
        list.sort((a, b) -> Integer.compare(a.sequence(), b.sequence()));
        Map<String, Entry> map = new LinkedHashMap<>();
        list.forEach(e -> map.put(e.kid(), e));
        return Collections.unmodifiableMap(map);
    }

    private static String activeOf(Map<String, Entry> entries) {
        String active = null;
        for (String kid : entries.keySet()) {
            active = kid; // ordered by sequence: the last is the newest
        }
        return active;
    }

    private static String addNewKey(KeyStore ks, char[] password, int sequence) throws GeneralSecurityException {
        KeyPair pair = BundleCrypto.generateP256();
        byte[] spkiHash = MessageDigest.getInstance("SHA-256").digest(pair.getPublic().getEncoded());
        String kid = "obk" + sequence + "-" + HexFormat.of().formatHex(spkiHash, 0, 6);
        X509Certificate cert = selfSigned(pair, kid);
        ks.setKeyEntry(kid, pair.getPrivate(), password, new Certificate[] {cert});
        return kid;
    }

    private static X509Certificate selfSigned(KeyPair pair, String kid) throws GeneralSecurityException {
        try {
            X500Name name = new X500Name("CN=OpenBio capture-bundle key " + kid);
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(3650))),
                    name, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyAgreement | KeyUsage.digitalSignature));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot create the key's certificate", e);
        }
    }
}
