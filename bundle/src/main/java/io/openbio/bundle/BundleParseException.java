package io.openbio.bundle;

/** Not a bundle, corrupted framing, truncated, or a bad header: "Failed to parse file". */
public final class BundleParseException extends BundleException {
    public static final String API_MESSAGE = "Failed to parse file";

    public BundleParseException(String detail) {
        this(detail, null);
    }

    public BundleParseException(String detail, Throwable cause) {
        super(detail, cause);
    }

    @Override
    public String apiMessage() {
        return API_MESSAGE;
    }
}
