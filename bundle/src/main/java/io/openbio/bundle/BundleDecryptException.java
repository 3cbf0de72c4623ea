package io.openbio.bundle;

/** Unknown key id, wrong key, or authentication-tag failure (a tampered byte): "Failed to decrypt message". */
public final class BundleDecryptException extends BundleException {
    public static final String API_MESSAGE = "Failed to decrypt message";

    public BundleDecryptException(String detail) {
        this(detail, null);
    }

    public BundleDecryptException(String detail, Throwable cause) {
        super(detail, cause);
    }

    @Override
    public String apiMessage() {
        return API_MESSAGE;
    }
}
