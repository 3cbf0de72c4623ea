package io.openbio.inference.document.read.mrz;

import io.openbio.inference.document.read.ocr.OcrMode;
import io.openbio.inference.document.read.ocr.OcrResult;
import io.openbio.inference.document.read.ocr.TesseractOcr;
import io.openbio.inference.image.RgbImage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the machine readable zone of a page: {@link MrzLocator} finds the band and cuts it at
 * {@link #BAND_WIDTHS} widths; Tesseract's legacy classifier reads each cut with the MRZ alphabet only and
 * {@link MrzText} turns each reading into a TD1 / TD2 / TD3 zone (line lengths, digits and letters at the
 * positions whose type the format fixes); Tesseract's LSTM recogniser reads the first {@value #LSTM_READINGS}
 * cuts too; {@link MrzConsensus} makes one zone of them (character votes of both recognisers, then the issuing
 * state and nationality as ICAO codes and every check digit valid, with characters some reading saw) and
 * {@link MrzParser} parses it and checks every check digit. Characters set against the plurality of the votes
 * by a rule are counted in {@link MrzReading#repairedCharacters()}. When the band gives no valid zone, the
 * lower 40 % of the page is read as a last try (a zone touching other print).
 * A misread that no rule explains is reported by the check digits
 * ({@link MrzReading.Status#INVALID_CHECK_DIGITS}), never hidden.
 *
 * <p>Thread-safety: as the {@link TesseractOcr} given (one reader per worker thread for parallel use).
 */
public final class MrzReader {
    static final double FALLBACK_BOTTOM_FRACTION = 0.4;
    /**
     * The band is read at these widths: Tesseract's legacy classifier confuses a few OCR-B glyphs (5 / S, 2 / Z,
     * W / N) at one scale and not at another (measured on the synthetic pages); the first is the reference
     * whose text, confidence and corners the reading reports.
     */
    static final int[] BAND_WIDTHS = {1400, 1100, 1800};
    /** How many of the cuts the LSTM recogniser reads too (two: one alone left W / N and S / B ties). */
    static final int LSTM_READINGS = 2;

    private final TesseractOcr ocr;
    private final MrzLocator locator = new MrzLocator();

    public MrzReader(TesseractOcr ocr) {
        this.ocr = ocr;
    }

    /** Reads the MRZ of a page (ideally normalised to the document: see {@link MrzLocator}). */
    public MrzReading read(RgbImage page) {
        MrzReading first = read(locator.locate(page, BAND_WIDTHS));
        if (first.status() == MrzReading.Status.VALID) {
            return first;
        }
        MrzReading second = read(List.of(MrzLocator.bottom(page, FALLBACK_BOTTOM_FRACTION)));
        if (second.status() == MrzReading.Status.VALID) {
            return second;
        }
        // neither valid: keep the more informative of the two (a parsed zone beats unreadable text)
        return rank(second) > rank(first) ? second : first;
    }

    private static int rank(MrzReading r) {
        return switch (r.status()) {
            case VALID -> 3;
            case INVALID_CHECK_DIGITS -> 2;
            case UNREADABLE -> 1;
            case NOT_FOUND -> 0;
        };
    }

    /** Reads one band cut at one or more scales (upright, grey; the first is the reference). */
    MrzReading read(List<MrzLocator.Band> cuts) {
        if (cuts.isEmpty()) {
            return MrzReading.notFound();
        }
        MrzLocator.Band band = cuts.get(0);
        List<String> raw = new ArrayList<>();
        double confidence = 0;
        Map<MrzFormat, List<List<String>>> zones = new LinkedHashMap<>();
        Map<MrzFormat, List<List<List<OcrResult.Symbol>>>> symbols = new LinkedHashMap<>();
        for (int k = 0; k < cuts.size(); k++) {
            MrzLocator.Band cut = cuts.get(k);
            OcrResult r = ocr.read(cut.grey(), cut.width(), cut.height(), OcrMode.MRZ);
            List<String> lines = new ArrayList<>();
            for (OcrResult.Line l : r.lines()) {
                lines.add(l.text());
            }
            if (k == 0) {
                raw = lines;
                confidence = r.confidence();
            }
            List<String> zone = MrzText.zone(lines);
            if (zone != null) {
                MrzFormat f = MrzFormat.of(zone.size(), zone.get(0).length());
                zones.computeIfAbsent(f, x -> new ArrayList<>()).add(zone);
                symbols.computeIfAbsent(f, x -> new ArrayList<>()).add(MrzConsensus.symbolLines(r.lines(), f));
            }
        }
        if (zones.isEmpty()) {
            return new MrzReading(raw.isEmpty() ? MrzReading.Status.NOT_FOUND : MrzReading.Status.UNREADABLE, null,
                    raw, confidence, band.corners(), 0);
        }
        // the format most cuts agree on (a tie: the one read first)
        MrzFormat format = null;
        for (var e : zones.entrySet()) {
            if (format == null || e.getValue().size() > zones.get(format).size()) {
                format = e.getKey();
            }
        }
        List<String> lstm = new ArrayList<>();
        for (int k = 0; k < Math.min(LSTM_READINGS, cuts.size()); k++) {
            MrzLocator.Band cut = cuts.get(k);
            lstm.add(ocr.read(cut.grey(), cut.width(), cut.height(), OcrMode.MRZ_LSTM).text());
        }
        MrzConsensus.Result c = MrzConsensus.decide(format, zones.get(format), symbols.get(format), lstm);
        Mrz mrz;
        try {
            mrz = MrzParser.parse(c.lines());
        } catch (IllegalArgumentException e) {
            return new MrzReading(MrzReading.Status.UNREADABLE, null, raw, confidence, band.corners(), 0);
        }
        return new MrzReading(mrz.valid() ? MrzReading.Status.VALID : MrzReading.Status.INVALID_CHECK_DIGITS, mrz,
                raw, confidence, band.corners(), c.repaired());
    }
}
