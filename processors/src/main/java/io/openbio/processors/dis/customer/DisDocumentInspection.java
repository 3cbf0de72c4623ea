package io.openbio.processors.dis.customer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.DisDocument;
import io.openbio.events.DisDocumentPage;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.processors.dis.customer.DisCustomerProcessor.Found;
import io.openbio.processors.dis.customer.DisCustomerProcessor.State;
import io.openbio.schemas.contract.DisContract;
import io.openbio.schemas.settings.Settings;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The document inspection of the dis-customers stage ({@code POST /customers/{id}/document/inspect} and
 * {@code /document/inspect/disclose}, seed 004; README "DIS documents"). The answer is assembled from separate parts,
 * each answered only when it was measured:
 * <ul>
 * <li>{@code portraitInspection}: {@code ageEstimate} (fr_age, rounded) and {@code genderEstimate} (fr_gender, M from
 * 0.5) of the document portrait's face (the front page's portrait crop, else the back's); absent without a portrait or
 * when its face is not found again on the crop.</li>
 * <li>{@code pageTampering}: per page, {@link DisPageTampering} (measured at upload).</li>
 * <li>{@code chipInspection.dataAuthentication}: the passive authentication's status kept at {@code PUT chip/data}
 * (AUTHENTICATED, DENIED, INVALID_SOD_FILE, INVALID_COM_FILE, AUTHORITY_CERTIFICATES_NOT_PROVIDED); absent without
 * chip data. {@code chipAuthentication} (active / chip authentication of the challenge) is not verified here and
 * {@code accessControlProtocolType} is not known from uploaded files: both absent.</li>
 * <li>From what was read ({@link DisDocumentFields}): {@code expired} (the date of expiry, the page MRZ's when its
 * check digit is valid, else DG1's, else a barcode's, is before today (UTC); absent when neither is known); {@code mrzInspection.valid}
 * (every check digit of the page MRZ answered is valid; absent when no zone was parsed);
 * {@code visualZoneInspection} ({@link DisDocumentFields#visualZoneInspection}: the visual zone against the MRZ and
 * the barcode values, an ICAO MRZ or AAMVA DL/ID content; low confidence under {@code OPENBIO_DIS_LOW_OCR_CONFIDENCE},
 * default {@link #LOW_OCR_CONFIDENCE}); {@code portraitInspection.genderConsistency.mrz} (the portrait's gender estimate equals
 * the MRZ's sex; absent for an unspecified sex; {@code viz} absent: no sex is located in the visual zone) and
 * {@code ageDifferenceWith.dateOfBirth} ({@link #portraitAgeDifference}, answered only above
 * {@link #AGE_TOLERANCE_YEARS}, as the reference answers it only when a difference is detected).</li>
 * </ul>
 * Disclose: {@code pageTampering} with the scores behind the flags (the reference's disclose has no text items: the
 * values behind them are the inspection's own figures and GET customer's fields). A customer without a document is
 * 404 NOT_FOUND.
 */
final class DisDocumentInspection {
    /**
     * The default of {@code OPENBIO_DIS_LOW_OCR_CONFIDENCE}: a visual-zone text field whose Tesseract confidence (its
     * least sure word, 0..1) is under it is listed in {@code lowOcrConfidenceTexts} (and a near spelling under it is no
     * inconsistency). NOT calibrated: chosen on 16 synthetic pages (README "DIS documents"), where correctly read fields
     * scored 0.87 to 0.97 but one (0.38), and the two misread document numbers 0.46 and 0.55. The reference's default,
     * 0.92, would list the document number of 15 of those 16 genuine pages: Tesseract's LSTM scores alphanumeric numbers
     * lower than words. A setting because the right value depends on the capture (camera, resolution, lighting) and on
     * how strict the integrator's onboarding is; this default holds for the synthetic pages only.
     */
    static final double LOW_OCR_CONFIDENCE = Double.parseDouble(Settings.DIS_LOW_OCR_CONFIDENCE.defaultValue());
    /**
     * The portrait's age estimate may differ from the holder's age by this many years before {@code ageDifferenceWith}
     * is answered: fr_age's error is not measurable here (no age-labelled photo); one man's three photos already
     * spread 12.8 years (inference EVALUATION.md "Age"), and one photo was estimated 41 as a selfie and 31 to 33 as
     * the portrait printed on a synthetic card (DisInspectionTopologyTest): a smaller tolerance would flag the
     * model's own spread.
     */
    static final int AGE_TOLERANCE_YEARS = 15;
    /** The longest validity assumed for a document (ICAO 9303 documents of adults are mostly issued for up to 10 years). */
    static final int VALIDITY_YEARS = 10;

    private final Supplier<FaceAnalyzer> analyzer;
    private final double lowOcrConfidence;

    /** @param lowOcrConfidence {@code OPENBIO_DIS_LOW_OCR_CONFIDENCE}, 0..1 */
    DisDocumentInspection(Supplier<FaceAnalyzer> analyzer, double lowOcrConfidence) {
        if (!(lowOcrConfidence >= 0 && lowOcrConfidence <= 1)) {
            throw new IllegalArgumentException("OPENBIO_DIS_LOW_OCR_CONFIDENCE must be within 0..1: " + lowOcrConfidence);
        }
        this.analyzer = analyzer;
        this.lowOcrConfidence = lowOcrConfidence;
    }

    ResultEvent handle(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = DisDocumentOps.withDocument(request, state, now);
        DisDocument document = found.customer().getDocument();
        ObjectNode body = DisCustomerProcessor.JSON.createObjectNode();
        if (DisContract.DOCUMENT_INSPECT_DISCLOSE.equals(request.getOperation())) {
            putIfAny(body, "pageTampering", pageTampering(document, true));
            return DisCustomerProcessor.ok(request, trace, 200, body);
        }
        DisDocumentFields fields = DisDocumentOps.fields(state, found, now);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate expiry = fields.expiry();
        if (expiry != null) {
            body.put("expired", expiry.isBefore(today));
        }
        Boolean mrzValid = fields.mrzValid();
        if (mrzValid != null) {
            body.putObject("mrzInspection").put("valid", mrzValid);
        }
        putIfAny(body, "portraitInspection", portraitInspection(state, found, fields, today));
        putIfAny(body, "visualZoneInspection", fields.visualZoneInspection(lowOcrConfidence));
        putIfAny(body, "pageTampering", pageTampering(document, false));
        putIfAny(body, "chipInspection", chipInspection(document));
        return DisCustomerProcessor.ok(request, trace, 200, body);
    }

    /** {@code PortraitInspection} from the portrait's face; null without one. */
    private ObjectNode portraitInspection(State state, Found found, DisDocumentFields fields, LocalDate today) {
        byte[] portrait = DisDocumentOps.documentPortrait(state, found);
        InspectedFace face = portrait == null ? null : InspectedFace.of(analyzer.get(), portrait);
        if (face == null) {
            return null;
        }
        ObjectNode out = DisCustomerProcessor.JSON.createObjectNode();
        out.put("genderEstimate", face.gender());
        String sex = fields.mrzSex();
        if (sex != null) {
            out.putObject("genderConsistency").put("mrz", sex.equals(face.gender()));
        }
        out.put("ageEstimate", (int) Math.round(face.age()));
        int difference = portraitAgeDifference(face.age(), fields.birthDates(), fields.expiry(), today);
        if (difference > AGE_TOLERANCE_YEARS) {
            out.putObject("ageDifferenceWith").put("dateOfBirth", difference);
        }
        return out;
    }

    /**
     * How many whole years (rounded) the portrait's age estimate lies outside the ages the holder had while the
     * portrait can have been taken, the largest over the dates of birth read (0 when inside, or without a date of
     * birth). The portrait is taken before issue, and issue is at most {@link #VALIDITY_YEARS} before the expiry (or
     * before today when no expiry is known) and not after today: so the holder's age at the photo lies between their
     * age {@code VALIDITY_YEARS} before the expiry and their age today.
     */
    static int portraitAgeDifference(double estimate, Set<LocalDate> births, LocalDate expiry, LocalDate today) {
        LocalDate earliest = (expiry == null ? today : expiry).minusYears(VALIDITY_YEARS);
        if (earliest.isAfter(today)) {
            earliest = today;
        }
        long max = 0;
        for (LocalDate birth : births) {
            double youngest = Math.max(0, years(birth, earliest));
            double oldest = years(birth, today);
            double outside = estimate < youngest ? youngest - estimate : estimate > oldest ? estimate - oldest : 0;
            max = Math.max(max, Math.round(outside));
        }
        return (int) max;
    }

    /** Years (fractional, 365.2425 days each) from {@code from} to {@code to}. */
    static double years(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to) / 365.2425;
    }

    /** Page type -> {@code PageTamperingInspection} (or its disclose form), in page order; pages with nothing measured are left out. */
    static ObjectNode pageTampering(DisDocument document, boolean disclose) {
        ObjectNode out = DisCustomerProcessor.JSON.createObjectNode();
        for (String type : DisDocumentOps.PAGE_TYPES) {
            for (DisDocumentPage page : document.getPages()) {
                if (page.getPageType().equals(type)) {
                    putIfAny(out, type, disclose ? DisPageTampering.disclose(page.getTampering()) : DisPageTampering.inspect(page.getTampering()));
                }
            }
        }
        return out;
    }

    /** {@code DocumentChipInspection}; null without chip data. */
    static ObjectNode chipInspection(DisDocument document) {
        if (document.getChipDataAuthentication() == null) {
            return null;
        }
        ObjectNode out = DisCustomerProcessor.JSON.createObjectNode();
        out.put("dataAuthentication", document.getChipDataAuthentication());
        return out;
    }

    private static void putIfAny(ObjectNode body, String name, ObjectNode part) {
        if (part != null && !part.isEmpty()) {
            body.set(name, part);
        }
    }
}
