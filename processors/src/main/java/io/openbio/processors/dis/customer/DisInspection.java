package io.openbio.processors.dis.customer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.DisCustomer;
import io.openbio.events.DisLiveness;
import io.openbio.events.DisLivenessRecord;
import io.openbio.events.DisSelfie;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.dis.DisScores;
import io.openbio.processors.dis.customer.DisCustomerProcessor.Found;
import io.openbio.processors.dis.customer.DisCustomerProcessor.State;
import io.openbio.schemas.contract.DisContract;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The customer inspection of the dis-customers stage ({@code POST /customers/{id}/inspect} and
 * {@code /inspect/disclose}, seed 004; README "DIS inspection").
 *
 * <ul>
 * <li>{@code selfieInspection} (only when the customer has a selfie): {@code ageEstimate} (fr_age, rounded) and
 * {@code genderEstimate} (fr_gender, M from 0.5) of the selfie, and {@code similarityWith}, each the selfie's largest
 * face against another image, scored with {@link DisScores} (the calibrated same-person probability of the
 * fr_feature cosine, as for faces), true from {@link DisScores#SAME_PERSON_THRESHOLD} (0.5):
 * <ul>
 * <li>{@code livenessSelfies}: the minimum score over every liveness selfie and every liveness record's selfie;</li>
 * <li>{@code documentPortrait}: the document portrait (the front page's portrait crop, else the back's);</li>
 * <li>{@code chipPortrait}: the chip's DG2 JPEG portrait.</li>
 * </ul>
 * Each is absent when the other image is missing. An image whose face is not found again (by the detector, else the
 * small-face path) scores 0: the selfie's person was not found in it (fail closed, never absent). {@code
 * genderConsistency.documentPortrait}: the selfie's gender estimate equals the document portrait's (absent when the
 * portrait's face is not found); {@code genderConsistency.mrz}: it equals the sex of the document's page MRZ (absent
 * without one, or for an unspecified sex); {@code ageDifferenceWith.dateOfBirth}: the largest difference, in whole
 * years (rounded), between the selfie's age estimate and the holder's age today by each date of birth read (MRZ,
 * barcode, chip; the visual zone's is one of them when confirmed). {@code hasMask} is omitted (no mask model on this
 * platform), so are {@code genderConsistency.viz} (no sex is located in the visual zone) and {@code
 * ageDifferenceWith.documentPortrait} (it needs the date of issue, which no MRZ holds).</li>
 * <li>{@code security.videoInjection}: {@code evaluated} is true when at least one liveness record (a capture
 * bundle) was received, and {@code detected} then says whether any record failed an injection signal (nonce:
 * replayed, another tenant's, expired or unknown; timing, virtual camera, frame duplication, resolution, EXIF). Without a record nothing came through a capture bundle:
 * {@code evaluated:false}, no {@code detected}.</li>
 * <li>{@code links.documentInspection}: {@code /api/v1/customers/{id}/document/inspect} (required by the reference).</li>
 * <li>disclose: {@code selfieInspection.similarityWith.documentPortrait.score} and {@code livenessSelfies.score} (the
 * reference has no disclose entry for the chip portrait).</li>
 * </ul>
 * A customer without a selfie answers {@code selfieInspection} absent (inspect) and {@code {}} (disclose).
 */
final class DisInspection {
    private final Supplier<FaceAnalyzer> analyzer;
    private final DisScores scores = DisScores.load();

    DisInspection(Supplier<FaceAnalyzer> analyzer) {
        this.analyzer = analyzer;
    }

    /**
     * What the selfie was compared with: each score null when the other image is missing.
     *
     * @param portrait the document portrait's face, null when there is no portrait or its face is not found again
     */
    private record Comparisons(Double livenessSelfies, Double documentPortrait, Double chipPortrait, InspectedFace portrait) {
    }

    ResultEvent handle(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = DisCustomerProcessor.customer(request, state, now);
        boolean disclose = DisContract.CUSTOMER_INSPECT_DISCLOSE.equals(request.getOperation());
        DisCustomer customer = found.customer();
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        DisSelfie selfie = customer.getSelfie();
        Comparisons compared = selfie == null ? null : compare(state, found);
        if (disclose) {
            if (compared != null && (compared.documentPortrait() != null || compared.livenessSelfies() != null)) {
                ObjectNode similarity = body.putObject("selfieInspection").putObject("similarityWith");
                // the reference types these scores as floats: written as such, so that they read back exactly
                if (compared.documentPortrait() != null) {
                    similarity.putObject("documentPortrait").put("score", (float) compared.documentPortrait().doubleValue());
                }
                if (compared.livenessSelfies() != null) {
                    similarity.putObject("livenessSelfies").put("score", (float) compared.livenessSelfies().doubleValue());
                }
            }
            return DisCustomerProcessor.ok(request, trace, 200, body);
        }
        if (selfie != null) {
            DisDocumentFields fields = DisDocumentOps.fields(state, found, now);
            ObjectNode inspection = body.putObject("selfieInspection");
            ObjectNode similarity = DisCustomerProcessor.JSON.createObjectNode();
            if (compared.documentPortrait() != null) {
                similarity.put("documentPortrait", DisScores.samePerson(compared.documentPortrait()));
            }
            if (compared.chipPortrait() != null) {
                similarity.put("chipPortrait", DisScores.samePerson(compared.chipPortrait()));
            }
            if (compared.livenessSelfies() != null) {
                similarity.put("livenessSelfies", DisScores.samePerson(compared.livenessSelfies()));
            }
            if (!similarity.isEmpty()) {
                inspection.set("similarityWith", similarity);
            }
            if (selfie.getGenderScore() != null) {
                String gender = DisCustomerProcessor.gender(selfie.getGenderScore());
                inspection.put("genderEstimate", gender);
                ObjectNode consistency = DisCustomerProcessor.JSON.createObjectNode();
                if (compared.portrait() != null) {
                    consistency.put("documentPortrait", gender.equals(compared.portrait().gender()));
                }
                String sex = fields == null ? null : fields.mrzSex();
                if (sex != null) {
                    consistency.put("mrz", gender.equals(sex));
                }
                if (!consistency.isEmpty()) {
                    inspection.set("genderConsistency", consistency);
                }
            }
            if (selfie.getAge() != null) {
                inspection.put("ageEstimate", (int) Math.round(selfie.getAge()));
                Integer difference = fields == null ? null : ageDifference(selfie.getAge(), fields.birthDates(), LocalDate.ofInstant(now, ZoneOffset.UTC));
                if (difference != null) {
                    inspection.putObject("ageDifferenceWith").put("dateOfBirth", difference);
                }
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

    /** The selfie against the liveness images, the document portrait and the chip portrait; all null when the selfie's face is not found again. */
    private Comparisons compare(State state, Found found) {
        byte[] selfieImage = state.parts().get(found.customer(), found.key(), CustomerParts.SELFIE);
        List<byte[]> liveness = livenessImages(state, found);
        byte[] portrait = DisDocumentOps.documentPortrait(state, found);
        byte[] chip = found.customer().getDocument() == null ? null
                : state.parts().get(found.customer(), found.key(), CustomerParts.CHIP_PORTRAIT);
        if (selfieImage == null || liveness.isEmpty() && portrait == null && chip == null) {
            return new Comparisons(null, null, null, null);
        }
        FaceAnalyzer fa = analyzer.get();
        InspectedFace selfie = InspectedFace.of(fa, selfieImage);
        if (selfie == null) {
            return new Comparisons(null, null, null, null);
        }
        Double minimum = null;
        for (byte[] image : liveness) {
            minimum = Math.min(minimum == null ? 1 : minimum, score(selfie, InspectedFace.of(fa, image)));
        }
        InspectedFace portraitFace = InspectedFace.of(fa, portrait);
        Double documentPortrait = portrait == null ? null : score(selfie, portraitFace);
        Double chipPortrait = chip == null ? null : score(selfie, InspectedFace.of(fa, chip));
        return new Comparisons(minimum, documentPortrait, chipPortrait, portraitFace);
    }

    /**
     * The largest difference, in whole years (rounded), between the selfie's age estimate and the holder's age today by
     * each date of birth; null without a date of birth.
     */
    static Integer ageDifference(double estimate, java.util.Set<LocalDate> births, LocalDate today) {
        Long max = null;
        for (LocalDate birth : births) {
            long d = Math.round(Math.abs(estimate - DisDocumentInspection.years(birth, today)));
            max = max == null ? d : Math.max(max, d);
        }
        return max == null ? null : max.intValue();
    }

    /** The similarity score; 0 when the other image's face was not found. */
    private double score(InspectedFace selfie, InspectedFace other) {
        return other == null ? 0 : scores.match(selfie.template(), other.template()).score();
    }

    /** Every liveness selfie and every liveness record's selfie. */
    private static List<byte[]> livenessImages(State state, Found found) {
        DisLiveness liveness = found.customer().getLiveness();
        List<byte[]> out = new ArrayList<>();
        if (liveness == null) {
            return out;
        }
        DisLivenessOps.selfies(state, found, liveness).forEach(s -> out.add(s.image()));
        for (DisLivenessRecord r : liveness.getRecords()) {
            byte[] image = state.parts().get(found.customer(), found.key(), CustomerParts.recordSelfie(r.getId()));
            if (image != null) {
                out.add(image);
            }
        }
        return out;
    }
}
