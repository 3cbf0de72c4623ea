package io.openbio.processors.dis.customer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.DisDocument;
import io.openbio.inference.document.chip.ChipMrz;
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

/**
 * The customer's personal and document fields (GET /customers/{id}) from what was read on the document's pages
 * ({@link DisPageReading}) and the chip's DG1, as the reference's {@code MultiValueAttribute}s: one value per source,
 * {@code mrz} (the page's MRZ), {@code barcode} (a barcode whose text is an ICAO 9303 MRZ), {@code chip} (DG1) and
 * {@code visualZone}.
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
                  String nationality, String dateOfBirth, String gender, String dateOfExpiry, String personalNumber) {
        static Values of(Mrz m) {
            return new Values(m.format().name(), m.documentCode(), m.issuingAuthority(), m.surname(), m.givenNames(), m.documentNumber(),
                    m.nationality(), m.dateOfBirth(), m.gender(), m.dateOfExpiry(),
                    m.format().name().equals("TD3") ? m.personalNumberOrOptionalDataSecondLine() : null);
        }

        static Values of(ChipMrz c) {
            return new Values(c.format(), c.documentCode(), c.issuingState(), c.surname(), c.givenNames(), c.documentNumber(),
                    c.nationality(), c.dateOfBirth(), c.gender(), c.dateOfExpiry(), "TD3".equals(c.format()) ? c.optionalData() : null);
        }
    }

    private final Map<String, DisPageReading.Page> pages;
    private final Mrz zone;
    private final Values mrz;
    private final Values barcode;
    private final Values chip;
    private final List<List<String>> vizLines = new ArrayList<>();
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
                            // a barcode whose content is not an MRZ: its fields are not known (no other format is parsed)
                        }
                    }
                }
            }
            if (page.text() != null) {
                for (DisPageReading.Line line : page.text().lines()) {
                    List<String> words = new ArrayList<>();
                    for (DisPageReading.Word w : line.words()) {
                        words.add(w.text());
                    }
                    vizLines.add(words);
                }
            }
        }
        this.zone = best;
        this.mrz = best == null ? null : Values.of(best);
        this.barcode = fromBarcode;
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

    /** Adds the document's fields (documentNumber, dateOfExpiry, issuingAuthority, mrz, barcodes). */
    void documentFields(ObjectNode document) {
        attribute(document, "documentNumber", Values::documentNumber, Kind.NUMBER);
        attribute(document, "dateOfExpiry", v -> date(v.dateOfExpiry(), false), Kind.DATE);
        attribute(document, "issuingAuthority", Values::issuingState, Kind.NONE);
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

    private enum Kind { NAME, NUMBER, DATE, NONE }

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

    // ------------------------------------------------------------------ visual zone

    /** The OCR words (of one line, consecutive) that spell {@code value}, as read; a date as YYYY-MM-DD; or null. */
    String printed(String value, Kind kind) {
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
        } else {
            targets.add(squash(value));
        }
        for (List<String> line : vizLines) {
            for (int i = 0; i < line.size(); i++) {
                StringBuilder run = new StringBuilder();
                for (int j = i; j < line.size(); j++) {
                    String w = squash(line.get(j));
                    if (w.isEmpty()) {
                        if (j == i) {
                            break;
                        }
                        continue;
                    }
                    run.append(w);
                    String s = run.toString();
                    if (targets.contains(s)) {
                        return kind == Kind.DATE ? value : String.join(" ", line.subList(i, j + 1)).strip();
                    }
                    if (targets.stream().noneMatch(t -> t.startsWith(s))) {
                        break;
                    }
                }
            }
        }
        return null;
    }

    /** Upper case, accents removed, letters and digits only. */
    static String squash(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return n.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
    }

    /** YYMMDD as YYYY-MM-DD (see the class comment for the century), or null. */
    String date(String yymmdd, boolean birth) {
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
