package io.openbio.inference.document.read.mrz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * From OCR lines to the exact lines of a zone. Rules, in order:
 * <ol>
 *   <li>spaces removed, upper case, characters outside the MRZ alphabet dropped; lines under
 *       {@value #MIN_LINE} characters dropped (other print caught in the band);</li>
 *   <li>the format: three lines of about 30 characters make TD1; two of about 44 TD3; two of about 36
 *       TD2 (about = within {@value #LENGTH_SLACK}); the last lines of that length are the zone;</li>
 *   <li>each line brought to the format's length by adding or removing fillers at its end (the runs of
 *       {@code <} are what OCR miscounts);</li>
 *   <li>at the positions the format reserves for digits (dates, check digits) the letters OCR confuses
 *       with digits are mapped to them ({@code O Q D -> 0, I L -> 1, Z -> 2, S -> 5, G -> 6, B -> 8}); at
 *       positions reserved for letters (codes, names, sex) the reverse.</li>
 * </ol>
 * The document number and optional data may hold both, so they are left as read: a misread there
 * shows up in its check digit.
 */
final class MrzText {
    static final int MIN_LINE = 20;
    static final int LENGTH_SLACK = 4;

    private MrzText() {
    }

    /** The zone's lines, or null when the text is not two or three MRZ-like lines. */
    static List<String> zone(List<String> ocrLines) {
        List<String> l = new ArrayList<>();
        for (String s : ocrLines) {
            StringBuilder b = new StringBuilder();
            for (char c : s.toUpperCase(Locale.ROOT).toCharArray()) {
                if (MrzCheckDigits.value(c) >= 0) {
                    b.append(c);
                }
            }
            if (b.length() >= MIN_LINE) {
                l.add(b.toString());
            }
        }
        MrzFormat f = null;
        List<String> zone = null;
        for (MrzFormat candidate : new MrzFormat[] {MrzFormat.TD1, MrzFormat.TD3, MrzFormat.TD2}) {
            List<String> near = l.stream().filter(s -> Math.abs(s.length() - candidate.length()) <= LENGTH_SLACK)
                    .toList();
            if (near.size() >= candidate.lines()) {
                f = candidate;
                zone = near.subList(near.size() - candidate.lines(), near.size());
                break;
            }
        }
        if (f == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < zone.size(); i++) {
            out.add(fixTypes(f, i, fitLength(zone.get(i), f.length())));
        }
        return out;
    }

    static String fitLength(String s, int n) {
        if (s.length() == n) {
            return s;
        }
        if (s.length() < n) {
            return s + "<".repeat(n - s.length());
        }
        StringBuilder b = new StringBuilder(s);
        // drop fillers from the end first, then from the longest inner run of fillers
        while (b.length() > n && b.charAt(b.length() - 1) == '<') {
            b.setLength(b.length() - 1);
        }
        while (b.length() > n) {
            int best = -1;
            int bestLen = 1;
            for (int i = 0; i < b.length(); ) {
                int j = i;
                while (j < b.length() && b.charAt(j) == '<') {
                    j++;
                }
                if (j - i > bestLen) {
                    best = i;
                    bestLen = j - i;
                }
                i = j == i ? i + 1 : j;
            }
            if (best < 0) {
                b.setLength(n);
            } else {
                b.deleteCharAt(best);
            }
        }
        return b.toString();
    }

    /** Positions (0-based) that must be digits, per format and line. */
    static boolean digitAt(MrzFormat f, int line, int i) {
        return switch (f) {
            case TD3, TD2 -> line == 1 && (i == 9 || (i >= 13 && i <= 19) || (i >= 21 && i <= 27)
                    || i == f.length() - 1 || (f == MrzFormat.TD3 && i == 42));
            case TD1 -> line == 1 && ((i >= 0 && i <= 6) || (i >= 8 && i <= 14) || i == 29);
        };
    }

    /** Positions that must be letters or fillers (codes, names, sex). */
    static boolean letterAt(MrzFormat f, int line, int i) {
        return switch (f) {
            case TD3, TD2 -> line == 0 ? (i == 0 || i >= 2) : (i >= 10 && i <= 12) || i == 20;
            case TD1 -> line == 0 ? (i == 0 || (i >= 2 && i <= 4)) : line == 1 ? (i == 7 || (i >= 15 && i <= 17))
                    : true;
        };
    }

    static String fixTypes(MrzFormat f, int line, String s) {
        StringBuilder b = new StringBuilder(s);
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            if (digitAt(f, line, i)) {
                b.setCharAt(i, toDigit(c));
            } else if (letterAt(f, line, i)) {
                b.setCharAt(i, toLetter(c));
            }
        }
        return b.toString();
    }

    static char toDigit(char c) {
        return switch (c) {
            case 'O', 'Q', 'D' -> '0';
            case 'I', 'L' -> '1';
            case 'Z' -> '2';
            case 'S' -> '5';
            case 'G' -> '6';
            case 'B' -> '8';
            default -> c;
        };
    }

    static char toLetter(char c) {
        return switch (c) {
            case '0' -> 'O';
            case '1' -> 'I';
            case '2' -> 'Z';
            case '5' -> 'S';
            case '6' -> 'G';
            case '8' -> 'B';
            default -> c;
        };
    }
}
