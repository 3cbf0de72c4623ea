package io.openbio.bundle;

import io.openbio.bundle.crypto.BundleCrypto;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded mutation fuzzing of BundleReader: every outcome must be a successful read or a
 * BundleException; nothing else may escape. A mutated outer bundle must never read successfully
 * (everything in it is authenticated). Fixed seeds, so a failure names the iteration that
 * reproduces it.
 */
class BundleFuzzTest {

    private static final long SEED = 0x0B1B_C0DEL;
    private static final String KID = "obk7-feedfacecafe";
    private static final int OUTER_CASES = 12_000;
    private static final int INNER_CASES = 3_000;

    private final KeyPair server = TestData.keyPair();
    private final KeyResolver keys = TestData.resolver(KID, server.getPrivate());

    enum Mutation { BIT_FLIP, BYTE_SET, TRUNCATE, INSERT, DELETE, LENGTH_FIELD, HEADER_JSON, SPLICE, APPEND }

    enum Outcome { OK, PARSE, DECRYPT, METADATA }

    @Test
    void mutatedBundlesOnlyEverThrowBundleExceptions() {
        List<byte[]> seeds = List.of(
                BundleWriter.write(TestData.sample(1), server.getPublic(), KID),
                BundleWriter.write(TestData.sample(3), server.getPublic(), KID),
                BundleWriter.write(new CaptureBundle(new CaptureMetadata("n", 1, 2, Map.of(), null, null, null),
                        List.of(new CaptureFrame(new byte[] {1, 2, 3}, "image/jpeg", 1, null, null))), server.getPublic(), KID));
        Random random = new Random(SEED);
        Map<Mutation, Integer> perMutation = new EnumMap<>(Mutation.class);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        long slowestNanos = 0;
        for (int i = 0; i < OUTER_CASES; i++) {
            byte[] original = seeds.get(i % seeds.size());
            Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
            int rounds = 1 + (random.nextInt(4) == 0 ? random.nextInt(4) : 0);
            byte[] input = original;
            for (int r = 0; r < rounds; r++) {
                input = mutate(input, mutation, random);
            }
            perMutation.merge(mutation, 1, Integer::sum);
            long t0 = System.nanoTime();
            Outcome outcome = readOutcome(input, i, mutation);
            slowestNanos = Math.max(slowestNanos, System.nanoTime() - t0);
            outcomes.merge(outcome, 1, Integer::sum);
            if (outcome == Outcome.OK && !Arrays.equals(input, original)) {
                fail("iteration %d (%s): a modified bundle was accepted", i, mutation);
            }
            try {
                BundleReader.header(input);
            } catch (BundleException expected) {
                // fine
            } catch (Throwable t) {
                fail("iteration %d (%s): header() threw %s", i, mutation, t);
            }
        }
        System.out.printf("outer fuzz: %d cases, mutations %s, outcomes %s, slowest read %.1f ms%n",
                OUTER_CASES, perMutation, outcomes, slowestNanos / 1e6);
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(OUTER_CASES);
        assertThat(outcomes).containsKeys(Outcome.PARSE, Outcome.DECRYPT);
    }

    @Test
    void mutatedInnerBodiesWithValidCryptoOnlyEverThrowBundleExceptions() {
        byte[] body = io.openbio.bundle.format.InnerBody.encode(TestData.sample(2));
        int metaLength = ByteBuffer.wrap(body).getInt();
        Random random = new Random(SEED + 1);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        for (int i = 0; i < INNER_CASES; i++) {
            byte[] mutated;
            int kind = random.nextInt(4);
            if (kind == 0) {
                mutated = mutateMetadataJson(body, metaLength, random);
            } else if (kind == 1) {
                mutated = mutate(body, Mutation.LENGTH_FIELD, random);
            } else {
                mutated = mutate(body, Mutation.values()[random.nextInt(Mutation.values().length)], random);
            }
            if (mutated.length == 0) {
                mutated = new byte[] {0};
            }
            byte[] bundle = BundleCrypto.seal(mutated, server.getPublic(), KID);
            Outcome outcome = readOutcome(bundle, i, null);
            outcomes.merge(outcome, 1, Integer::sum);
            assertThat(outcome).as("iteration %d: authenticated body can only succeed or be a metadata error", i)
                    .isIn(Outcome.OK, Outcome.METADATA);
        }
        System.out.printf("inner fuzz: %d cases, outcomes %s%n", INNER_CASES, outcomes);
        assertThat(outcomes).containsKey(Outcome.METADATA);
    }

    private Outcome readOutcome(byte[] input, int iteration, Mutation mutation) {
        try {
            CaptureBundle read = BundleReader.read(input, keys);
            assertThat(read.frames()).isNotEmpty();
            return Outcome.OK;
        } catch (BundleParseException e) {
            return Outcome.PARSE;
        } catch (BundleDecryptException e) {
            return Outcome.DECRYPT;
        } catch (BundleMetadataException e) {
            return Outcome.METADATA;
        } catch (Throwable t) {
            throw new AssertionError("iteration " + iteration + " (" + mutation + "): non-BundleException " + t, t);
        }
    }

    static byte[] mutate(byte[] in, Mutation mutation, Random r) {
        if (in.length == 0) {
            return new byte[] {(byte) r.nextInt(256)};
        }
        byte[] b = in.clone();
        int pos = r.nextInt(b.length);
        switch (mutation) {
            case BIT_FLIP -> b[pos] ^= (byte) (1 << r.nextInt(8));
            case BYTE_SET -> b[pos] = (byte) interesting(r);
            case TRUNCATE -> b = Arrays.copyOf(b, r.nextInt(b.length));
            case INSERT -> {
                byte[] extra = new byte[1 + r.nextInt(r.nextBoolean() ? 4 : 200)];
                r.nextBytes(extra);
                b = splice(b, pos, 0, extra);
            }
            case DELETE -> b = splice(b, pos, Math.min(b.length - pos, 1 + r.nextInt(16)), new byte[0]);
            case LENGTH_FIELD -> {
                // the outer header length (offset 5, uint16), the body length after the header (uint32),
                // or the inner metadata length (offset 0, uint32): set to an edge value
                int h = b.length > 7 ? ((b[5] & 0xFF) << 8) | (b[6] & 0xFF) : 0;
                int[] offsets = {5, 7 + h, 0};
                int off = offsets[r.nextInt(offsets.length)];
                int value = switch (r.nextInt(6)) {
                    case 0 -> 0;
                    case 1 -> -1;
                    case 2 -> Integer.MAX_VALUE;
                    case 3 -> r.nextInt(1 << 16);
                    case 4 -> (off + 4 <= b.length ? ByteBuffer.wrap(b).getInt(off) : 0) + r.nextInt(33) - 16;
                    default -> r.nextInt();
                };
                if (off == 5 && b.length >= 7) {
                    b[5] = (byte) (value >>> 8);
                    b[6] = (byte) value;
                } else if (off + 4 <= b.length) {
                    ByteBuffer.wrap(b).putInt(off, value);
                }
            }
            case HEADER_JSON -> b = mutateHeaderJson(b, r);
            case SPLICE -> {
                int len = Math.min(b.length - pos, 1 + r.nextInt(64));
                int from = r.nextInt(b.length - len + 1);
                System.arraycopy(in, from, b, pos, len);
            }
            case APPEND -> {
                byte[] extra = new byte[1 + r.nextInt(64)];
                r.nextBytes(extra);
                b = splice(b, b.length, 0, extra);
            }
        }
        return b;
    }

    private static final String[] JSON_EDITS = {
            "\"", "{", "}", "[", "]", ":", ",", "\\", "\\u0000", "null", "true", "1e999", "-0", "99999999999999999999",
            "\"kid\":\"x\",", "\"alg\":\"none\",", "\"iv\":\"\",", "\"epk\":\"AAAA\",", "\"x\":{},", " ", "\u00e9", "\ud83d\ude00",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "\"\"", "{\"a\":1}", "\uFEFF"};

    /** Edits the header JSON textually (keeping its declared length consistent half of the time). */
    static byte[] mutateHeaderJson(byte[] b, Random r) {
        if (b.length < 7) {
            return b;
        }
        int h = ((b[5] & 0xFF) << 8) | (b[6] & 0xFF);
        if (7 + h > b.length) {
            return b;
        }
        String json = new String(b, 7, h, StandardCharsets.UTF_8);
        String edited = editJson(json, r);
        byte[] nj = edited.getBytes(StandardCharsets.UTF_8);
        byte[] out = splice(b, 7, h, nj);
        if (r.nextBoolean() && nj.length <= 0xFFFF) {
            out[5] = (byte) (nj.length >>> 8);
            out[6] = (byte) nj.length;
        }
        return out;
    }

    static byte[] mutateMetadataJson(byte[] body, int metaLength, Random r) {
        String json = new String(body, 4, metaLength, StandardCharsets.UTF_8);
        byte[] nj = editJson(json, r).getBytes(StandardCharsets.UTF_8);
        byte[] out = splice(body, 4, metaLength, nj);
        ByteBuffer.wrap(out).putInt(0, r.nextInt(8) == 0 ? metaLength : nj.length);
        return out;
    }

    static String editJson(String json, Random r) {
        int at = json.isEmpty() ? 0 : r.nextInt(json.length() + 1);
        String token = JSON_EDITS[r.nextInt(JSON_EDITS.length)];
        return switch (r.nextInt(4)) {
            case 0 -> json.substring(0, at) + token + json.substring(at);
            case 1 -> json.substring(0, at) + json.substring(Math.min(json.length(), at + 1 + r.nextInt(8)));
            case 2 -> {
                // replace a value: find a quoted string or number and swap it
                List<int[]> spans = new ArrayList<>();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"[^\"]*\"|-?\\d+").matcher(json);
                while (m.find()) {
                    spans.add(new int[] {m.start(), m.end()});
                }
                if (spans.isEmpty()) {
                    yield json + token;
                }
                int[] s = spans.get(r.nextInt(spans.size()));
                yield json.substring(0, s[0]) + token + json.substring(s[1]);
            }
            default -> json.substring(0, at) + token.repeat(1 + r.nextInt(200)) + json.substring(at);
        };
    }

    private static int interesting(Random r) {
        int[] values = {0x00, 0xFF, 0x7F, 0x80, 0x01, '"', '{', '}', '\\', 0x04};
        return r.nextBoolean() ? values[r.nextInt(values.length)] : r.nextInt(256);
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }
}
