package io.openbio.inference.document;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.unavailable.PluggableCheck;
import org.opencv.core.Rect;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Document checks (IDLive {@code DOC_CHECK}): localisation of the document, its portrait, and the four
 * attack pipelines. Thread-safe (all pipelines are stateless; ONNX sessions are thread-safe); create
 * one per process beside the {@link FaceAnalyzer} it uses for the portrait, and close it on shutdown
 * (it closes only the ONNX replacements it loaded, not the FaceAnalyzer).
 *
 * <p>Configuration (system properties or the Properties given to {@link #create(FaceAnalyzer, Properties)}):
 * <pre>
 *   openbio.document.require-portrait = true     # false: SR / PC / DM also run on documents without a portrait
 *   openbio.document.&lt;TYPE&gt;.model    = /path/model.onnx   # replaces the built-in pipeline of TYPE
 *   openbio.document.&lt;TYPE&gt;.sha256   = hex SHA-256          # required, checked at start-up
 *   openbio.document.&lt;TYPE&gt;.pipeline = name reported in the result (default onnx-sr / -pc / -ps / -dm)
 *   openbio.document.&lt;TYPE&gt;.size / .scale / .mean / .std / .positive   # as openbio.check.* (PluggableCheck)
 * </pre>
 * TYPE is the API name, e.g. {@code SCREEN_REPLAY_ATTACK}. The ONNX contract: input 1x3xSxS float32 RGB
 * of the document's bounding box (resized, no aspect kept), output [1,2] softmax or [1,1] sigmoid;
 * {@code .positive} is the index of the ATTACK class; the genuine probability is 1 minus it.
 */
public final class DocumentAnalyzer implements AutoCloseable {
    public static final String REQUIRE_PORTRAIT = "openbio.document.require-portrait";
    /** Quality-warning thresholds (see {@link QualityWarning}). */
    public static final double BLUR_LAPLACIAN_VARIANCE = 30;
    public static final double LOW_RESOLUTION_SIDE = 300;
    public static final double GLARE_FRACTION = 0.01;
    public static final double DARK_MEAN = 60;
    public static final double SMALL_PORTRAIT_EYES = 20;

    private final FaceAnalyzer faces;
    private final DocumentLocator locator = new DocumentLocator();
    private final boolean requirePortrait;
    private final Map<DocumentAttack, DocumentPipeline> builtIn = new EnumMap<>(DocumentAttack.class);
    private final Map<DocumentAttack, PluggableCheck> onnx = new EnumMap<>(DocumentAttack.class);
    private final Map<DocumentAttack, String> onnxNames = new EnumMap<>(DocumentAttack.class);

    private DocumentAnalyzer(FaceAnalyzer faces, Properties config) {
        this.faces = faces;
        this.requirePortrait = Boolean.parseBoolean(config.getProperty(REQUIRE_PORTRAIT, "true"));
        builtIn.put(DocumentAttack.SCREEN_REPLAY_ATTACK, new DefaultPipelines.ScreenReplay());
        builtIn.put(DocumentAttack.PRINTED_COPY_ATTACK, new DefaultPipelines.PrintedCopy());
        builtIn.put(DocumentAttack.PORTRAIT_SUBSTITUTION_ATTACK, new DefaultPipelines.PortraitSubstitution());
        builtIn.put(DocumentAttack.DIGITAL_MANIPULATION_ATTACK, new DefaultPipelines.DigitalManipulation());
        try {
            for (DocumentAttack t : DocumentAttack.values()) {
                PluggableCheck pc = PluggableCheck.configured(t.key(), config);
                if (pc != null) {
                    onnx.put(t, pc);
                    onnxNames.put(t, config.getProperty(t.key() + ".pipeline",
                            "onnx-" + t.defaultPipeline().substring("default-".length())));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Configuration from system properties. */
    public static DocumentAnalyzer create(FaceAnalyzer faces) {
        return create(faces, System.getProperties());
    }

    /**
     * @throws InferenceException MODEL_UNAVAILABLE when a configured ONNX replacement is missing or its
     *                            SHA-256 does not match
     */
    public static DocumentAnalyzer create(FaceAnalyzer faces, Properties config) {
        return new DocumentAnalyzer(faces, config);
    }

    /** Pipeline that runs for the type when the request names none (the ONNX one when configured). */
    public String pipelineName(DocumentAttack type) {
        return onnxNames.getOrDefault(type, type.defaultPipeline());
    }

    /**
     * Decodes the photo, finds the document and its portrait.
     *
     * @throws InferenceException INVALID_IMAGE, IMAGE_TRUNCATED or IMAGE_TOO_LARGE for bytes that are not
     *                            a usable image (the only exceptions; everything else is a status)
     */
    public DocumentAnalysis analyze(byte[] image) {
        return analyze(faces.decode(image));
    }

    public DocumentAnalysis analyze(DecodedImage image) {
        DocumentLocator.Location loc = locator.locate(image.image());
        if (loc.quad() == null) {
            return new DocumentAnalysis(image, loc.status(), null, null, List.of(), loc.detail());
        }
        return withOutline(image, loc.quad(), loc.status(), loc.detail());
    }

    /**
     * The analysis of a photo whose document outline is already known (e.g. the corners a DIS page upload found
     * and refined): the portrait and the quality warnings as {@link #analyze(DecodedImage)} finds them, without
     * locating the document again, so that the checks run on the same outline the caller answered.
     *
     * @param outline          the document's corners in photo pixels
     * @param cornerOutOfImage the document leaves the frame: {@link DocumentStatus#DOCUMENT_CROPPED} (no check runs)
     */
    public DocumentAnalysis analyze(DecodedImage image, Quad outline, boolean cornerOutOfImage) {
        return withOutline(image, outline, cornerOutOfImage ? DocumentStatus.DOCUMENT_CROPPED : DocumentStatus.OK, "known outline");
    }

    private DocumentAnalysis withOutline(DecodedImage image, Quad quad, DocumentStatus located, String locatedDetail) {
        Face portrait = null;
        for (Face f : faces.detectSmallFaces(image)) { // largest first
            if (quad.contains(new io.openbio.inference.detect.Point(f.box().centerX(), f.box().centerY()))) {
                portrait = f;
                break;
            }
        }
        List<QualityWarning> warnings = qualityWarnings(image.image(), quad, portrait);
        DocumentStatus status = located == DocumentStatus.OK && portrait == null
                ? DocumentStatus.DOCUMENT_PHOTO_NOT_FOUND : located;
        String detail = locatedDetail + (portrait == null ? "; no portrait found on the document"
                : String.format("; portrait %.0fx%.0f px, inter-eye %.1f px", portrait.box().width(),
                portrait.box().height(), portrait.interEyeDistance()));
        return new DocumentAnalysis(image, status, quad, portrait, warnings, detail);
    }

    /** Runs the type's default (or configured) pipeline. Never throws: failures are ERROR entries. */
    public DocumentCheckResult check(DocumentAttack type, DocumentAnalysis doc, Calibration cal) {
        return check(type, null, doc, cal);
    }

    /**
     * Runs the named pipeline ({@code null} / blank = {@link #pipelineName}); {@code default-xx} always
     * names the built-in pipeline, the configured name the ONNX one; another name gives an ERROR entry.
     * Never throws.
     */
    public DocumentCheckResult check(DocumentAttack type, String pipeline, DocumentAnalysis doc, Calibration cal) {
        Calibration c = cal == null ? Calibration.REGULAR : cal;
        String name = pipeline == null || pipeline.isBlank() ? pipelineName(type) : pipeline;
        List<QualityWarning> w = doc == null ? List.of() : doc.qualityWarnings();
        if (type == null || doc == null) {
            return DocumentCheckResult.failed(type, name, c, DocumentStatus.ERROR, w, "type and document are required");
        }
        boolean useOnnx = name.equals(onnxNames.get(type));
        if (!useOnnx && !name.equals(type.defaultPipeline())) {
            return DocumentCheckResult.failed(type, name, c, DocumentStatus.ERROR, w, "unknown pipeline '" + name
                    + "' for " + type + "; available: " + type.defaultPipeline()
                    + (onnxNames.containsKey(type) ? ", " + onnxNames.get(type) : ""));
        }
        if (!doc.found()) {
            return DocumentCheckResult.failed(type, name, c, doc.status(), w, doc.detail());
        }
        DocumentPipeline p = builtIn.get(type);
        boolean needsPortrait = useOnnx ? requirePortrait : (p.needsPortrait() || requirePortrait);
        if (doc.portrait() == null && needsPortrait) {
            return DocumentCheckResult.failed(type, name, c, DocumentStatus.DOCUMENT_PHOTO_NOT_FOUND, w,
                    "no portrait found on the document");
        }
        try {
            double raw;
            double stat;
            String detail;
            if (useOnnx) {
                PluggableCheck m = onnx.get(type);
                Rect r = DefaultPipelines.region(doc);
                RgbImage crop = ImageOps.cropResize(doc.image().image(), r.x, r.y, r.width, r.height, r.width, r.height);
                raw = 1 - m.positiveProbability(crop, null);
                stat = Double.NaN;
                detail = "ONNX model " + m.modelPath();
            } else {
                DocumentPipeline.Measurement ms = p.measure(doc);
                raw = ms.probability();
                stat = ms.statistic();
                detail = ms.detail();
            }
            if (Double.isNaN(raw)) {
                return DocumentCheckResult.failed(type, name, c, DocumentStatus.ERROR, w, "no measurement: " + detail);
            }
            return new DocumentCheckResult(type, name, c, DocumentStatus.OK, c.apply(raw), raw, stat, w, detail);
        } catch (RuntimeException e) {
            return DocumentCheckResult.failed(type, name, c, DocumentStatus.ERROR, w,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** All four checks with their default (or configured) pipelines. */
    public List<DocumentCheckResult> checkAll(DocumentAnalysis doc, Calibration cal) {
        List<DocumentCheckResult> out = new ArrayList<>();
        for (DocumentAttack t : DocumentAttack.values()) {
            out.add(check(t, doc, cal));
        }
        return out;
    }

    static List<QualityWarning> qualityWarnings(RgbImage img, Quad quad, Face portrait) {
        List<QualityWarning> w = new ArrayList<>();
        if (quad.sides()[1] < LOW_RESOLUTION_SIDE) {
            w.add(QualityWarning.LOW_RESOLUTION);
        }
        int x0 = (int) Math.max(0, quad.minX());
        int y0 = (int) Math.max(0, quad.minY());
        int x1 = (int) Math.min(img.width(), quad.maxX());
        int y1 = (int) Math.min(img.height(), quad.maxY());
        if (x1 - x0 < 8 || y1 - y0 < 8) {
            return w;
        }
        RegionMeasures m = RegionMeasures.of(img, x0, y0, x1 - x0, y1 - y0);
        if (m.laplacianVariance() < BLUR_LAPLACIAN_VARIANCE) {
            w.add(QualityWarning.BLUR);
        }
        if (m.saturatedShare() > GLARE_FRACTION) {
            w.add(QualityWarning.GLARE);
        }
        if (m.meanGrey() < DARK_MEAN) {
            w.add(QualityWarning.TOO_DARK);
        }
        if (portrait != null && portrait.interEyeDistance() < SMALL_PORTRAIT_EYES) {
            w.add(QualityWarning.SMALL_PORTRAIT);
        }
        return w;
    }

    @Override
    public void close() {
        onnx.values().forEach(PluggableCheck::close);
    }
}
