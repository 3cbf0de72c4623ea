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
 * fixes) and {@link MrzParser} parses it and checks every check digit. When the located band gives no
 * valid zone, the lower 40 % of the page is read as a second try (a zone touching other print).
 * Corrections never touch a check digit's meaning: a misread that survives them is reported by the
 * check digits ({@link MrzReading.Status#INVALID_CHECK_DIGITS}), never hidden.
 *
 * <p>Thread-safety: as the {@link TesseractOcr} given (one reader per worker thread for parallel use).
 */
public final class MrzReader {
    static final double FALLBACK_BOTTOM_FRACTION = 0.4;

    private final TesseractOcr ocr;
    private final MrzLocator locator = new MrzLocator();

    public MrzReader(TesseractOcr ocr) {
        this.ocr = ocr;
    }

    /** Reads the MRZ of a page (ideally normalised to the document: see {@link MrzLocator}). */
    public MrzReading read(RgbImage page) {
        MrzLocator.Band band = locator.locate(page);
        MrzReading first = band == null ? MrzReading.notFound() : read(band);
        if (first.status() == MrzReading.Status.VALID) {
            return first;
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
                    raw, r.confidence(), band.corners());
        }
        Mrz mrz;
        try {
            mrz = MrzParser.parse(lines);
        } catch (IllegalArgumentException e) {
            return new MrzReading(MrzReading.Status.UNREADABLE, null, raw, r.confidence(), band.corners());
        }
        return new MrzReading(mrz.valid() ? MrzReading.Status.VALID : MrzReading.Status.INVALID_CHECK_DIGITS, mrz,
                raw, r.confidence(), band.corners());
    }
}
