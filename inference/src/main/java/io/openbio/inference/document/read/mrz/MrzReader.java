package io.openbio.inference.document.read.mrz;

import io.openbio.inference.document.read.ocr.OcrMode;
import io.openbio.inference.document.read.ocr.OcrResult;
import io.openbio.inference.document.read.ocr.TesseractOcr;
import io.openbio.inference.image.RgbImage;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the machine readable zone of a document page: {@link MrzLocator} finds the band, Tesseract
 * reads it with the MRZ alphabet only, {@link MrzText} turns the lines into a TD1 / TD2 / TD3 zone
 * (line lengths, the usual OCR confusions of digits and letters at positions whose type the format
 * fixes) and {@link MrzParser} parses it and checks every check digit; a zone with an invalid digit
 * gets one more chance by {@link MrzCorrection} (the unique smallest swap of OCR-confusable characters in
 * the document / personal number that makes every digit valid and that the LSTM recogniser, read as a
 * second opinion, also reads; counted in {@link MrzReading#repairedCharacters()}). When the located band gives no
 * valid zone, it is read again at other scales, then the lower 40 % of the page is read as a last try
 * (a zone touching other print).
 * A misread that no unique repair explains is reported by the check digits
 * ({@link MrzReading.Status#INVALID_CHECK_DIGITS}), never hidden.
 *
 * <p>Thread-safety: as the {@link TesseractOcr} given (one reader per worker thread for parallel use).
 */
public final class MrzReader {
    static final double FALLBACK_BOTTOM_FRACTION = 0.4;
    /**
     * The band is read at these widths in turn until one gives a valid zone: Tesseract's legacy classifier
     * confuses a few OCR-B glyphs (5 / S, 2 / Z) at one scale and not at another (measured on the synthetic
     * pages: a clean TD3 page whose 5 read as S at 1400 px); other scales cost time only when the first fails.
     */
    static final int[] BAND_WIDTHS = {1400, 1100, 1800};

    private final TesseractOcr ocr;
    private final MrzLocator locator = new MrzLocator();

    public MrzReader(TesseractOcr ocr) {
        this.ocr = ocr;
    }

    /** Reads the MRZ of a page (ideally normalised to the document: see {@link MrzLocator}). */
    public MrzReading read(RgbImage page) {
        MrzReading first = MrzReading.notFound();
        for (MrzLocator.Band band : locator.locate(page, BAND_WIDTHS)) {
            MrzReading r = read(band);
            if (r.status() == MrzReading.Status.VALID) {
                return r;
            }
            if (rank(r) > rank(first)) {
                first = r;
            }
        }
        MrzReading second = read(MrzLocator.bottom(page, FALLBACK_BOTTOM_FRACTION));
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

    /** Reads a band already cut out (upright, grey). */
    MrzReading read(MrzLocator.Band band) {
        OcrResult r = ocr.read(band.grey(), band.width(), band.height(), OcrMode.MRZ);
        List<String> raw = new ArrayList<>();
        for (OcrResult.Line l : r.lines()) {
            raw.add(l.text());
        }
        List<String> lines = MrzText.zone(raw);
        if (lines == null) {
            return new MrzReading(raw.isEmpty() ? MrzReading.Status.NOT_FOUND : MrzReading.Status.UNREADABLE, null,
                    raw, r.confidence(), band.corners(), 0);
        }
        Mrz mrz;
        try {
            mrz = MrzParser.parse(lines);
        } catch (IllegalArgumentException e) {
            return new MrzReading(MrzReading.Status.UNREADABLE, null, raw, r.confidence(), band.corners(), 0);
        }
        int repaired = 0;
        if (!mrz.valid()) {
            List<MrzCorrection.Repair> fixes = MrzCorrection.candidates(mrz.format(), mrz.lines());
            if (!fixes.isEmpty()) {
                // a repair must also be what a second, independent recogniser (the LSTM) reads: with the check
                // digits alone one repair in three was wrong on the synthetic pages (the TD2 / TD3 composite
                // repeats the document number's weights, so it adds no constraint there)
                String second = ocr.read(band.grey(), band.width(), band.height(), OcrMode.MRZ_LSTM).text()
                        .replaceAll("\\s+", "");
                fixes = fixes.stream().filter(f -> second.contains(f.mrz().documentNumber())
                        && (f.mrz().personalNumberOrOptionalDataSecondLine() == null
                            || second.contains(f.mrz().personalNumberOrOptionalDataSecondLine().replace(' ', '<'))))
                        .toList();
            }
            if (fixes.size() == 1) {
                mrz = fixes.get(0).mrz();
                repaired = fixes.get(0).swaps();
            }
        }
        return new MrzReading(mrz.valid() ? MrzReading.Status.VALID : MrzReading.Status.INVALID_CHECK_DIGITS, mrz,
                raw, r.confidence(), band.corners(), repaired);
    }
}
