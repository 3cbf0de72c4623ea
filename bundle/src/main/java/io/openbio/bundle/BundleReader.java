package io.openbio.bundle;

import io.openbio.bundle.crypto.BundleCrypto;
import io.openbio.bundle.format.InnerBody;
import io.openbio.bundle.format.ParsedBundle;

import java.security.PrivateKey;
import java.util.Optional;

/**
 * Reads capture bundles, format v1 ({@code bundle/SPEC.md}). For any input whatsoever it either
 * returns or throws a {@link BundleException}: lengths are checked against hard limits before
 * anything is allocated, and every unexpected exception is wrapped according to the stage it
 * happened in (parse, decrypt, metadata).
 */
public final class BundleReader {
    private BundleReader() {}

    /** Validates the framing and the header and returns the header; needs no key. */
    public static BundleHeader header(byte[] bundle) throws BundleException {
        try {
            return ParsedBundle.parse(bundle).header();
        } catch (BundleException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new BundleParseException("unexpected " + e.getClass().getSimpleName() + " while parsing", e);
        }
    }

    /** Validates, decrypts and decodes a bundle with the private key its header names. */
    public static CaptureBundle read(byte[] bundle, KeyResolver keys) throws BundleException {
        ParsedBundle parsed;
        try {
            parsed = ParsedBundle.parse(bundle);
        } catch (BundleException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new BundleParseException("unexpected " + e.getClass().getSimpleName() + " while parsing", e);
        }

        byte[] plaintext;
        try {
            if (keys == null) {
                throw new BundleDecryptException("no key resolver");
            }
            Optional<PrivateKey> key = keys.privateKey(parsed.header().kid());
            if (key == null || key.isEmpty()) {
                throw new BundleDecryptException("unknown key id '" + parsed.header().kid() + "'");
            }
            plaintext = BundleCrypto.open(bundle, parsed, key.get());
        } catch (BundleException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new BundleDecryptException("unexpected " + e.getClass().getSimpleName() + " while decrypting", e);
        }

        try {
            return InnerBody.decode(plaintext);
        } catch (BundleException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new BundleMetadataException("unexpected " + e.getClass().getSimpleName() + " while reading metadata", e);
        }
    }
}
