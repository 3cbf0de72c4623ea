package io.openbio.inference.document.read.ocr;

import java.util.List;

/**
 * What Tesseract read: the text (lines separated by {@code \n}), its mean confidence and each line
 * with its words. Confidences are Tesseract's, mapped from 0..100 to 0..1 (they are the recogniser's
 * own certainty, not a calibrated probability of being right; inference/EVALUATION.md shows how they
 * relate to correctness on the synthetic documents). Boxes are in pixels of the image that was read.
 */
public record OcrResult(String text, double confidence, List<Line> lines) {
    public OcrResult {
        lines = List.copyOf(lines);
    }

    public record Box(int x, int y, int width, int height) {
    }

    public record Word(String text, double confidence, Box box) {
    }

    /** A recogniser's alternative for one character, with its confidence 0..1. */
    public record Choice(String text, double confidence) {
    }

    /**
     * One character as read, with the recogniser's alternatives (best first, the one read among them). Filled
     * for {@link OcrMode#MRZ} only (the legacy classifier's choices); the other modes give no symbols.
     */
    public record Symbol(String text, double confidence, List<Choice> choices) {
        public Symbol {
            choices = List.copyOf(choices);
        }
    }

    /** A text line with its words and, for {@link OcrMode#MRZ}, its symbols. */
    public record Line(String text, double confidence, Box box, List<Word> words, List<Symbol> symbols) {
        public Line {
            words = List.copyOf(words);
            symbols = List.copyOf(symbols);
        }

        public Line(String text, double confidence, Box box, List<Word> words) {
            this(text, confidence, box, words, List.of());
        }
    }

    /** Words whose confidence is below {@code threshold} (e.g. for the inspection's low-confidence texts). */
    public List<Word> wordsBelow(double threshold) {
        return lines.stream().flatMap(l -> l.words().stream()).filter(w -> w.confidence() < threshold).toList();
    }
}
