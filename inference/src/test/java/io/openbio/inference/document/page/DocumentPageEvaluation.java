package io.openbio.inference.document.page;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.document.DocumentLocator;
import io.openbio.inference.document.DocumentStatus;
import io.openbio.inference.document.Quad;
import io.openbio.inference.document.RegionMeasures;
import io.openbio.inference.eval.SyntheticDocuments;
import io.openbio.inference.image.RgbImage;
import io.openbio.testkit.IdCards;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The measurements behind the page thresholds (EVALUATION.md, "DIS document pages"): outline
 * confidence on SYNTHETIC card photos vs the outlines the locator finds on real photos without a card,
 * and the quality measurements of clean, blurred, dark, bright and glared cards and of the real
 * document-like photos. Prints markdown; run on demand:
 * <pre>mvn -B -o -pl inference -am -Dopenbio.fetch.skip=true -Dtest=DocumentPageEvaluation -Deval.pages=true -Dsurefire.failIfNoSpecifiedTests=false verify</pre>
 */
@EnabledIfSystemProperty(named = "eval.pages", matches = "true")
class DocumentPageEvaluation {
    static final String[] BACKGROUNDS = {Photos.CAMERA, Photos.MESSI, Photos.GROUP1, Photos.SUDOKU};
    static final PageScenes.Pose[] POSES = {
            PageScenes.Pose.centred(0.7, 0), PageScenes.Pose.centred(0.6, 12), PageScenes.Pose.centred(0.55, -25),
            PageScenes.Pose.centred(0.45, 90), new PageScenes.Pose(0.5, 0.5, 0.65, 5, 0.08),
            PageScenes.Pose.centred(0.4, 3), new PageScenes.Pose(0.85, 0.5, 0.6, 2, 0)};
    static final String[] NAMES = {"flat", "rot12", "rot-25", "rot90", "keystone", "small", "off-frame"};

    @Test
    void measure() {
        Locale.setDefault(Locale.ROOT);
        FaceAnalyzer fa = Shared.analyzer();
        List<RgbImage> cards = cards(fa);
        DocumentLocator locator = new DocumentLocator();
        StringBuilder out = new StringBuilder();
        out.append("cards ").append(cards.size()).append('\n');
        // A. outline confidence
        List<Double> pos = new ArrayList<>();
        int[] foundPerPose = new int[POSES.length];
        int[] nPerPose = new int[POSES.length];
        double[] worstErr = new double[POSES.length];
        for (int b = 0; b < BACKGROUNDS.length; b++) {
            RgbImage real = fa.decode(TestPhotos.bytes(BACKGROUNDS[b])).image();
            RgbImage bg = b == 0 ? SyntheticDocuments.desk(real, 1400, 1000) : PageScenes.background(real, 1400, 1000);
            RgbImage bare = PageScenes.noise(bg, 2, b);
            DocumentLocator.Location bl = locator.locate(bare);
            out.append(String.format("background alone %s: %s conf %s%n", BACKGROUNDS[b], bl.status(),
                    bl.quad() == null ? "-" : String.format("%.3f", OutlineSupport.of(bare, CornerRefiner.refine(WorkImage.of(bare), PageGeometry.pageOrder(bl.quad()))))));
            for (int c = 0; c < cards.size(); c++) {
                for (int p = 0; p < POSES.length; p++) {
                    PageScenes.Scene s = PageScenes.photograph(cards.get(c), bg, POSES[p], PageScenes.Defects.NONE, 100L * b + c * 10 + p);
                    DocumentLocator.Location loc = locator.locate(s.photo());
                    nPerPose[p]++;
                    if (loc.quad() == null) {
                        out.append(String.format("  miss bg=%s card=%d pose=%s: %s%n", BACKGROUNDS[b], c, NAMES[p], loc.detail()));
                        continue;
                    }
                    WorkImage wi = WorkImage.of(s.photo());
                    Quad q = CornerRefiner.refine(wi, PageGeometry.pageOrder(loc.quad()));
                    double conf = OutlineSupport.of(wi, q);
                    double err = PageScenes.cornerError(q, s.truth());
                    if (p != 6) {
                        pos.add(conf);
                    }
                    if (err < 10 || p == 6) {
                        foundPerPose[p]++;
                    }
                    worstErr[p] = Math.max(worstErr[p], p == 6 ? 0 : err);
                    out.append(String.format("  bg=%s card=%d pose=%s %s conf=%.3f err=%.1f%n", BACKGROUNDS[b], c, NAMES[p],
                            loc.status(), conf, err));
                }
            }
        }
        for (int p = 0; p < POSES.length; p++) {
            out.append(String.format("pose %s: located (corner error < 10 px) %d/%d, worst error %.1f%n", NAMES[p],
                    foundPerPose[p], nPerPose[p], worstErr[p]));
        }
        out.append("positives confidence ").append(summary(pos)).append('\n');
        List<Double> neg = new ArrayList<>();
        for (String name : TestPhotos.photos()) {
            RgbImage img = fa.decode(TestPhotos.bytes(name)).image();
            DocumentLocator.Location loc = locator.locate(img);
            if (loc.quad() != null) {
                WorkImage wi = WorkImage.of(img);
                double conf = OutlineSupport.of(wi, CornerRefiner.refine(wi, PageGeometry.pageOrder(loc.quad())));
                neg.add(conf);
                out.append(String.format("real %s: %s conf %.3f%n", name, loc.status(), conf));
            } else {
                out.append(String.format("real %s: %s%n", name, loc.status()));
            }
        }
        out.append("negatives (outline found on a real photo without a card) confidence ").append(summary(neg)).append('\n');
        // B. quality
        RgbImage desk = SyntheticDocuments.desk(fa.decode(TestPhotos.bytes(Photos.CAMERA)).image(), 1400, 1000);
        DocumentPageAnalyzer pa = new DocumentPageAnalyzer(fa);
        PageScenes.Defects[] defects = {PageScenes.Defects.NONE, new PageScenes.Defects(1.5, 1, 0),
                new PageScenes.Defects(2.5, 1, 0), new PageScenes.Defects(4, 1, 0), new PageScenes.Defects(0, 0.3, 0),
                new PageScenes.Defects(0, 0.45, 0), new PageScenes.Defects(0, 1.5, 0), new PageScenes.Defects(0, 2.0, 0),
                new PageScenes.Defects(0, 1, 0.06), new PageScenes.Defects(0, 1, 0.12)};
        String[] dn = {"clean", "blur1.5", "blur2.5", "blur4", "gain0.3", "gain0.45", "gain1.5", "gain2.0", "glare0.06", "glare0.12"};
        for (int d = 0; d < defects.length; d++) {
            List<Double> lv = new ArrayList<>();
            List<Double> mg = new ArrayList<>();
            List<Double> ss = new ArrayList<>();
            int miss = 0;
            java.util.Map<String, Integer> issues = new java.util.TreeMap<>();
            int portraits = 0;
            for (int c = 0; c < cards.size(); c++) {
                for (double width : new double[] {0.6}) {
                    PageScenes.Scene s = PageScenes.photograph(cards.get(c), desk, PageScenes.Pose.centred(width, 4), defects[d], 7L * c + d);
                    DocumentPage page = pa.analyze(s.photo());
                    if (!page.found()) {
                        miss++;
                        out.append(String.format("  quality miss %s card %d: %s%n", dn[d], c, page.detail()));
                        continue;
                    }
                    RegionMeasures m = page.quality().measures();
                    page.quality().issues().forEach(i -> issues.merge(i.name(), 1, Integer::sum));
                    if (page.quality().fine()) {
                        issues.merge("(fine)", 1, Integer::sum);
                    }
                    portraits += page.portrait().isPresent() ? 1 : 0;
                    lv.add(m.laplacianVariance());
                    mg.add(m.meanGrey());
                    ss.add(m.clippedAreaShare());
                }
            }
            out.append(String.format("quality %s (missed %d): lapvar %s | grey %s | clipped areas %s%n", dn[d], miss,
                    summary(lv), summary(mg), summary(ss)));
            out.append(String.format("issues %s: %s; portrait found %d%n", dn[d], issues, portraits));
        }
        for (String name : new String[] {Photos.PAGE, Photos.TEXT_DEFOCUS, Photos.TEXT_MOTION, Photos.IMAGE_TEXT,
                Photos.ELA_ORIGINAL, Photos.ELA_MODIFIED, Photos.SUDOKU}) {
            RgbImage img = SyntheticDocuments.onDesk(fa.decode(TestPhotos.bytes(name)).image(), 64, 1);
            DocumentPage page = pa.analyze(img);
            if (!page.found()) {
                out.append(String.format("real %s on desk: %s %s%n", name, page.errorCode(), page.detail()));
                continue;
            }
            RegionMeasures m = page.quality().measures();
            out.append(String.format("real %s on desk: conf %.3f %s lapvar %.1f grey %.1f clipped areas %.4f issues %s portrait %s%n", name,
                    page.detection().confidence(), page.detection().format(), m.laplacianVariance(), m.meanGrey(),
                    m.clippedAreaShare(), page.quality().issues(), page.portrait().isPresent()));
        }
        System.out.println(out);
    }

    static List<RgbImage> cards(FaceAnalyzer fa) {
        List<RgbImage> cards = new ArrayList<>();
        List<TestPhotos.Label> faces = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (TestPhotos.Label l : TestPhotos.labels()) {
            if (l.box() != null && l.box().height() >= 100 && !l.identity().startsWith("swap") && seen.add(l.identity())) {
                faces.add(l);
            }
        }
        for (int i = 0; i < Math.min(6, faces.size()); i++) {
            TestPhotos.Label l = faces.get(i);
            cards.add(SyntheticDocuments.card(fa.decode(TestPhotos.bytes(l.photo())).image(), l.box(),
                    l.identity().replace('_', ' '), 2000L + i));
        }
        cards.add(PageScenes.idCardsCard(IdCards.withPortrait(TestPhotos.bytes(Photos.MAN_A))));
        cards.add(PageScenes.idCardsCard(IdCards.blank()));
        return cards;
    }

    static String summary(List<Double> v) {
        if (v.isEmpty()) {
            return "N=0";
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("N=%d min %.4g p5 %.4g p50 %.4g p95 %.4g max %.4g", s.length, s[0],
                s[(int) Math.floor(0.05 * (s.length - 1))], s[(s.length - 1) / 2], s[(int) Math.ceil(0.95 * (s.length - 1))],
                s[s.length - 1]);
    }
}
