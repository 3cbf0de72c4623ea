package io.openbio.inference.document;

import java.util.List;

/**
 * One {@code doc_result} entry.
 *
 * @param type            the check
 * @param pipeline        pipeline name ({@code default-sr} ... or a configured ONNX pipeline's name)
 * @param calibration     calibration applied
 * @param status          OK, or why no probability is given
 * @param probability     calibrated probability, 0 = attack .. 1 = genuine (API threshold 0.5); NaN unless OK
 * @param rawProbability  the pipeline's probability before calibration; NaN unless OK
 * @param statistic       the measured statistic the probability maps from (see README), NaN for an ONNX pipeline
 * @param qualityWarnings the document's quality warnings
 * @param detail          measurements (OK) or the error text (other statuses)
 */
public record DocumentCheckResult(DocumentAttack type, String pipeline, Calibration calibration, DocumentStatus status,
                                  double probability, double rawProbability, double statistic,
                                  List<QualityWarning> qualityWarnings, String detail) {
    public DocumentCheckResult {
        qualityWarnings = List.copyOf(qualityWarnings);
    }

    /** Whether the check passed: OK and probability at least 0.5. */
    public boolean genuine() {
        return status == DocumentStatus.OK && probability >= 0.5;
    }

    static DocumentCheckResult failed(DocumentAttack type, String pipeline, Calibration cal, DocumentStatus status,
                                      List<QualityWarning> warnings, String why) {
        return new DocumentCheckResult(type, pipeline, cal, status, Double.NaN, Double.NaN, Double.NaN, warnings, why);
    }
}
