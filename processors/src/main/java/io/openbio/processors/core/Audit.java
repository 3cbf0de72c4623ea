package io.openbio.processors.core;

import io.openbio.events.AuditEvent;
import io.openbio.events.CaptureLivenessResult;
import io.openbio.events.DiagnosticResult;
import io.openbio.events.ExtractedImage;
import io.openbio.events.ResultEvent;
import io.openbio.events.Signal;
import io.openbio.events.StageTrace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The audit record of a finished request: who (tenant), when, which operation, the outcome, the
 * figures and signals behind it, and the stages it went through. Image bytes and templates never
 * go in: only sizes, probabilities and signal verdicts.
 */
public final class Audit {
    private Audit() {
    }

    public static AuditEvent of(ResultEvent result) {
        Map<String, String> summary = new LinkedHashMap<>();
        List<Signal> signals = List.of();
        Object payload = result.getPayload();
        if (payload instanceof CaptureLivenessResult capture) {
            summary.put("probability", format(capture.getProbability()));
            if (capture.getPassiveLiveness() != null) {
                summary.put("passiveLiveness", format(capture.getPassiveLiveness()));
            }
            signals = capture.getSignals();
        } else if (payload instanceof ExtractedImage image) {
            summary.put("contentType", image.getContentType());
            summary.put("sizeBytes", Integer.toString(io.openbio.schemas.crypto.PayloadCipher.plaintextLength(Sealing.bytes(image.getData()))));
        } else if (payload instanceof io.openbio.events.ApiResponse response) {
            // a stage's ready-made answer carries its audit figures beside the sealed body
            summary.putAll(response.getSummary());
            signals = response.getSignals();
        } else if (payload instanceof DiagnosticResult diagnostic) {
            summary.put("sizeBytes", Long.toString(diagnostic.getSizeBytes()));
        }
        return AuditEvent.newBuilder()
                .setRequestId(result.getRequestId())
                .setTenant(result.getTenant())
                .setOperation(result.getOperation())
                .setCreatedAt(result.getCreatedAt())
                .setCompletedAt(result.getCompletedAt())
                .setOutcome(result.getError() == null ? "OK" : "ERROR")
                .setErrorCode(result.getError() == null ? null : result.getError().getCode())
                .setHttpStatus(result.getError() == null ? 200 : result.getError().getStatus())
                .setSummary(summary)
                .setSignals(signals)
                .setStages(result.getTrace().stream().map(StageTrace::getStage).toList())
                .build();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
