package io.openbio.processors.dis.customer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.DisDocument;
import io.openbio.inference.document.chip.ChipMrz;
import io.openbio.inference.document.read.barcode.Aamva;
import io.openbio.inference.document.read.mrz.Mrz;
import io.openbio.inference.document.read.mrz.MrzParser;
import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The customer's personal and document fields (GET /customers/{id}) from what was read on the document's pages
 * ({@link DisPageReading}) and the chip's DG1, as the reference's {@code MultiValueAttribute}s: one value per source,
 * {@code mrz} (the page's MRZ), {@code barcode} (a barcode whose text is an ICAO 9303 MRZ, else the PDF417 of a US or
 * Canadian driver's licence or ID card: {@link Aamva}), {@code chip} (DG1) and {@code visualZone}.
 *
 * <p><b>AAMVA barcode.</b> The first barcode of the pages whose text is an MRZ, else the first that is an AAMVA DL/ID
 * file, gives the {@code barcode} values: {@code surname} (DCS), {@code givenNames} (DAC and DAD, or DCT),
 * {@code dateOfBirth} (DBB), {@code document.documentNumber} (DAQ), {@code document.dateOfExpiry} (DBA),
 * {@code document.dateOfIssue} (DBD), {@code document.issuingAuthority} (DCG, the country: USA or CAN, as the MRZ's
 * issuing state is a country code) and {@code document.additionalTexts} {@code addressStreet} (DAG, DAH),
 * {@code addressCity} (DAI), {@code addressJurisdiction} (DAJ), {@code addressPostalCode} (DAK); each only when the
 * content holds it. The sex (DBC) is not answered: {@code gender} ({@code BiometricMultiValueAttribute}) has no
 * barcode source. On a US document (the barcode's country) dates printed month first ({@code MM DD YYYY}) are also
 * looked for in the visual zone.
 *
 * <p><b>Visual zone.</b> No edition layout template exists on this platform, so no printed text can be attributed to a
 * field by its place on the page. A {@code visualZone} value is reported only where the OCR text of the pages' visual
 * zone <em>contains</em> a value read from the MRZ, the chip or a barcode: some run of consecutive words of one OCR line
 * that, upper-cased, without accents and punctuation, spells that value (a date in any of its usual printed orders,
 * {@code DD MM YYYY}, {@code YYYY MM DD}, {@code DD MM YY}, with an English month abbreviation or without leading
 * zeros). The value answered is the OCR words as read (a date as YYYY-MM-DD). A field printed in another spelling
 * (transliteration, another language) is not reported: an absent visual-zone value means "not confirmed", never "not
 * printed".
 *
 * <p><b>Classification.</b> A page MRZ whose check digits are all valid (else DG1's MRZ) gives the document type from
 * its document code ({@code P} passport, {@code I} identity-card, other codes no type), the country from its issuing
 * state (when it is an ISO 3166 alpha-3 code; {@code D} is Germany) and the MRZ type, with {@code supportLevel
 * MRZ_EXTRACTION_ONLY}; without one, the client's advice with {@code NOT_SUPPORTED} ({@link DisDocumentOps#documentType}).
 *
 * <p>Dates: the MRZ's YYMMDD as YYYY-MM-DD; a date of birth in the century that does not put it in the future, an expiry
 * in 20YY unless that is more than 50 years ahead. A date with fillers or out of the calendar is not answered.
 */
final class DisDocumentFields {
    private static final Set<String> ISO_ALPHA3 = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3);
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

    /** One source's values (MRZ fields). */
    record Values(String format, String documentCode, String issuingState, String surname, String givenNames, String documentNumber,
                  String nationality, String dateOfBirth, String gender, String dateOfExpiry, String personalNumber,
                  String dateOfIssue) {
        static Values of(Mrz m) {
            return new Values(m.format().name(), m.documentCode(), m.issuingAuthority(), m.surname(), m.givenNames(), m.documentNumber(),
                    m.nationality(), m.dateOfBirth(), m.gender(), m.dateOfExpiry(),
                    m.format().name().equals("TD3") ? m.personalNumberOrOptionalDataSecondLine() : null, null);
        }

        static Values of(ChipMrz c) {
            return new Values(c.format(), c.documentCode(), c.issuingState(), c.surname(), c.givenNames(), c.documentNumber(),
                    c.nationality(), c.dateOfBirth(), c.gender(), c.dateOfExpiry(), "TD3".equals(c.format()) ? c.optionalData() : null,
                    null);
        }

        /** An AAMVA file's values; its dates already YYYY-MM-DD ({@link #date} passes them through). */
        static Values of(Aamva a) {
            return new Values("AAMVA", null, a.country(), a.surname(), a.givenNames(), a.documentNumber(), null,
                    iso(a.dateOfBirth()), a.sex(), iso(a.dateOfExpiry()), null, iso(a.dateOfIssue()));
        }

        private static String iso(LocalDate d) {
            return d == null ? null : d.toString();
        }
    }

    private final Map<String, DisPageReading.Page> pages;
    private final Mrz zone;
    private final Values mrz;
    private final Values barcode;
    private final Aamva aamva;
    private final Values chip;
    private final List<List<DisPageReading.Word>> vizLines = new ArrayList<>();
    private final LocalDate today;

    /**
     * @param pages what was read on each page kept, by page type in the order front, back
     * @param chip  DG1's MRZ, when chip data with DG1 was uploaded
     */
    DisDocumentFields(Map<String, DisPageReading.Page> pages, Optional<ChipMrz> chip, LocalDate today) {
        this.pages = pages;
        this.today = today;
        Mrz best = null;
        Values fromBarcode = null;
        Aamva fromAamva = null;
        for (DisPageReading.Page page : pages.values()) {
            Mrz z = page.zone();
            if (z != null && (best == null || (!best.valid() && z.valid()))) {
                best = z;
            }
            if (page.barcodes() != null) {
                for (DisPageReading.BarcodePart b : page.barcodes()) {
                    if (fromBarcode == null && b.text() != null) {
                        try {
                            fromBarcode = Values.of(MrzParser.parse(b.text()));
                        } catch (IllegalArgumentException notAnMrz) {
                            // a barcode whose content is not an MRZ: an AAMVA DL/ID file, or its fields are not known
                        }
                    }
                    if (fromAamva == null && b.text() != null) {
                        fromAamva = Aamva.parse(b.text()).orElse(null);
                    }
                }
            }
            if (page.text() != null) {
                for (DisPageReading.Line line : page.text().lines()) {
                    vizLines.add(List.copyOf(line.words()));
                }
            }
        }
        this.zone = best;
        this.mrz = best == null ? null : Values.of(best);
        this.barcode = fromBarcode != null ? fromBarcode : fromAamva == null ? null : Values.of(fromAamva);
        this.aamva = fromBarcode == null ? fromAamva : null;
        this.chip = chip.map(Values::of).orElse(null);
    }

    /** The parsed page MRZ answered (VALID preferred; front before back), or null. */
    Mrz zone() {
        return zone;
    }

    /** The document type from a valid MRZ (page, else DG1), or null when there is none: the advice answers then. */
    ObjectNode classification() {
        Values v = zone != null && zone.valid() ? mrz : chip;
        if (v == null) {
            return null;
        }
        ObjectNode type = DisCustomerProcessor.JSON.createObjectNode();
        String country = country(v.issuingState());
        if (country != null) {
            type.put("country", country);
        }
        String code = v.documentCode() == null ? "" : v.documentCode();
        if (code.startsWith("P")) {
            type.put("type", "passport");
        } else if (code.startsWith("I")) {
            type.put("type", "identity-card");
        }
        type.put("machineReadableTravelDocument", v.format());
        type.put("supportLevel", "MRZ_EXTRACTION_ONLY");
        return type;
    }

    /** The ISO 3166 alpha-3 code (lower case) of an ICAO issuing-state code, or null for ICAO-only codes (UTO, GBD, XXA...). */
    static String country(String icao) {
        if (icao == null) {
            return null;
        }
        String c = icao.strip().toUpperCase(Locale.ROOT);
        if (c.equals("D")) {
            c = "DEU";
        }
        return ISO_ALPHA3.contains(c) ? c.toLowerCase(Locale.ROOT) : null;
    }

    /** The advice's type, or the classification when a valid MRZ gives one. */
    static ObjectNode documentType(DisDocument document, DisDocumentFields fields) {
        ObjectNode classified = fields == null ? null : fields.classification();
        return classified != null ? classified : DisDocumentOps.documentType(document);
    }

    /** Adds the customer's personal fields (givenNames, surname, dateOfBirth, gender, age, nationality, personalNumber). */
    void customerFields(ObjectNode customer) {
        attribute(customer, "surname", Values::surname, Kind.NAME);
        attribute(customer, "givenNames", Values::givenNames, Kind.NAME);
        attribute(customer, "dateOfBirth", v -> date(v.dateOfBirth(), true), Kind.DATE);
        attribute(customer, "nationality", Values::nationality, Kind.NONE);
        attribute(customer, "personalNumber", Values::personalNumber, Kind.NONE);
        biometric(customer, "gender", v -> v.gender() == null ? null : v.gender().isEmpty() ? "X" : v.gender());
        biometric(customer, "age", v -> {
            String birth = date(v.dateOfBirth(), true);
            return birth == null ? null : Integer.toString(Period.between(LocalDate.parse(birth), today).getYears());
        });
    }

    /**
     * Adds the document's fields (documentNumber, dateOfExpiry, dateOfIssue, issuingAuthority, additionalTexts from an
     * AAMVA barcode, mrz, barcodes).
     */
    void documentFields(ObjectNode document) {
        attribute(document, "documentNumber", Values::documentNumber, Kind.NUMBER);
        attribute(document, "dateOfExpiry", v -> date(v.dateOfExpiry(), false), Kind.DATE);
        attribute(document, "dateOfIssue", v -> date(v.dateOfIssue(), false), Kind.DATE);
        attribute(document, "issuingAuthority", Values::issuingState, Kind.NONE);
        if (aamva != null) {
            ObjectNode texts = DisCustomerProcessor.JSON.createObjectNode();
            Map<String, String> address = new LinkedHashMap<>();
            address.put("addressStreet", aamva.street());
            address.put("addressCity", aamva.city());
            address.put("addressJurisdiction", aamva.jurisdiction());
            address.put("addressPostalCode", aamva.postalCode());
            address.forEach((name, value) -> {
                if (value != null && !value.isBlank()) {
                    texts.putObject(name).put("barcode", value);
                }
            });
            if (!texts.isEmpty()) {
                document.set("additionalTexts", texts);
            }
        }
        if (zone != null) {
            document.putObject("mrz").set(zone.referenceKey(), DisCustomerProcessor.JSON.valueToTree(zone.toReference()));
        }
        ObjectNode barcodes = DisCustomerProcessor.JSON.createObjectNode();
        pages.forEach((pageType, page) -> {
            if (page.barcodes() == null || page.barcodes().isEmpty()) {
                return;
            }
            ObjectNode onPage = barcodes.putObject(pageType);
            Map<String, Integer> seen = new LinkedHashMap<>();
            for (DisPageReading.BarcodePart b : page.barcodes()) {
                int n = seen.merge(b.type(), 1, Integer::sum);
                onPage.putObject(n == 1 ? b.type() : b.type() + "_" + n)
                        .put("type", b.type())
                        .put("data", Base64.getEncoder().encodeToString(b.data()));
            }
        });
        if (!barcodes.isEmpty()) {
            document.set("barcodes", barcodes);
        }
    }

    enum Kind { NAME, NUMBER, DATE, NONE }

    private void attribute(ObjectNode out, String name, Function<Values, String> field, Kind kind) {
        ObjectNode a = DisCustomerProcessor.JSON.createObjectNode();
        Set<String> known = new LinkedHashSet<>();
        put(a, "mrz", mrz, field, known);
        put(a, "barcode", barcode, field, known);
        put(a, "chip", chip, field, known);
        if (kind != Kind.NONE) {
            for (String value : known) {
                String printed = printed(value, kind);
                if (printed != null) {
                    a.put("visualZone", printed);
                    break;
                }
            }
        }
        if (!a.isEmpty()) {
            out.set(name, a);
        }
    }

    private void biometric(ObjectNode out, String name, Function<Values, String> field) {
        ObjectNode a = out.has(name) ? (ObjectNode) out.get(name) : DisCustomerProcessor.JSON.createObjectNode();
        put(a, "mrz", mrz, field, new LinkedHashSet<>());
        put(a, "chip", chip, field, new LinkedHashSet<>());
        if (!a.isEmpty()) {
            out.set(name, a);
        }
    }

    private static void put(ObjectNode a, String source, Values v, Function<Values, String> field, Set<String> known) {
        if (v == null) {
            return;
        }
        String value = field.apply(v);
        if (value != null && !value.isBlank()) {
            a.put(source, value);
            known.add(value);
        }
    }

    // ------------------------------------------------------------------ inspection

    /** {@code mrzInspection.valid}: the page MRZ answered has every check digit valid; null when no zone was parsed. */
    Boolean mrzValid() {
        return zone == null ? null : zone.valid();
    }

    /**
     * The date of expiry: the page MRZ's when its check digit is valid, else DG1's, else the barcode's; null when none
     * is known.
     */
    LocalDate expiry() {
        String d = zone != null && zone.checkDigitsValidity().dateOfExpiryCheckDigitValid() ? date(zone.dateOfExpiry(), false) : null;
        if (d == null && chip != null) {
            d = date(chip.dateOfExpiry(), false);
        }
        if (d == null && barcode != null) {
            d = date(barcode.dateOfExpiry(), false);
        }
        return d == null ? null : LocalDate.parse(d);
    }

    /** The dates of birth read (page MRZ, barcode: MRZ or AAMVA, DG1), distinct; a visual-zone date is one of them when confirmed. */
    Set<LocalDate> birthDates() {
        Set<LocalDate> out = new LinkedHashSet<>();
        for (Values v : new Values[] {mrz, barcode, chip}) {
            String d = v == null ? null : date(v.dateOfBirth(), true);
            if (d != null) {
                out.add(LocalDate.parse(d));
            }
        }
        return out;
    }

    /** The page MRZ's sex, M or F; null without a page MRZ or when it is unspecified ({@code <}, X). */
    String mrzSex() {
        return mrz != null && ("M".equals(mrz.gender()) || "F".equals(mrz.gender())) ? mrz.gender() : null;
    }

    /** A text field of the visual-zone inspection: its reference name, its value from one source, its kind. */
    private record TextField(String name, Function<Values, String> value, Kind kind) {
    }

    private List<TextField> textFields() {
        return List.of(new TextField("surname", Values::surname, Kind.NAME),
                new TextField("givenNames", Values::givenNames, Kind.NAME),
                new TextField("documentNumber", Values::documentNumber, Kind.NUMBER),
                new TextField("dateOfBirth", v -> date(v.dateOfBirth(), true), Kind.DATE),
                new TextField("dateOfExpiry", v -> date(v.dateOfExpiry(), false), Kind.DATE),
                new TextField("dateOfIssue", v -> date(v.dateOfIssue(), false), Kind.DATE));
    }

    /**
     * The reference's {@code VisualZoneInspection}, or null when no text field was recognised in the visual zone (its
     * {@code ocrConfidence} is required). A text field is recognised where the visual zone spells a value of the MRZ,
     * a barcode (its MRZ, or its AAMVA DL/ID content) or DG1 exactly ({@link #exact}), or nearly ({@link #near}: the MRZ or barcode value, not the chip's):
     * <ul>
     * <li>{@code ocrConfidence.confidence}: the median over the recognised fields of each field's Tesseract confidence
     * (its least sure word); {@code lowOcrConfidenceTexts}: the names of the fields under {@code lowConfidence}.</li>
     * <li>{@code textConsistency.consistencyWith.mrz} / {@code .barcodes} (present when one of the source's values was
     * recognised): {@code inconsistentTexts}, the names of the fields the visual zone prints nearly but not exactly as
     * that source has them, in words read with at least {@code lowConfidence} (a near spelling in less sure words is
     * listed as a low-confidence text only); {@code consistent}: none is.</li>
     * </ul>
     */
    ObjectNode visualZoneInspection(double lowConfidence) {
        if (vizLines.isEmpty()) {
            return null;
        }
        Map<String, Double> recognised = new LinkedHashMap<>();
        Map<String, List<String>> inconsistent = new LinkedHashMap<>();
        Map<String, Values> sources = new LinkedHashMap<>();
        sources.put("mrz", mrz);
        sources.put("barcodes", barcode);
        sources.put("chip", chip);
        for (TextField f : textFields()) {
            sources.forEach((source, values) -> {
                String value = values == null ? null : f.value().apply(values);
                if (value == null || value.isBlank()) {
                    return;
                }
                Match m = exact(value, f.kind());
                boolean compared = !source.equals("chip");
                if (m == null && compared) {
                    m = near(value, f.kind());
                    // a near spelling in words Tesseract is unsure of is more likely its misreading than another value:
                    // it is a low-confidence text then, not an inconsistency
                    if (m != null && m.confidence() >= lowConfidence) {
                        inconsistent.computeIfAbsent(source, k -> new ArrayList<>()).add(f.name());
                    }
                }
                if (m != null) {
                    recognised.putIfAbsent(f.name(), m.confidence());
                    if (compared) {
                        inconsistent.computeIfAbsent(source, k -> new ArrayList<>());
                    }
                }
            });
        }
        if (recognised.isEmpty()) {
            return null;
        }
        ObjectNode out = DisCustomerProcessor.JSON.createObjectNode();
        ObjectNode ocr = out.putObject("ocrConfidence");
        ocr.put("confidence", Math.round(median(recognised.values()) * 10_000) / 10_000.0);
        var low = ocr.putArray("lowOcrConfidenceTexts");
        recognised.forEach((name, c) -> {
            if (c < lowConfidence) {
                low.add(name);
            }
        });
        if (!inconsistent.isEmpty()) {
            ObjectNode consistency = out.putObject("textConsistency");
            consistency.put("consistent", inconsistent.values().stream().allMatch(List::isEmpty));
            ObjectNode with = consistency.putObject("consistencyWith");
            inconsistent.forEach((source, names) -> {
                var texts = with.putObject(source).putArray("inconsistentTexts");
                names.forEach(texts::add);
            });
        }
        return out;
    }

    private static double median(java.util.Collection<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    // ------------------------------------------------------------------ visual zone

    /** The OCR words (of one line, consecutive) that spell {@code value}, as read; a date as YYYY-MM-DD; or null. */
    String printed(String value, Kind kind) {
        Match m = exact(value, kind);
        return m == null ? null : m.text();
    }

    /**
     * Consecutive OCR words of one visual-zone line.
     *
     * @param text       the words as read (a date: the value compared with, YYYY-MM-DD)
     * @param confidence the smallest Tesseract confidence of the words (0..1): a field is as sure as its least sure word
     * @param distance   edit distance between the words (squashed) and the value compared with; 0 for an exact match
     */
    record Match(String text, double confidence, int distance) {
    }

    /** The run of words that spells {@code value} exactly (see the class comment), or null. */
    Match exact(String value, Kind kind) {
        List<String> targets = new ArrayList<>();
        if (kind == Kind.DATE) {
            LocalDate d = LocalDate.parse(value);
            String dd = String.format(Locale.ROOT, "%02d", d.getDayOfMonth());
            String mm = String.format(Locale.ROOT, "%02d", d.getMonthValue());
            String yyyy = Integer.toString(d.getYear());
            String yy = yyyy.substring(2);
            String mon = MONTHS[d.getMonthValue() - 1];
            String day = Integer.toString(d.getDayOfMonth());
            String month = Integer.toString(d.getMonthValue());
            targets.addAll(List.of(dd + mm + yyyy, yyyy + mm + dd, dd + mm + yy, dd + mon + yyyy, dd + mon + yy,
                    day + month + yyyy, day + mon + yyyy));
            if (aamva != null && "USA".equals(aamva.country())) {
                targets.addAll(List.of(mm + dd + yyyy, mm + dd + yy, mon + dd + yyyy));
            }
        } else {
            targets.add(squash(value));
        }
        for (List<DisPageReading.Word> line : vizLines) {
            for (int i = 0; i < line.size(); i++) {
                StringBuilder run = new StringBuilder();
                for (int j = i; j < line.size(); j++) {
                    String w = squash(line.get(j).text());
                    if (w.isEmpty()) {
                        if (j == i) {
                            break;
                        }
                        continue;
                    }
                    run.append(w);
                    String s = run.toString();
                    if (targets.contains(s)) {
                        List<DisPageReading.Word> words = line.subList(i, j + 1);
                        return new Match(kind == Kind.DATE ? value : text(words), confidence(words), 0);
                    }
                    if (targets.stream().noneMatch(t -> t.startsWith(s))) {
                        break;
                    }
                }
            }
        }
        return null;
    }

    /** Values shorter than this (squashed) are never near-matched: too many short words are one edit away. */
    static final int NEAR_MIN_LENGTH = 5;

    /**
     * The run of words (one line, consecutive, starting and ending at words with letters or digits) closest to a name
     * or number {@code value} that is <em>not</em> an exact spelling of it but only 1 edit away (2 for 10 characters and
     * more; Levenshtein on the squashed text, commons-text), or null: the visual zone prints nearly that value, i.e.
     * the same field with a different value (or an OCR misreading of it). Dates are never near-matched: on many cards
     * the date of issue is the date of expiry 5 or 10 years earlier, one or two digits away, and no layout tells which
     * printed date is which.
     */
    Match near(String value, Kind kind) {
        String target = squash(value);
        if (kind == Kind.DATE || kind == Kind.NONE || target.length() < NEAR_MIN_LENGTH) {
            return null;
        }
        int max = target.length() >= 10 ? 2 : 1;
        LevenshteinDistance distance = new LevenshteinDistance(max);
        Match best = null;
        for (List<DisPageReading.Word> line : vizLines) {
            for (int i = 0; i < line.size(); i++) {
                if (squash(line.get(i).text()).isEmpty()) {
                    continue;
                }
                StringBuilder run = new StringBuilder();
                for (int j = i; j < line.size() && run.length() <= target.length() + max; j++) {
                    String w = squash(line.get(j).text());
                    if (w.isEmpty()) {
                        continue;
                    }
                    run.append(w);
                    int d = distance.apply(target, run.toString());
                    if (d > 0 && (best == null || d < best.distance())) {
                        List<DisPageReading.Word> words = line.subList(i, j + 1);
                        best = new Match(text(words), confidence(words), d);
                    }
                }
            }
        }
        return best;
    }

    private static String text(List<DisPageReading.Word> words) {
        StringBuilder b = new StringBuilder();
        for (DisPageReading.Word w : words) {
            b.append(b.isEmpty() ? "" : " ").append(w.text());
        }
        return b.toString().strip();
    }

    private static double confidence(List<DisPageReading.Word> words) {
        double min = 1;
        for (DisPageReading.Word w : words) {
            if (!squash(w.text()).isEmpty()) {
                min = Math.min(min, w.confidence());
            }
        }
        return min;
    }

    /** Upper case, accents removed, letters and digits only. */
    static String squash(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return n.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
    }

    /** YYMMDD as YYYY-MM-DD (see the class comment for the century), a YYYY-MM-DD date (AAMVA) as it is, or null. */
    String date(String yymmdd, boolean birth) {
        if (yymmdd != null && yymmdd.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return yymmdd;
        }
        if (yymmdd == null || !yymmdd.matches("\\d{6}")) {
            return null;
        }
        int yy = Integer.parseInt(yymmdd.substring(0, 2));
        int year = 2000 + yy;
        if (birth ? year > today.getYear() : year > today.getYear() + 50) {
            year -= 100;
        }
        try {
            return LocalDate.of(year, Integer.parseInt(yymmdd.substring(2, 4)), Integer.parseInt(yymmdd.substring(4, 6))).toString();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
