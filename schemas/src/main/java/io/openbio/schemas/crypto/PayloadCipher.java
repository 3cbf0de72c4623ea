package io.openbio.schemas.crypto;

import io.openbio.schemas.crypto.SealedPayloadException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of biometric payloads (images, templates, answer bodies) inside Kafka events,
 * with JCA's {@code AES/GCM/NoPadding} only: 256-bit keys, 96-bit random nonces, 128-bit tags.
 *
 * <p>Each tenant's payloads are sealed with a data key (DEK) that this writer generates, caches and
 * replaces after {@code dekMaxAge} or {@code dekMaxUses} seals (data-key caching as in the AWS
 * Encryption SDK). The DEK travels inline, wrapped (AES-GCM) by the key-encryption key (KEK) of the
 * key store, so a reader needs only the key store: no key distribution, no shared state. Readers
 * cache unwrapped DEKs.
 *
 * <pre>
 * envelope v1 = "OBE" 0x01 | u8 kekIdLength | kekId (UTF-8) | dekId (16) | u8 wrappedLength | wrappedDek
 *               | nonce (12) | ciphertext + tag (16)
 * wrappedDek  = nonce (12) | AES-GCM(KEK, DEK) + tag,  AAD = "openbio-dek-v1" | tenant | dekId
 * payload AAD = header (magic .. wrappedDek) | purpose | tenant | recordKey   (each string length-prefixed)
 * </pre>
 * So a DEK cannot be moved to another tenant, and a sealed payload opens only under the tenant,
 * purpose and record key it was sealed for, with its header unchanged. Any failure is a
 * {@link SealedPayloadException}.
 */
public final class PayloadCipher {
    /** Envelope v1's magic prefix: "OBE" and the version byte. */
    static final byte[] MAGIC = {'O', 'B', 'E', 1};
    static final int DEK_ID_BYTES = 16;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int TAG_BITS = 128;
    /** Far below the 2^32 random-nonce messages NIST SP 800-38D allows per GCM key. */
    public static final long DEFAULT_DEK_MAX_USES = 1L << 24;
    private static final byte[] WRAP_LABEL = "openbio-dek-v1".getBytes(StandardCharsets.US_ASCII);
    private static final int READER_CACHE_LIMIT = 10_000;

    /** The key-encryption keys: the primary (for new data keys) and any by id (for opening). */
    public interface Keks {
        /** The key id new data keys are wrapped under. */
        String primaryId();

        /** The key of {@code id}, or null when the store has none of that id. */
        SecretKey kek(String id);
    }

    private record DataKey(String kekId, byte[] dekId, SecretKey key, byte[] wrapped, long createdAt, AtomicLong uses) {
    }

    private final Keks keks;
    private final Duration dekMaxAge;
    private final long dekMaxUses;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, DataKey> writerKeys = new ConcurrentHashMap<>();
    private final Map<String, SecretKey> readerKeys = new ConcurrentHashMap<>();
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(PayloadCipher::newCipher);

    public PayloadCipher(Keks keks, Duration dekMaxAge, long dekMaxUses, Clock clock) {
        this.keks = keks;
        this.dekMaxAge = dekMaxAge;
        this.dekMaxUses = dekMaxUses;
        this.clock = clock;
    }

    public PayloadCipher(Keks keks, Duration dekMaxAge) {
        this(keks, dekMaxAge, DEFAULT_DEK_MAX_USES, Clock.systemUTC());
    }

    /** {@code plaintext} sealed for {@code tenant}, {@code purpose} and {@code recordKey}. */
    public byte[] seal(String tenant, Purpose purpose, String recordKey, byte[] plaintext) {
        DataKey dek = dataKey(tenant);
        byte[] kekId = dek.kekId().getBytes(StandardCharsets.UTF_8);
        int headerLength = MAGIC.length + 1 + kekId.length + DEK_ID_BYTES + 1 + dek.wrapped().length;
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        ByteBuffer out = ByteBuffer.allocate(headerLength + NONCE_BYTES + plaintext.length + TAG_BYTES);
        out.put(MAGIC).put((byte) kekId.length).put(kekId).put(dek.dekId()).put((byte) dek.wrapped().length).put(dek.wrapped());
        byte[] aad = payloadAad(out.array(), headerLength, purpose, tenant, recordKey);
        out.put(nonce);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, dek.key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            cipher.doFinal(plaintext, 0, plaintext.length, out.array(), out.position());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        return out.array();
    }

    /** The plaintext of {@code envelope}, which must have been sealed for exactly these tenant, purpose and record key. */
    public byte[] open(String tenant, Purpose purpose, String recordKey, byte[] envelope) {
        Layout layout = Layout.parse(envelope);
        SecretKey dek = unwrap(tenant, layout, envelope);
        byte[] aad = payloadAad(envelope, layout.headerLength(), purpose, tenant, recordKey);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, dek, new GCMParameterSpec(TAG_BITS, envelope, layout.headerLength(), NONCE_BYTES));
            cipher.updateAAD(aad);
            int start = layout.headerLength() + NONCE_BYTES;
            return cipher.doFinal(envelope, start, envelope.length - start);
        } catch (AEADBadTagException e) {
            throw new SealedPayloadException(Reason.TAMPERED, "payload does not authenticate for this tenant, purpose and record key");
        } catch (GeneralSecurityException e) {
            throw new SealedPayloadException(Reason.TAMPERED, "payload does not decrypt", e);
        }
    }

    /** {@link #seal} as text (Base64), for string fields. */
    public String sealText(String tenant, Purpose purpose, String recordKey, String plaintext) {
        return Base64.getEncoder().encodeToString(seal(tenant, purpose, recordKey, plaintext.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@link #open} of {@link #sealText}'s text. */
    public String openText(String tenant, Purpose purpose, String recordKey, String sealed) {
        byte[] envelope;
        try {
            envelope = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new SealedPayloadException(Reason.NOT_SEALED, "not a Base64 envelope");
        }
        return new String(open(tenant, purpose, recordKey, envelope), StandardCharsets.UTF_8);
    }

    /** {@link #seal} of a float vector (big-endian IEEE 754), for templates' vectors. */
    public byte[] sealVector(String tenant, String recordKey, float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES);
        buffer.asFloatBuffer().put(vector);
        return seal(tenant, Purpose.TEMPLATE, recordKey, buffer.array());
    }

    /** {@link #open} of {@link #sealVector}'s envelope. */
    public float[] openVector(String tenant, String recordKey, byte[] envelope) {
        byte[] plain = open(tenant, Purpose.TEMPLATE, recordKey, envelope);
        if (plain.length % Float.BYTES != 0) {
            throw new SealedPayloadException(Reason.TAMPERED, "a vector of " + plain.length + " bytes");
        }
        float[] vector = new float[plain.length / Float.BYTES];
        ByteBuffer.wrap(plain).asFloatBuffer().get(vector);
        return vector;
    }

    /** Whether {@code bytes} start like an envelope of a version this code reads. */
    public static boolean isSealed(byte[] bytes) {
        return bytes != null && bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** The size of the plaintext inside {@code envelope} (audit figures), without opening it. */
    public static int plaintextLength(byte[] envelope) {
        return envelope.length - Layout.parse(envelope).headerLength() - NONCE_BYTES - TAG_BYTES;
    }

    /** The id of the key-encryption key {@code envelope} was sealed under (rotation checks). */
    public static String kekId(byte[] envelope) {
        Layout layout = Layout.parse(envelope);
        return new String(envelope, MAGIC.length + 1, layout.kekIdLength(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ data keys

    private DataKey dataKey(String tenant) {
        String primary = keks.primaryId();
        long now = clock.millis();
        DataKey current = writerKeys.get(tenant);
        if (current != null && fresh(current, primary, now) && current.uses().incrementAndGet() <= dekMaxUses) {
            return current;
        }
        synchronized (writerKeys) {
            current = writerKeys.get(tenant);
            if (current == null || !fresh(current, primary, now) || current.uses().get() >= dekMaxUses) {
                current = newDataKey(tenant, primary, now);
                writerKeys.put(tenant, current);
            }
            current.uses().incrementAndGet();
            return current;
        }
    }

    /** A data key stays in use while its KEK is the primary and it is younger than the maximum age. */
    private boolean fresh(DataKey key, String primary, long now) {
        return key.kekId().equals(primary) && now - key.createdAt() < dekMaxAge.toMillis();
    }

    private DataKey newDataKey(String tenant, String kekId, long now) {
        SecretKey kek = keks.kek(kekId);
        if (kek == null) {
            throw new IllegalStateException("the primary key-encryption key " + kekId + " is not in the key store");
        }
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, random);
            SecretKey dek = generator.generateKey();
            byte[] dekId = new byte[DEK_ID_BYTES];
            random.nextBytes(dekId);
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = newCipher();
            cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(wrapAad(tenant, dekId));
            byte[] wrapped = ByteBuffer.allocate(NONCE_BYTES + 32 + TAG_BYTES).put(nonce).put(cipher.doFinal(dek.getEncoded())).array();
            return new DataKey(kekId, dekId, dek, wrapped, now, new AtomicLong());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("data key generation failed", e);
        }
    }

    private SecretKey unwrap(String tenant, Layout layout, byte[] envelope) {
        String kekId = new String(envelope, MAGIC.length + 1, layout.kekIdLength(), StandardCharsets.UTF_8);
        byte[] dekId = Arrays.copyOfRange(envelope, layout.dekIdOffset(), layout.dekIdOffset() + DEK_ID_BYTES);
        byte[] wrapped = Arrays.copyOfRange(envelope, layout.wrappedOffset(), layout.headerLength());
        String cacheKey = tenant + '\0' + kekId + '\0' + Base64.getEncoder().encodeToString(dekId) + Base64.getEncoder().encodeToString(wrapped);
        SecretKey cached = readerKeys.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        SecretKey kek = keks.kek(kekId);
        if (kek == null) {
            throw new SealedPayloadException(Reason.UNKNOWN_KEK, "key-encryption key '" + kekId + "' is not in the key store");
        }
        if (wrapped.length <= NONCE_BYTES + TAG_BYTES) {
            throw new SealedPayloadException(Reason.TRUNCATED, "wrapped data key too short");
        }
        try {
            Cipher cipher = newCipher();
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
            cipher.updateAAD(wrapAad(tenant, dekId));
            byte[] raw = cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
            SecretKey dek = new SecretKeySpec(raw, "AES");
            if (readerKeys.size() >= READER_CACHE_LIMIT) {
                readerKeys.clear();
            }
            readerKeys.put(cacheKey, dek);
            return dek;
        } catch (AEADBadTagException e) {
            throw new SealedPayloadException(Reason.TAMPERED, "data key does not unwrap for this tenant");
        } catch (GeneralSecurityException e) {
            throw new SealedPayloadException(Reason.TAMPERED, "data key does not unwrap", e);
        }
    }

    private static byte[] wrapAad(String tenant, byte[] dekId) {
        byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(WRAP_LABEL.length + 4 + t.length + dekId.length)
                .put(WRAP_LABEL).putInt(t.length).put(t).put(dekId).array();
    }

    private static byte[] payloadAad(byte[] header, int headerLength, Purpose purpose, String tenant, String recordKey) {
        byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
        byte[] k = recordKey.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(headerLength + 1 + 4 + t.length + 4 + k.length)
                .put(header, 0, headerLength).put((byte) purpose.code()).putInt(t.length).put(t).putInt(k.length).put(k).array();
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is not available", e);
        }
    }

    /** Where an envelope's parts are; checks the magic and every length against the envelope's size. */
    private record Layout(int kekIdLength, int dekIdOffset, int wrappedOffset, int headerLength) {
        static Layout parse(byte[] envelope) {
            if (envelope == null || envelope.length < MAGIC.length) {
                throw new SealedPayloadException(Reason.NOT_SEALED, "too short for an envelope");
            }
            if (!isSealed(envelope)) {
                throw new SealedPayloadException(Reason.NOT_SEALED, "no envelope v1 prefix");
            }
            int pos = MAGIC.length;
            if (envelope.length < pos + 1) {
                throw new SealedPayloadException(Reason.TRUNCATED, "no key id");
            }
            int kekIdLength = envelope[pos] & 0xFF;
            int dekIdOffset = pos + 1 + kekIdLength;
            int wrappedLengthAt = dekIdOffset + DEK_ID_BYTES;
            if (envelope.length < wrappedLengthAt + 1) {
                throw new SealedPayloadException(Reason.TRUNCATED, "header cut short");
            }
            int wrappedOffset = wrappedLengthAt + 1;
            int headerLength = wrappedOffset + (envelope[wrappedLengthAt] & 0xFF);
            if (envelope.length < headerLength + NONCE_BYTES + TAG_BYTES) {
                throw new SealedPayloadException(Reason.TRUNCATED, "envelope cut short");
            }
            return new Layout(kekIdLength, dekIdOffset, wrappedOffset, headerLength);
        }
    }
}
