package io.openbio.inference.tfjs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a TensorFlow.js graph model ({@code model.json} with {@code format: graph-model} and its
 * {@code .bin} weight shards) into an ONNX model, op by op, so that DJL's OnnxRuntime engine can run
 * it. Only the ops that plain Keras CNN classifiers (and MediaPipe's iris model) export to are supported, each mapped to the
 * ONNX op with the same arithmetic:
 *
 * <ul>
 *   <li>{@code _FusedConv2D} (fused {@code BiasAdd}, optionally {@code Relu} / {@code Relu6}),
 *       {@code Conv2D}, {@code DepthwiseConv2dNative} / {@code FusedDepthwiseConv2dNative} -&gt;
 *       {@code Conv} (HWIO weights transposed to OIHW; depthwise as a grouped conv; padding VALID
 *       = no padding, SAME = {@code auto_pad SAME_UPPER}, TensorFlow's rule);</li>
 *   <li>{@code Conv2DBackpropInput} (Keras {@code Conv2DTranspose}) -&gt; {@code ConvTranspose}
 *       (MediaPipe's palm detector up-samples its feature maps with it);</li>
 *   <li>{@code MaxPool} / {@code AvgPool} -&gt; {@code MaxPool} / {@code AveragePool};</li>
 *   <li>{@code _FusedMatMul} / {@code MatMul} (+ {@code BiasAdd}, {@code Relu}) -&gt; {@code Gemm};</li>
 *   <li>{@code Prelu} (also fused into {@code _FusedConv2D}) -&gt; {@code PRelu}, per-channel slope;
 *       {@code Pad} (constant zeros) -&gt; {@code Pad}; {@code ConcatV2} -&gt; {@code Concat}
 *       (TF axes mapped to NCHW; these three are what MediaPipe's iris model adds);</li>
 *   <li>{@code Relu}, {@code Relu6}, {@code Sigmoid}, {@code Softmax}, {@code Identity},
 *       {@code Add} / {@code AddV2} / {@code Sub} / {@code Mul} (folded batch-norm constants),
 *       {@code BiasAdd}, {@code Reshape} (flatten);</li>
 *   <li>{@code ResizeBilinear} (half-pixel centres, or neither half-pixel nor aligned corners) -&gt;
 *       {@code Resize} linear with {@code half_pixel} / {@code asymmetric} coordinates, the same sampling
 *       rule (MediaPipe's selfie segmentation, with {@code AddN} and {@code Conv2DBackpropInput});</li>
 *   <li>{@code AddN} -&gt; {@code Sum}; {@code Mean} over both spatial axes (global average pooling) -&gt;
 *       {@code ReduceMean} (MediaPipe's hand landmark model).</li>
 * </ul>
 *
 * <p>Layout: TensorFlow computes in NHWC, ONNX {@code Conv} in NCHW. The graph input stays NHWC as
 * the TF.js model declares it and is transposed once; per-channel constants broadcast on the last
 * TF axis are reshaped to {@code [C,1,1]}; before a {@code Reshape} (flatten) the tensor is
 * transposed back to NHWC so the flattened order, and hence the dense layer, matches TensorFlow.
 * Quantised weights ({@code float16}, {@code uint8}/{@code uint16} with scale and min) are
 * de-quantised to float32 the way tfjs-converter does. A model with one output names it
 * {@code output}; one with several (signature outputs) names each as its TF node. Anything else throws
 * {@link UnsupportedOperationException}: a model is converted faithfully or not at all.
 */
public final class TfjsToOnnx {
    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final int ATTR_INT = 2;
    private static final int ATTR_STRING = 3;
    private static final int ATTR_INTS = 7;

    /** Result of a conversion. */
    public record Converted(byte[] onnx, String inputName, long[] inputShapeNhwc, String outputName, String ops) {
    }

    /** A value of the graph: an ONNX tensor name, its rank and whether a 4-D tensor is held as NCHW. */
    private record Val(String name, int rank, boolean nchw, float[] constF, int[] constI, int[] shape) {
        boolean isConst() {
            return constF != null || constI != null;
        }
    }

    private final Proto graph = new Proto();
    private final Map<String, Val> vals = new HashMap<>();
    private final Map<String, Object[]> weights = new HashMap<>(); // name -> {int[] shape, float[] or int[]}
    private final StringBuilder ops = new StringBuilder();
    private int counter;

    private TfjsToOnnx() {
    }

    /** Converts {@code modelJson} (its weight files are read from the same folder). */
    public static Converted convert(Path modelJson) throws IOException {
        return new TfjsToOnnx().run(modelJson, List.of());
    }

    /**
     * Converts and also exposes the named TF nodes as extra graph outputs (same names, NHWC when
     * 4-D), e.g. pre-activation logits, to compare the conversion with TensorFlow.js layer by layer.
     */
    public static Converted convert(Path modelJson, List<String> extraOutputs) throws IOException {
        return new TfjsToOnnx().run(modelJson, extraOutputs);
    }

    private Converted run(Path modelJson, List<String> extraOutputs) throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(modelJson, StandardCharsets.UTF_8)).getAsJsonObject();
        if (root.has("format") && !"graph-model".equals(root.get("format").getAsString())) {
            throw new UnsupportedOperationException(modelJson + " is a " + root.get("format").getAsString()
                    + ", not a TF.js graph-model");
        }
        readWeights(root.getAsJsonArray("weightsManifest"), modelJson.getParent());
        JsonArray nodes = root.getAsJsonObject("modelTopology").getAsJsonArray("node");
        Map<String, JsonObject> byName = new LinkedHashMap<>();
        for (JsonElement e : nodes) {
            JsonObject n = e.getAsJsonObject();
            byName.put(n.get("name").getAsString(), n);
        }
        String inputName = null;
        long[] inputShape = null;
        String lastName = null;
        // TF.js graph-model nodes are listed in topological order (tfjs-converter writes them so).
        for (JsonObject n : byName.values()) {
            String name = n.get("name").getAsString();
            String op = n.get("op").getAsString();
            List<Val> in = new ArrayList<>();
            if (n.has("input")) {
                for (JsonElement ie : n.getAsJsonArray("input")) {
                    String s = ie.getAsString();
                    if (s.startsWith("^")) {
                        continue; // control dependency
                    }
                    if (s.endsWith(":0")) {
                        s = s.substring(0, s.length() - 2);
                    }
                    Val v = vals.get(s);
                    if (v == null) {
                        throw new UnsupportedOperationException("node " + name + " reads " + s + ", which is not (yet) defined");
                    }
                    in.add(v);
                }
            }
            JsonObject attr = n.has("attr") ? n.getAsJsonObject("attr") : new JsonObject();
            if (!op.equals("Const") && !op.equals("Placeholder")) {
                ops.append(ops.length() == 0 ? "" : ", ").append(op);
            }
            switch (op) {
                case "Const" -> {
                    Object[] w = weights.get(name);
                    if (w == null) {
                        throw new UnsupportedOperationException("Const " + name + " has no value in the weights manifest");
                    }
                    int[] shape = (int[]) w[0];
                    vals.put(name, w[1] instanceof float[] f ? new Val(name, shape.length, false, f, null, shape)
                            : new Val(name, shape.length, false, null, (int[]) w[1], shape));
                }
                case "Placeholder" -> {
                    if (inputName != null) {
                        throw new UnsupportedOperationException("more than one graph input");
                    }
                    inputName = name;
                    JsonArray dims = attr.getAsJsonObject("shape").getAsJsonObject("shape").getAsJsonArray("dim");
                    inputShape = new long[dims.size()];
                    Proto shape = new Proto();
                    for (int i = 0; i < dims.size(); i++) {
                        inputShape[i] = dims.get(i).getAsJsonObject().get("size").getAsLong();
                        shape.message(1, inputShape[i] < 0 ? new Proto().string(2, "N") : new Proto().varint(1, inputShape[i]));
                    }
                    graph.message(11, valueInfo(name, shape));
                    if (inputShape.length == 4) {
                        String t = fresh(name + "/nchw");
                        node("Transpose", List.of(name), t, ints("perm", 0, 3, 1, 2));
                        vals.put(name, new Val(t, 4, true, null, null, null));
                    } else {
                        vals.put(name, new Val(name, inputShape.length, false, null, null, null));
                    }
                }
                case "Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative" ->
                        conv(name, op, in, attr);
                case "Conv2DBackpropInput" -> convTranspose(name, in, attr);
                case "MaxPool", "AvgPool" -> pool(name, op, in.get(0), attr);
                case "MatMul", "_FusedMatMul" -> matmul(name, op, in, attr);
                case "Relu", "Sigmoid", "Identity" -> unary(name, op, in.get(0));
                case "Relu6" -> relu6(name, in.get(0));
                case "Softmax" -> {
                    Val x = plain(in.get(0));
                    node("Softmax", List.of(x.name()), name, ints1("axis", -1));
                    vals.put(name, new Val(name, x.rank(), false, null, null, null));
                }
                case "Add", "AddV2", "Sub", "Mul", "BiasAdd" -> binary(name, op, in.get(0), in.get(1));
                case "Reshape" -> reshape(name, in.get(0), in.get(1));
                case "Prelu" -> prelu(name, in.get(0), in.get(1));
                case "Pad" -> pad(name, in.get(0), in.get(1));
                case "ConcatV2" -> concat(name, in);
                case "AddN" -> addN(name, in);
                case "ResizeBilinear" -> resizeBilinear(name, in.get(0), in.get(1), attr);
                case "Mean" -> mean(name, in.get(0), in.get(1), bool(attr, "keep_dims"));
                default -> throw new UnsupportedOperationException("TF.js op " + op + " (node " + name + ") is not supported");
            }
            lastName = name;
        }
        List<String> outNodes = new ArrayList<>();
        if (root.has("signature") && root.getAsJsonObject("signature").has("outputs")) {
            for (var e : root.getAsJsonObject("signature").getAsJsonObject("outputs").entrySet()) {
                String n = e.getValue().getAsJsonObject().get("name").getAsString();
                outNodes.add(n.endsWith(":0") ? n.substring(0, n.length() - 2) : n);
            }
        }
        if (outNodes.isEmpty()) {
            outNodes.add(lastName);
        }
        java.util.Collections.sort(outNodes);
        String firstOutput = null;
        for (String outNode : outNodes) {
            // one output: named "output"; several (e.g. MediaPipe's hand landmarks, presence, handedness):
            // each named as its TF node ("Identity", "Identity_1", ...)
            String outName = outNodes.size() == 1 ? "output" : outNode;
            Val out = vals.get(outNode);
            if (out == null) {
                throw new UnsupportedOperationException("signature output " + outNode + " is not a node of the graph");
            }
            if (outName.equals(out.name())) {
                if (out.nchw()) {
                    throw new UnsupportedOperationException("4-D output " + outNode + " among several outputs");
                }
                // the node's own tensor already carries the output's name: declare it, add no node
            } else {
                out = plainLayout(out);
                node("Identity", List.of(out.name()), outName);
            }
            Proto oshape = new Proto();
            for (int i = 0; i < out.rank(); i++) {
                oshape.message(1, new Proto().string(2, "d" + i));
            }
            graph.message(12, valueInfo(outName, oshape));
            firstOutput = firstOutput == null ? outName : firstOutput;
        }
        for (String extra : extraOutputs) {
            Val v = vals.get(extra);
            if (v == null) {
                throw new IllegalArgumentException("no node " + extra);
            }
            Val p = plainLayout(v);
            String outName = "extra:" + extra;
            node("Identity", List.of(p.name()), outName);
            Proto s = new Proto();
            for (int i = 0; i < p.rank(); i++) {
                s.message(1, new Proto().string(2, "e" + i));
            }
            graph.message(12, valueInfo(outName, s));
        }
        graph.string(2, "tfjs:" + modelJson.getFileName());
        Proto model = new Proto()
                .varint(1, 7)                                         // ir_version
                .string(2, "openbio TfjsToOnnx")                      // producer_name
                .message(8, new Proto().string(1, "").varint(2, 13))  // opset_import: default domain, 13
                .message(7, graph);
        return new Converted(model.toByteArray(), inputName, inputShape, firstOutput, ops.toString());
    }

    // ---- ops -----------------------------------------------------------------------------------

    private void conv(String name, String op, List<Val> in, JsonObject attr) {
        Val x = in.get(0);
        Val w = in.get(1);
        if (!x.nchw() || w.constF() == null || w.rank() != 4) {
            throw new UnsupportedOperationException(op + " " + name + " needs a 4-D input and constant HWIO weights");
        }
        checkNhwc(attr, name);
        int kh = w.shape()[0];
        int kw = w.shape()[1];
        int cin = w.shape()[2];
        int cout = w.shape()[3];
        boolean depthwise = op.contains("Depthwise");
        float[] oihw;
        int group = 1;
        int outCh;
        if (depthwise) {
            // HW(C)(M) -> (C*M) 1 H W, grouped by input channel
            outCh = cin * cout;
            oihw = new float[outCh * kh * kw];
            for (int c = 0; c < cin; c++) {
                for (int m = 0; m < cout; m++) {
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            oihw[((c * cout + m) * kh + i) * kw + j] = w.constF()[((i * kw + j) * cin + c) * cout + m];
                        }
                    }
                }
            }
            group = cin;
        } else {
            outCh = cout;
            oihw = new float[cout * cin * kh * kw];
            for (int o = 0; o < cout; o++) {
                for (int c = 0; c < cin; c++) {
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            oihw[((o * cin + c) * kh + i) * kw + j] = w.constF()[((i * kw + j) * cin + c) * cout + o];
                        }
                    }
                }
            }
        }
        String wName = initializer(name + "/W", oihw, outCh, depthwise ? 1 : cin, kh, kw);
        List<String> inputs = new ArrayList<>(List.of(x.name(), wName));
        List<String> fused = strings(attr, "fused_ops");
        int argIdx = 2;
        List<String> post = new ArrayList<>();
        for (String f : fused) {
            switch (f) {
                case "BiasAdd" -> {
                    Val b = in.get(argIdx++);
                    if (b.constF() == null || b.constF().length != outCh) {
                        throw new UnsupportedOperationException("bias of " + name + " is not a constant of " + outCh);
                    }
                    inputs.add(initializer(name + "/B", b.constF(), outCh));
                }
                case "Relu", "Relu6" -> post.add(f);
                case "Prelu" -> {
                    Val alpha = in.get(argIdx++);
                    if (alpha.constF() == null || alpha.constF().length != outCh) {
                        throw new UnsupportedOperationException("PReLU slope of " + name + " is not a constant of " + outCh);
                    }
                    post.add("Prelu:" + initializer(name + "/alpha", alpha.constF(), outCh, 1, 1));
                }
                default -> throw new UnsupportedOperationException("fused op " + f + " in " + name);
            }
        }
        List<Proto> attrs = new ArrayList<>();
        attrs.add(ints("kernel_shape", kh, kw));
        attrs.add(ints("strides", listInts(attr, "strides", 1), listInts(attr, "strides", 2)));
        attrs.add(ints("dilations", listInts(attr, "dilations", 1), listInts(attr, "dilations", 2)));
        attrs.add(ints1("group", group));
        attrs.addAll(padding(attr, name));
        String y = post.isEmpty() ? name : fresh(name + "/conv");
        node("Conv", inputs, y, attrs.toArray(new Proto[0]));
        finishActivations(name, y, post, 4, true);
    }

    /**
     * TF's {@code Conv2DBackpropInput(output_shape, filter, x)} (Keras {@code Conv2DTranspose}) -&gt; ONNX
     * {@code ConvTranspose}. TF's filter is {@code [kh, kw, out, in]} and scatters
     * {@code y[h*s+i, w*s+j, o] += x[h, w, c] * F[i, j, o, c]}; ONNX's weight {@code W[c, o, i, j]} does the
     * same with no flip. The output size is TF's constant {@code output_shape}; the padding is TF's: the
     * total {@code (in-1)*s + k - out} with the smaller half before (the forward convolution's SAME rule),
     * given to ONNX as explicit pads with the input size derived from the output ({@code out / s} for SAME,
     * {@code (out - k) / s + 1} for VALID).
     */
    private void convTranspose(String name, List<Val> in, JsonObject attr) {
        Val outShape = in.get(0);
        Val w = in.get(1);
        Val x = in.get(2);
        if (!x.nchw() || w.constF() == null || w.rank() != 4 || outShape.constI() == null || outShape.constI().length != 4) {
            throw new UnsupportedOperationException("Conv2DBackpropInput " + name
                    + " needs a 4-D input, constant HWOI weights and a constant output_shape");
        }
        checkNhwc(attr, name);
        if (listInts(attr, "dilations", 1) != 1 || listInts(attr, "dilations", 2) != 1) {
            throw new UnsupportedOperationException("Conv2DBackpropInput " + name + " with dilations");
        }
        int kh = w.shape()[0];
        int kw = w.shape()[1];
        int cout = w.shape()[2];
        int cin = w.shape()[3];
        float[] iohw = new float[cin * cout * kh * kw];
        for (int c = 0; c < cin; c++) {
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        iohw[((c * cout + o) * kh + i) * kw + j] = w.constF()[((i * kw + j) * cout + o) * cin + c];
                    }
                }
            }
        }
        String wName = initializer(name + "/W", iohw, cin, cout, kh, kw);
        int sh = listInts(attr, "strides", 1);
        int sw = listInts(attr, "strides", 2);
        int oh = outShape.constI()[1];
        int ow = outShape.constI()[2];
        if (outShape.constI()[3] != cout) {
            throw new UnsupportedOperationException("Conv2DBackpropInput " + name + ": output_shape has "
                    + outShape.constI()[3] + " channels, the filter " + cout);
        }
        String pad = decode(attr.getAsJsonObject("padding").get("s").getAsString());
        int[] pads = new int[4];
        int[] extra = new int[2];
        int[][] dims = {{oh, kh, sh}, {ow, kw, sw}};
        for (int a = 0; a < 2; a++) {
            int out = dims[a][0];
            int k = dims[a][1];
            int s = dims[a][2];
            int inSize;
            if (pad.equals("SAME")) {
                if (out % s != 0) {
                    throw new UnsupportedOperationException("Conv2DBackpropInput " + name + ": output " + out
                            + " is not a multiple of the stride " + s);
                }
                inSize = out / s;
            } else if (pad.equals("VALID")) {
                inSize = (out - k) / s + 1;
            } else {
                throw new UnsupportedOperationException(name + " uses padding " + pad);
            }
            int full = (inSize - 1) * s + k;
            int total = Math.max(full - out, 0);
            pads[a] = total / 2;
            pads[a + 2] = total - total / 2;
            extra[a] = Math.max(out - full, 0); // kernel smaller than the stride: trailing zeros
        }
        // explicit pads (no output_shape attribute: ONNX would then choose the pads itself)
        node("ConvTranspose", List.of(x.name(), wName), name,
                ints("kernel_shape", kh, kw), ints("strides", sh, sw),
                ints("pads", pads[0], pads[1], pads[2], pads[3]), ints("output_padding", extra[0], extra[1]));
        vals.put(name, new Val(name, 4, true, null, null, null));
    }

    private void pool(String name, String op, Val x, JsonObject attr) {
        if (!x.nchw()) {
            throw new UnsupportedOperationException(op + " " + name + " needs a 4-D input");
        }
        checkNhwc(attr, name);
        List<Proto> attrs = new ArrayList<>();
        attrs.add(ints("kernel_shape", listInts(attr, "ksize", 1), listInts(attr, "ksize", 2)));
        attrs.add(ints("strides", listInts(attr, "strides", 1), listInts(attr, "strides", 2)));
        attrs.addAll(padding(attr, name));
        // TF's AvgPool with SAME padding averages only the valid pixels (count_include_pad = 0, the ONNX default)
        node(op.equals("MaxPool") ? "MaxPool" : "AveragePool", List.of(x.name()), name, attrs.toArray(new Proto[0]));
        vals.put(name, new Val(name, 4, true, null, null, null));
    }

    private void matmul(String name, String op, List<Val> in, JsonObject attr) {
        Val a = plain(in.get(0));
        Val b = in.get(1);
        if (a.rank() != 2 || b.constF() == null || b.rank() != 2) {
            throw new UnsupportedOperationException(op + " " + name + " needs a 2-D input and a constant 2-D matrix");
        }
        boolean ta = bool(attr, "transpose_a");
        boolean tb = bool(attr, "transpose_b");
        int n = tb ? b.shape()[0] : b.shape()[1];
        List<String> inputs = new ArrayList<>(List.of(a.name(), initializer(name + "/B", b.constF(), b.shape()[0], b.shape()[1])));
        List<String> post = new ArrayList<>();
        int argIdx = 2;
        for (String f : strings(attr, "fused_ops")) {
            switch (f) {
                case "BiasAdd" -> {
                    Val c = in.get(argIdx++);
                    if (c.constF() == null || c.constF().length != n) {
                        throw new UnsupportedOperationException("bias of " + name + " is not a constant of " + n);
                    }
                    inputs.add(initializer(name + "/C", c.constF(), n));
                }
                case "Relu", "Relu6" -> post.add(f);
                default -> throw new UnsupportedOperationException("fused op " + f + " in " + name);
            }
        }
        String y = post.isEmpty() ? name : fresh(name + "/gemm");
        node("Gemm", inputs, y, ints1("transA", ta ? 1 : 0), ints1("transB", tb ? 1 : 0));
        finishActivations(name, y, post, 2, false);
    }

    private void finishActivations(String name, String y, List<String> post, int rank, boolean nchw) {
        String cur = y;
        for (int i = 0; i < post.size(); i++) {
            String next = i == post.size() - 1 ? name : fresh(name + "/act");
            if (post.get(i).equals("Relu")) {
                node("Relu", List.of(cur), next);
            } else if (post.get(i).startsWith("Prelu:")) {
                node("PRelu", List.of(cur, post.get(i).substring("Prelu:".length())), next);
            } else {
                node("Clip", List.of(cur, scalar(name + "/lo", 0f), scalar(name + "/hi", 6f)), next);
            }
            cur = next;
        }
        vals.put(name, new Val(name, rank, nchw, null, null, null));
    }

    private void unary(String name, String op, Val x) {
        node(op, List.of(x.name()), name);
        vals.put(name, new Val(name, x.rank(), x.nchw(), null, null, null));
    }

    private void relu6(String name, Val x) {
        node("Clip", List.of(x.name(), scalar(name + "/lo", 0f), scalar(name + "/hi", 6f)), name);
        vals.put(name, new Val(name, x.rank(), x.nchw(), null, null, null));
    }

    /**
     * TF.js {@code Prelu(x, alpha)}: tfjs-converter fuses Keras' {@code relu(x) - alpha * relu(-x)}
     * into it and stores alpha itself (under the name of the folded {@code Neg} node).
     */
    private void prelu(String name, Val x, Val alpha) {
        if (alpha.constF() == null) {
            throw new UnsupportedOperationException("Prelu " + name + " with a non-constant slope");
        }
        int len = alpha.constF().length;
        String slope = x.nchw() && len > 1 ? initializer(name + "/alpha", alpha.constF(), len, 1, 1)
                : initializer(name + "/alpha", alpha.constF(), len);
        node("PRelu", List.of(x.name(), slope), name);
        vals.put(name, new Val(name, x.rank(), x.nchw(), null, null, null));
    }

    /** Constant zero padding; TF's {@code paddings} is [rank, 2] (before, after) in TF's axis order. */
    private void pad(String name, Val x, Val paddings) {
        if (paddings.constI() == null || paddings.constI().length != 2 * x.rank()) {
            throw new UnsupportedOperationException("Pad " + name + " needs constant [rank, 2] paddings");
        }
        int r = x.rank();
        long[] pads = new long[2 * r];
        for (int tfAxis = 0; tfAxis < r; tfAxis++) {
            int axis = x.nchw() ? nchwAxis(tfAxis) : tfAxis;
            pads[axis] = paddings.constI()[2 * tfAxis];
            pads[r + axis] = paddings.constI()[2 * tfAxis + 1];
        }
        String pName = fresh(name + "/pads");
        graph.message(5, tensor(pName, INT64, longBytes(pads), pads.length));
        node("Pad", List.of(x.name(), pName), name);
        vals.put(name, new Val(name, r, x.nchw(), null, null, null));
    }

    /** {@code ConcatV2(x1..xn, axis)}: the axis (last input) is a TF axis, mapped to NCHW when 4-D. */
    private void concat(String name, List<Val> in) {
        Val axisVal = in.get(in.size() - 1);
        if (axisVal.constI() == null || axisVal.constI().length != 1) {
            throw new UnsupportedOperationException("ConcatV2 " + name + " with a non-constant axis");
        }
        List<Val> xs = in.subList(0, in.size() - 1);
        boolean nchw = xs.get(0).nchw();
        int rank = xs.get(0).rank();
        List<String> names = new ArrayList<>();
        for (Val v : xs) {
            if (v.isConst() || v.nchw() != nchw || v.rank() != rank) {
                throw new UnsupportedOperationException("ConcatV2 " + name + " of constants or mixed layouts");
            }
            names.add(v.name());
        }
        int tfAxis = axisVal.constI()[0] < 0 ? axisVal.constI()[0] + rank : axisVal.constI()[0];
        node("Concat", names, name, ints1("axis", nchw ? nchwAxis(tfAxis) : tfAxis));
        vals.put(name, new Val(name, rank, nchw, null, null, null));
    }

    /** {@code AddN(x1..xn)} (grappler's rewrite of chained adds) -&gt; {@code Sum}; same layout required. */
    private void addN(String name, List<Val> in) {
        List<String> names = new ArrayList<>();
        for (Val v : in) {
            if (v.isConst() || v.nchw() != in.get(0).nchw() || v.rank() != in.get(0).rank()) {
                throw new UnsupportedOperationException("AddN " + name + " of constants or mixed layouts");
            }
            names.add(v.name());
        }
        node("Sum", names, name);
        vals.put(name, new Val(name, in.get(0).rank(), in.get(0).nchw(), null, null, null));
    }

    /**
     * {@code ResizeBilinear(x, size)} to a constant {@code [H, W]}: ONNX {@code Resize} needs the
     * full NCHW size, so N and C are taken from the input's runtime shape. TF's
     * {@code half_pixel_centers} is ONNX's {@code half_pixel}; neither flag is {@code asymmetric};
     * {@code align_corners} would be {@code align_corners} but no model here uses it, so it is refused.
     */
    private void resizeBilinear(String name, Val x, Val size, JsonObject attr) {
        if (!x.nchw() || size.constI() == null || size.constI().length != 2) {
            throw new UnsupportedOperationException("ResizeBilinear " + name + " needs a 4-D input and a constant [H, W]");
        }
        if (bool(attr, "align_corners")) {
            throw new UnsupportedOperationException("ResizeBilinear " + name + " with align_corners");
        }
        String mode = bool(attr, "half_pixel_centers") ? "half_pixel" : "asymmetric";
        String shape = fresh(name + "/shape");
        node("Shape", List.of(x.name()), shape);
        String starts = fresh(name + "/starts");
        graph.message(5, tensor(starts, INT64, longBytes(new long[] {0}), 1));
        String ends = fresh(name + "/ends");
        graph.message(5, tensor(ends, INT64, longBytes(new long[] {2}), 1));
        String nc = fresh(name + "/nc");
        node("Slice", List.of(shape, starts, ends), nc);
        String hw = fresh(name + "/hw");
        graph.message(5, tensor(hw, INT64, longBytes(new long[] {size.constI()[0], size.constI()[1]}), 2));
        String sizes = fresh(name + "/sizes");
        node("Concat", List.of(nc, hw), sizes, ints1("axis", 0));
        node("Resize", List.of(x.name(), "", "", sizes), name, str("mode", "linear"),
                str("coordinate_transformation_mode", mode));
        vals.put(name, new Val(name, 4, true, null, null, null));
    }

    /**
     * {@code Mean(x, axes)} -&gt; {@code ReduceMean} (TF axes mapped to NCHW). Without {@code keep_dims} an
     * NCHW input may only lose both spatial axes (Keras' global average pooling: [N,H,W,C] -&gt; [N,C]),
     * so that the remaining axes keep TF's order.
     */
    private void mean(String name, Val x, Val axesVal, boolean keepDims) {
        if (axesVal.constI() == null) {
            throw new UnsupportedOperationException("Mean " + name + " with non-constant axes");
        }
        int r = x.rank();
        long[] axes = new long[axesVal.constI().length];
        boolean h = false;
        boolean w = false;
        for (int i = 0; i < axes.length; i++) {
            int tfAxis = axesVal.constI()[i] < 0 ? axesVal.constI()[i] + r : axesVal.constI()[i];
            h |= tfAxis == 1;
            w |= tfAxis == 2;
            axes[i] = x.nchw() ? nchwAxis(tfAxis) : tfAxis;
        }
        if (x.nchw() && !keepDims && !(h && w)) {
            throw new UnsupportedOperationException("Mean " + name + " without keep_dims over other than both spatial axes");
        }
        node("ReduceMean", List.of(x.name()), name, ints("axes", axes), ints1("keepdims", keepDims ? 1 : 0));
        int outRank = keepDims ? r : r - axes.length;
        vals.put(name, new Val(name, outRank, x.nchw() && keepDims, null, null, null));
    }

    /** Where TF's NHWC axis sits in the NCHW tensor. */
    private static int nchwAxis(int tfAxis) {
        return switch (tfAxis) {
            case 0 -> 0;
            case 1 -> 2;
            case 2 -> 3;
            case 3 -> 1;
            default -> throw new UnsupportedOperationException("axis " + tfAxis + " of a 4-D tensor");
        };
    }

    private void binary(String name, String op, Val a, Val b) {
        if (a.isConst() && !b.isConst() && !op.equals("Sub")) {
            Val t = a;
            a = b;
            b = t;
        }
        if (a.isConst()) {
            throw new UnsupportedOperationException(op + " " + name + " of two constants (or constant - tensor)");
        }
        String bName;
        if (b.isConst()) {
            if (b.constF() == null) {
                throw new UnsupportedOperationException(op + " " + name + " with an integer constant");
            }
            int len = b.constF().length;
            if (a.nchw() && len > 1) {
                // per-channel constant on TF's last axis -> [C, 1, 1] against NCHW
                bName = initializer(name + "/k", b.constF(), len, 1, 1);
            } else {
                int[] s = b.shape();
                long[] dims = new long[s.length];
                for (int i = 0; i < s.length; i++) {
                    dims[i] = s[i];
                }
                bName = initializer(name + "/k", b.constF(), dims);
            }
        } else {
            if (a.nchw() != b.nchw()) {
                throw new UnsupportedOperationException(op + " " + name + " mixes layouts");
            }
            bName = b.name();
        }
        String onnxOp = switch (op) {
            case "Sub" -> "Sub";
            case "Mul" -> "Mul";
            default -> "Add";
        };
        node(onnxOp, List.of(a.name(), bName), name);
        vals.put(name, new Val(name, a.rank(), a.nchw(), null, null, null));
    }

    private void reshape(String name, Val x, Val shape) {
        if (shape.constI() == null) {
            throw new UnsupportedOperationException("Reshape " + name + " with a non-constant shape");
        }
        if (shape.constI().length == 4) {
            throw new UnsupportedOperationException("Reshape " + name + " to 4-D is not supported");
        }
        Val src = plainLayout(x);
        long[] s = new long[shape.constI().length];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape.constI()[i];
        }
        String sName = fresh(name + "/shape");
        graph.message(5, tensor(sName, INT64, longBytes(s), s.length));
        node("Reshape", List.of(src.name(), sName), name);
        vals.put(name, new Val(name, s.length, false, null, null, null));
    }

    /** The value as TF sees it (NHWC when 4-D). */
    private Val plainLayout(Val v) {
        if (!v.nchw()) {
            return v;
        }
        String t = fresh(v.name() + "/nhwc");
        node("Transpose", List.of(v.name()), t, ints("perm", 0, 2, 3, 1));
        return new Val(t, 4, false, null, null, null);
    }

    private Val plain(Val v) {
        if (v.nchw()) {
            throw new UnsupportedOperationException("a 4-D tensor reaches an op that expects 2-D: " + v.name());
        }
        return v;
    }

    // ---- attributes ----------------------------------------------------------------------------

    private static void checkNhwc(JsonObject attr, String name) {
        if (attr.has("data_format")) {
            String f = decode(attr.getAsJsonObject("data_format").get("s").getAsString());
            if (!f.equals("NHWC")) {
                throw new UnsupportedOperationException(name + " uses data_format " + f);
            }
        }
    }

    private static List<Proto> padding(JsonObject attr, String name) {
        String p = decode(attr.getAsJsonObject("padding").get("s").getAsString());
        return switch (p) {
            case "VALID" -> List.of(ints("pads", 0, 0, 0, 0));
            case "SAME" -> List.of(str("auto_pad", "SAME_UPPER"));
            default -> throw new UnsupportedOperationException(name + " uses padding " + p);
        };
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    private static List<String> strings(JsonObject attr, String key) {
        List<String> out = new ArrayList<>();
        if (attr.has(key) && attr.getAsJsonObject(key).has("list")) {
            JsonObject l = attr.getAsJsonObject(key).getAsJsonObject("list");
            if (l.has("s")) {
                for (JsonElement e : l.getAsJsonArray("s")) {
                    out.add(decode(e.getAsString()));
                }
            }
        }
        return out;
    }

    private static int listInts(JsonObject attr, String key, int idx) {
        if (!attr.has(key)) {
            return 1;
        }
        JsonObject l = attr.getAsJsonObject(key).getAsJsonObject("list");
        if (!l.has("i")) {
            return 1;
        }
        return l.getAsJsonArray("i").get(idx).getAsInt();
    }

    private static boolean bool(JsonObject attr, String key) {
        return attr.has(key) && attr.getAsJsonObject(key).has("b") && attr.getAsJsonObject(key).get("b").getAsBoolean();
    }

    // ---- ONNX building -------------------------------------------------------------------------

    private String fresh(String base) {
        return base + "#" + (counter++);
    }

    private void node(String op, List<String> inputs, String output, Proto... attrs) {
        Proto n = new Proto();
        for (String i : inputs) {
            n.string(1, i);
        }
        n.string(2, output);
        n.string(3, output);
        n.string(4, op);
        for (Proto a : attrs) {
            n.message(5, a);
        }
        graph.message(1, n);
    }

    private String initializer(String name, float[] data, long... dims) {
        String n = fresh(name);
        ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(data);
        graph.message(5, tensor(n, FLOAT, bb.array(), dims));
        return n;
    }

    private String scalar(String name, float v) {
        String n = fresh(name);
        ByteBuffer bb = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v);
        graph.message(5, tensor(n, FLOAT, bb.array()));
        return n;
    }

    private static byte[] longBytes(long[] v) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long l : v) {
            bb.putLong(l);
        }
        return bb.array();
    }

    private static Proto tensor(String name, int type, byte[] raw, long... dims) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, type);
        t.string(8, name);
        t.bytes(9, raw);
        return t;
    }

    private static Proto valueInfo(String name, Proto shape) {
        Proto tensorType = new Proto().varint(1, FLOAT).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    private static Proto ints(String name, long... v) {
        Proto a = new Proto().string(1, name);
        for (long x : v) {
            a.varint(8, x);
        }
        return a.varint(20, ATTR_INTS);
    }

    private static Proto ints1(String name, long v) {
        return new Proto().string(1, name).varint(3, v).varint(20, ATTR_INT);
    }

    private static Proto str(String name, String v) {
        return new Proto().string(1, name).string(4, v).varint(20, ATTR_STRING);
    }

    // ---- weights -------------------------------------------------------------------------------

    private void readWeights(JsonArray manifest, Path dir) throws IOException {
        for (JsonElement ge : manifest) {
            JsonObject group = ge.getAsJsonObject();
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (JsonElement p : group.getAsJsonArray("paths")) {
                all.write(Files.readAllBytes(dir.resolve(p.getAsString())));
            }
            ByteBuffer buf = ByteBuffer.wrap(all.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonElement we : group.getAsJsonArray("weights")) {
                JsonObject w = we.getAsJsonObject();
                JsonArray sh = w.getAsJsonArray("shape");
                int[] shape = new int[sh.size()];
                int count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = sh.get(i).getAsInt();
                    count *= shape[i];
                }
                String dtype = w.get("dtype").getAsString();
                Object data;
                if (w.has("quantization")) {
                    JsonObject q = w.getAsJsonObject("quantization");
                    String qt = q.get("dtype").getAsString();
                    float[] f = new float[count];
                    switch (qt) {
                        case "float16" -> {
                            for (int i = 0; i < count; i++) {
                                f[i] = halfToFloat(buf.getShort());
                            }
                        }
                        case "uint8", "uint16" -> {
                            float scale = q.get("scale").getAsFloat();
                            float min = q.get("min").getAsFloat();
                            for (int i = 0; i < count; i++) {
                                int v = qt.equals("uint8") ? buf.get() & 0xff : buf.getShort() & 0xffff;
                                f[i] = v * scale + min;
                            }
                        }
                        default -> throw new UnsupportedOperationException("quantisation " + qt);
                    }
                    data = dtype.equals("int32") ? toInts(f) : f;
                } else if (dtype.equals("float32")) {
                    float[] f = new float[count];
                    buf.asFloatBuffer().get(f);
                    buf.position(buf.position() + 4 * count);
                    data = f;
                } else if (dtype.equals("int32")) {
                    int[] v = new int[count];
                    buf.asIntBuffer().get(v);
                    buf.position(buf.position() + 4 * count);
                    data = v;
                } else {
                    throw new UnsupportedOperationException("weight dtype " + dtype);
                }
                weights.put(w.get("name").getAsString(), new Object[] {shape, data});
            }
            if (buf.hasRemaining()) {
                throw new IllegalStateException("weight shards hold " + buf.remaining() + " bytes more than the manifest describes");
            }
        }
    }

    private static int[] toInts(float[] f) {
        int[] v = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = Math.round(f[i]);
        }
        return v;
    }

    /** IEEE 754 binary16 to binary32 (exact; Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal: mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
