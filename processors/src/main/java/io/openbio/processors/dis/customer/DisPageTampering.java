package io.openbio.processors.dis.customer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.document.Calibration;
import io.openbio.inference.document.DocumentAnalysis;
import io.openbio.inference.document.DocumentAnalyzer;
import io.openbio.inference.document.DocumentAttack;
import io.openbio.inference.document.DocumentCheckResult;
import io.openbio.inference.document.DocumentStatus;
import io.openbio.inference.document.page.PageDetection;
import io.openbio.inference.image.DecodedImage;
import io.openbio.processors.core.Lazily;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * {@code pageTampering} of the DIS document inspection (README "DIS documents"): the platform's document checks
 * ({@link DocumentAnalyzer}, the pipelines of the IDLive {@code DOC_CHECK}, REGULAR calibration) measured once, at
 * page upload, on the photo <em>as uploaded</em> (their JPEG-grid and spectral statistics need the camera's pixels,
 * not the flattened and re-encoded page) within the outline the page analyzer found. The genuine probabilities are
 * kept with the page ({@code DisDocumentPage.tampering}); the inspection reads them.
 *
 * <p>What answers what (a probability is 0 = attack .. 1 = genuine, flags at the checks' own threshold 0.5):
 * <ul>
 * <li>{@code looksLikeScreenshot}: SCREEN_REPLAY_ATTACK ({@code default-sr}) under 0.5; disclose
 * {@code looksLikeScreenshot.score} = its probability (lower = more likely a screen, as the reference has it) and
 * {@code presentationAttackScreenClass.score} = 1 - it (higher = more likely a screen).</li>
 * <li>{@code looksLikePrintCopy}: PRINTED_COPY_ATTACK ({@code default-pc}) under {@link #PRINT_COPY_FROM} (0.25, the
 * check's SOFT calibration point, not 0.5: see there); disclose {@code presentationAttackPrintClass.score} = 1 - its
 * probability.</li>
 * <li>disclose {@code presentationAttackDetectionGenuine.score}: the smaller of the two (a recapture is either).</li>
 * <li>disclose {@code documentPortraitGenuine.score}: PORTRAIT_SUBSTITUTION_ATTACK ({@code default-ps}), only on a
 * page with a portrait.</li>
 * <li>Never answered: {@code colorProfileChangeDetected} (a change against the reference documents of a supported
 * edition: none is supported here) and {@code tamperedTexts} (per text field: no field is located; the
 * DIGITAL_MANIPULATION_ATTACK pipeline is not located to fields and detected none of its synthetic attacks,
 * inference EVALUATION.md).</li>
 * </ul>
 * The checks run whether or not the page has a portrait (the back of a card has none): this stage's analyzer is made
 * with {@code openbio.document.require-portrait=false}; ONNX replacements configured for the eKYC checks
 * ({@code openbio.document.<TYPE>.model}) apply here too. A page whose card leaves the frame gets no check.
 */
final class DisPageTampering {
    static final List<DocumentAttack> CHECKS = List.of(DocumentAttack.SCREEN_REPLAY_ATTACK, DocumentAttack.PRINTED_COPY_ATTACK,
            DocumentAttack.PORTRAIT_SUBSTITUTION_ATTACK);
    static final double GENUINE_FROM = 0.5;
    /**
     * The printed-copy flag's threshold on default-pc's (REGULAR) probability: its SOFT calibration point
     * ({@link Calibration#rawThreshold()} 0.25), chosen on the measured distributions of inference EVALUATION.md
     * ("Document checks", synthetic cards, REGULAR vs SOFT rows): at 0.5, 14 of 26 genuine cards did not pass (their median
     * probability is 0.499: the card's own fine print makes the luma spectral peaks the check looks for), at 0.25
     * 4 of 26, while all 26 synthetic prints stay flagged at either (their median is 0.000). Development figures
     * (no separate test split, 26 + 26 synthetic samples); the disclose score is the probability itself, unchanged.
     */
    static final double PRINT_COPY_FROM = Calibration.SOFT.rawThreshold();

    private final Supplier<FaceAnalyzer> analyzer;
    /** Made on first use (it loads the document models), then shared by the stage's stream threads. */
    private final Supplier<DocumentAnalyzer> documents;

    DisPageTampering(Supplier<FaceAnalyzer> analyzer) {
        this.analyzer = analyzer;
        this.documents = Lazily.once(() -> {
            Properties config = new Properties();
            config.putAll(System.getProperties());
            config.setProperty(DocumentAnalyzer.REQUIRE_PORTRAIT, "false");
            return DocumentAnalyzer.create(analyzer.get(), config);
        });
    }

    /** The genuine probability of each check that ran on the page (kept with it); empty when the card leaves the frame. */
    Map<String, Double> measure(DecodedImage photo, PageDetection detection) {
        DocumentAnalysis doc = documents.get().analyze(photo, detection.corners(), detection.cornerOutOfImage());
        Map<String, Double> out = new LinkedHashMap<>();
        for (DocumentAttack type : CHECKS) {
            DocumentCheckResult r = documents.get().check(type, doc, Calibration.REGULAR);
            if (r.status() == DocumentStatus.OK && !Double.isNaN(r.probability())) {
                out.put(type.name(), r.probability());
            }
        }
        return out;
    }

    /** {@code PageTamperingInspection} of one page; null when nothing was measured on it. */
    static ObjectNode inspect(Map<String, Double> tampering) {
        ObjectNode out = DisCustomerProcessor.JSON.createObjectNode();
        Double screen = tampering.get(DocumentAttack.SCREEN_REPLAY_ATTACK.name());
        Double print = tampering.get(DocumentAttack.PRINTED_COPY_ATTACK.name());
        if (screen != null) {
            out.put("looksLikeScreenshot", screen < GENUINE_FROM);
        }
        if (print != null) {
            out.put("looksLikePrintCopy", print < PRINT_COPY_FROM);
        }
        return out.isEmpty() ? null : out;
    }

    /** {@code PageTamperingInspectionDisclose} of one page (scores as floats, as the reference types them); null when nothing was measured. */
    static ObjectNode disclose(Map<String, Double> tampering) {
        ObjectNode out = DisCustomerProcessor.JSON.createObjectNode();
        Double screen = tampering.get(DocumentAttack.SCREEN_REPLAY_ATTACK.name());
        Double print = tampering.get(DocumentAttack.PRINTED_COPY_ATTACK.name());
        Double portrait = tampering.get(DocumentAttack.PORTRAIT_SUBSTITUTION_ATTACK.name());
        if (screen != null) {
            score(out, "looksLikeScreenshot", screen);
        }
        if (portrait != null) {
            score(out, "documentPortraitGenuine", portrait);
        }
        if (screen != null && print != null) {
            score(out, "presentationAttackDetectionGenuine", Math.min(screen, print));
        }
        if (screen != null) {
            score(out, "presentationAttackScreenClass", 1 - screen);
        }
        if (print != null) {
            score(out, "presentationAttackPrintClass", 1 - print);
        }
        return out.isEmpty() ? null : out;
    }

    private static void score(ObjectNode out, String name, double score) {
        out.putObject(name).put("score", (float) Math.max(0, Math.min(1, score)));
    }
}
