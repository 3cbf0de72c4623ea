package io.openbio.bundle;

/**
 * Why a bundle could not be read. {@link #apiMessage()} is the message the IAD Server API (seed 000)
 * returns for this kind of failure; {@link #getMessage()} is a diagnostic detail for logs. Neither
 * ever contains image bytes or key material.
 */
public abstract sealed class BundleException extends Exception
        permits BundleParseException, BundleDecryptException, BundleMetadataException {

    protected BundleException(String detail, Throwable cause) {
        super(detail, cause);
    }

    /** The API's message for this failure: exactly one of the three strings of seed 000. */
    public abstract String apiMessage();
}
