package io.openbio.inference.document.read;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.openbio.inference.document.read.mrz.Mrz;
import io.openbio.inference.document.read.mrz.MrzCheckDigits;
import io.openbio.inference.document.read.mrz.MrzFormat;
import io.openbio.inference.document.read.mrz.MrzParser;
import io.openbio.testkit.MrzDocuments;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MrzParserTest {
    /** ICAO 9303 part 4 specimen (TD3). */
    static final List<String> TD3 = List.of("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10");
    /** ICAO 9303 part 5 specimen (TD1). */
    static final List<String> TD1 = List.of("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
    /** ICAO 9303 part 6 specimen (TD2). */
    static final List<String> TD2 = List.of("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6");

    @Test
    void parsesTheIcaoSpecimensWithEveryCheckDigitValid() {
        Mrz p = MrzParser.parse(TD3);
        assertThat(p.format()).isEqualTo(MrzFormat.TD3);
        assertThat(p.documentCode()).isEqualTo("P");
        assertThat(p.issuingAuthority()).isEqualTo("UTO");
        assertThat(p.surname()).isEqualTo("ERIKSSON");
        assertThat(p.givenNames()).isEqualTo("ANNA MARIA");
        assertThat(p.documentNumber()).isEqualTo("L898902C3");
        assertThat(p.nationality()).isEqualTo("UTO");
        assertThat(p.dateOfBirth()).isEqualTo("740812");
        assertThat(p.gender()).isEqualTo("F");
        assertThat(p.dateOfExpiry()).isEqualTo("120415");
        assertThat(p.personalNumberOrOptionalDataSecondLine()).isEqualTo("ZE184226B");
        assertThat(p.checkDigitsValidity()).isEqualTo(new Mrz.CheckDigitsValidity(true, true, true, true, true));

        Mrz i = MrzParser.parse(String.join("\n", TD1));
        assertThat(i.format()).isEqualTo(MrzFormat.TD1);
        assertThat(i.documentNumber()).isEqualTo("D23145890");
        assertThat(i.surname()).isEqualTo("ERIKSSON");
        assertThat(i.optionalDataFirstLine()).isEmpty();
        assertThat(i.checkDigitsValidity()).isEqualTo(new Mrz.CheckDigitsValidity(true, true, true, null, true));

        Mrz two = MrzParser.parse(TD2);
        assertThat(two.format()).isEqualTo(MrzFormat.TD2);
        assertThat(two.documentNumber()).isEqualTo("D23145890");
        assertThat(two.givenNames()).isEqualTo("ANNA MARIA");
        assertThat(two.valid()).isTrue();
    }

    @Test
    void longTd1DocumentNumberContinuesInTheOptionalData() {
        // ICAO 9303 part 5 note: number D23145890AB1122345 (12+ chars): position 15 '<', the rest and its digit after
        String number = "D23145890AB11223456";
        char cd = MrzDocuments.checkDigit(number);
        String l1 = "I<UTO" + number.substring(0, 9) + "<" + number.substring(9) + cd + "<<<<";
        String l2 = "7408122F1204159UTO<<<<<<<<<<<";
        String comp = l1.substring(5, 30) + l2.substring(0, 7) + l2.substring(8, 15) + l2.substring(18, 29);
        Mrz m = MrzParser.parse(List.of(l1, l2 + MrzDocuments.checkDigit(comp), "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"));
        assertThat(m.documentNumber()).isEqualTo(number);
        assertThat(m.valid()).isTrue();
    }

    @Test
    void toReferenceHasExactlyTheReferenceSchemaProperties() throws Exception {
        JsonObject schemas = JsonParser.parseString(Files.readString(Path.of("../gateway/src/test/resources/dis/"
                + "dis-1.52.0-openapi.json"))).getAsJsonObject().getAsJsonObject("components").getAsJsonObject("schemas");
        for (List<String> lines : List.of(TD1, TD2, TD3)) {
            Mrz m = MrzParser.parse(lines);
            String name = "Td" + m.format().name().charAt(2) + "Mrz";
            JsonObject schema = schemas.getAsJsonObject(name);
            assertThat(m.referenceKey()).isEqualTo(m.format().name().toLowerCase());
            assertThat(m.toReference().keySet()).containsExactlyInAnyOrderElementsOf(
                    schema.getAsJsonObject("properties").keySet());
            JsonObject cd = schemas.getAsJsonObject(name + "CheckDigitsValidity");
            @SuppressWarnings("unchecked")
            var validity = (java.util.Map<String, Object>) m.toReference().get("checkDigitsValidity");
            assertThat(validity.keySet()).containsExactlyInAnyOrderElementsOf(cd.getAsJsonObject("properties").keySet());
        }
    }

    @Test
    void checkDigitAgreesWithAnIndependentIcaoImplementation() {
        Random r = new Random(7);
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
        for (int n = 0; n < 2000; n++) {
            StringBuilder s = new StringBuilder();
            for (int i = 0, len = 1 + r.nextInt(40); i < len; i++) {
                s.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            assertThat(MrzCheckDigits.of(s.toString())).isEqualTo(MrzDocuments.checkDigit(s.toString()));
        }
    }

    @Test
    void generatedZonesParseWithValidDigitsAndTheirFields() {
        Random r = new Random(11);
        for (MrzDocuments.Layout layout : MrzDocuments.Layout.values()) {
            for (int n = 0; n < 200; n++) {
                MrzDocuments.Holder h = MrzDocuments.holder(layout, r);
                Mrz m = MrzParser.parse(MrzDocuments.mrz(layout, h));
                assertThat(m.valid()).as("%s %s", layout, h).isTrue();
                assertThat(m.documentNumber()).isEqualTo(h.documentNumber());
                assertThat(m.surname()).isEqualTo(h.surname());
                assertThat(m.givenNames()).isEqualTo(h.givenNames());
                assertThat(m.dateOfBirth()).isEqualTo(h.dateOfBirth());
                assertThat(m.dateOfExpiry()).isEqualTo(h.dateOfExpiry());
                assertThat(m.issuingAuthority()).isEqualTo(h.issuingState());
                assertThat(m.gender()).isEqualTo(h.sex().equals("<") ? "" : h.sex());
            }
        }
    }

    /**
     * Every single-character alteration of a checked field (document number, birth, expiry, TD3 personal
     * number) and of each check digit, to every other MRZ character: the figures of inference/EVALUATION.md.
     */
    @Test
    void singleCharacterAlterationsOfCheckedFields() {
        AlterationStats s = AlterationStats.measure(MrzDocuments.Layout.values(), 8, new Random(5));
        assertThat(s.fieldTotal).isGreaterThan(5_000);
        // digit -> another digit in any checked field, and anything in a date or a check digit: all detected
        assertThat(s.numericDetected).isEqualTo(s.numericTotal).isPositive();
        assertThat(s.dateOrDigitDetected).isEqualTo(s.dateOrDigitTotal).isPositive();
        // every alteration whose ICAO values do not differ by a multiple of 10 is detected
        assertThat(s.fieldDetected).isEqualTo(s.fieldTotal - s.anyUndetected);
        assertThat(s.undetectedExamples).allSatisfy(p -> assertThat(
                (MrzCheckDigits.value(p.charAt(0)) - MrzCheckDigits.value(p.charAt(1))) % 10).isZero());
        // a multiple of 10 is invisible to the 7-3-1 sum modulo 10 whatever the weight: neither the field's digit
        // nor the composite sees it; only an empty optional field's filler check digit catches some (a filler
        // turned into 0 / A / K / U makes the field non-empty)
        assertThat(s.multipleOf10CaughtByComposite).isZero();
        assertThat(s.anyUndetected).isPositive().isEqualTo(s.multipleOf10 - s.multipleOf10CaughtByFillerDigit);
        assertThat(s.multipleOf10CaughtByFillerDigit).isPositive();
        assertThat(s.undetectedWithInnerFiller).isPositive().isLessThan(s.anyUndetected);
    }

    /** Counts of {@link #singleCharacterAlterationsOfCheckedFields}, shared with the evaluation. */
    static final class AlterationStats {
        int zones;
        int fieldTotal;
        int fieldDetected;
        int numericTotal;
        int numericDetected;
        int dateOrDigitTotal;
        int dateOrDigitDetected;
        int anyUndetected;
        /** Alterations in an alphanumeric field (number, optional data) between characters 10, 20 or 30 apart. */
        int multipleOf10;
        /** Of those, caught by the composite check digit alone (the field's own digit valid). */
        int multipleOf10CaughtByComposite;
        /** Of those, caught because a filler check digit {@code <} is valid only for an all-filler field. */
        int multipleOf10CaughtByFillerDigit;
        /**
         * Undetected alterations that leave a filler before a character of the number or personal number: a rule
         * "fillers only pad the end" would flag them, but issuers may put fillers inside optional data, so the parser
         * does not enforce it (measured only).
         */
        int undetectedWithInnerFiller;
        final Set<String> undetectedExamples = new TreeSet<>();

        static AlterationStats measure(MrzDocuments.Layout[] layouts, int holders, Random r) {
            AlterationStats s = new AlterationStats();
            String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
            for (MrzDocuments.Layout layout : layouts) {
                for (int n = 0; n < holders; n++) {
                    MrzDocuments.Holder h = MrzDocuments.holder(layout, r);
                    List<String> lines = MrzDocuments.mrz(layout, h);
                    s.zones++;
                    for (int[] pos : checkedPositions(layout)) {
                        int line = pos[0];
                        int i = pos[1];
                        boolean dateOrDigit = pos[2] == 1;
                        char orig = lines.get(line).charAt(i);
                        for (char c : alphabet.toCharArray()) {
                            if (c == orig) {
                                continue;
                            }
                            StringBuilder b = new StringBuilder(lines.get(line));
                            b.setCharAt(i, c);
                            List<String> altered = new java.util.ArrayList<>(lines);
                            altered.set(line, b.toString());
                            Mrz m = MrzParser.parse(altered);
                            boolean detected = !m.valid();
                            s.fieldTotal++;
                            s.fieldDetected += detected ? 1 : 0;
                            if (Character.isDigit(orig) && Character.isDigit(c)) {
                                s.numericTotal++;
                                s.numericDetected += detected ? 1 : 0;
                            }
                            if (dateOrDigit) {
                                s.dateOrDigitTotal++;
                                s.dateOrDigitDetected += detected ? 1 : 0;
                            }
                            if (!detected) {
                                s.anyUndetected++;
                                s.undetectedExamples.add("" + orig + c);
                                if (innerFiller(layout, altered)) {
                                    s.undetectedWithInnerFiller++;
                                }
                            }
                            if ((MrzCheckDigits.value(orig) - MrzCheckDigits.value(c)) % 10 == 0 && !dateOrDigit) {
                                s.multipleOf10++;
                                Mrz.CheckDigitsValidity v = m.checkDigitsValidity();
                                boolean fields = v.documentNumberCheckDigitValid() && v.dateOfBirthCheckDigitValid()
                                        && v.dateOfExpiryCheckDigitValid()
                                        && !Boolean.FALSE.equals(v.personalNumberCheckDigitValid());
                                if (fields && !v.compositeCheckDigitValid()) {
                                    s.multipleOf10CaughtByComposite++;
                                }
                                if (detected && layout == MrzDocuments.Layout.TD3 && i >= 28
                                        && lines.get(1).charAt(42) == '<') {
                                    s.multipleOf10CaughtByFillerDigit++;
                                }
                            }
                        }
                    }
                }
            }
            return s;
        }

        /** A filler followed by a non-filler in the document number or TD3 personal number of the zone. */
        static boolean innerFiller(MrzDocuments.Layout layout, List<String> lines) {
            List<String> fields = switch (layout) {
                case TD3 -> List.of(lines.get(1).substring(0, 9), lines.get(1).substring(28, 42));
                case TD2 -> List.of(lines.get(1).substring(0, 9));
                case TD1 -> List.of(lines.get(0).substring(5, 14));
            };
            return fields.stream().anyMatch(f -> f.replaceAll("<+$", "").contains("<"));
        }

        /**
         * {line, index, 1 when a date or check digit}: document number (and, TD3, personal number)
         * characters, the date characters, every check digit.
         */
        static List<int[]> checkedPositions(MrzDocuments.Layout layout) {
            List<int[]> p = new java.util.ArrayList<>();
            switch (layout) {
                case TD3, TD2 -> {
                    for (int i = 0; i < 9; i++) {
                        p.add(new int[] {1, i, 0});
                    }
                    for (int i = 13; i <= 19; i++) {
                        p.add(new int[] {1, i, 1});
                    }
                    for (int i = 21; i <= 27; i++) {
                        p.add(new int[] {1, i, 1});
                    }
                    p.add(new int[] {1, 9, 1});
                    p.add(new int[] {1, layout.length - 1, 1});
                    if (layout == MrzDocuments.Layout.TD3) {
                        for (int i = 28; i < 42; i++) {
                            p.add(new int[] {1, i, 0});
                        }
                    }
                }
                case TD1 -> {
                    for (int i = 5; i < 14; i++) {
                        p.add(new int[] {0, i, 0});
                    }
                    p.add(new int[] {0, 14, 1});
                    for (int i = 0; i <= 6; i++) {
                        p.add(new int[] {1, i, 1});
                    }
                    for (int i = 8; i <= 14; i++) {
                        p.add(new int[] {1, i, 1});
                    }
                    p.add(new int[] {1, 29, 1});
                }
            }
            return p;
        }
    }

    @Test
    void rejectsWhatIsNotAZone() {
        assertThatThrownBy(() -> MrzParser.parse(List.of("P<UTO"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MrzParser.parse(List.of(TD3.get(0), TD3.get(1).substring(1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MrzParser.parse(List.of(TD3.get(0), TD3.get(1).replace('L', 'l').replace('C', '-'))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
