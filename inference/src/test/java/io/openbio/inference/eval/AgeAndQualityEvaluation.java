package io.openbio.inference.eval;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.attributes.AgeEstimate;
import io.openbio.inference.quality.TemplateQuality;
import io.openbio.testkit.Photos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * EVALUATION.md sections on BioServer's Face quality (a formula, {@link TemplateQuality}) and on
 * the age estimate (fr_age, {@link FaceAnalyzer#estimateAge}) against what is known of the photos' ages.
 */
final class AgeAndQualityEvaluation {
    /** Eileen Collins: born 19 November 1956 (NASA biography). */
    static final int COLLINS_BORN = 1956;
    /** Her astronaut career as python3-skimage 0.19.3's docstring of astronaut() gives it: selected 1992, retired 2006. */
    static final int CAREER_FROM = 1992;
    static final int CAREER_TO = 2006;

    private AgeAndQualityEvaluation() {
    }

    static String section(FaceAnalyzer fa, List<EvaluationMain.Item> items) {
        StringBuilder md = new StringBuilder("## BioServer Face quality (a formula, not a model)\n\n");
        md.append("`TemplateQuality.of(face)` (BioServer's Face `quality`: above 100 good, negative: send again) is a documented ")
          .append("formula over two measurements, not a model output and not fitted to any quality label: with IED the distance ")
          .append("between the eyes in source pixels and d the detector's confidence, quality = round(100 d (IED - 32) / (60 - 32)) ")
          .append("for IED >= 32 px, and min(-1, round(100 (IED - 32) / 28)) below. 60 px is the seed's image requirement, so a ")
          .append("fully confident face at exactly 60 px scores 100; 32 px is the platform's measured minimum for matching (\"Face ")
          .append("size\" above), below which the quality is negative, as the platform refuses such faces (FACE_TOO_SMALL). ")
          .append("Sharpness, lighting and pose are not in it: nothing here measures how they change matching.\n\n");
        List<Integer> q = new ArrayList<>();
        for (EvaluationMain.Item i : items) {
            q.add(TemplateQuality.of(i.face()));
        }
        List<Integer> s = new ArrayList<>(q);
        s.sort(null);
        long good = s.stream().filter(TemplateQuality::good).count();
        long neg = s.stream().filter(v -> v < 0).count();
        md.append(String.format(Locale.ROOT, "On the %d labelled faces of the evaluation photos (per face in the table above): min %d, lower quartile %d, ",
                s.size(), s.get(0), s.get(s.size() / 4)))
          .append(String.format(Locale.ROOT, "median %d, upper quartile %d, max %d; above 100 (good): %d; 0 to 100: %d; negative (send again): %d. ",
                s.get(s.size() / 2), s.get(3 * s.size() / 4), s.get(s.size() - 1), good, s.size() - good - neg, neg))
          .append("The seed's examples (186, 295, 306) would be faces of about 84 to 118 px between the eyes here.\n\n");

        md.append("## Age (fr_age, BioServer POST /v2/ages)\n\n");
        md.append("`FaceAnalyzer.estimateAge(image)` -> `AgeEstimate(age, quality, face)`: the largest face is estimated by fr_age ")
          .append("(SSR-Net, faceplugin package); no face: quality -10000 and no age (the seed's \"no person visible\"); a face with a ")
          .append("negative template quality (under 32 px between the eyes): that negative quality and no age. The size rule is the ")
          .append("one measured for matching; how the age error grows as faces shrink is not measured.\n\n");
        md.append("**Age labels.** No age-labelled face set is reachable by this build. Looked for: the npm registry's search endpoint ")
          .append("answers 404 from here, so only packages known by name could be checked: @vladmandic/face-api@1.7.15 (its demo photos ")
          .append("are the six group photos used here, without ages), @vladmandic/human@3.3.6 (screenshots and collages, no labels), ")
          .append("face-api.js@0.22.2 and faceplugin-face-recognition-js@0.0.1 (no photos); Debian (`apt-cache search`): no face photo ")
          .append("set. The only age that is documented and verifiable for these photos is an interval: skimage's astronaut.png is ")
          .append(String.format(Locale.ROOT, "Eileen Collins (born %d, NASA biography), photographed as an astronaut, a career that the packaged ", COLLINS_BORN))
          .append(String.format(Locale.ROOT, "docstring of `skimage.data.astronaut` (python3-skimage 0.19.3) dates %d to %d, so she was %d to %d. ",
                CAREER_FROM, CAREER_TO, CAREER_FROM - COLLINS_BORN - 1, CAREER_TO - COLLINS_BORN))
          .append("No other photo here has a documented date and identity.\n\n");
        AgeEstimate astro = fa.estimateAge(TestPhotos.bytes(Photos.ASTRONAUT));
        double a = astro.age().orElse(Double.NaN);
        int lo = CAREER_FROM - COLLINS_BORN - 1;
        int hi = CAREER_TO - COLLINS_BORN;
        md.append(String.format(Locale.ROOT, "- astronaut.png: estimated %.1f, quality %d; label interval %d-%d: %s. ",
                a, astro.quality(), lo, hi, a >= lo && a <= hi ? "inside" : "OUTSIDE"))
          .append(String.format(Locale.ROOT, "Its error is at most %.1f years whatever her true age in the interval.%n",
                Math.max(Math.abs(a - lo), Math.abs(a - hi))))
          .append("- **MAE on exactly labelled photos: not measurable here (N = 0).** One interval label (N = 1) is a check, not an error figure.\n\n");

        md.append("**Consistency (precision, not accuracy).** Several photos of one person taken together should get one age:\n\n")
          .append("| identity | photos | estimates | range | sd |\n|---|---|---|---|---|\n");
        for (String id : new String[] {"yale_woman", "example_man"}) {
            List<Double> ages = items.stream().filter(i -> i.identity().equals(id)).map(i -> i.attr().age()).toList();
            double m = ages.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double sd = Math.sqrt(ages.stream().mapToDouble(v -> (v - m) * (v - m)).sum() / Math.max(1, ages.size() - 1));
            double mn = ages.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            double mx = ages.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.1f | %.1f |%n", id, ages.size(),
                    String.join(", ", ages.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList()), mx - mn, sd));
        }
        md.append("\nyale_woman's four photos are one sitting under four lightings (opencv-doc lbp_yale.jpg), so their spread is the model's ")
          .append("own noise under lighting; example_man's three are one man with glasses, dates unknown.\n\n");

        md.append("**No face / poor face** (what the API answers; every photo of the set):\n\n| photo | quality | age |\n|---|---|---|\n");
        for (String photo : TestPhotos.photos()) {
            AgeEstimate e = fa.estimateAge(TestPhotos.bytes(photo));
            md.append(String.format(Locale.ROOT, "| %s | %d | %s |%n", photo, e.quality(),
                    e.age().isPresent() ? String.format(Locale.ROOT, "%.1f", e.age().getAsDouble()) : "absent"));
        }
        md.append('\n');
        return md.toString();
    }
}
