package io.openbio.inference.document.read.ocr;

/** How Tesseract reads an image. */
public enum OcrMode {
    /** A page or a region with text in any layout (page segmentation mode 3, automatic), any character. */
    TEXT,
    /**
     * A machine readable zone band: one uniform block of lines (segmentation mode 6), characters
     * restricted to the MRZ alphabet {@code A-Z 0-9 <} ({@value TesseractOcr#MRZ_ALPHABET}), Tesseract's legacy
     * classifier; each line also carries its symbols with the classifier's alternatives ({@link OcrResult.Symbol}).
     */
    MRZ,
    /**
     * The MRZ alphabet read by the LSTM recogniser instead: weaker on the fillers, but a second, independent
     * opinion on letters and digits ({@code MrzReader} adds its votes to the legacy classifier's).
     */
    MRZ_LSTM
}
