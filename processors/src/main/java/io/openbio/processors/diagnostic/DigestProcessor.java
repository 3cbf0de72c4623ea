package io.openbio.processors.diagnostic;

import io.openbio.events.DigestedRequest;
import io.openbio.events.RequestEnvelope;
import io.openbio.processors.core.Outcome;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.StepStage;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DiagnosticContract;
import io.openbio.schemas.contract.Stage;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Diagnostic chain, stage 1: the SHA-256 of the request's payload. A request without a payload
 * part ends here with a 400 result.
 */
public final class DigestProcessor extends StepStage<RequestEnvelope, DigestedRequest> {
    public static final String NAME = DiagnosticContract.DIGEST.name();

    public DigestProcessor() {
        super(Topics.DIAGNOSTIC_REQUESTS, "diagnostic-requests", Topics.DIAGNOSTIC_DIGESTED);
    }

    @Override
    public Stage stage() {
        return DiagnosticContract.DIGEST;
    }

    /** The in-process computation of this stage (also used by the benchmark's baseline). */
    public static String sha256Hex(ByteBuffer data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data.duplicate());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** A request without a payload ends here (400); the others go on with the digest of their first part. */
    @Override
    protected Outcome<DigestedRequest> step(RequestEnvelope request) {
        if (request.getParts().isEmpty()) {
            return Outcome.done(Results.error(request, List.of(Results.trace(NAME)),
                    400, "EMPTY_PAYLOAD", "the request has no payload to digest"));
        }
        try {
            return Outcome.next(DigestedRequest.newBuilder()
                    .setEnvelope(request)
                    .setSha256(sha256Hex(java.nio.ByteBuffer.wrap(io.openbio.processors.core.Sealing.openPart(request, request.getParts().get(0).getData()))))
                    .setTrace(List.of(Results.trace(NAME)))
                    .build());
        } catch (RuntimeException e) {
            // e.g. a part that does not open (SealedPayloadException): the request's error, never a stalled partition
            return Outcome.done(io.openbio.processors.core.Stages.unexpected(NAME, request, List.of(Results.trace(NAME)), e));
        }
    }
}
