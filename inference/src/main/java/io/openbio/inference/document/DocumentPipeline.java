package io.openbio.inference.document;

/** One document attack pipeline: measures a statistic on the document and maps it to a probability. */
public interface DocumentPipeline {
    /** The measured statistic, the genuine probability it maps to (0 attack .. 1 genuine) and a note. */
    record Measurement(double statistic, double probability, String detail) {
    }

    String name();

    /** Whether the pipeline needs the portrait (PORTRAIT_SUBSTITUTION does). */
    boolean needsPortrait();

    /** Runs on a found document ({@link DocumentAnalysis#found()}); may throw on internal failure. */
    Measurement measure(DocumentAnalysis doc);
}
