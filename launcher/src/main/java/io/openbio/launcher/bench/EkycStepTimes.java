package io.openbio.launcher.bench;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.detect.Face;
import io.openbio.inference.document.DocumentAnalysis;
import io.openbio.inference.document.DocumentAnalyzer;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The in-process cost of each step of an IDLive {@code /check} (FACE_CHECK + FACE_MATCH_VALIDATION)
 * on one thread: mean over {@code runs} after {@code runs / 4} warm-up runs. {@code bench/ekyc-steps.sh}.
 */
public final class EkycStepTimes {
    private EkycStepTimes() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        byte[] selfie = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        byte[] card = EkycCheckBenchmark.idCard(selfie);
        String[] names = {"selfie decode", "selfie detection", "selfie embedding", "document localisation and portrait",
                "portrait embedding", "second selfie decode (face-check stage)", "passive liveness (three models)"};
        long[] total = new long[names.length];
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(); DocumentAnalyzer documents = DocumentAnalyzer.create(analyzer)) {
            int warmUp = runs / 4;
            for (int i = 0; i < warmUp + runs; i++) {
                long[] t = new long[names.length + 1];
                t[0] = System.nanoTime();
                DecodedImage image = analyzer.decode(selfie);
                t[1] = System.nanoTime();
                Face face = analyzer.detect(image);
                t[2] = System.nanoTime();
                Template selfieTemplate = analyzer.embed(image, face);
                t[3] = System.nanoTime();
                DocumentAnalysis doc = documents.analyze(card);
                t[4] = System.nanoTime();
                Template portrait = analyzer.embed(doc.image(), doc.portrait());
                t[5] = System.nanoTime();
                DecodedImage again = analyzer.decode(selfie);
                t[6] = System.nanoTime();
                analyzer.liveness(again, face);
                t[7] = System.nanoTime();
                analyzer.compare(selfieTemplate, portrait);
                if (i >= warmUp) {
                    for (int s = 0; s < names.length; s++) {
                        total[s] += t[s + 1] - t[s];
                    }
                }
            }
        }
        System.out.println("| step (one thread, mean of " + runs + " runs) | ms |");
        System.out.println("|---|---|");
        for (int s = 0; s < names.length; s++) {
            System.out.printf(Locale.ROOT, "| %s | %.1f |%n", names[s], total[s] / 1e6 / runs);
        }
    }
}
