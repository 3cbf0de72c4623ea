package io.openbio.schemas;

/**
 * Size limits for payloads that travel inline in events. One place, so that the gateway's 413
 * answer, the producers' {@code max.request.size} and the topics' {@code max.message.bytes} agree.
 */
public final class PayloadLimits {
    /** Largest request body (image, bundle, multipart total) the gateway accepts: 10 MiB. */
    public static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    /** Largest Kafka record: the payload plus room for the envelope and results: 12 MiB. */
    public static final int MAX_MESSAGE_BYTES = 12 * 1024 * 1024;

    private PayloadLimits() {
    }
}
