package io.openbio.inference.document.read.mrz;

import net.sf.scuba.data.Gender;
import org.jmrtd.lds.icao.MRZInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the text of a machine readable zone (TD1, TD2 or TD3, ICAO 9303 parts 4-6) and checks every
 * check digit.
 *
 * <p>Field parsing is JMRTD's {@link MRZInfo} (the maintained ICAO 9303 library: names split at
 * {@code <<}, document numbers longer than 9 characters continued in the TD1 / TD2 optional data,
 * gender). JMRTD reads the check digits but neither validates them nor exposes them, so the validity
 * is computed here on the ICAO 9303 positions of the raw lines, with JMRTD's digit function
 * ({@link MrzCheckDigits}):
 * <ul>
 *   <li>TD3 line 2: number 1-9 / digit 10, birth 14-19 / 20, expiry 22-27 / 28, personal number 29-42 / 43,
 *       composite 44 over 1-10, 14-20, 22-43;</li>
 *   <li>TD2 line 2: number 1-9 / 10, birth 14-19 / 20, expiry 22-27 / 28, composite 36 over 1-10, 14-20, 22-35;</li>
 *   <li>TD1: number line 1 6-14 / 15 (a longer number: 15 is {@code <}, the rest and its digit follow in
 *       16-30), birth line 2 1-6 / 7, expiry 9-14 / 15, composite line 2 30 over line 1 6-30, line 2 1-7,
 *       9-15, 19-29.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class MrzParser {
    private MrzParser() {
    }

    /**
     * Parses the zone's lines (upper case, exact length, MRZ alphabet only; surrounding whitespace is
     * ignored). Check-digit failures are reported in the result, not thrown.
     *
     * @throws IllegalArgumentException when the lines are not a TD1, TD2 or TD3 zone
     */
    public static Mrz parse(List<String> lines) {
        List<String> l = new ArrayList<>();
        for (String s : lines) {
            l.add(s.strip().toUpperCase(Locale.ROOT));
        }
        MrzFormat format = l.isEmpty() ? null : MrzFormat.of(l.size(), l.get(0).length());
        if (format == null) {
            throw new IllegalArgumentException("not an MRZ: " + l.size() + " line(s), first of "
                    + (l.isEmpty() ? 0 : l.get(0).length()) + " characters (TD1 3x30, TD2 2x36, TD3 2x44)");
        }
        for (int i = 0; i < l.size(); i++) {
            String s = l.get(i);
            if (s.length() != format.length()) {
                throw new IllegalArgumentException(format + " line " + (i + 1) + " has " + s.length()
                        + " characters, not " + format.length());
            }
            for (int k = 0; k < s.length(); k++) {
                if (MrzCheckDigits.value(s.charAt(k)) < 0) {
                    throw new IllegalArgumentException(format + " line " + (i + 1) + " has a character outside the"
                            + " MRZ alphabet at position " + (k + 1));
                }
            }
        }
        MRZInfo info;
        try {
            info = new MRZInfo(String.join("", l));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("JMRTD cannot parse this " + format + " zone: " + e.getMessage(), e);
        }
        return switch (format) {
            case TD3 -> td3(l, info);
            case TD2 -> td2(l, info);
            case TD1 -> td1(l, info);
        };
    }

    /** {@link #parse(List)} of text holding the lines separated by line breaks. */
    public static Mrz parse(String text) {
        return parse(text.strip().lines().map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    private static Mrz td3(List<String> l, MRZInfo info) {
        String a = l.get(0);
        String b = l.get(1);
        Mrz.CheckDigitsValidity v = new Mrz.CheckDigitsValidity(
                MrzCheckDigits.valid(b.substring(0, 9), b.charAt(9)),
                MrzCheckDigits.validDate(b.substring(13, 19), b.charAt(19)),
                MrzCheckDigits.validDate(b.substring(21, 27), b.charAt(27)),
                MrzCheckDigits.valid(b.substring(28, 42), b.charAt(42)),
                MrzCheckDigits.valid(b.substring(0, 10) + b.substring(13, 20) + b.substring(21, 43), b.charAt(43)));
        return new Mrz(MrzFormat.TD3, l, code(a), country(a.substring(2, 5)), info.getPrimaryIdentifier(),
                info.getSecondaryIdentifier(), info.getDocumentNumber(), country(b.substring(10, 13)),
                info.getDateOfBirth(), gender(info), info.getDateOfExpiry(), null, null,
                trimFillers(b.substring(28, 42)), v);
    }

    private static Mrz td2(List<String> l, MRZInfo info) {
        String a = l.get(0);
        String b = l.get(1);
        Number n = number(b.substring(0, 9), b.charAt(9), b.substring(28, 35));
        Mrz.CheckDigitsValidity v = new Mrz.CheckDigitsValidity(
                MrzCheckDigits.valid(n.field, n.check),
                MrzCheckDigits.validDate(b.substring(13, 19), b.charAt(19)),
                MrzCheckDigits.validDate(b.substring(21, 27), b.charAt(27)),
                null,
                MrzCheckDigits.valid(b.substring(0, 10) + b.substring(13, 20) + b.substring(21, 35), b.charAt(35)));
        return new Mrz(MrzFormat.TD2, l, code(a), country(a.substring(2, 5)), info.getPrimaryIdentifier(),
                info.getSecondaryIdentifier(), n.value, country(b.substring(10, 13)), info.getDateOfBirth(),
                gender(info), info.getDateOfExpiry(), null, n.rest, null, v);
    }

    private static Mrz td1(List<String> l, MRZInfo info) {
        String a = l.get(0);
        String b = l.get(1);
        Number n = number(a.substring(5, 14), a.charAt(14), a.substring(15, 30));
        Mrz.CheckDigitsValidity v = new Mrz.CheckDigitsValidity(
                MrzCheckDigits.valid(n.field, n.check),
                MrzCheckDigits.validDate(b.substring(0, 6), b.charAt(6)),
                MrzCheckDigits.validDate(b.substring(8, 14), b.charAt(14)),
                null,
                MrzCheckDigits.valid(a.substring(5, 30) + b.substring(0, 7) + b.substring(8, 15) + b.substring(18, 29),
                        b.charAt(29)));
        return new Mrz(MrzFormat.TD1, l, code(a), country(a.substring(2, 5)), info.getPrimaryIdentifier(),
                info.getSecondaryIdentifier(), n.value, country(b.substring(15, 18)), info.getDateOfBirth(),
                gender(info), info.getDateOfExpiry(), n.rest, trimFillers(b.substring(18, 29)), null, v);
    }

    /** A document number with its check digit, and the optional data after it. */
    private record Number(String value, String field, char check, String rest) {
    }

    /**
     * ICAO 9303 parts 5 / 6 note: a number longer than 9 characters puts {@code <} in the check-digit
     * position and continues in the optional data, followed by its check digit and a filler.
     */
    private static Number number(String nine, char check, String optional) {
        if (check == '<' && !optional.isEmpty() && optional.charAt(0) != '<') {
            int end = optional.indexOf('<');
            if (end < 0) {
                end = optional.length();
            }
            if (end >= 2) {
                String extra = optional.substring(0, end - 1);
                String field = nine + extra;
                return new Number(trimFillers(field), field, optional.charAt(end - 1),
                        trimFillers(optional.substring(end)));
            }
        }
        return new Number(trimFillers(nine), nine, check, trimFillers(optional));
    }

    private static String code(String line1) {
        return trimFillers(line1.substring(0, 2));
    }

    private static String country(String s) {
        return trimFillers(s);
    }

    /** Fillers removed at both ends; inner fillers become spaces. */
    static String trimFillers(String s) {
        return s.replace('<', ' ').strip();
    }

    private static String gender(MRZInfo info) {
        Gender g = info.getGender();
        if (g == Gender.MALE) {
            return "M";
        }
        return g == Gender.FEMALE ? "F" : "";
    }
}
