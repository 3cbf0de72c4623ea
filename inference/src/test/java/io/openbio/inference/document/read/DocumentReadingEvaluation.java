package io.openbio.inference.document.read;

import io.openbio.inference.document.read.mrz.Mrz;
import io.openbio.inference.document.read.mrz.MrzReader;
import io.openbio.inference.document.read.mrz.MrzReading;
import io.openbio.inference.document.read.ocr.OcrMode;
import io.openbio.inference.document.read.ocr.OcrResult;
import io.openbio.inference.document.read.ocr.TesseractOcr;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.testkit.MrzDocuments;
import io.openbio.testkit.Photos;

import java.awt.Font;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Document reading on SYNTHETIC documents (testkit {@link MrzDocuments}: OCR-B MRZ, a portrait from
 * the real test photos, printed fields) under capture conditions ({@link SyntheticPages}): MRZ read
 * rate, field accuracy, OCR confidence, visual-zone field reading, and the check-digit detection of
 * altered fields. Writes the section {@value #SECTION} of inference/EVALUATION.md (replacing it,
 * leaving the rest of the file): {@code mvn -B -pl inference -Pevaluate verify} runs it after the
 * other evaluations; the unit tests (DocumentReadingTest) assert its key figures on a smaller run.
 */
public final class DocumentReadingEvaluation {
    static final String SECTION = "## Document reading (DIS seed 004)";
    static final String[] FIELDS = {"documentNumber", "dateOfBirth", "dateOfExpiry", "surname", "givenNames",
        "nationality", "gender"};

    static final List<SyntheticPages.Condition> CONDITIONS = List.of(SyntheticPages.Condition.CLEAN,
            new SyntheticPages.Condition("blur sigma 1", 1.0, 0, 0),
            new SyntheticPages.Condition("blur sigma 2", 2.0, 0, 0),
            new SyntheticPages.Condition("rotation 3 deg", 0, 3, 0),
            new SyntheticPages.Condition("rotation -7 deg", 0, -7, 0),
            new SyntheticPages.Condition("perspective (keystone 6 %)", 0, 0, 0.06));

    /** One MRZ reading of one page. */
    record Sample(MrzDocuments.Layout layout, int width, String condition, MrzDocuments.Holder truth,
                  MrzReading reading, long millis) {
        boolean valid() {
            return reading.status() == MrzReading.Status.VALID;
        }

        /** The parsed field equals the truth (false when nothing was parsed). */
        boolean fieldRight(String field) {
            Mrz m = reading.mrz();
            if (m == null) {
                return false;
            }
            return switch (field) {
                case "documentNumber" -> m.documentNumber().equals(truth.documentNumber());
                case "dateOfBirth" -> m.dateOfBirth().equals(truth.dateOfBirth());
                case "dateOfExpiry" -> m.dateOfExpiry().equals(truth.dateOfExpiry());
                case "surname" -> m.surname().equals(truth.surname());
                case "givenNames" -> m.givenNames().equals(truth.givenNames());
                case "nationality" -> m.nationality().equals(truth.nationality());
                case "gender" -> m.gender().equals(truth.sex().equals("<") ? "" : truth.sex());
                default -> throw new IllegalArgumentException(field);
            };
        }

        /** Every field right and every check digit valid. */
        boolean exact() {
            for (String f : FIELDS) {
                if (!fieldRight(f)) {
                    return false;
                }
            }
            return valid();
        }
    }

    /** One visual-zone OCR of one page: how many printed values were found, and the word confidences. */
    record VizSample(MrzDocuments.Layout layout, String condition, int values, int found, List<Double> confidences) {
    }

    private DocumentReadingEvaluation() {
    }

    static List<Sample> mrz(TesseractOcr ocr, MrzDocuments.Layout[] layouts, int[] widths,
                            List<SyntheticPages.Condition> conditions, int holders, long seed) {
        Font font = MrzDocuments.ocrB();
        byte[][] portraits = {Photos.bytes(Photos.MAN_A), Photos.bytes(Photos.MAN_B)};
        MrzReader reader = new MrzReader(ocr);
        Random r = new Random(seed);
        List<Sample> out = new ArrayList<>();
        for (MrzDocuments.Layout layout : layouts) {
            for (int width : widths) {
                for (SyntheticPages.Condition c : conditions) {
                    for (int n = 0; n < holders; n++) {
                        MrzDocuments.Holder h = MrzDocuments.holder(layout, r);
                        RgbImage page = SyntheticPages.apply(MrzDocuments.page(layout, h, portraits[n % 2], font, width), c);
                        long t = System.nanoTime();
                        MrzReading reading = reader.read(page);
                        out.add(new Sample(layout, width, c.name(), h, reading, (System.nanoTime() - t) / 1_000_000));
                    }
                }
            }
        }
        return out;
    }

    static List<VizSample> visualZone(TesseractOcr ocr, MrzDocuments.Layout[] layouts, int width,
                                      List<SyntheticPages.Condition> conditions, int holders, long seed) {
        Font font = MrzDocuments.ocrB();
        byte[] portrait = Photos.bytes(Photos.MAN_A);
        Random r = new Random(seed);
        List<VizSample> out = new ArrayList<>();
        for (MrzDocuments.Layout layout : layouts) {
            for (SyntheticPages.Condition c : conditions) {
                for (int n = 0; n < holders; n++) {
                    MrzDocuments.Holder h = MrzDocuments.holder(layout, r);
                    OcrResult res = ocr.read(SyntheticPages.apply(MrzDocuments.page(layout, h, portrait, font, width), c),
                            OcrMode.TEXT);
                    String text = squash(res.text());
                    List<String> values = MrzDocuments.printedValues(h);
                    int found = 0;
                    for (String v : values) {
                        found += text.contains(squash(v)) ? 1 : 0;
                    }
                    List<Double> conf = res.lines().stream().flatMap(l -> l.words().stream())
                            .map(OcrResult.Word::confidence).toList();
                    out.add(new VizSample(layout, c.name(), values.size(), found, conf));
                }
            }
        }
        return out;
    }

    static String squash(String s) {
        return s.toUpperCase(Locale.ROOT).replaceAll("\\s+", "");
    }

    static String pct(long k, long n) {
        return n == 0 ? "-" : String.format(Locale.ROOT, "%.1f %% (%d/%d)", 100.0 * k / n, k, n);
    }

    static String markdown(List<Sample> samples, List<VizSample> viz, MrzParserTest.AlterationStats alt,
                           int[] widths, int holders) {
        StringBuilder md = new StringBuilder(SECTION).append("\n\n");
        md.append("Library `io.openbio.inference.document.read` (MrzReader = MrzLocator + Tesseract 5.5, its legacy engine ")
          .append("with the MRZ alphabet on the band at 3 scales and its LSTM on 2 of them, + MrzConsensus (character votes, ")
          .append("then ICAO country codes and every check digit) + MrzParser on JMRTD; TesseractOcr LSTM for the visual zone). **All documents are SYNTHETIC** ")
          .append("(testkit `MrzDocuments`): no real specimen document is reachable from this build, so these figures say ")
          .append("how the reading chain copes with capture conditions, not how it does on real passports and ID cards ")
          .append("(security printing, holograms, worn cards, other fonts). Each page: a guilloche-like background, a ")
          .append("portrait from the real test photos (man_a / man_b), five printed fields (DejaVu Sans, the JDK's ")
          .append("SansSerif here) and the MRZ in OCR-B (Debian `fonts-ocr-b`, Matthew Skala's public-domain OCR-B) at ")
          .append("ICAO's 10 characters per inch. Conditions: the page on a grey margin of 4 %, then rotated / keystoned ")
          .append("/ blurred (`SyntheticPages`). Page widths ").append(java.util.Arrays.toString(widths))
          .append(" px (TD1 card 85.6 mm, TD2 105 mm, TD3 125 mm wide: the MRZ character pitch runs from ")
          .append(String.format(Locale.ROOT, "%.0f", widths[0] / 125.0 * 2.54)).append(" to ")
          .append(String.format(Locale.ROOT, "%.0f", widths[widths.length - 1] / 85.6 * 2.54)).append(" px). ")
          .append(holders).append(" random holders per format, width and condition. Regenerate: ")
          .append("`mvn -B -pl inference -am -Pevaluate verify` (or `-Dtest=DocumentReadingTest` for the asserted subset).\n\n");

        md.append("### MRZ read rate (status VALID: parsed as the right format with every check digit valid)\n\n");
        md.append("| format | condition | read (VALID) | exact (VALID and all ").append(FIELDS.length)
          .append(" fields = truth) | misread caught by a check digit | mean OCR confidence |\n|---|---|---|---|---|---|\n");
        Map<String, List<Sample>> cells = new LinkedHashMap<>();
        for (Sample s : samples) {
            cells.computeIfAbsent(s.layout() + "\t" + s.condition(), k -> new ArrayList<>()).add(s);
        }
        for (var e : cells.entrySet()) {
            List<Sample> l = e.getValue();
            String[] k = e.getKey().split("\t");
            long valid = l.stream().filter(Sample::valid).count();
            long exact = l.stream().filter(Sample::exact).count();
            long caught = l.stream().filter(s -> s.reading().status() == MrzReading.Status.INVALID_CHECK_DIGITS).count();
            double conf = l.stream().mapToDouble(s -> s.reading().confidence()).average().orElse(0);
            md.append("| ").append(k[0]).append(" | ").append(k[1]).append(" | ").append(pct(valid, l.size()))
              .append(" | ").append(pct(exact, l.size())).append(" | ").append(caught).append(" | ")
              .append(String.format(Locale.ROOT, "%.2f", conf)).append(" |\n");
        }
        List<Sample> clean = samples.stream().filter(s -> s.condition().equals(SyntheticPages.Condition.CLEAN.name())
                && s.layout() != MrzDocuments.Layout.TD2).toList();
        md.append("\nClean TD1 and TD3 pages (issue 20's \"done when\"): VALID ")
          .append(pct(clean.stream().filter(Sample::valid).count(), clean.size())).append(", VALID with all ")
          .append(FIELDS.length).append(" fields right ").append(pct(clean.stream().filter(Sample::exact).count(), clean.size()))
          .append(" (").append(holders).append(" holders x ").append(widths.length).append(" widths per format; ")
          .append("DocumentReadingTest asserts it on 24 other clean pages).\n");
        long wrongButValid = samples.stream().filter(s -> s.valid() && !s.exact()).count();
        md.append("\nA VALID reading whose fields differ from the truth (a misread the check digits cannot see, e.g. in ")
          .append("a name, which no check digit covers): ").append(wrongButValid).append(" of ")
          .append(samples.stream().filter(Sample::valid).count()).append(" VALID readings. Wrong field in a VALID reading, by field:");
        for (String f : FIELDS) {
            long n = samples.stream().filter(x -> x.valid() && !x.fieldRight(f)).count();
            md.append(' ').append(f).append(' ').append(n).append(';');
        }
        long blind = samples.stream().filter(x -> x.valid() && !x.fieldRight("documentNumber")
                && DocumentReadingTest.blindDifference(x.reading().mrz().documentNumber(), x.truth().documentNumber()))
                .count();
        long repaired = samples.stream().filter(x -> x.valid() && x.reading().repairedCharacters() > 0).count();
        long repairedWrong = samples.stream().filter(x -> x.valid() && x.reading().repairedCharacters() > 0
                && !x.exact()).count();
        md.append(" of the wrong document numbers, ").append(blind).append(" differ only by characters whose ICAO values ")
          .append("differ by a multiple of 10 (OCR-B 8 read as S, 6 as G: invisible to every check digit). ")
          .append("VALID with characters set against the plurality of the votes by a rule (a country code or the check ")
          .append("digits, `repairedCharacters` > 0): ").append(repaired)
          .append(", of which ").append(repairedWrong).append(" with a field that is not the truth. Names, nationality and ")
          .append("sex are covered by no check digit in any format (the composites skip them), so a misread there stays ")
          .append("VALID; the inspection compares them with the visual zone.\n\n");

        md.append("By page width (all conditions):\n\n| width px | read (VALID) |\n|---|---|\n");
        for (int w : widths) {
            List<Sample> l = samples.stream().filter(s -> s.width() == w).toList();
            md.append("| ").append(w).append(" | ").append(pct(l.stream().filter(Sample::valid).count(), l.size()))
              .append(" |\n");
        }

        md.append("\n### MRZ field accuracy (parsed field = truth, over every sample; N = ").append(samples.size())
          .append(")\n\n| field | accuracy |\n|---|---|\n");
        for (String f : FIELDS) {
            md.append("| ").append(f).append(" | ")
              .append(pct(samples.stream().filter(s -> s.fieldRight(f)).count(), samples.size())).append(" |\n");
        }

        md.append("\n### OCR confidence against correctness (MRZ band, Tesseract mean word confidence)\n\n")
          .append("| reading | N | mean confidence | min | max |\n|---|---|---|---|---|\n");
        for (boolean right : new boolean[] {true, false}) {
            List<Double> c = samples.stream().filter(s -> s.exact() == right).map(s -> s.reading().confidence()).toList();
            md.append("| ").append(right ? "exact" : "not exact").append(" | ").append(c.size()).append(" | ")
              .append(String.format(Locale.ROOT, "%.2f | %.2f | %.2f", c.stream().mapToDouble(d -> d).average().orElse(0),
                      c.stream().mapToDouble(d -> d).min().orElse(0), c.stream().mapToDouble(d -> d).max().orElse(0)))
              .append(" |\n");
        }

        md.append("\n### Visual zone (printed fields, Tesseract LSTM on the whole page, no layout template)\n\n")
          .append("A printed value counts as read when the page's OCR text contains it (spaces ignored). Without ")
          .append("edition templates the reader cannot say which text is which field: that is the honest scope.\n\n")
          .append("| format | condition | values read | words | mean word confidence | words under 0.92 |\n")
          .append("|---|---|---|---|---|---|\n");
        Map<String, List<VizSample>> vcells = new LinkedHashMap<>();
        for (VizSample v : viz) {
            vcells.computeIfAbsent(v.layout() + "\t" + v.condition(), k -> new ArrayList<>()).add(v);
        }
        for (var e : vcells.entrySet()) {
            String[] k = e.getKey().split("\t");
            int values = e.getValue().stream().mapToInt(VizSample::values).sum();
            int found = e.getValue().stream().mapToInt(VizSample::found).sum();
            List<Double> conf = e.getValue().stream().flatMap(v -> v.confidences().stream()).toList();
            long low = conf.stream().filter(c -> c < 0.92).count();
            md.append("| ").append(k[0]).append(" | ").append(k[1]).append(" | ").append(pct(found, values)).append(" | ")
              .append(conf.size()).append(" | ")
              .append(String.format(Locale.ROOT, "%.2f", conf.stream().mapToDouble(d -> d).average().orElse(0)))
              .append(" | ").append(pct(low, conf.size())).append(" |\n");
        }

        md.append("\n### Check-digit detection of single-character alterations (MrzParser, no OCR)\n\n")
          .append("Every character of every checked field (document number, date of birth, date of expiry, TD3 personal ")
          .append("number) and every check digit of generated zones, replaced in turn by each of the 36 other MRZ ")
          .append("characters (N = ").append(alt.fieldTotal).append(" altered zones from ").append(alt.zones)
          .append(" generated zones):\n\n")
          .append("| alteration | detected |\n|---|---|\n")
          .append("| a digit to another digit (any checked field) | ").append(pct(alt.numericDetected, alt.numericTotal)).append(" |\n")
          .append("| anything in a date or a check digit (a date must be six digits) | ")
          .append(pct(alt.dateOrDigitDetected, alt.dateOrDigitTotal)).append(" |\n")
          .append("| any character to any other (all of the above and letters in alphanumeric fields) | ")
          .append(pct(alt.fieldDetected, alt.fieldTotal)).append(" |\n\n")
          .append("Undetected: ").append(pct(alt.anyUndetected, alt.fieldTotal)).append(", all in the alphanumeric ")
          .append("fields (document number, personal number), all between characters whose ICAO values differ by a ")
          .append("multiple of 10 (0 / < / A / K / U, 1 / B / L / V, 8 / I / S, 6 / G / Q ...). That is the ICAO 9303 ")
          .append("blind spot, not a reader's gap: the 7-3-1 weighted sum is taken modulo 10, so a change of 10, 20 or 30 ")
          .append("at any weight leaves it unchanged; no check digit can see it. Of the ").append(alt.multipleOf10)
          .append(" such alterations: the composite check digit caught ").append(alt.multipleOf10CaughtByComposite)
          .append(" (it sums the same characters, so it cannot); the filler check digit of an empty TD3 personal number ")
          .append("(valid only while the field is all fillers, ICAO 9303 part 4) caught ")
          .append(alt.multipleOf10CaughtByFillerDigit).append("; the other ").append(alt.anyUndetected)
          .append(" stay VALID. Of these, ").append(alt.undetectedWithInnerFiller).append(" leave a filler inside ")
          .append("the number (0 / A / K / U turned into <): a rule \"fillers only pad the end\" would flag them, but ")
          .append("issuers may put fillers inside optional data, so the parser does not enforce it. Only a second ")
          .append("source (visual zone, barcode, chip DG1) can detect the rest. Pairs seen: ")
          .append(String.join(" ", alt.undetectedExamples.stream().limit(30).toList())).append(" ...\n\n");
        md.append("Timing (this machine, 2 shared cores, not a benchmark): median MRZ read ")
          .append(samples.stream().mapToLong(Sample::millis).sorted().skip(samples.size() / 2).findFirst().orElse(0))
          .append(" ms per page.\n");
        return md.toString();
    }

    /** {@code doc} with its {@link #SECTION} (up to the next level-2 heading) replaced by {@code section}, or appended. */
    static String replaceSection(String doc, String section) {
        int at = doc.indexOf(SECTION);
        if (at < 0) {
            return doc.isEmpty() || doc.endsWith("\n\n") ? doc + section : doc.stripTrailing() + "\n\n" + section;
        }
        int next = doc.indexOf("\n## ", at + SECTION.length());
        return doc.substring(0, at) + section + (next < 0 ? "" : "\n" + doc.substring(next + 1));
    }

    public static void main(String[] args) throws Exception {
        Path module = Path.of(args.length > 0 ? args[0] : ".");
        int[] widths = {700, 1000, 1400};
        int holders = Integer.getInteger("eval.documentHolders", 4);
        try (TesseractOcr ocr = TesseractOcr.open(ModelRepository.fromEnvironment())) {
            List<Sample> samples = mrz(ocr, MrzDocuments.Layout.values(), widths, CONDITIONS, holders, 2026);
            List<VizSample> viz = visualZone(ocr, MrzDocuments.Layout.values(), 1000, CONDITIONS, Math.max(1, holders / 2), 2027);
            MrzParserTest.AlterationStats alt = MrzParserTest.AlterationStats.measure(MrzDocuments.Layout.values(), 20,
                    new Random(5));
            String md = markdown(samples, viz, alt, widths, holders);
            Path file = module.resolve("EVALUATION.md");
            String old = Files.exists(file) ? Files.readString(file) : "";
            Files.writeString(file, replaceSection(old, md));
            System.out.println(md);
        }
    }
}
