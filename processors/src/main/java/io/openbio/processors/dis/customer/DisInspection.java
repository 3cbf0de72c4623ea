package io.openbio.processors.dis.customer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.DisCustomer;
import io.openbio.events.DisLiveness;
import io.openbio.events.DisLivenessRecord;
import io.openbio.events.DisSelfie;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.inference.ErrorCode;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.detect.Face;
import io.openbio.inference.dis.DisScores;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.processors.dis.customer.DisCustomerProcessor.Found;
import io.openbio.processors.dis.customer.DisCustomerProcessor.State;
import io.openbio.schemas.contract.DisContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The customer inspection of the dis-customers stage ({@code POST /customers/{id}/inspect} and
 * {@code /inspect/disclose}, seed 004; README "DIS inspection").
 *
 * <ul>
 * <li>{@code selfieInspection} (only when the customer has a selfie): {@code ageEstimate} (fr_age, rounded) and
 * {@code genderEstimate} (fr_gender, M from 0.5) of the selfie; {@code similarityWith.livenessSelfies}: whether the
 * selfie's person is in every liveness selfie and every liveness record's selfie, i.e. the minimum similarity
 * score is at least {@link DisScores#SAME_PERSON_THRESHOLD} (0.5); absent when there is none. The similarity score
 * is {@link DisScores}' (the calibrated same-person probability of the fr_feature cosine, as for faces). A liveness
 * selfie whose face is
 * not found again scores 0. {@code hasMask} is omitted (no mask model on this platform); the document fields
 * ({@code similarityWith.documentPortrait}, {@code genderConsistency}, {@code ageDifferenceWith}) are absent until
 * the document part of the API exists.</li>
 * <li>{@code security.videoInjection}: {@code evaluated} is true when at least one liveness record (a capture
 * bundle) was received, and {@code detected} then says whether any record failed an injection signal (timing,
 * virtual camera, frame duplication, resolution, EXIF). Without a record nothing came through a capture bundle:
 * {@code evaluated:false}, no {@code detected}.</li>
 * <li>{@code links.documentInspection}: {@code /api/v1/customers/{id}/document/inspect} (required by the reference).</li>
 * <li>disclose: {@code selfieInspection.similarityWith.livenessSelfies.score}, the minimum similarity described above.</li>
 * </ul>
 * A customer without a selfie answers {@code selfieInspection} absent (inspect) and {@code {}} (disclose).
 */
final class DisInspection {
    private final Supplier<FaceAnalyzer> analyzer;
    private final DisScores scores = DisScores.load();

    DisInspection(Supplier<FaceAnalyzer> analyzer) {
        this.analyzer = analyzer;
    }

    ResultEvent handle(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = DisCustomerProcessor.customer(request, state, now);
        boolean disclose = DisContract.CUSTOMER_INSPECT_DISCLOSE.equals(request.getOperation());
        DisCustomer customer = found.customer();
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        Double minimum = customer.getSelfie() == null ? null : livenessSimilarity(state, found);
        if (disclose) {
            if (minimum != null) {
                // the reference types this score as a float: written as one, so that it reads back exactly
                body.putObject("selfieInspection").putObject("similarityWith").putObject("livenessSelfies").put("score", (float) minimum.doubleValue());
            }
            return DisCustomerProcessor.ok(request, trace, 200, body);
        }
        DisSelfie selfie = customer.getSelfie();
        if (selfie != null) {
            ObjectNode inspection = body.putObject("selfieInspection");
            if (minimum != null) {
                inspection.putObject("similarityWith").put("livenessSelfies", DisScores.samePerson(minimum));
            }
            if (selfie.getGenderScore() != null) {
                inspection.put("genderEstimate", DisCustomerProcessor.gender(selfie.getGenderScore()));
            }
            if (selfie.getAge() != null) {
                inspection.put("ageEstimate", (int) Math.round(selfie.getAge()));
            }
        }
        ObjectNode injection = body.putObject("security").putObject("videoInjection");
        DisLiveness liveness = customer.getLiveness();
        List<DisLivenessRecord> records = liveness == null ? List.of() : liveness.getRecords();
        injection.put("evaluated", !records.isEmpty());
        if (!records.isEmpty()) {
            injection.put("detected", records.stream().anyMatch(r -> !r.getFailedSignals().isEmpty()));
        }
        body.putObject("links").put("documentInspection", "/api/v1/customers/" + customer.getId() + "/document/inspect");
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    /**
     * The minimum similarity score of the selfie against every liveness selfie and record selfie; null when there is
     * no selfie image or none of them.
     */
    private Double livenessSimilarity(State state, Found found) {
        byte[] selfieImage = state.parts().get(found.customer(), found.key(), CustomerParts.SELFIE);
        DisLiveness liveness = found.customer().getLiveness();
        if (selfieImage == null || liveness == null) {
            return null;
        }
        List<byte[]> others = new ArrayList<>();
        DisLivenessOps.selfies(state, found, liveness).forEach(s -> others.add(s.image()));
        for (DisLivenessRecord r : liveness.getRecords()) {
            byte[] image = state.parts().get(found.customer(), found.key(), CustomerParts.recordSelfie(r.getId()));
            if (image != null) {
                others.add(image);
            }
        }
        if (others.isEmpty()) {
            return null;
        }
        FaceAnalyzer fa = analyzer.get();
        Template selfie = template(fa, selfieImage);
        if (selfie == null) {
            return null;
        }
        double minimum = 1;
        for (byte[] image : others) {
            Template t = template(fa, image);
            minimum = Math.min(minimum, t == null ? 0 : scores.match(selfie, t).score());
        }
        return minimum;
    }

    /** The template of the largest face of an image; null when it has none. */
    private static Template template(FaceAnalyzer fa, byte[] image) {
        try {
            DecodedImage d = fa.decode(image);
            List<Face> faces = fa.detectAll(d);
            return faces.isEmpty() ? null : fa.embed(d, faces.get(0));
        } catch (InferenceException e) {
            if (e.code() == ErrorCode.MODEL_UNAVAILABLE || e.code() == ErrorCode.CHECK_UNAVAILABLE) {
                throw e;
            }
            return null;
        }
    }
}
