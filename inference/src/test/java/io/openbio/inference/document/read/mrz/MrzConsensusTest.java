package io.openbio.inference.document.read.mrz;

import io.openbio.inference.document.read.ocr.OcrResult;
import io.openbio.testkit.MrzDocuments;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The vote and the ICAO rules of {@link MrzConsensus} on given readings (no OCR). */
class MrzConsensusTest {
    static final MrzDocuments.Holder H = new MrzDocuments.Holder("P", "SWE", "DVORAK", "LUC", "G0B471609", "SWE",
            "670916", "F", "321222", "");
    static final List<String> TRUTH = MrzDocuments.mrz(MrzDocuments.Layout.TD3, H);

    static List<String> with(int line, int at, char c) {
        List<String> l = new ArrayList<>(TRUTH);
        StringBuilder b = new StringBuilder(l.get(line));
        b.setCharAt(at, c);
        l.set(line, b.toString());
        return l;
    }

    static List<List<OcrResult.Symbol>> symbols(List<String> lines, int line, int at, String... alternatives) {
        List<List<OcrResult.Symbol>> out = new ArrayList<>();
        for (int l = 0; l < lines.size(); l++) {
            List<OcrResult.Symbol> s = new ArrayList<>();
            for (int i = 0; i < lines.get(l).length(); i++) {
                String c = String.valueOf(lines.get(l).charAt(i));
                List<OcrResult.Choice> ch = new ArrayList<>(List.of(new OcrResult.Choice(c, 0.93)));
                if (l == line && i == at) {
                    for (String a : alternatives) {
                        ch.add(0, new OcrResult.Choice(a, 0.95));
                    }
                }
                s.add(new OcrResult.Symbol(c, 0.93, ch));
            }
            out.add(s);
        }
        return out;
    }

    @Test
    void aPluralityOfBothRecognisersWins() {
        // two legacy readings of N for W in the surname line, one right, and the LSTM right: W
        List<String> wrong = with(0, 5, 'N');
        MrzConsensus.Result r = MrzConsensus.decide(MrzFormat.TD3, List.of(wrong, wrong, TRUTH),
                List.of(String.join("\n", TRUTH)));
        assertThat(r.lines()).isEqualTo(TRUTH);
        assertThat(r.repaired()).isZero();
    }

    @Test
    void aNationalityThatIsNoCountryCodeTakesTheCodeSomeReadingSaw() {
        List<String> sne = with(1, 11, 'N');
        // plurality SNE (3 legacy votes against the LSTM's 1.5): no ICAO code, SWE is
        MrzConsensus.Result r = MrzConsensus.decide(MrzFormat.TD3, List.of(sne, sne, sne),
                List.of(String.join("\n", TRUTH)));
        assertThat(r.lines()).isEqualTo(TRUTH);
        assertThat(r.repaired()).isEqualTo(1);
        // no reading saw W: SNE stays (no code is invented)
        assertThat(MrzConsensus.decide(MrzFormat.TD3, List.of(sne), List.of()).lines()).isEqualTo(sne);
        assertThat(MrzConsensus.isCountryCode("D<<")).isTrue();
        assertThat(MrzConsensus.isCountryCode("UTO")).isTrue();
        assertThat(MrzConsensus.isCountryCode("XXA")).isTrue();
        assertThat(MrzConsensus.isCountryCode("SNE")).isFalse();
    }

    @Test
    void aCheckDigitRepairUsesOnlyCharactersAReadingProposed() {
        List<String> o = with(1, 1, 'O');
        assertThat(MrzParser.parse(o).valid()).isFalse();
        // the classifier printed O but rated 0 a near tie: the only valid best-voted zone is the truth
        MrzConsensus.Result r = MrzConsensus.decide(MrzFormat.TD3, List.of(o, o),
                List.of(symbols(o, 1, 1, "0"), symbols(o, 1, 1, "0")), List.of());
        assertThat(r.lines()).isEqualTo(TRUTH);
        assertThat(r.repaired()).isEqualTo(1);
        // nobody proposed 0: the zone stays as read, and invalid
        MrzConsensus.Result none = MrzConsensus.decide(MrzFormat.TD3, List.of(o, o),
                List.of(symbols(o, 1, 1), symbols(o, 1, 1)), List.of());
        assertThat(none.lines()).isEqualTo(o);
        assertThat(MrzParser.parse(none.lines()).valid()).isFalse();
    }

    @Test
    void lstmFillersReadAsLettersGiveNoVotes() {
        String lstm = String.join("\n", TRUTH).replace("<<<<", "<KLC");
        MrzConsensus.Result r = MrzConsensus.decide(MrzFormat.TD3, List.of(TRUTH), List.of(lstm, lstm));
        assertThat(r.lines()).isEqualTo(TRUTH);
    }
}
