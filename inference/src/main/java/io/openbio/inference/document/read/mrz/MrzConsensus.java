package io.openbio.inference.document.read.mrz;

import io.openbio.inference.document.read.ocr.OcrResult;
import net.sf.scuba.data.Country;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One zone from several readings of the same band: character votes, then the ICAO 9303 rules.
 *
 * <ol>
 *   <li><b>Votes.</b> Each reading of Tesseract's legacy classifier (the band at several scales, already brought
 *       to the format by {@link MrzText}) gives one vote per position; each reading of the LSTM recogniser, aligned
 *       to the first legacy reading by edit distance (the LSTM misreads fillers {@code <} as {@code K L C}, so
 *       those cost little and give no vote), gives {@value #LSTM_WEIGHT} votes at the positions the reference
 *       does not read as a filler. The two recognisers err differently on OCR-B (measured on the synthetic
 *       pages: the legacy classifier reads W as N and S as B or 8 at every scale, the LSTM reads them right
 *       but 0 / O, 4 / S and the digits next to fillers worse), so a plurality of both is right where
 *       either alone is not. At positions the format types (digits, letters), every vote is mapped to the
 *       type first ({@link MrzText#toDigit} / {@link MrzText#toLetter}).</li>
 *   <li><b>Country codes.</b> The issuing state and the nationality must be ICAO 9303 part 3 codes (ISO
 *       3166-1 alpha-3 as scuba lists them, plus ICAO's own: {@code D}, {@code UTO}, {@code EUE}, {@code GBD},
 *       {@code XXA} ...): among the characters some reading saw, the best-voted combination that is a code is
 *       taken; none: the plurality stays.</li>
 *   <li><b>Check digits.</b> In the fields whose own check digit fails (or, all valid but the composite, in
 *       what only the composite covers), the fewest changes (at most {@value #MAX_CHANGES}) to characters some
 *       reading saw that make every check digit of the zone valid, the best-voted of them, when it is the only
 *       one; otherwise the plurality stays and the check digits report the zone invalid. A character no reading saw is never
 *       put in: with the check digits alone a third of single-swap repairs were wrong on the synthetic pages.</li>
 *   <li>Names, sex and other letters: the plurality (no rule covers them).</li>
 * </ol>
 * The blind spot stays: two characters whose ICAO values differ by a multiple of 10 (8 / S, 6 / G, 1 / L ...)
 * are told apart by the votes alone. Stateless, thread-safe.
 */
final class MrzConsensus {
    static final double LSTM_WEIGHT = 1.5;
    /** Votes of a legacy alternative that is a near tie of the character read (see {@link #NEAR_TIE}). */
    static final double ALTERNATIVE_WEIGHT = 0.5;
    /** How close (confidence 0..1) an alternative must be to the best choice to get votes. */
    static final double NEAR_TIE = 0.03;
    /** Characters the check-digit repair may change from the plurality at most. */
    static final int MAX_CHANGES = 2;
    /** ICAO 9303 part 3 codes that are not ISO 3166-1 alpha-3 (scuba lists ISO and UTO). */
    static final Set<String> ICAO_CODES = Set.of("D", "EUE", "GBD", "GBN", "GBO", "GBP", "GBS", "UNA", "UNK", "UNO",
            "XBA", "XCC", "XCE", "XCO", "XDC", "XEC", "XES", "XIM", "XMP", "XOM", "XPO", "XXA", "XXB", "XXC", "XXX", "UTO");

    /** The zone chosen and how many characters were set against the plurality by a rule. */
    record Result(List<String> lines, int repaired) {
    }

    private MrzConsensus() {
    }

    /**
     * @param format  the zone format
     * @param legacy  zones of the legacy classifier (each {@code format.lines()} lines of the format's length,
     *                typed by {@link MrzText}); the first is the alignment reference; at least one
     * @param lstm    raw LSTM texts of the same band (lines split by line breaks), may be empty
     */
    static Result decide(MrzFormat format, List<List<String>> legacy, List<String> lstm) {
        return decide(format, legacy, List.of(), lstm);
    }

    /**
     * As {@link #decide(MrzFormat, List, List)}, with the legacy classifier's alternatives: {@code symbols.get(k)}
     * are the character lines of legacy reading {@code k} (each symbol's choices, best first; an empty list
     * when unknown). An alternative within {@value #NEAR_TIE} (0..1 confidence) of the best choice of its
     * character gets {@value #ALTERNATIVE_WEIGHT} votes: the classifier found it as good as what it printed.
     */
    static Result decide(MrzFormat format, List<List<String>> legacy, List<List<List<OcrResult.Symbol>>> symbols,
                         List<String> lstm) {
        List<String> ref = legacy.get(0);
        int n = format.length();
        List<List<Map<Character, Double>>> votes = new ArrayList<>();
        for (int l = 0; l < ref.size(); l++) {
            List<Map<Character, Double>> line = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                line.add(new HashMap<>());
            }
            votes.add(line);
        }
        for (List<String> z : legacy) {
            for (int l = 0; l < z.size(); l++) {
                for (int i = 0; i < n; i++) {
                    votes.get(l).get(i).merge(z.get(l).charAt(i), 1.0, Double::sum);
                }
            }
        }
        for (int k = 0; k < symbols.size() && k < legacy.size(); k++) {
            List<List<OcrResult.Symbol>> lines = symbols.get(k);
            List<String> zone = legacy.get(k);
            if (lines.size() != zone.size()) {
                continue;
            }
            for (int l = 0; l < zone.size(); l++) {
                List<OcrResult.Symbol> line = lines.get(l);
                StringBuilder read = new StringBuilder();
                for (OcrResult.Symbol sym : line) {
                    read.append(sym.text().charAt(0));
                }
                int[] at = alignIndex(zone.get(l), read.toString());
                for (int i = 0; i < n; i++) {
                    if (at[i] < 0) {
                        continue;
                    }
                    List<OcrResult.Choice> ch = line.get(at[i]).choices();
                    if (ch.isEmpty()) {
                        continue;
                    }
                    double top = ch.get(0).confidence();
                    char here = zone.get(l).charAt(i);
                    java.util.Set<Character> added = new java.util.HashSet<>();
                    for (OcrResult.Choice c : ch) {
                        if (c.text().length() != 1 || top - c.confidence() > NEAR_TIE
                                || MrzCheckDigits.value(c.text().charAt(0)) < 0) {
                            continue;
                        }
                        char t = typed(format, l, i, c.text().charAt(0));
                        if (t != here && added.add(t)) {
                            votes.get(l).get(i).merge(t, ALTERNATIVE_WEIGHT, Double::sum);
                        }
                    }
                }
            }
        }
        for (String text : lstm) {
            List<String> lines = mrzLines(text, ref.size());
            if (lines == null) {
                continue;
            }
            for (int l = 0; l < ref.size(); l++) {
                Character[] a = align(ref.get(l), lines.get(l));
                for (int i = 0; i < n; i++) {
                    if (a[i] == null || ref.get(l).charAt(i) == '<' || a[i] == '<') {
                        continue;
                    }
                    votes.get(l).get(i).merge(typed(format, l, i, a[i]), LSTM_WEIGHT, Double::sum);
                }
            }
        }
        // candidates per position, best first (ties: the reference's character first)
        List<List<List<Character>>> cand = new ArrayList<>();
        char[][] best = new char[ref.size()][];
        for (int l = 0; l < ref.size(); l++) {
            List<List<Character>> line = new ArrayList<>();
            best[l] = new char[n];
            for (int i = 0; i < n; i++) {
                Map<Character, Double> v = votes.get(l).get(i);
                char r = ref.get(l).charAt(i);
                List<Character> c = new ArrayList<>(v.keySet());
                c.sort(Comparator.<Character>comparingDouble(x -> -v.get(x)).thenComparing(x -> x != r));
                line.add(c);
                best[l][i] = c.get(0);
            }
            cand.add(line);
        }
        char[][] chosen = new char[best.length][];
        for (int l = 0; l < best.length; l++) {
            chosen[l] = best[l].clone();
        }
        for (int[] code : codePositions(format)) {
            chooseCode(code, cand, votes, chosen);
        }
        chooseChecked(format, cand, votes, chosen);
        int repaired = 0;
        List<String> out = new ArrayList<>();
        for (int l = 0; l < chosen.length; l++) {
            for (int i = 0; i < n; i++) {
                repaired += chosen[l][i] != best[l][i] ? 1 : 0;
            }
            out.add(new String(chosen[l]));
        }
        return new Result(out, repaired);
    }

    /** The last {@code count} lines of an OCR text that look like MRZ lines (MRZ alphabet, 20+ characters). */
    static List<String> mrzLines(String text, int count) {
        List<String> l = new ArrayList<>();
        for (String s : text.split("\n")) {
            StringBuilder b = new StringBuilder();
            for (char c : s.toUpperCase(Locale.ROOT).toCharArray()) {
                if (MrzCheckDigits.value(c) >= 0) {
                    b.append(c);
                }
            }
            if (b.length() >= MrzText.MIN_LINE) {
                l.add(b.toString());
            }
        }
        return l.size() < count ? null : l.subList(l.size() - count, l.size());
    }

    /**
     * The symbols of the OCR lines {@link MrzText#zone} takes for a zone of format {@code f} (MRZ characters only,
     * lines of 20+ of them, the last {@code f.lines()} of about the format's length), or an empty list.
     */
    static List<List<OcrResult.Symbol>> symbolLines(List<OcrResult.Line> lines, MrzFormat f) {
        List<List<OcrResult.Symbol>> near = new ArrayList<>();
        for (OcrResult.Line line : lines) {
            List<OcrResult.Symbol> s = line.symbols().stream()
                    .filter(x -> x.text().length() == 1 && MrzCheckDigits.value(x.text().charAt(0)) >= 0).toList();
            if (s.size() >= MrzText.MIN_LINE && Math.abs(s.size() - f.length()) <= MrzText.LENGTH_SLACK) {
                near.add(s);
            }
        }
        return near.size() < f.lines() ? List.of() : near.subList(near.size() - f.lines(), near.size());
    }

    private static char typed(MrzFormat f, int line, int i, char c) {
        if (MrzText.digitAt(f, line, i)) {
            return MrzText.toDigit(c);
        }
        return MrzText.letterAt(f, line, i) ? MrzText.toLetter(c) : c;
    }

    /**
     * For each character of {@code ref}, the character of {@code hyp} aligned with it (null: none), by
     * edit distance; a filler read as K, L or C costs 0.3 (the LSTM's usual misreading of {@code <}).
     */
    static Character[] align(String ref, String hyp) {
        int[] at = alignIndex(ref, hyp);
        Character[] out = new Character[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = at[i] < 0 ? null : hyp.charAt(at[i]);
        }
        return out;
    }

    /** As {@link #align}, the index in {@code hyp} of the character aligned with each of {@code ref} (-1: none). */
    static int[] alignIndex(String ref, String hyp) {
        int n = ref.length();
        int m = hyp.length();
        double[][] d = new double[n + 1][m + 1];
        for (int i = 1; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 1; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                d[i][j] = Math.min(d[i - 1][j - 1] + cost(ref.charAt(i - 1), hyp.charAt(j - 1)),
                        Math.min(d[i - 1][j], d[i][j - 1]) + 1);
            }
        }
        int[] out = new int[n];
        java.util.Arrays.fill(out, -1);
        int i = n;
        int j = m;
        while (i > 0 && j > 0) {
            if (d[i][j] == d[i - 1][j - 1] + cost(ref.charAt(i - 1), hyp.charAt(j - 1))) {
                out[i - 1] = j - 1;
                i--;
                j--;
            } else if (d[i][j] == d[i - 1][j] + 1) {
                i--;
            } else {
                j--;
            }
        }
        return out;
    }

    /** A filler read as K, L or C costs 0.3 (the LSTM's usual misreading of {@code <}); other differences 1. */
    private static double cost(char a, char b) {
        if (a == b) {
            return 0;
        }
        return a == '<' && (b == 'K' || b == 'L' || b == 'C') ? 0.3 : 1;
    }

    /** {line, from, to (exclusive)} of the issuing state and the nationality. */
    static List<int[]> codePositions(MrzFormat f) {
        return switch (f) {
            case TD1 -> List.of(new int[] {0, 2, 5}, new int[] {1, 15, 18});
            case TD2, TD3 -> List.of(new int[] {0, 2, 5}, new int[] {1, 10, 13});
        };
    }

    /** A code of ICAO 9303 part 3 (fillers at its end dropped: {@code D<<} is Germany). */
    static boolean isCountryCode(String padded) {
        String c = padded.replaceAll("<+$", "");
        if (c.isEmpty() || c.indexOf('<') >= 0) {
            return false;
        }
        if (ICAO_CODES.contains(c)) {
            return true;
        }
        if (c.length() != 3) {
            return false;
        }
        try {
            Country.getInstance(c);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void chooseCode(int[] p, List<List<List<Character>>> cand, List<List<Map<Character, Double>>> votes,
                                   char[][] chosen) {
        int line = p[0];
        String current = new String(chosen[line], p[1], p[2] - p[1]);
        if (isCountryCode(current)) {
            return;
        }
        String bestCode = null;
        double bestScore = -1;
        List<List<Character>> pos = cand.get(line).subList(p[1], p[2]);
        int[] idx = new int[pos.size()];
        while (true) {
            StringBuilder b = new StringBuilder();
            double s = 0;
            for (int k = 0; k < idx.length; k++) {
                char c = pos.get(k).get(idx[k]);
                b.append(c);
                s += votes.get(line).get(p[1] + k).get(c);
            }
            if (s > bestScore && isCountryCode(b.toString())) {
                bestScore = s;
                bestCode = b.toString();
            }
            int k = 0;
            while (k < idx.length && ++idx[k] == pos.get(k).size()) {
                idx[k++] = 0;
            }
            if (k == idx.length) {
                break;
            }
        }
        if (bestCode != null) {
            bestCode.getChars(0, bestCode.length(), chosen[line], p[1]);
        }
    }

    /** {line, index} of every character a check digit of the format covers, the digits included. */
    static List<int[]> checkedPositions(MrzFormat f) {
        List<int[]> p = new ArrayList<>();
        switch (f) {
            case TD3 -> {
                for (int i = 0; i < 44; i++) {
                    if (i < 10 || (i >= 13 && i <= 19) || i >= 21) {
                        p.add(new int[] {1, i});
                    }
                }
            }
            case TD2 -> {
                for (int i = 0; i < 36; i++) {
                    if (i < 10 || (i >= 13 && i <= 19) || i >= 21) {
                        p.add(new int[] {1, i});
                    }
                }
            }
            case TD1 -> {
                for (int i = 5; i < 30; i++) {
                    p.add(new int[] {0, i});
                }
                for (int i = 0; i < 30; i++) {
                    if (i <= 14 || i >= 18) {
                        p.add(new int[] {1, i});
                    }
                }
            }
        }
        return p;
    }

    /**
     * Positions ({line, index}) of each field with its own check digit, the digit included, in the order of
     * {@link Mrz.CheckDigitsValidity}: document number, birth, expiry, TD3 personal number.
     */
    static List<List<int[]>> fieldPositions(MrzFormat f) {
        List<List<int[]>> out = new ArrayList<>();
        int line = f == MrzFormat.TD1 ? 0 : 1;
        int[][] ranges = switch (f) {
            case TD3 -> new int[][] {{1, 0, 10}, {1, 13, 20}, {1, 21, 28}, {1, 28, 43}};
            case TD2 -> new int[][] {{1, 0, 10}, {1, 13, 20}, {1, 21, 28}};
            case TD1 -> new int[][] {{line, 5, 15}, {1, 0, 7}, {1, 8, 15}};
        };
        for (int[] r : ranges) {
            List<int[]> p = new ArrayList<>();
            for (int i = r[1]; i < r[2]; i++) {
                p.add(new int[] {r[0], i});
            }
            out.add(p);
        }
        return out;
    }

    /**
     * The repair: only in the fields whose own check digit fails (or, when only the composite fails, in what only
     * the composite covers), at most {@value #MAX_CHANGES} characters changed from the plurality, each to a
     * character some reading proposed; the fewest changes that make every check digit valid, the best-voted of
     * them, and only when it is the only one. Wider searches found wrong zones that pass every digit on blurred
     * pages (a change of a date digit and of the composite together satisfies both one time in a hundred).
     */
    private static void chooseChecked(MrzFormat f, List<List<List<Character>>> cand,
                                      List<List<Map<Character, Double>>> votes, char[][] chosen) {
        Mrz m = parse(chosen);
        if (m == null || m.valid()) {
            return;
        }
        Mrz.CheckDigitsValidity v = m.checkDigitsValidity();
        boolean[] fieldValid = {v.documentNumberCheckDigitValid(), v.dateOfBirthCheckDigitValid(),
            v.dateOfExpiryCheckDigitValid(), !Boolean.FALSE.equals(v.personalNumberCheckDigitValid())};
        List<List<int[]>> fields = fieldPositions(f);
        List<int[]> allowed = new ArrayList<>();
        for (int k = 0; k < fields.size(); k++) {
            if (!fieldValid[k]) {
                allowed.addAll(fields.get(k));
            }
        }
        if (allowed.isEmpty()) {
            // every field valid, the composite not: what only the composite covers (optional data, its digit)
            java.util.Set<String> inFields = new java.util.HashSet<>();
            for (List<int[]> field : fields) {
                for (int[] p : field) {
                    inFields.add(p[0] + ":" + p[1]);
                }
            }
            for (int[] p : checkedPositions(f)) {
                if (!inFields.contains(p[0] + ":" + p[1])) {
                    allowed.add(p);
                }
            }
        }
        List<int[]> ambiguous = allowed.stream().filter(p -> cand.get(p[0]).get(p[1]).size() > 1).toList();
        for (int changes = 1; changes <= MAX_CHANGES && changes <= ambiguous.size(); changes++) {
            List<char[][]> found = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            search(ambiguous, 0, changes, cand, votes, copy(chosen), 0, found, scores);
            if (found.isEmpty()) {
                continue;
            }
            double top = scores.stream().mapToDouble(d -> d).max().orElseThrow();
            if (scores.stream().filter(d -> d == top).count() == 1) {
                char[][] w = found.get(scores.indexOf(top));
                for (int l = 0; l < chosen.length; l++) {
                    chosen[l] = w[l];
                }
            }
            return;
        }
    }

    private static void search(List<int[]> ambiguous, int from, int left, List<List<List<Character>>> cand,
                               List<List<Map<Character, Double>>> votes, char[][] trial, double score,
                               List<char[][]> found, List<Double> scores) {
        if (left == 0) {
            if (valid(trial)) {
                found.add(copy(trial));
                scores.add(score);
            }
            return;
        }
        for (int k = from; k < ambiguous.size(); k++) {
            int[] p = ambiguous.get(k);
            char orig = trial[p[0]][p[1]];
            Map<Character, Double> v = votes.get(p[0]).get(p[1]);
            for (char c : cand.get(p[0]).get(p[1])) {
                if (c == orig) {
                    continue;
                }
                trial[p[0]][p[1]] = c;
                // the score of a change: the votes it keeps less those of the plurality it overrides
                search(ambiguous, k + 1, left - 1, cand, votes, trial, score + v.get(c) - v.get(orig), found, scores);
            }
            trial[p[0]][p[1]] = orig;
        }
    }

    private static char[][] copy(char[][] a) {
        char[][] c = new char[a.length][];
        for (int l = 0; l < a.length; l++) {
            c[l] = a[l].clone();
        }
        return c;
    }

    private static Mrz parse(char[][] lines) {
        List<String> l = new ArrayList<>();
        for (char[] c : lines) {
            l.add(new String(c));
        }
        try {
            return MrzParser.parse(l);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean valid(char[][] lines) {
        List<String> l = new ArrayList<>();
        for (char[] c : lines) {
            l.add(new String(c));
        }
        try {
            return MrzParser.parse(l).valid();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
