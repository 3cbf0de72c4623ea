package io.openbio.inference.tfjs;

import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The TF.js -> ONNX conversion computes what TensorFlow.js computes. Reference values: TensorFlow.js
 * 4.22.0 (tfjs-core + tfjs-backend-cpu + tfjs-converter from npm) executing the same model.json/.bin
 * on the same two synthetic inputs, with {@code inference/scripts/tfjs-reference.js}. Both the final
 * output and the pre-activation logits of the last dense layer are compared.
 */
class TfjsConversionTest {
    /** pattern 0: v = ((7y + 13x + 29c) mod 256) / 255; pattern 1: a smooth sine / cosine field. */
    static float[] pattern(int p, int size) {
        float[] d = new float[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = p == 0 ? ((y * 7 + x * 13 + c * 29) % 256) / 255.0
                            : 0.5 + 0.5 * Math.sin(0.11 * x + 0.07 * y + 1.3 * c) * Math.cos(0.05 * x * y / size);
                    d[(y * size + x) * 3 + c] = (float) v;
                }
            }
        }
        return d;
    }

    private static void check(String id, int size, String inner, double[][] outputs, double[][] logits) {
        ModelRepository repo = ModelRepository.fromEnvironment();
        try (OnnxModel m = TfjsModels.load(repo, id, id + "_weights", List.of(inner))) {
            for (int p = 0; p < 2; p++) {
                Map<String, float[]> r = m.run(pattern(p, size), 1, size, size, 3);
                float[] out = r.get("output");
                float[] lg = r.get("extra:" + inner);
                assertThat(out).hasSize(outputs[p].length);
                for (int i = 0; i < out.length; i++) {
                    assertThat((double) out[i]).as("%s pattern %d output %d", id, p, i).isCloseTo(outputs[p][i], within(2e-4));
                }
                for (int i = 0; i < lg.length; i++) {
                    assertThat((double) lg[i]).as("%s pattern %d logit %d", id, p, i).isCloseTo(logits[p][i], within(1e-3));
                }
            }
        }
    }

    @Test
    void antispoofMatchesTensorflowJs() {
        check("hm_antispoof", 128, "StatefulPartitionedCall/sequential/dense_1/BiasAdd",
                new double[][] {{0.80246401}, {0.54207170}},
                new double[][] {{1.4017661}, {0.16868559}});
    }

    @Test
    void livenessMatchesTensorflowJs() {
        check("hm_liveness", 32, "StatefulPartitionedCall/sequential_1/dense_2/BiasAdd",
                new double[][] {{0.65481251, 0.34518746}, {0.97657573, 0.023424292}},
                new double[][] {{1.6394100, 0.99914861}, {4.4884191, 0.75814027}});
    }

    @Test
    void halfPrecisionDecodingIsExact() {
        assertThat(TfjsToOnnx.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(TfjsToOnnx.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(TfjsToOnnx.halfToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(TfjsToOnnx.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(TfjsToOnnx.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
    }
}
