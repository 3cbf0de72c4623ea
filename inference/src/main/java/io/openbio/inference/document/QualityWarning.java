package io.openbio.inference.document;

/**
 * Quality warnings of a document photo ({@code quality_warnings}), from plain measurements of the
 * document region (thresholds in {@link DocumentAnalyzer}'s documentation and inference/README.md).
 */
public enum QualityWarning {
    /** Variance of the Laplacian of the grey document region below 30 (out of focus or motion blur). */
    BLUR,
    /** The document's shorter side is under 300 px (an ID-1 card then holds under 5.5 px/mm). */
    LOW_RESOLUTION,
    /** More than 1 % of the document pixels are saturated white in all three channels (reflection). */
    GLARE,
    /** Mean grey level of the document region under 60 (of 255). */
    TOO_DARK,
    /** The portrait's inter-eye distance is under 20 px: too small for reliable face matching. */
    SMALL_PORTRAIT
}
