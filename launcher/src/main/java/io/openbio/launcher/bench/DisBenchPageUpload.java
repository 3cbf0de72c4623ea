package io.openbio.launcher.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.document.Calibration;
import io.openbio.inference.document.DocumentAnalysis;
import io.openbio.inference.document.DocumentAnalyzer;
import io.openbio.inference.document.DocumentAttack;
import io.openbio.inference.document.DocumentCheckResult;
import io.openbio.inference.document.DocumentStatus;
import io.openbio.inference.document.page.DocumentPage;
import io.openbio.inference.document.page.DocumentPageAnalyzer;
import io.openbio.inference.document.read.barcode.Barcode;
import io.openbio.inference.document.read.barcode.BarcodeReader;
import io.openbio.inference.document.read.mrz.MrzParser;
import io.openbio.inference.document.read.mrz.MrzReader;
import io.openbio.inference.document.read.mrz.MrzReading;
import io.openbio.inference.document.read.ocr.OcrMode;
import io.openbio.inference.document.read.ocr.OcrResult;
import io.openbio.inference.document.read.ocr.TesseractOcr;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.model.ModelRepository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The dis-customers stage's work for one {@code PUT /customers/{id}/document/pages} (processors
 * {@code DisDocumentOps.putPage}, {@code DisPageReading}, {@code DisPageTampering}), in-process with the same library
 * calls, in the stage's order and timed in three parts, for {@link DisPageBenchmark} and {@link DisOnboardingBenchmark}:
 * <ol>
 * <li><b>analysis</b>: the image decoded, {@link DocumentPageAnalyzer#analyze} (corners, outline confidence,
 * normalisation to ID-1, quality, portrait on the page both ways up), the normalised page and the portrait encoded as
 * JPEG 92 (the kept parts), the answer's JSON;</li>
 * <li><b>reading</b> on the normalised page, as for a document without {@code sources} (all read, as in the
 * benchmarks' PUT document): {@link MrzReader} (MRZ band, Tesseract's MRZ alphabet, check digits), {@link TesseractOcr}
 * {@link OcrMode#TEXT} on the whole page (the visual zone), {@link BarcodeReader} (ZXing), each timed on its own; the
 * reading's JSON (the kept part) and the MRZ parsed again from its lines (the answer's document type) are timed with
 * the barcodes;</li>
 * <li><b>tampering</b>: {@link DocumentAnalyzer#analyze(DecodedImage, io.openbio.inference.document.Quad, boolean)} on
 * the photo as uploaded within the found outline (portrait not required, as the stage makes it), then the
 * SCREEN_REPLAY, PRINTED_COPY and PORTRAIT_SUBSTITUTION checks, REGULAR calibration.</li>
 * </ol>
 * One Tesseract engine, opened once (the stage keeps a pool, one per stream thread). Not in it: HTTP, the gateway's
 * parsing and sealing, Kafka, the stage's opening of the sealed image and its store writes.
 */
final class DisBenchPageUpload implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<DocumentAttack> CHECKS = List.of(DocumentAttack.SCREEN_REPLAY_ATTACK, DocumentAttack.PRINTED_COPY_ATTACK,
            DocumentAttack.PORTRAIT_SUBSTITUTION_ATTACK);

    private final FaceAnalyzer analyzer;
    private final DocumentPageAnalyzer pages;
    private final TesseractOcr tesseract;
    private final MrzReader mrzReader;
    private final BarcodeReader barcodeReader = new BarcodeReader();
    private final DocumentAnalyzer documents;

    /**
     * One upload's parts (nanoseconds) and what it found (statuses and counts only: no read text).
     *
     * @param portrait the portrait crop as JPEG (the document portrait part)
     * @param checks   the genuine probability of each document check measured (kept with the page by the stage)
     */
    record Upload(byte[] portrait, Map<String, Double> checks, long analysis, long mrz, long ocr, long barcodes, long tampering, String found) {
        long reading() {
            return mrz + ocr + barcodes;
        }

        long total() {
            return analysis + reading() + tampering;
        }
    }

    /** The reading as the stage keeps it (its {@code DisPageReading.Page}'s shape), for its JSON. */
    record Kept(String mrzStatus, List<String> mrzLines, double mrzConfidence, List<KeptLine> text, List<KeptBarcode> barcodes) {
    }

    record KeptLine(String text, double confidence, List<KeptWord> words) {
    }

    record KeptWord(String text, double confidence) {
    }

    record KeptBarcode(String type, byte[] data, String text) {
    }

    DisBenchPageUpload(FaceAnalyzer analyzer) {
        this.analyzer = analyzer;
        this.pages = new DocumentPageAnalyzer(analyzer);
        this.tesseract = TesseractOcr.open(ModelRepository.fromEnvironment());
        this.mrzReader = new MrzReader(tesseract);
        Properties config = new Properties();
        config.putAll(System.getProperties());
        config.setProperty(DocumentAnalyzer.REQUIRE_PORTRAIT, "false");
        this.documents = DocumentAnalyzer.create(analyzer, config);
    }

    /** The stage's work for one page upload; throws when the card or its portrait is not found (the benchmarks' card has both). */
    Upload upload(byte[] image) {
        long s = System.nanoTime();
        DecodedImage decoded = analyzer.decode(image);
        DocumentPage page = pages.analyze(decoded.image());
        if (!page.found() || page.portrait().isEmpty()) {
            throw new IllegalStateException("the card or its portrait was not found: " + page.detail());
        }
        ImageOps.encodeJpeg(page.page(), 92);
        byte[] portrait = ImageOps.encodeJpeg(page.portrait().get().crop(), 92);
        JSON.createObjectNode().put("pageType", "front").putObject("detection").put("confidence", page.detection().confidence()).toString();
        long analysis = System.nanoTime() - s;

        s = System.nanoTime();
        MrzReading m = mrzReader.read(page.page());
        long mrz = System.nanoTime() - s;
        s = System.nanoTime();
        OcrResult text = tesseract.read(page.page(), OcrMode.TEXT);
        long ocr = System.nanoTime() - s;
        s = System.nanoTime();
        List<Barcode> codes = barcodeReader.read(page.page());
        // the kept reading's JSON and the zone parsed again from its lines (the answer's document type)
        List<String> lines = m.mrz() == null ? List.of() : m.mrz().lines();
        Kept kept = new Kept(m.status().name(), lines, m.confidence(),
                text.lines().stream().map(l -> new KeptLine(l.text(), l.confidence(),
                        l.words().stream().map(w -> new KeptWord(w.text(), w.confidence())).toList())).toList(),
                codes.stream().map(b -> new KeptBarcode(b.type(), b.data(), b.text())).toList());
        try {
            JSON.writeValueAsBytes(kept);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (!lines.isEmpty()) {
            MrzParser.parse(lines);
        }
        long barcodes = System.nanoTime() - s;

        s = System.nanoTime();
        DocumentAnalysis doc = documents.analyze(decoded, page.detection().corners(), page.detection().cornerOutOfImage());
        Map<String, Double> checks = new LinkedHashMap<>();
        for (DocumentAttack type : CHECKS) {
            DocumentCheckResult r = documents.check(type, doc, Calibration.REGULAR);
            if (r.status() == DocumentStatus.OK && !Double.isNaN(r.probability())) {
                checks.put(type.name(), r.probability());
            }
        }
        long tampering = System.nanoTime() - s;

        String found = "MRZ " + m.status() + ", OCR " + text.lines().size() + " lines (mean confidence "
                + String.format(Locale.ROOT, "%.2f", text.confidence()) + "), " + codes.size() + " barcodes, " + checks.size() + " of "
                + CHECKS.size() + " document checks measured";
        return new Upload(portrait, checks, analysis, mrz, ocr, barcodes, tampering, found);
    }

    @Override
    public void close() {
        documents.close();
        tesseract.close();
    }
}
