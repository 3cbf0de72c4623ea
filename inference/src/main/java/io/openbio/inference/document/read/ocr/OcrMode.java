package io.openbio.inference.document.read.ocr;

/** How Tesseract reads an image. */
public enum OcrMode {
    /** A page or a region with text in any layout (page segmentation mode 3, automatic), any character. */
    TEXT,
    /**
     * A machine readable zone band: one uniform block of lines (segmentation mode 6), characters
     * restricted to the MRZ alphabet {@code A-Z 0-9 <} ({@value TesseractOcr#MRZ_ALPHABET}).
     */
    MRZ
}
