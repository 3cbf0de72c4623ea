package io.openbio.schemas.crypto;

/**
 * What a sealed payload is, bound into its associated data: an envelope sealed as one purpose never
 * opens as another (a request part cannot be replayed as a template, a template as a result body).
 */
public enum Purpose {
    /** a request part as the gateway received it (image, bundle, template text) */
    PART(1),
    /** an image taken out of a request or bundle by a stage (capture frames, eKYC selfie and document) */
    IMAGE(2),
    /** a face template or its vector */
    TEMPLATE(3),
    /** a ready-made API answer body or result image */
    RESULT(4);

    private final int code;

    Purpose(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
