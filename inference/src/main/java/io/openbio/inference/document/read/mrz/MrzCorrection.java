package io.openbio.inference.document.read.mrz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Check-digit-guided repair of OCR confusions in the alphanumeric checked fields (document number,
 * TD3 personal number), where a digit and a letter are both allowed so {@link MrzText} cannot fix
 * them by position. Only characters OCR-B readers confuse are swapped ({@code 0/O/D/Q}, {@code 1/I/L},
 * {@code 2/Z}, {@code 4/A}, {@code 5/S}, {@code 6/G}, {@code 8/B/S}); the fewest swaps (at most
 * {@value #MAX_SWAPS}) that make every check digit of the zone valid are the candidates; the reader takes
 * a candidate only when it is the only one whose number a second recogniser (Tesseract's LSTM) also reads
 * (otherwise the zone stays invalid). In TD2 / TD3 the composite repeats the document
 * number's weights, so within that number it adds no constraint. A candidate must satisfy the field's own
 * digit and the composite (about 1 in 100 for a random candidate), yet with many confusable characters
 * a wrong unique repair stays possible: the reading reports how many characters were swapped, and the
 * inspection compares the number with the visual zone and the chip. Swaps between characters whose
 * values differ by a multiple of 10 (8/S, 6/G, 1/L) can neither be detected nor repaired this way.
 */
final class MrzCorrection {
    static final int MAX_SWAPS = 2;
    static final int MAX_CANDIDATES = 8;
    private static final Map<Character, String> ALTERNATIVES = Map.ofEntries(Map.entry('0', "ODQ"),
            Map.entry('O', "0"), Map.entry('D', "0"), Map.entry('Q', "0"), Map.entry('1', "IL"), Map.entry('I', "1"),
            Map.entry('L', "1"), Map.entry('2', "Z"), Map.entry('Z', "2"), Map.entry('4', "A"), Map.entry('A', "4"),
            Map.entry('5', "S"), Map.entry('S', "58"), Map.entry('6', "G"), Map.entry('G', "6"), Map.entry('8', "BS"),
            Map.entry('B', "8"));

    /** A valid zone and how many characters were swapped. */
    record Repair(Mrz mrz, int swaps) {
    }

    private MrzCorrection() {
    }

    /** The unique smallest repair of {@code lines} (a parsed but invalid zone), or null. */
    static Repair repair(MrzFormat f, List<String> lines) {
        List<Repair> c = candidates(f, lines);
        return c.size() == 1 ? c.get(0) : null;
    }

    /** Every repair with the smallest number of swaps (empty when none within {@value #MAX_SWAPS}). */
    static List<Repair> candidates(MrzFormat f, List<String> lines) {
        int line = f == MrzFormat.TD1 ? 0 : 1;
        List<Integer> positions = new ArrayList<>();
        int from = f == MrzFormat.TD1 ? 5 : 0;
        for (int i = from; i < from + 9; i++) {
            positions.add(i);
        }
        if (f == MrzFormat.TD3) {
            for (int i = 28; i < 42; i++) {
                positions.add(i);
            }
        }
        List<Integer> confusable = positions.stream()
                .filter(i -> ALTERNATIVES.containsKey(lines.get(line).charAt(i))).toList();
        for (int swaps = 1; swaps <= MAX_SWAPS; swaps++) {
            List<Mrz> found = new ArrayList<>();
            search(lines, line, confusable, 0, swaps, new StringBuilder(lines.get(line)), found);
            if (!found.isEmpty()) {
                int n = swaps;
                return found.stream().map(m -> new Repair(m, n)).toList();
            }
        }
        return List.of();
    }

    private static void search(List<String> lines, int line, List<Integer> confusable, int start, int left,
                               StringBuilder current, List<Mrz> found) {
        if (found.size() > MAX_CANDIDATES) {
            return;
        }
        if (left == 0) {
            List<String> candidate = new ArrayList<>(lines);
            candidate.set(line, current.toString());
            try {
                Mrz m = MrzParser.parse(candidate);
                if (m.valid()) {
                    found.add(m);
                }
            } catch (IllegalArgumentException e) {
                // not a zone after the swap: not a repair
            }
            return;
        }
        for (int k = start; k < confusable.size(); k++) {
            int pos = confusable.get(k);
            char orig = current.charAt(pos);
            for (char alt : ALTERNATIVES.get(lines.get(line).charAt(pos)).toCharArray()) {
                current.setCharAt(pos, alt);
                search(lines, line, confusable, k + 1, left - 1, current, found);
            }
            current.setCharAt(pos, orig);
        }
    }
}
