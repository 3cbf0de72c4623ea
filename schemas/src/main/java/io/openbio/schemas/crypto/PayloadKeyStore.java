package io.openbio.schemas.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * The payload key-encryption keys: AES-256 {@code SecretKeyEntry}s of a PKCS12 key store, the alias
 * being the key id written into every envelope. The primary (the KEK new data keys are wrapped
 * under) is the configured alias, else the newest entry. A key id this process does not know makes
 * it re-read the file (at most every 10 s), so a KEK added by rotation is found without a restart.
 */
public final class PayloadKeyStore implements PayloadCipher.Keks {
    /** Bounds re-reading the file for unknown key ids (a stream of forged envelopes must not turn into file reads). */
    static final long RELOAD_INTERVAL_MS = 10_000;

    private final Path path;
    private final char[] password;
    private final String configuredPrimary;
    private final long reloadIntervalMs;
    private volatile Map<String, SecretKey> keys;
    private volatile String primary;
    private volatile long loadedAt;

    private PayloadKeyStore(Path path, char[] password, String configuredPrimary) {
        this(path, password, configuredPrimary, RELOAD_INTERVAL_MS);
    }

    PayloadKeyStore(Path path, char[] password, String configuredPrimary, long reloadIntervalMs) {
        this.reloadIntervalMs = reloadIntervalMs;
        this.path = path;
        this.password = password.clone();
        this.configuredPrimary = configuredPrimary == null || configuredPrimary.isBlank() ? null : configuredPrimary.trim().toLowerCase(Locale.ROOT);
        load();
    }

    /** The key store at {@code path}; created with one new KEK when there is no file yet. */
    public static PayloadKeyStore openOrCreate(Path path, char[] password, String primary) {
        if (!Files.exists(path)) {
            try {
                create(path, password);
            } catch (FileAlreadyExistsException e) {
                // another process made it first: use theirs
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot create the payload key store " + path, e);
            }
        }
        return new PayloadKeyStore(path, password, primary);
    }

    /** Opens an existing key store; fails when there is none (deployments mount theirs). */
    public static PayloadKeyStore open(Path path, char[] password, String primary) {
        if (!Files.exists(path)) {
            throw new IllegalStateException("no payload key store at " + path);
        }
        return new PayloadKeyStore(path, password, primary);
    }

    /** A new key store file (mode 600) at {@code path} holding one new KEK; fails if the file exists. */
    public static String create(Path path, char[] password) throws IOException, GeneralSecurityException {
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        String alias = newAlias(store);
        store.setEntry(alias, new KeyStore.SecretKeyEntry(newKek()), new KeyStore.PasswordProtection(password));
        Path tmp = writeOwnerOnly(store, path, password);
        try {
            Files.createLink(path, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return alias;
    }

    /** {@code store} written to a new owner-only ({@code rw-------}) file next to {@code path}, to be linked or moved there. */
    private static Path writeOwnerOnly(KeyStore store, Path path, char[] password) throws IOException, GeneralSecurityException {
        Path tmp = Files.createTempFile(path.toAbsolutePath().getParent(), ".payload-keys", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(tmp)) {
            store.store(out, password);
        }
        return tmp;
    }

    /**
     * Adds a new KEK to the key store at {@code path} (KEK rotation) and returns its alias: the newest,
     * so the primary unless a primary is configured. The file is replaced atomically.
     */
    public static String addKek(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = read(path, password);
        String alias = newAlias(store);
        store.setEntry(alias, new KeyStore.SecretKeyEntry(newKek()), new KeyStore.PasswordProtection(password));
        Path tmp = writeOwnerOnly(store, path, password);
        try {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
        return alias;
    }

    @Override
    public String primaryId() {
        return primary;
    }

    @Override
    public SecretKey kek(String id) {
        SecretKey key = keys.get(id);
        if (key == null && System.currentTimeMillis() - loadedAt >= reloadIntervalMs) {
            synchronized (this) {
                if (System.currentTimeMillis() - loadedAt >= reloadIntervalMs) {
                    load();
                }
            }
            key = keys.get(id);
        }
        return key;
    }

    /** The key ids in the store (tests, the key tool). */
    public Map<String, SecretKey> keys() {
        return Collections.unmodifiableMap(keys);
    }

    private synchronized void load() {
        try {
            KeyStore store = read(path, password);
            Map<String, SecretKey> loaded = new HashMap<>();
            String newest = null;
            Date newestDate = null;
            for (String alias : Collections.list(store.aliases())) {
                if (!store.entryInstanceOf(alias, KeyStore.SecretKeyEntry.class)) {
                    continue;
                }
                KeyStore.SecretKeyEntry entry = (KeyStore.SecretKeyEntry) store.getEntry(alias, new KeyStore.PasswordProtection(password));
                loaded.put(alias, entry.getSecretKey());
                Date created = store.getCreationDate(alias);
                if (newest == null || created.after(newestDate) || (created.equals(newestDate) && later(alias, newest))) {
                    newest = alias;
                    newestDate = created;
                }
            }
            String chosen = configuredPrimary != null ? configuredPrimary : newest;
            if (chosen == null || !loaded.containsKey(chosen)) {
                throw new IllegalStateException("the payload key store " + path + " holds no key-encryption key"
                        + (configuredPrimary == null ? "" : " '" + configuredPrimary + "' (OPENBIO_PAYLOAD_KEK)"));
            }
            keys = loaded;
            primary = chosen;
            loadedAt = System.currentTimeMillis();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the payload key store " + path, e);
        }
    }

    /** By length, then text: kek-10 after kek-9. */
    private static boolean later(String alias, String than) {
        return alias.length() != than.length() ? alias.length() > than.length() : alias.compareTo(than) > 0;
    }

    private static KeyStore read(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password);
        }
        return store;
    }

    /** {@code kek-<n>}, n one above the highest in the store (PKCS12 aliases are lower case). */
    private static String newAlias(KeyStore store) throws GeneralSecurityException {
        int highest = 0;
        for (String alias : Collections.list(store.aliases())) {
            if (alias.startsWith("kek-")) {
                try {
                    highest = Math.max(highest, Integer.parseInt(alias.substring(4)));
                } catch (NumberFormatException e) {
                    // another naming scheme: ignore
                }
            }
        }
        return "kek-" + (highest + 1);
    }

    private static SecretKey newKek() throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256, new SecureRandom());
        return generator.generateKey();
    }
}
