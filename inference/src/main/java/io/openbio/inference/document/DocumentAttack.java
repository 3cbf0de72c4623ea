package io.openbio.inference.document;

/**
 * The four document attack checks of the IDLive eKYC API ({@code document_check_parameters}). Each
 * has its own default pipeline, a signal-processing detector (not a trained model), which a
 * configured ONNX model can replace ({@code openbio.document.<TYPE>.model}, see {@link DocumentAnalyzer}).
 */
public enum DocumentAttack {
    /** The document shown on a screen and photographed: moire / pixel-grid periodicity. */
    SCREEN_REPLAY_ATTACK("default-sr"),
    /** A printed copy photographed: halftone dot periodicity and a reduced tonal gamut. */
    PRINTED_COPY_ATTACK("default-pc"),
    /** The portrait replaced: noise-level / JPEG-grid inconsistency between portrait and surroundings. */
    PORTRAIT_SUBSTITUTION_ATTACK("default-ps"),
    /** The image edited digitally: error-level and double-JPEG (grid) anomalies. */
    DIGITAL_MANIPULATION_ATTACK("default-dm");

    private final String defaultPipeline;

    DocumentAttack(String defaultPipeline) {
        this.defaultPipeline = defaultPipeline;
    }

    /** Name of the built-in pipeline, as the API reports it ({@code default-sr} ...). */
    public String defaultPipeline() {
        return defaultPipeline;
    }

    /** Configuration key prefix of an ONNX replacement: {@code openbio.document.<TYPE>}. */
    public String key() {
        return "openbio.document." + name();
    }
}
