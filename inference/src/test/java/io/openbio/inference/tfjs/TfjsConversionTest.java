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
 * output and an inner node (the pre-activation logits of the last dense layer; for iris the first
 * values of the channel-padding node) are compared.
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
                for (int i = 0; i < Math.min(lg.length, logits[p].length); i++) {
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

    /**
     * MediaPipe iris (PReLU, fused conv + PReLU, channel Pad, ConcatV2): all 228 outputs (71 contour
     * and 5 iris points, x y z in crop pixels) and the first values of the channel-padding node.
     */
    @Test
    void irisMatchesTensorflowJs() {
        check("hm_iris", 64, "StatefulPartitionedCall/model/channel_padding/Pad",
                new double[][] {parse(IRIS_PATTERN_0), parse(IRIS_PATTERN_1)},
                new double[][] {parse("1.6890079,0.0067602466,1.1532326,0.42331240,0.70805377,3.1248894,4.2290936,3.3159070"), parse("0.30688077,0.19450492,2.2503917,0.37271196,0.16399799,1.4416444,1.2258875,0.79663587")});
    }

    /**
     * MediaPipe selfie segmentation (AddN, ResizeBilinear with half-pixel centres, Conv2DBackpropInput,
     * squeeze-and-excitation Mul of two tensors): every 4099th pre-sigmoid logit of the 256x256 mask
     * ({@code segment_add}) and every 4099th value of the first upsampling ({@code ResizeBilinear}),
     * against TensorFlow.js; the output is the sigmoid of those logits at every pixel.
     */
    @Test
    void selfieSegmentationMatchesTensorflowJs() {
        String[][] logits = {
            {"-98.477333,-600.51959,-102.74458,-552.82013,-116.59311,-20.356916,-129.34605,-306.94971,"
                + "-140.02377,-414.67426,-28.969666,-418.57315,-102.95076,-487.05252,-132.06514,-221.47185",
             "0,0.94026756,0,0.034050517,0,0,0,0,0,0.00064002239,0.0043356502,0,0.84077579,0.25602522,0.94411969,1.3827547,"
                + "0,0,0,0,0,0.36381778,0,0.34253386,0,0,0.70004767,0,0,0,0,0"},
            {"-82.341148,-583.46503,-120.09198,-388.16962,-153.69972,-412.23782,-119.47723,-324.49704,"
                + "-153.47693,-437.52798,-138.08080,-405.28397,-143.28413,-396.85156,-100.83014,-382.11667",
             "0,0.49713290,0,0.066465504,0,0,0,0,0,0.0015712044,0,0,0.21004999,0.14892891,0.045339085,1.3994884,"
                + "0,0,0,0,0,0.081993818,0,0.68346643,0,0,0.62596464,0,0,0,0,0"}};
        String up = "up_sampling2d_lambda/resize/ResizeBilinear";
        try (OnnxModel m = TfjsModels.load(ModelRepository.fromEnvironment(), "hm_selfie", "hm_selfie_weights",
                List.of("segment_add", up))) {
            for (int p = 0; p < 2; p++) {
                Map<String, float[]> r = m.run(pattern(p, 256), 1, 256, 256, 3);
                float[] out = r.get("output");
                float[] lg = r.get("extra:segment_add");
                float[] in = r.get("extra:" + up);
                assertThat(out).hasSize(256 * 256);
                assertThat(in).hasSize(131072);
                double[] wantLg = parse(logits[p][0]);
                double[] wantIn = parse(logits[p][1]);
                for (int k = 0; k < wantLg.length; k++) {
                    double want = wantLg[k];
                    assertThat((double) lg[k * 4099]).as("pattern %d logit %d", p, k * 4099)
                            .isCloseTo(want, within(Math.max(1e-3, 2e-4 * Math.abs(want))));
                }
                for (int k = 0; k < wantIn.length; k++) {
                    assertThat((double) in[k * 4099]).as("pattern %d upsampled %d", p, k * 4099).isCloseTo(wantIn[k], within(1e-3));
                }
                for (int i = 0; i < out.length; i += 97) {
                    assertThat((double) out[i]).isCloseTo(1 / (1 + Math.exp(-lg[i])), within(1e-6));
                }
            }
        }
    }

    private static final String IRIS_PATTERN_0 = ""
            + "21.958626,36.624889,3.5312693,24.407015,38.365204,2.3085859,27.074398,39.335159,"
            + "1.2351303,30.440451,39.913361,-0.063663773,34.845112,40.062401,-0.92234462,38.301670,"
            + "39.553478,-1.0860361,41.450718,38.443584,-0.63210511,43.356083,37.610359,0.12557314,"
            + "44.249344,37.065163,0.20261903,23.197872,35.799690,2.0641816,24.916344,34.606777,"
            + "0.90690368,27.778131,33.155952,-0.080121100,32.234867,32.525524,-0.88858640,36.340603,"
            + "32.774498,-1.0956036,40.311523,34.020767,-0.64174718,42.994041,35.952667,-0.14527310,"
            + "20.409578,36.852882,4.0230808,22.263805,40.038040,2.6750503,25.337381,42.192398,"
            + "1.2539953,30.055000,43.170231,-0.44086000,34.870750,43.056023,-1.5504515,39.037502,"
            + "42.204491,-1.8833792,42.381760,40.694912,-1.5247304,44.519871,38.880108,-0.96030360,"
            + "45.851879,37.074375,-0.39080763,20.886974,33.595036,2.1349015,23.069963,30.543032,"
            + "0.33104533,26.475431,27.718021,-0.92147565,31.504436,26.235540,-2.0445433,36.771938,"
            + "26.781898,-2.2172003,41.145157,29.376009,-1.3588144,44.885494,33.697582,-0.64718091,"
            + "18.096601,38.819103,5.4902892,19.601479,44.116013,4.1899858,22.310627,46.067657,"
            + "2.2284219,27.852758,47.541748,-0.094749957,34.056950,47.179352,-1.5555159,39.541523,"
            + "45.612747,-2.2740335,43.490688,43.567886,-2.3268809,46.272842,41.697941,-2.5280509,"
            + "48.436623,38.520123,-2.6726801,18.808355,33.549236,3.0569217,20.820230,28.668394,"
            + "0.37763932,24.995096,25.372015,-1.6562085,30.540979,23.241919,-3.0380077,37.162525,"
            + "23.484087,-3.3977189,44.271889,27.227453,-2.8951197,47.804749,32.844330,-2.0630305,"
            + "14.601199,40.736198,8.0834751,15.664401,33.054272,5.0067000,17.940853,26.107992,"
            + "1.3921163,22.726223,21.715513,-1.6725558,29.378267,18.668917,-4.4356699,37.623962,"
            + "18.680349,-6.5097523,11.094599,42.004318,11.882455,15.261733,48.009743,6.1002073,"
            + "18.716608,51.140068,2.4598413,24.907263,52.705952,-1.0777023,33.537769,51.545315,"
            + "-2.7489686,39.564362,49.147758,-3.3460124,44.059605,46.689339,-4.1360779,47.372757,"
            + "43.811100,-4.5384836,49.995686,39.524265,-5.3274460,12.443251,32.246235,8.6257763,"
            + "15.374322,24.054651,4.7028608,20.908358,18.345152,0.092512622,28.299263,14.848398,"
            + "-3.4673905,37.074387,14.556786,-6.9622355,47.220108,15.982615,-8.7200279,48.368282,"
            + "22.781071,-7.8523307,52.016956,32.791168,-6.9442434,32.709221,31.826057,-5.3554659,"
            + "35.743706,31.361799,-5.4721365,31.852482,28.952616,-5.4387712,29.651352,32.467602,"
            + "-5.2767029,33.396923,34.618542,-5.3158107";
    private static final String IRIS_PATTERN_1 = ""
            + "23.544529,38.311562,6.8373284,25.124397,39.287395,4.8249621,27.041882,39.835453,"
            + "3.1142960,29.645184,40.265621,0.93618828,33.771080,40.399784,-0.90419590,37.608536,"
            + "39.969257,-1.9544715,41.274570,39.197533,-1.9801806,43.670944,38.705948,-1.3806806,"
            + "44.910011,38.372124,-1.6609058,24.706873,37.485760,4.7553086,26.446438,36.424961,"
            + "3.0299444,29.186945,35.170204,1.3152947,33.366192,34.689957,-0.47528437,37.204906,"
            + "35.042999,-1.5387499,41.082287,36.079796,-1.7317829,43.659367,37.395306,-1.5676283,"
            + "22.030630,38.603756,7.9493222,23.202070,41.243076,5.5456133,25.179852,42.703819,"
            + "3.1870017,28.962990,43.291355,0.26060691,33.512108,43.413166,-1.9817356,38.018257,"
            + "42.719612,-3.4139276,41.982239,41.405094,-3.9127853,44.569279,39.875259,-3.5348933,"
            + "46.360764,38.136387,-3.1408222,22.541771,34.882984,5.5848608,24.769407,31.828186,"
            + "2.9080679,28.160234,29.400103,0.76915252,33.077858,28.443499,-1.5720135,38.153465,"
            + "29.067011,-2.8527336,42.312641,31.106453,-2.8091369,45.899395,35.000263,-2.7981465,"
            + "20.085894,39.943748,10.200412,20.127542,44.424675,7.7296948,21.593536,45.983006,"
            + "4.4825983,25.840929,46.930241,0.45999166,31.852245,46.743889,-2.8414130,37.836430,"
            + "45.570126,-4.9420009,42.567234,43.766415,-5.9125175,45.866745,41.841351,-6.6718259,"
            + "48.604649,38.767212,-7.0559297,20.904892,34.441185,7.7724719,22.893551,29.503849,"
            + "4.2798138,26.859097,26.235567,0.95662177,32.281853,24.706705,-2.0088358,38.763790,"
            + "25.191711,-3.8751776,45.598141,28.464748,-5.0880256,48.735977,33.525696,-5.5702381,"
            + "17.145075,41.821888,14.014555,18.471685,34.122143,11.194057,20.809542,27.227095,"
            + "7.0810289,25.309948,22.884464,2.4830248,31.408894,20.274231,-2.3922377,39.277065,"
            + "19.796774,-7.1729259,14.741401,43.546570,19.382858,15.900565,48.231541,10.515232,"
            + "17.243271,50.454430,5.0927753,21.760998,51.356197,-0.94807756,30.191271,50.369621,"
            + "-4.8878388,36.901131,48.359406,-7.0159268,42.227280,45.890656,-8.8622770,46.103367,"
            + "42.921375,-9.6260452,49.398506,38.815384,-10.833748,16.594414,33.748295,16.518890,"
            + "19.432968,25.483225,12.210416,24.322498,20.064867,5.9198861,31.064297,16.428770,"
            + "-0.072007060,39.209995,15.674107,-6.9104643,49.056747,16.365368,-11.492839,49.452106,"
            + "23.278814,-11.585799,52.117310,32.209988,-12.384583,34.189152,38.010193,-1.9791104,"
            + "37.297962,37.597301,-1.8019624,33.595078,34.512955,-1.7565591,31.109453,38.367783,"
            + "-1.9057977,34.701633,41.421040,-1.8896320";

    /**
     * MediaPipe palm detection ({@code hm_handdetect}: transposed convolutions, channel Pad, 3-D Reshape
     * and ConcatV2 of the SSD heads): the 19 values (score logit, box, 7 keypoints) of five anchors
     * spread over the three feature maps, and the first values of the first {@code Conv2DBackpropInput}.
     * Tolerance relative to the value's size: the transposed convolution's outputs reach a few hundred.
     */
    @Test
    void palmDetectionMatchesTensorflowJs() {
        int[] anchors = {0, 1000, 2047, 2600, 2943};
        String inner = "StatefulPartitionedCall/model/conv2d_transpose/conv2d_transpose";
        double[][] expected = {parse(HAND_PATTERN_0), parse(HAND_PATTERN_1)};
        double[][] innerExpected = {parse("-170.07481,68.494865,117.26506,-103.82178,-75.623940,68.084709,-64.326187,14.704780"), parse("-177.63420,93.186592,101.47744,-103.45863,-106.56477,86.164139,-83.302589,25.282888")};
        ModelRepository repo = ModelRepository.fromEnvironment();
        try (OnnxModel m = TfjsModels.load(repo, "hm_handdetect", "hm_handdetect_weights", List.of(inner))) {
            for (int p = 0; p < 2; p++) {
                Map<String, float[]> r = m.run(pattern(p, 256), 1, 256, 256, 3);
                float[] out = r.get("output");
                assertThat(out).hasSize(2944 * 19);
                for (int a = 0; a < anchors.length; a++) {
                    for (int k = 0; k < 19; k++) {
                        double want = expected[p][a * 19 + k];
                        assertThat((double) out[anchors[a] * 19 + k]).as("pattern %d anchor %d value %d", p, anchors[a], k)
                                .isCloseTo(want, within(2e-4 + 1e-5 * Math.abs(want)));
                    }
                }
                float[] lg = r.get("extra:" + inner);
                for (int i = 0; i < innerExpected[p].length; i++) {
                    double want = innerExpected[p][i];
                    assertThat((double) lg[i]).as("pattern %d inner %d", p, i).isCloseTo(want, within(1e-3 + 1e-5 * Math.abs(want)));
                }
            }
        }
    }

    private static final String HAND_PATTERN_0 = ""
            + "-8.9977160,2.0084860,2.1652360,26.581554,26.581743,5.0980859,-0.47514552,4.2096457,"
            + "2.5145760,-1.4312916,1.3002198,-5.9933758,1.0020336,-9.3564444,1.2887467,8.6144304,"
            + "1.4157624,9.3239403,5.4678655,-26.514101,-3.9193511,0.56606519,7.3796086,7.3791871,"
            + "-7.2277899,3.1828370,2.4282119,-0.084905297,0.57747012,-0.65516561,-2.3569751,-1.4729769,"
            + "-5.5873551,-1.8657800,-4.7448435,2.0216973,-1.6938944,-0.43244269,-8.6213226,-2.3326159,"
            + "-0.35088342,22.525290,22.525290,-5.7292366,-0.52521712,-4.5159502,0.20176700,-2.0013325,"
            + "-0.94561327,0.51851702,-1.2803334,2.9306343,-0.90958548,-7.4622722,0.96362025,-4.8474040,"
            + "1.8275979,-27.834196,-12.336616,2.5451665,94.430878,92.322166,-5.2129154,26.410143,"
            + "-0.54128647,-16.201176,-10.862617,-16.177423,-13.053614,8.4281778,-20.299599,9.5783043,"
            + "1.3752216,19.890240,22.628574,2.8055286,-38.002094,-1.0823493,2.4337549,-4.7057018,"
            + "2.6247029,0.62042212,-0.75547141,-0.64562529,4.0466313,5.7770863,3.9909458,4.7777600,"
            + "0.15534052,3.6503370,5.6796675,5.9504991,-4.8882561,0.57659298,10.114127";
    private static final String HAND_PATTERN_1 = ""
            + "-28.545675,2.1953957,3.8441329,24.937166,24.937208,2.6404817,4.2100964,5.5937924,"
            + "3.4046459,-0.98221529,1.0449287,-6.5192122,-0.16554952,-10.885236,-0.19028828,8.7532759,"
            + "5.8029475,10.583807,8.6531086,-13.522356,1.5381526,0.28913614,33.253647,33.253532,"
            + "9.7251196,-18.891962,3.6229827,14.196331,-2.6893976,12.638834,-7.9882383,10.034494,"
            + "-11.790179,6.7739205,13.933483,-11.208700,11.553495,3.7131634,-7.9652700,-5.0796456,"
            + "-3.7035077,31.298922,31.298922,-15.540794,-6.2138286,-3.0864694,-2.2536564,2.6674411,"
            + "-2.6883953,6.5811625,-2.8613944,9.0699024,-2.6729133,-19.151360,-6.0516911,-13.301121,"
            + "-4.8440404,-28.007231,-6.5566030,10.110635,114.75294,117.06314,-1.2879329,40.307087,"
            + "-0.28300235,-8.5175772,-10.064642,-14.167548,-9.3716745,18.562025,-15.393694,13.135987,"
            + "2.0724070,29.711487,15.923929,10.299328,-32.892826,1.5116333,3.5216906,-4.7542624,"
            + "3.5827949,1.4747087,-1.9723631,2.2832901,3.0905025,0.31860626,3.1406202,3.9203937,"
            + "-0.79378140,-0.87573606,6.4688625,4.0264401,-2.9387248,1.5728785,6.9890418";

    /**
     * MediaPipe hand landmarks ({@code hm_handlandmark}: {@code AddN}, {@code Mean} as global average
     * pooling, several outputs named by their TF nodes): all 63 landmark values, the hand-presence and
     * handedness sigmoids, and the first values of the pooled features.
     */
    @Test
    void handLandmarksMatchTensorflowJs() {
        String pooled = "model_1/model/global_average_pooling2d/Mean";
        double[][] landmarks = {parse(HAND_LANDMARKS_0), parse(HAND_LANDMARKS_1)};
        double[] presence = {0.0057571423, 0.000071572824};
        double[] handedness = {0.70484883, 0.67636806};
        double[][] pooledExpected = {parse("1.8323457,0.0000000,0.00058790005,0.084313400,0.76127446,1.7519393,0.0000000,0.0000000"), parse("5.1404271,0.0000000,0.0025858807,0.29464322,3.1145217,4.9649386,0.0000000,0.0000000")};
        ModelRepository repo = ModelRepository.fromEnvironment();
        try (OnnxModel m = TfjsModels.load(repo, "hm_handlandmark", "hm_handlandmark_weights", List.of(pooled))) {
            for (int p = 0; p < 2; p++) {
                Map<String, float[]> r = m.run(pattern(p, 224), 1, 224, 224, 3);
                float[] lm = r.get("Identity");
                assertThat(lm).hasSize(63);
                for (int i = 0; i < 63; i++) {
                    double want = landmarks[p][i];
                    assertThat((double) lm[i]).as("pattern %d landmark value %d", p, i).isCloseTo(want, within(2e-3));
                }
                assertThat((double) r.get("Identity_1")[0]).as("presence").isCloseTo(presence[p], within(1e-4));
                assertThat((double) r.get("Identity_2")[0]).as("handedness").isCloseTo(handedness[p], within(1e-4));
                assertThat(r.get("Identity_3")).hasSize(63);
                float[] g = r.get("extra:" + pooled);
                for (int i = 0; i < pooledExpected[p].length; i++) {
                    assertThat((double) g[i]).as("pattern %d pooled %d", p, i).isCloseTo(pooledExpected[p][i], within(1e-3));
                }
            }
        }
    }

    private static final String HAND_LANDMARKS_0 = ""
            + "112.44520,171.98082,0.0000031511045,106.49692,155.80687,2.9177811,99.678650,134.22691,"
            + "4.1751771,90.873016,119.33257,5.4477205,85.123772,107.11022,7.6206737,107.89838,"
            + "109.36985,4.4325948,106.25613,90.620972,4.2629857,101.96352,81.693954,3.5924027,"
            + "98.339729,79.002892,3.5924006,112.03022,108.99955,4.5309620,112.91463,90.556618,"
            + "3.0534794,108.63931,82.692474,1.3079014,105.08775,80.111542,0.51464152,114.60435,"
            + "112.22131,4.9921579,117.43540,95.539764,3.5903492,112.96902,86.677544,2.9218910,"
            + "111.09367,81.777603,3.2211080,119.97176,115.27614,6.1406531,119.44951,100.05148,"
            + "6.3853245,115.10729,92.412903,7.0079484,111.21680,85.783989,7.5917749";
    private static final String HAND_LANDMARKS_1 = ""
            + "133.39099,163.09630,0.00013484799,128.01140,155.99484,-2.7025933,126.65047,142.39253,"
            + "-8.5005608,121.61217,136.00024,-12.709343,123.12801,127.69303,-14.867392,121.26977,"
            + "109.87122,-9.8776541,118.29047,89.982170,-15.266052,111.05962,84.258087,-16.670755,"
            + "104.66309,83.864357,-16.768070,119.74864,108.16868,-8.3333988,116.97166,90.134949,"
            + "-15.066799,112.81035,85.175728,-15.067771,110.18248,88.064072,-14.008119,118.49837,"
            + "112.65182,-6.6296582,113.43429,96.869919,-12.532914,113.30460,91.383492,-8.9281178,"
            + "112.20881,89.428802,-4.3906412,121.84947,118.23828,-4.5315771,117.01515,104.20067,"
            + "-8.2043858,115.91690,93.989807,-6.1106691,110.24648,88.386147,-3.8869774";

    private static double[] parse(String csv) {
        return java.util.Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
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
