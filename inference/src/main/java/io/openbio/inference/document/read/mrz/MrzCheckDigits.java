package io.openbio.inference.document.read.mrz;

import org.jmrtd.lds.icao.MRZInfo;

/**
 * ICAO 9303 part 3 section 4.9 check digits: weights 7, 3, 1 repeating, {@code 0-9} = 0..9,
 * {@code A-Z} = 10..35, filler {@code <} = 0, the sum modulo 10. The digit itself is JMRTD's
 * {@link MRZInfo#checkDigit(String)} (the maintained ICAO 9303 library); this class adds what
 * JMRTD does not expose: whether a digit read from a zone is valid for its field.
 *
 * <p>What a check digit can catch, by construction: a single changed character whose value differs
 * by a multiple of 10 from the original ({@code 0}/{@code <}/{@code A}/{@code K}/{@code U},
 * {@code 1}/{@code B}/{@code L}/{@code V}, ...) leaves the sum unchanged modulo 10. Every single-digit
 * change of a numeric field is caught (weights 7, 3, 1 are prime to 10). That is why a field whose
 * format is numeric (dates, check digits) is also checked for its alphabet here: a date is valid only
 * when it is six digits.
 */
public final class MrzCheckDigits {
    private MrzCheckDigits() {
    }

    /** The check digit of {@code field} (characters of the MRZ alphabet only). */
    public static char of(String field) {
        for (int i = 0; i < field.length(); i++) {
            if (value(field.charAt(i)) < 0) {
                throw new IllegalArgumentException("not an MRZ character at " + i + " of the field");
            }
        }
        return MRZInfo.checkDigit(field);
    }

    /**
     * True when {@code check} is the check digit of {@code field}. An empty optional field (all
     * fillers) may carry a filler {@code <} as its check digit (ICAO 9303 part 4, personal number).
     */
    public static boolean valid(String field, char check) {
        if (field == null || field.isEmpty()) {
            return false;
        }
        for (int i = 0; i < field.length(); i++) {
            if (value(field.charAt(i)) < 0) {
                return false;
            }
        }
        if (check == '<') {
            return field.chars().allMatch(c -> c == '<');
        }
        return check >= '0' && check <= '9' && of(field) == check;
    }

    /** A date field (YYMMDD): six digits and its check digit. */
    public static boolean validDate(String field, char check) {
        return field != null && field.length() == 6 && field.chars().allMatch(c -> c >= '0' && c <= '9')
                && valid(field, check);
    }

    /** The ICAO 9303 value of an MRZ character, or -1 for a character outside the MRZ alphabet. */
    public static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        return c == '<' ? 0 : -1;
    }
}
