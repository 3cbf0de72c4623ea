package io.openbio.bundle;

/**
 * The clear-text (but authenticated) part of a bundle that names how to decrypt it.
 *
 * @param version format version (1)
 * @param kid     id of the server key the bundle is encrypted to
 * @param alg     algorithm id, {@value io.openbio.bundle.format.BundleFormat#ALG} in version 1
 */
public record BundleHeader(int version, String kid, String alg) {}
