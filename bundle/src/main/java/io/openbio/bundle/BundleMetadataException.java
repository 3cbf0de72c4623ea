package io.openbio.bundle;

/** Decrypted and authenticated, but the inner body or its metadata is invalid: "Failed to read a meta data". */
public final class BundleMetadataException extends BundleException {
    public static final String API_MESSAGE = "Failed to read a meta data";

    public BundleMetadataException(String detail) {
        this(detail, null);
    }

    public BundleMetadataException(String detail, Throwable cause) {
        super(detail, cause);
    }

    @Override
    public String apiMessage() {
        return API_MESSAGE;
    }
}
