package io.openbio.processors.dis.customer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.inference.document.read.barcode.Barcode;
import io.openbio.inference.document.read.barcode.BarcodeReader;
import io.openbio.inference.document.read.mrz.Mrz;
import io.openbio.inference.document.read.mrz.MrzParser;
import io.openbio.inference.document.read.mrz.MrzReader;
import io.openbio.inference.document.read.mrz.MrzReading;
import io.openbio.inference.document.read.ocr.OcrMode;
import io.openbio.inference.document.read.ocr.OcrResult;
import io.openbio.inference.document.read.ocr.TesseractOcr;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What the dis-customers stage reads on a normalised document page (PUT document/pages), with the document-reading
 * library of {@code inference} ({@code io.openbio.inference.document.read}, inference/README.md "Document reading"),
 * according to the document's {@code sources} (empty: all):
 * <ul>
 *   <li>{@code MRZ}: {@link MrzReader} (located, read by Tesseract's legacy recogniser on the MRZ alphabet, parsed,
 *       every check digit);</li>
 *   <li>{@code BARCODE}: {@link BarcodeReader} (ZXing: PDF417, QR, Code 39, Code 128);</li>
 *   <li>{@code VIZ} or {@code GLOBAL_OCR}: the page's text by Tesseract's LSTM recogniser, lines and words with their
 *       confidences; the lines of the MRZ (inside the located band when its text parsed as a zone, or MRZ-shaped text) are left out: they are no
 *       visual zone.</li>
 * </ul>
 * The result ({@link Page}) is kept as a sealed part of the customer ({@link CustomerParts#pageReading}), never logged.
 *
 * <p><b>Tesseract.</b> {@code TessBaseAPI} is not thread-safe and takes about a second to load: engines are opened on
 * first use and kept in a pool, one borrowed per page being read, so each stream thread reading at the same time has
 * its own and none is loaded per page. The pool grows to the number of threads that read at once (the stage's stream
 * threads) and is never shrunk (a few tens of MB of native memory each). {@link #close} ends them when the stage closes
 * ({@link DisCustomerProcessor#close}, after its stream threads stopped).
 */
final class DisPageReading implements AutoCloseable {
    static final String MRZ = "MRZ";
    static final String VIZ = "VIZ";
    static final String BARCODE = "BARCODE";
    static final String GLOBAL_OCR = "GLOBAL_OCR";
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** Text that is an MRZ line as the LSTM reads it: fillers, or a long run of MRZ characters without a space. */
    private static final Pattern MRZ_LIKE = Pattern.compile(".*(<<|[A-Z0-9<]{25,}).*");

    /** What was read on one page; a part not asked for by the sources is null. */
    record Page(MrzPart mrz, List<BarcodePart> barcodes, TextPart text, long millis) {
        /** The zone parsed again from its kept lines (deterministic), or null when none was parsed. */
        Mrz zone() {
            return mrz == null || mrz.lines().isEmpty() ? null : MrzParser.parse(mrz.lines());
        }
    }

    /**
     * @param status     VALID, INVALID_CHECK_DIGITS, UNREADABLE or NOT_FOUND ({@link MrzReading.Status})
     * @param lines      the parsed zone's lines (after the reader's check-digit-guided repair, if one was taken); empty
     *                   unless VALID or INVALID_CHECK_DIGITS
     * @param repaired   characters changed by that repair
     */
    record MrzPart(String status, List<String> lines, double confidence, int repaired) {
    }

    /** A decoded barcode: the reference's type name, the bytes (base64 in JSON) and the text. */
    record BarcodePart(String type, byte[] data, String text) {
    }

    /** The visual zone's text: lines with their words and Tesseract's confidences (0..1), the mean confidence. */
    record TextPart(double confidence, List<Line> lines) {
    }

    record Line(String text, double confidence, List<Word> words) {
    }

    record Word(String text, double confidence) {
    }

    private final Supplier<ModelRepository> models;
    private final ConcurrentLinkedDeque<TesseractOcr> idle = new ConcurrentLinkedDeque<>();
    private final BarcodeReader barcodes = new BarcodeReader();
    private volatile boolean closed;

    DisPageReading(Supplier<ModelRepository> models) {
        this.models = models;
    }

    /** True when {@code source} is to be read for a document with these sources (empty: all). */
    static boolean wanted(List<String> sources, String... source) {
        if (sources.isEmpty()) {
            return true;
        }
        for (String s : source) {
            if (sources.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** Reads the normalised page; null when the sources ask for nothing this reads (only DOCUMENT_PORTRAIT). */
    Page read(RgbImage page, List<String> sources) {
        boolean mrz = wanted(sources, MRZ);
        boolean codes = wanted(sources, BARCODE);
        boolean text = wanted(sources, VIZ, GLOBAL_OCR);
        if (!mrz && !codes && !text) {
            return null;
        }
        long start = System.nanoTime();
        MrzPart mrzPart = null;
        List<BarcodePart> barcodeParts = null;
        TextPart textPart = null;
        List<double[]> band = List.of();
        if (mrz || text) {
            TesseractOcr ocr = borrow();
            try {
                if (mrz) {
                    MrzReading r = new MrzReader(ocr).read(page);
                    // the band is left out of the visual zone only when its text parsed as a zone: a band found on a
                    // document without MRZ (UNREADABLE) is printed text of the visual zone
                    band = r.mrz() == null ? List.of() : r.corners();
                    mrzPart = new MrzPart(r.status().name(), r.mrz() == null ? List.of() : r.mrz().lines(),
                            r.confidence(), r.repairedCharacters());
                }
                if (text) {
                    textPart = visualZone(ocr.read(page, OcrMode.TEXT), band);
                }
            } finally {
                giveBack(ocr);
            }
        }
        if (codes) {
            barcodeParts = new ArrayList<>();
            for (Barcode b : barcodes.read(page)) {
                barcodeParts.add(new BarcodePart(b.type(), b.data(), b.text()));
            }
        }
        return new Page(mrzPart, barcodeParts, textPart, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Ends every pooled engine (Tesseract's native memory). Called once the stream threads have stopped, so no engine is
     * borrowed; one borrowed all the same is closed when it comes back.
     */
    @Override
    public void close() {
        closed = true;
        for (TesseractOcr ocr = idle.pollFirst(); ocr != null; ocr = idle.pollFirst()) {
            ocr.close();
        }
    }

    private void giveBack(TesseractOcr ocr) {
        if (closed) {
            ocr.close();
        } else {
            idle.offerFirst(ocr);
            if (closed && idle.remove(ocr)) {
                ocr.close();
            }
        }
    }

    private TesseractOcr borrow() {
        TesseractOcr ocr = idle.pollFirst();
        return ocr != null ? ocr : TesseractOcr.open(models.get());
    }

    /** The OCR lines outside the MRZ band (its corners on the page, empty when none) that do not look like MRZ lines. */
    static TextPart visualZone(OcrResult r, List<double[]> band) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (double[] p : band) {
            minX = Math.min(minX, p[0]);
            minY = Math.min(minY, p[1]);
            maxX = Math.max(maxX, p[0]);
            maxY = Math.max(maxY, p[1]);
        }
        List<Line> lines = new ArrayList<>();
        double sum = 0;
        int words = 0;
        for (OcrResult.Line l : r.lines()) {
            OcrResult.Box b = l.box();
            double cx = b.x() + b.width() / 2.0;
            double cy = b.y() + b.height() / 2.0;
            if (!band.isEmpty() && cx >= minX && cx <= maxX && cy >= minY && cy <= maxY) {
                continue;
            }
            if (MRZ_LIKE.matcher(l.text().replace(" ", "").toUpperCase(java.util.Locale.ROOT)).matches()
                    && l.text().chars().filter(c -> c == ' ').count() < 2) {
                continue;
            }
            List<Word> ws = new ArrayList<>();
            for (OcrResult.Word w : l.words()) {
                ws.add(new Word(w.text(), w.confidence()));
                sum += w.confidence();
                words++;
            }
            lines.add(new Line(l.text(), l.confidence(), ws));
        }
        return new TextPart(words == 0 ? 0 : sum / words, lines);
    }

    static byte[] encode(Page page) {
        try {
            return JSON.writeValueAsBytes(page);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Page decode(byte[] json) {
        try {
            return JSON.readValue(json, Page.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a kept page reading does not decode", e);
        }
    }
}
