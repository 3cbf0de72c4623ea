package io.openbio.inference.document.read.barcode;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content of the PDF417 symbol on a US or Canadian driver's licence or identification card, as the AAMVA DL/ID
 * Card Design Standard lays it out (Annex D, "Mandatory PDF417 bar code"; versions 01, 2000, to 10, 2020):
 * <pre>
 *   "@" LF RS CR             compliance indicator, data element separator, record separator, segment terminator
 *   "ANSI " (or "AAMVA")     file type
 *   IIN (6 digits)           issuer identification number of the jurisdiction
 *   AAMVA version (2)        01 .. 10
 *   jurisdiction version (2) absent in version 01
 *   number of entries (2)    then per entry: subfile type (2, "DL", "ID", "Z?"), offset (4), length (4)
 *   subfiles                 subfile type, then data elements "IDvalue" separated by LF, ended by CR
 * </pre>
 * Read here ({@link #parse}): from the {@code DL} (else {@code ID}) subfile, the data elements
 * <ul>
 *   <li>{@code DCS} family name (versions 02+; {@code DAB} in version 01, else the family part of {@code DAA});</li>
 *   <li>{@code DAC} first name and {@code DAD} middle names (versions 04+ and 01), else {@code DCT} given names
 *       (versions 02, 03; commas read as spaces); {@code NONE} and {@code unavl} are read as no value;</li>
 *   <li>{@code DBB} date of birth, {@code DBA} date of expiry, {@code DBD} date of issue: MMDDCCYY for the USA,
 *       CCYYMMDD for Canada (versions 02+), CCYYMMDD in version 01. The two orders never both give a date with a
 *       year from 1900 to 2199 (CCYYMMDD's "19"/"20"/"21" is no month, MMDDCCYY's month no year in that range), so a
 *       date in the other order than expected (jurisdictions that kept their pre-standard order) is read all the same;
 *       a date in neither is not read;</li>
 *   <li>{@code DAQ} customer (document) number, {@code DBC} sex (1 male, 2 female, 9 not specified; M/F/X
 *       accepted), {@code DCG} country (USA or CAN, versions 03+; else from {@code DAJ}, the jurisdiction code, when
 *       it is a Canadian province or territory or a US state), {@code DAG}/{@code DAH} street, {@code DAI} city,
 *       {@code DAJ} jurisdiction, {@code DAK} postal code.</li>
 * </ul>
 * Only what the content holds is answered (a value absent or unreadable is null). Content that is not an AAMVA file
 * (no compliance indicator and file type, a header that does not parse, no DL/ID subfile) gives no record, never an
 * exception. Offsets in the header are used when the subfile type is found there, else the subfile is looked for
 * after the header: many issued cards (and scanners that drop the RS/CR control characters) have offsets a few bytes
 * off.
 *
 * <p>Why a parser here: no maintained Java library for AAMVA content is on Maven Central (the parsers found are npm
 * packages and unmaintained snippets); the layout above is small, fixed by the standard, and covered by
 * {@code AamvaTest} (the standard's own example, versions 01 to 10, both date orders, malformed content).
 */
public record Aamva(int version, String issuerId, String subfileType, String country, String surname,
                    String givenNames, LocalDate dateOfBirth, LocalDate dateOfExpiry, LocalDate dateOfIssue,
                    String documentNumber, String sex, String street, String city, String jurisdiction,
                    String postalCode) {

    private static final Pattern HEADER = Pattern.compile("@\\s*\\x1e?\\s*(ANSI ?|AAMVA)(\\d{6})(\\d{2})");
    private static final Pattern ELEMENT_ID = Pattern.compile("[A-Z]{3}");
    private static final Set<String> CANADA = Set.of("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC",
            "SK", "YT");
    private static final Set<String> USA = Set.of("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI",
            "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
            "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
            "WV", "WI", "WY", "AS", "GU", "MP", "PR", "VI");
    /** Content longer than this is no DL/ID card's symbol (a PDF417 holds at most 1,850 text characters). */
    private static final int MAX_LENGTH = 4096;

    /** The record of an AAMVA DL/ID file, or empty when {@code text} is none (see the class comment); never throws. */
    public static Optional<Aamva> parse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(read(text));
        } catch (RuntimeException malformed) {
            // bounds are checked below; a parser bug on odd content must still not fail the page's reading
            return Optional.empty();
        }
    }

    private static Aamva read(String text) {
        Matcher h = HEADER.matcher(text);
        if (!h.find() || h.start() > 2) {
            return null;
        }
        int version = Integer.parseInt(h.group(3));
        int pos = h.end();
        if (version != 1) {
            pos += 2; // jurisdiction version number
        }
        if (pos + 2 > text.length() || !isDigits(text, pos, 2)) {
            return null;
        }
        int entries = Integer.parseInt(text.substring(pos, pos + 2));
        pos += 2;
        Map<String, int[]> designators = new LinkedHashMap<>();
        for (int i = 0; i < entries && pos + 10 <= text.length(); i++) {
            String type = text.substring(pos, pos + 2);
            if (!isDigits(text, pos + 2, 8)) {
                break;
            }
            designators.putIfAbsent(type, new int[] {Integer.parseInt(text.substring(pos + 2, pos + 6)),
                    Integer.parseInt(text.substring(pos + 6, pos + 10))});
            pos += 10;
        }
        for (String type : List.of("DL", "ID")) {
            if (designators.containsKey(type)) {
                Map<String, String> elements = subfile(text, type, designators.get(type), pos);
                if (!elements.isEmpty()) {
                    return of(version, h.group(2), type, elements);
                }
            }
        }
        return null;
    }

    /** The data elements of one subfile (ID -> value), found at its offset or else after the header; empty if none. */
    private static Map<String, String> subfile(String text, String type, int[] offsetLength, int headerEnd) {
        int start = offsetLength[0];
        if (start < headerEnd || start + 2 > text.length() || !text.startsWith(type, start)) {
            start = -1;
            for (int i = text.indexOf(type, headerEnd); i >= 0; i = text.indexOf(type, i + 1)) {
                if (i + 5 <= text.length() && ELEMENT_ID.matcher(text.substring(i + 2, i + 5)).matches()) {
                    start = i;
                    break;
                }
            }
            if (start < 0) {
                return Map.of();
            }
        }
        int end = text.indexOf('\r', start);
        end = end < 0 ? text.length() : end;
        Map<String, String> out = new LinkedHashMap<>();
        for (String element : text.substring(start + 2, end).split("\n")) {
            if (element.length() > 3 && ELEMENT_ID.matcher(element.substring(0, 3)).matches()) {
                String value = element.substring(3).strip();
                if (!value.isEmpty()) {
                    out.putIfAbsent(element.substring(0, 3), value);
                }
            }
        }
        return out;
    }

    private static Aamva of(int version, String iin, String type, Map<String, String> e) {
        String jurisdiction = upper(e.get("DAJ"));
        String country = upper(e.get("DCG"));
        if (!"USA".equals(country) && !"CAN".equals(country)) {
            country = jurisdiction == null ? null : CANADA.contains(jurisdiction) ? "CAN"
                    : USA.contains(jurisdiction) ? "USA" : null;
        }
        boolean yearFirst = version == 1 || "CAN".equals(country);
        String surname = name(e.get("DCS"));
        if (surname == null) {
            surname = name(e.get("DAB"));
        }
        String given = join(name(e.get("DAC")), name(e.get("DAD")));
        if (given == null) {
            given = name(e.get("DCT"));
        }
        String full = e.get("DAA");
        if (full != null && full.contains(",") && (surname == null || given == null)) {
            String[] parts = full.split(",", 2);
            surname = surname != null ? surname : name(parts[0]);
            given = given != null ? given : name(parts[1]);
        }
        String street = join(e.get("DAG"), e.get("DAH"));
        Aamva a = new Aamva(version, iin, type, country, surname, given, date(e.get("DBB"), yearFirst),
                date(e.get("DBA"), yearFirst), date(e.get("DBD"), yearFirst), e.get("DAQ"), sex(e.get("DBC")), street,
                e.get("DAI"), jurisdiction, e.get("DAK"));
        return a.surname == null && a.givenNames == null && a.dateOfBirth == null && a.documentNumber == null
                && a.dateOfExpiry == null ? null : a;
    }

    /** A name as read: commas as spaces, whitespace collapsed; "NONE" and "unavl" (no value) as null. */
    private static String name(String v) {
        if (v == null) {
            return null;
        }
        String s = v.replace(',', ' ').strip().replaceAll("\\s+", " ");
        return s.isEmpty() || s.equalsIgnoreCase("NONE") || s.equalsIgnoreCase("UNAVL") ? null : s;
    }

    private static String join(String a, String b) {
        if (a == null) {
            return b == null ? null : b.strip();
        }
        return b == null ? a.strip() : a.strip() + " " + b.strip();
    }

    private static String upper(String v) {
        return v == null ? null : v.strip().toUpperCase(Locale.ROOT);
    }

    private static String sex(String v) {
        if (v == null) {
            return null;
        }
        return switch (v.strip().toUpperCase(Locale.ROOT)) {
            case "1", "M" -> "M";
            case "2", "F" -> "F";
            case "9", "X" -> "X";
            default -> null;
        };
    }

    /** An 8-digit date in the expected order, else in the other (see the class comment), or null. */
    static LocalDate date(String v, boolean yearFirst) {
        if (v == null || v.length() != 8 || !isDigits(v, 0, 8)) {
            return null;
        }
        LocalDate first = yearFirst ? ymd(v) : mdy(v);
        return first != null ? first : yearFirst ? mdy(v) : ymd(v);
    }

    private static LocalDate ymd(String v) {
        return of(Integer.parseInt(v.substring(0, 4)), Integer.parseInt(v.substring(4, 6)), Integer.parseInt(v.substring(6, 8)));
    }

    private static LocalDate mdy(String v) {
        return of(Integer.parseInt(v.substring(4, 8)), Integer.parseInt(v.substring(0, 2)), Integer.parseInt(v.substring(2, 4)));
    }

    private static LocalDate of(int year, int month, int day) {
        if (year < 1900 || year > 2199) {
            return null;
        }
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean isDigits(String s, int from, int n) {
        if (from + n > s.length()) {
            return false;
        }
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
