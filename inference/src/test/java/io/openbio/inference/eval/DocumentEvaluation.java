package io.openbio.inference.eval;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.document.Calibration;
import io.openbio.inference.document.DocumentAnalysis;
import io.openbio.inference.document.DocumentAnalyzer;
import io.openbio.inference.document.DocumentAttack;
import io.openbio.inference.document.DocumentCheckResult;
import io.openbio.inference.document.DocumentStatus;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Evaluation of the document checks: localisation on the real photos, and the four pipelines on
 * genuine documents (real document-like photos laid on a desk margin, SYNTHETIC ID cards made from
 * real faces) and on SYNTHETIC attacks made from the synthetic cards ({@link SyntheticDocuments}).
 * Cards made from man_a and man_b are the development split (looked at while writing the detectors
 * and their two calibrated constants); every other labelled face is the reported split.
 *
 * <pre>mvn -B -pl inference -am -Pevaluate verify   (EvaluationMain appends this section)</pre>
 * Standalone: {@code java ... io.openbio.inference.eval.DocumentEvaluation inference [--dev]} replaces the
 * "## Document checks" section of EVALUATION.md (with --dev it prints the development split instead).
 */
public final class DocumentEvaluation {
    public static final String HEADER = "## Document checks (SYNTHETIC attacks)";
    static final String[] KINDS = {"genuine card", "screen replay", "print", "portrait substitution", "manipulation"};
    static final Map<DocumentAttack, Integer> OWN = Map.of(DocumentAttack.SCREEN_REPLAY_ATTACK, 1,
            DocumentAttack.PRINTED_COPY_ATTACK, 2, DocumentAttack.PORTRAIT_SUBSTITUTION_ATTACK, 3,
            DocumentAttack.DIGITAL_MANIPULATION_ATTACK, 4);
    static final String[] REAL_DOCS = {"text_defocus.jpg", "text_motion.jpg", "imageTextN.png", "page.png", "ela_original.jpg"};

    public record Card(String identity, SyntheticDocuments.Photo genuine, byte[][] attacks) {
    }

    private DocumentEvaluation() {
    }

    /** The labelled faces used for cards: height at least 100 px, one per identity and photo, no face-swap. */
    static List<TestPhotos.Label> faces(boolean dev) {
        List<TestPhotos.Label> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (TestPhotos.Label l : TestPhotos.labels()) {
            if (l.box() == null || l.box().height() < 100 || l.identity().startsWith("swap") || !seen.add(l.identity())) {
                continue;
            }
            boolean isDev = l.identity().equals("man_a") || l.identity().equals("man_b");
            if (isDev == dev) {
                out.add(l);
            }
        }
        return out;
    }

    /** Genuine card photo and its four synthetic attacks (order of KINDS 1..4) for each face; donor = next face. */
    public static List<Card> cards(FaceAnalyzer fa, List<TestPhotos.Label> faces) {
        RgbImage deskSrc = fa.decode(TestPhotos.bytes("camera.png")).image();
        RgbImage desk = SyntheticDocuments.desk(deskSrc, 1400, 1000);
        List<Card> out = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            TestPhotos.Label l = faces.get(i);
            TestPhotos.Label donor = faces.get((i + 1) % faces.size());
            RgbImage photo = fa.decode(TestPhotos.bytes(l.photo())).image();
            RgbImage dPhoto = fa.decode(TestPhotos.bytes(donor.photo())).image();
            long seed = 1000L + i;
            RgbImage card = SyntheticDocuments.card(photo, l.box(), l.identity().replace('_', ' '), seed);
            SyntheticDocuments.Photo g = SyntheticDocuments.photograph(card, desk, seed, 0, 0);
            RgbImage gi = SyntheticDocuments.decode(g.jpeg());
            byte[][] attacks = {
                    SyntheticDocuments.screenReplay(gi, seed),
                    SyntheticDocuments.print(gi, seed),
                    SyntheticDocuments.substitutePortrait(gi, g.portrait(), dPhoto, donor.box()),
                    SyntheticDocuments.manipulate(gi, g.corners(), seed)};
            out.add(new Card(l.identity(), g, attacks));
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Path module = Path.of(args.length > 0 ? args[0] : ".");
        boolean dev = args.length > 1 && args[1].equals("--dev");
        try (FaceAnalyzer fa = FaceAnalyzer.create(ModelRepository.fromEnvironment(), new Properties(),
                FaceAnalyzer.MIN_INTER_EYE_PX)) {
            String s = section(fa, dev);
            if (dev) {
                System.out.println(s);
                return;
            }
            Path md = module.resolve("EVALUATION.md");
            String text = Files.exists(md) ? Files.readString(md) : "";
            int at = text.indexOf(HEADER);
            text = (at >= 0 ? text.substring(0, at) : text + (text.endsWith("\n") ? "\n" : "\n\n")) + s;
            Files.writeString(md, text);
            System.out.println("document section written to " + md);
        }
    }

    /** The markdown section (or, with dev, the development split's per-image figures). */
    public static String section(FaceAnalyzer fa, boolean dev) {
        Properties noPortrait = new Properties();
        noPortrait.setProperty(DocumentAnalyzer.REQUIRE_PORTRAIT, "false");
        DocumentAnalyzer da = DocumentAnalyzer.create(fa, noPortrait);
        StringBuilder md = new StringBuilder(HEADER).append("\n\n");
        long t0 = System.nanoTime();
        List<Card> cards = cards(fa, faces(dev));
        // results[kind][card][attack type][calibration]
        List<Map<DocumentAttack, DocumentCheckResult>>[] byKind = newLists(KINDS.length);
        Map<String, Integer> loc = new LinkedHashMap<>();
        int portraits = 0;
        StringBuilder devLines = new StringBuilder();
        for (Card c : cards) {
            for (int k = 0; k < KINDS.length; k++) {
                byte[] img = k == 0 ? c.genuine().jpeg() : c.attacks()[k - 1];
                DocumentAnalysis doc = da.analyze(img);
                loc.merge(KINDS[k] + ": " + doc.status(), 1, Integer::sum);
                if (k == 0 && doc.portrait() != null && doc.portrait().box().iou(c.genuine().portrait()) > 0) {
                    portraits++;
                }
                Map<DocumentAttack, DocumentCheckResult> r = new EnumMap<>(DocumentAttack.class);
                for (DocumentAttack t : DocumentAttack.values()) {
                    r.put(t, da.check(t, doc, Calibration.REGULAR));
                }
                byKind[k].add(r);
                if (dev) {
                    devLines.append(String.format("%s %s status %s%n", c.identity(), KINDS[k], doc.status()));
                    r.values().forEach(x -> devLines.append(String.format("    %s %s p=%.3f %s%n", x.type(), x.status(),
                            x.rawProbability(), x.detail())));
                }
            }
        }
        // real document-like photos, unchanged pixels on a 64 px desk margin
        List<Map<DocumentAttack, DocumentCheckResult>> real = new ArrayList<>();
        StringBuilder realRows = new StringBuilder("| photo | localised | SR | PC | DM |\n|---|---|---|---|---|\n");
        List<String> realNames = new ArrayList<>(List.of(REAL_DOCS));
        realNames.add("ela_modified.jpg");
        Map<DocumentAttack, DocumentCheckResult> elaModified = null;
        for (String name : realNames) {
            RgbImage img = SyntheticDocuments.onDesk(fa.decode(TestPhotos.bytes(name)).image(), 64, name.hashCode());
            DecodedImage di = new DecodedImage(img, "desk", 1, img.width(), img.height());
            DocumentAnalysis located = da.analyze(di);
            // the checks run on the known outline (the placement), whatever the locator found
            int w0 = img.width() - 128;
            int h0 = img.height() - 128;
            io.openbio.inference.document.Quad known = new io.openbio.inference.document.Quad(
                    new io.openbio.inference.detect.Point(64, 64), new io.openbio.inference.detect.Point(64 + w0, 64),
                    new io.openbio.inference.detect.Point(64 + w0, 64 + h0), new io.openbio.inference.detect.Point(64, 64 + h0));
            DocumentAnalysis doc = new DocumentAnalysis(di, DocumentStatus.DOCUMENT_PHOTO_NOT_FOUND, known, null,
                    List.of(), "known outline; locator: " + located.status());
            Map<DocumentAttack, DocumentCheckResult> r = new EnumMap<>(DocumentAttack.class);
            for (DocumentAttack t : DocumentAttack.values()) {
                r.put(t, da.check(t, doc, Calibration.REGULAR));
            }
            if (name.equals("ela_modified.jpg")) {
                elaModified = r;
            } else {
                real.add(r);
            }
            realRows.append(String.format("| %s%s | %s | %s | %s | %s |%n", name,
                    name.equals("ela_modified.jpg") ? " (real tampered)" : "", located.status(),
                    fmt(r.get(DocumentAttack.SCREEN_REPLAY_ATTACK)), fmt(r.get(DocumentAttack.PRINTED_COPY_ATTACK)),
                    fmt(r.get(DocumentAttack.DIGITAL_MANIPULATION_ATTACK))));
            if (dev) {
                devLines.append(name).append(' ').append(located.status()).append('\n');
                r.values().forEach(x -> devLines.append(String.format("    %s %s p=%.3f %s%n", x.type(), x.status(),
                        x.rawProbability(), x.detail())));
            }
        }
        if (dev) {
            return devLines.toString();
        }
        // localisation of the real photos as they are
        StringBuilder rawLoc = new StringBuilder();
        for (String name : List.of("man_a.jpg", "man_b.jpg", "astronaut.png", "messi5.jpg", "group1.jpg", "face_swapped.jpg",
                "text_defocus.jpg", "text_motion.jpg", "imageTextN.png", "page.png", "ela_original.jpg", "sudoku.png")) {
            rawLoc.append(String.format("%s %s; ", name, da.analyze(TestPhotos.bytes(name)).status()));
        }
        md.append(String.format(Locale.ROOT, "Generated by `DocumentEvaluation` (part of `-Pevaluate`) in %.0f s. "
                + "**The four default pipelines are signal-processing detectors, not trained models** (see README, "
                + "\"Document checks\"). No real identity document and no real document attack is reachable here: the "
                + "cards and all attacks below are SYNTHETIC, made by `SyntheticDocuments` from real face photos "
                + "(%d cards, one per labelled identity except man_a / man_b, which were the development split). "
                + "Real genuine document-like photos: %s (each laid unchanged on a 64 px dark margin so that it has a "
                + "visible outline; the pipelines then run on that known outline, whatever the locator found); real "
                + "tampered photo: ela_modified.jpg. No constant was changed after the reported split's figures were first "
                + "produced; the real document photos, being the only real ones, were seen during development.%n%n", (System.nanoTime() - t0) / 1e9, cards.size(), String.join(", ", REAL_DOCS)));
        md.append("### Localisation\n\n");
        md.append("Synthetic card photos (all kinds): ").append(loc).append(String.format(
                ". Portrait found on %d of %d genuine cards (small-face path, inside the quad, overlapping the true portrait).%n%n",
                portraits, cards.size()));
        md.append("Real photos as they are (no margin): ").append(rawLoc).append("\n\n");
        md.append("### Pipelines at 0.5, per calibration\n\n");
        md.append("Genuine pass rate = genuine documents with status OK and probability >= 0.5 (any other status counts as "
                + "not passed); attack detection rate = the pipeline's own synthetic attack with probability < 0.5 or a "
                + "non-OK status (i.e. not accepted). PS needs the portrait, so the real photos (no face) give it no figure.\n\n");
        md.append("| pipeline | calibration | synthetic genuine cards pass | real document photos pass | own synthetic attack detected |\n")
          .append("|---|---|---|---|---|\n");
        for (DocumentAttack t : DocumentAttack.values()) {
            for (Calibration cal : Calibration.values()) {
                md.append(String.format("| %s (%s) | %s | %s | %s | %s |%n", t.defaultPipeline(), t, cal,
                        rate(byKind[0], t, cal, true),
                        t == DocumentAttack.PORTRAIT_SUBSTITUTION_ATTACK ? "n/a" : rate(real, t, cal, true),
                        rate(byKind[OWN.get(t)], t, cal, false)));
            }
        }
        md.append("\nRead with care: the locator finds no document on the synthetic screen replays (their blur and moire "
                + "break the card outline), so the screen-replay column counts DOCUMENT_NOT_FOUND, not the pipeline; "
                + "on the known outline default-sr falls below 0.5 on the development card's replay (DocumentChecksTest). "
                + "default-ps and default-dm do not detect their synthetic attacks at 0.5 (their statistics move the right "
                + "way on the development card but stay under the a-priori / development thresholds), and default-pc "
                + "fails about half of the genuine cards (luma spectral peaks of the card's own fine structure).\n");
        md.append("\n### Every pipeline on every kind (REGULAR): share called attack\n\n| pipeline |");
        for (String k : KINDS) {
            md.append(' ').append(k).append(" |");
        }
        md.append("\n|---|---|---|---|---|---|\n");
        for (DocumentAttack t : DocumentAttack.values()) {
            md.append("| ").append(t.defaultPipeline()).append(" |");
            for (int k = 0; k < KINDS.length; k++) {
                md.append(' ').append(rate(byKind[k], t, Calibration.REGULAR, false)).append(" |");
            }
            md.append('\n');
        }
        md.append("\nMedian raw probability per kind (REGULAR):\n\n| pipeline |");
        for (String k : KINDS) {
            md.append(' ').append(k).append(" |");
        }
        md.append("\n|---|---|---|---|---|---|\n");
        for (DocumentAttack t : DocumentAttack.values()) {
            md.append("| ").append(t.defaultPipeline()).append(" |");
            for (int k = 0; k < KINDS.length; k++) {
                List<Double> v = new ArrayList<>();
                for (Map<DocumentAttack, DocumentCheckResult> r : byKind[k]) {
                    if (r.get(t).status() == DocumentStatus.OK) {
                        v.add(r.get(t).rawProbability());
                    }
                }
                md.append(String.format(" %s |", v.isEmpty() ? "-" : String.format("%.3f", EvaluationMain.median(v))));
            }
            md.append('\n');
        }
        md.append("\n### Real document-like photos (REGULAR raw probability, status)\n\n").append(realRows).append('\n');
        DocumentCheckResult eo = real.get(real.size() - 1).get(DocumentAttack.DIGITAL_MANIPULATION_ATTACK);
        DocumentCheckResult em = elaModified.get(DocumentAttack.DIGITAL_MANIPULATION_ATTACK);
        md.append(String.format("Real ELA pair (default-dm): ela_original %.3f (%s), ela_modified %.3f (%s).%n%n",
                eo.rawProbability(), eo.detail(), em.rawProbability(), em.detail()));
        md.append("Caveats: a handful of synthetic cards from one generator with one desk, one camera model and one attack "
                + "recipe each; the real genuine set is 5 photos. These figures show the detectors respond to the traces "
                + "they were built for; they are not an accuracy claim for real attacks, which were not available.\n");
        return md.toString();
    }

    @SuppressWarnings("unchecked")
    static List<Map<DocumentAttack, DocumentCheckResult>>[] newLists(int n) {
        List<Map<DocumentAttack, DocumentCheckResult>>[] a = new List[n];
        for (int i = 0; i < n; i++) {
            a[i] = new ArrayList<>();
        }
        return a;
    }

    static String fmt(DocumentCheckResult r) {
        return r.status() == DocumentStatus.OK ? String.format("%.3f", r.rawProbability()) : r.status().toString();
    }

    /** genuine: share passing under cal; attack: share not passing. */
    static String rate(List<Map<DocumentAttack, DocumentCheckResult>> rs, DocumentAttack t, Calibration cal, boolean genuine) {
        int n = 0;
        int k = 0;
        for (Map<DocumentAttack, DocumentCheckResult> r : rs) {
            DocumentCheckResult x = r.get(t);
            boolean pass = x.status() == DocumentStatus.OK && cal.apply(x.rawProbability()) >= 0.5;
            n++;
            if (pass == genuine) {
                k++;
            }
        }
        return String.format("%.2f (%d/%d)", n == 0 ? 0 : (double) k / n, k, n);
    }

}
