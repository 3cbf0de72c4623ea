package io.openbio.inference;

import io.openbio.inference.attributes.AgeEstimate;
import io.openbio.inference.attributes.AttributeEstimator;
import io.openbio.inference.attributes.FaceAttributes;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.detect.FaceDetector;
import io.openbio.inference.detect.SmallFaceDetector;
import io.openbio.inference.embed.BioServerMatch;
import io.openbio.inference.embed.FaceEmbedder;
import io.openbio.inference.embed.MatchScores;
import io.openbio.inference.embed.ScoreCalibration;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageDecoder;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.liveness.LivenessResult;
import io.openbio.inference.liveness.PassiveLiveness;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.quality.QualityMeter;
import io.openbio.inference.quality.QualityReport;
import io.openbio.inference.quality.TemplateQuality;
import io.openbio.inference.unavailable.Check;
import io.openbio.inference.unavailable.CheckResult;
import io.openbio.inference.unavailable.PluggableCheck;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;

/**
 * The facade the processors call. Thread-safe; create one per process (model sessions are heavy)
 * and close it on shutdown. Every method taking {@code byte[]} decodes the image (EXIF orientation
 * applied) and, where one face is required, enforces FACE_NOT_FOUND / MULTIPLE_FACES /
 * FACE_TOO_SMALL. All failures are {@link InferenceException}s carrying an {@link ErrorCode}.
 */
public final class FaceAnalyzer implements AutoCloseable {
    /**
     * Default minimum inter-eye distance in source pixels, for every API that takes one face. Set
     * from the face-size curve in EVALUATION.md ("Face size", made by {@code -Pevaluate}): with the
     * labelled faces shrunk step by step, FNMR, FMR, re-detection and the embedding's cosine with
     * its full-size self hold down to 32 px as at 64 px, and liveness holds too (bona fide scores
     * move by 0.03 in the median, synthetic attacks are not accepted more at 0.9); at 28 px the
     * FNMR doubles and faces start to be lost. The former 60 px refused ordinary portraits such as
     * skimage's astronaut.png (43 px). Faces smaller still (messi5.jpg, 12 px) stay refused.
     */
    public static final double MIN_INTER_EYE_PX = 32;
    /** A second face at least this fraction of the main face's box height makes the image ambiguous. */
    public static final double COMPETING_FACE_RATIO = 0.5;

    private final ImageDecoder decoder = new ImageDecoder();
    private final FaceDetector detector;
    private final SmallFaceDetector smallFaces;
    private final FaceEmbedder embedder;
    private final PassiveLiveness liveness;
    private final AttributeEstimator attributes;
    /** Loaded on first use, so that the evaluation that (re)fits it can run detection and embedding without it. */
    private volatile ScoreCalibration calibration;
    private final Map<Check, PluggableCheck> checks = new EnumMap<>(Check.class);
    private final double minInterEye;

    private FaceAnalyzer(ModelRepository repo, Properties config, double minInterEye) {
        this.detector = new FaceDetector(repo);
        this.smallFaces = new SmallFaceDetector(repo, detector);
        this.embedder = new FaceEmbedder(repo);
        this.liveness = new PassiveLiveness(repo);
        this.attributes = new AttributeEstimator(repo);
        this.minInterEye = minInterEye;
        for (Check c : Check.values()) {
            PluggableCheck pc = PluggableCheck.configured(c, config);
            if (pc != null) {
                checks.put(c, pc);
            }
        }
    }

    /** Models from {@code openbio.models.dir} / {@code OPENBIO_MODELS_DIR} / ./models; checks from system properties. */
    public static FaceAnalyzer create() {
        return create(ModelRepository.fromEnvironment(), System.getProperties(), MIN_INTER_EYE_PX);
    }

    public static FaceAnalyzer create(ModelRepository repo, Properties config, double minInterEyePx) {
        return new FaceAnalyzer(repo, config, minInterEyePx);
    }

    // ---- image -------------------------------------------------------------------------------

    public DecodedImage decode(byte[] image) {
        return decoder.decode(image);
    }

    // ---- detection ---------------------------------------------------------------------------

    /** All faces, largest first, coordinates in the upright source image. No size rule applied. */
    public List<Face> detectAll(byte[] image) {
        return detectAll(decode(image));
    }

    public List<Face> detectAll(DecodedImage image) {
        return detector.detectAll(image.image());
    }

    /** At most {@code maxFaces} faces, the largest first (the API's max_faces). */
    public List<Face> detectAll(DecodedImage image, int maxFaces) {
        if (maxFaces < 1) {
            throw new IllegalArgumentException("maxFaces must be at least 1, was " + maxFaces);
        }
        List<Face> all = detectAll(image);
        return all.size() <= maxFaces ? all : List.copyOf(all.subList(0, maxFaces));
    }

    /** Every face, largest first, or {@link ErrorCode#MULTIPLE_FACES} when there are more than {@code maxFaces}. */
    public List<Face> requireAtMost(DecodedImage image, int maxFaces) {
        List<Face> all = detectAll(image);
        if (all.size() > maxFaces) {
            throw new InferenceException(ErrorCode.MULTIPLE_FACES, all.size() + " faces were found; at most "
                    + maxFaces + " are allowed");
        }
        return all;
    }

    /**
     * Faces found by the small-face path (BlazeFace back 256 on the whole image and on overlapping
     * 512-pixel tiles, then fr_landmark): for document photos whose portrait is too small for the
     * main detector. Largest first; no size rule applied.
     */
    public List<Face> detectSmallFaces(DecodedImage image) {
        return smallFaces.detectAll(image.image());
    }

    public List<Face> detectSmallFaces(byte[] image) {
        return detectSmallFaces(decode(image));
    }

    /** The small-face (document) detector, for direct use. */
    public SmallFaceDetector smallFaceDetector() {
        return smallFaces;
    }

    /** The single face of the image, or FACE_NOT_FOUND / MULTIPLE_FACES / FACE_TOO_SMALL. */
    public Face detect(byte[] image) {
        return detect(decode(image));
    }

    public Face detect(DecodedImage image) {
        return FaceDetector.selectSingle(detectAll(image), minInterEye, COMPETING_FACE_RATIO);
    }

    // ---- recognition -------------------------------------------------------------------------

    /** Template of the single face of the image. */
    public Template embed(byte[] image) {
        DecodedImage d = decode(image);
        return embed(d, detect(d));
    }

    public Template embed(DecodedImage image, Face face) {
        return embedder.template(image.image(), face.keypoints());
    }

    /**
     * Templates of several faces of one image, in the order given (e.g. {@link #detectAll}); an
     * empty list for none. Equal to {@link #embed(DecodedImage, Face)} per face. Uses one batched
     * inference where the embedding model allows it; the pinned {@code fr_feature} is exported
     * with batch 1, so it runs once per face (see inference/README.md, "Batching").
     */
    public List<Template> embedAll(DecodedImage image, List<Face> faces) {
        return embedder.templates(image.image(), faces.stream().map(Face::keypoints).toList());
    }

    /**
     * For the models behind {@link #embedAll} and {@link #livenessAll}: whether each runs N faces
     * as one batched inference (its file declares a symbolic batch dimension) or once per face.
     */
    public Map<String, Boolean> batchedModels() {
        Map<String, Boolean> m = new java.util.LinkedHashMap<>();
        m.put(embedder.modelId(), embedder.batched());
        m.putAll(liveness.batched());
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Model id that templates of this installation carry. */
    public String templateModelId() {
        return embedder.modelId();
    }

    /** Model version that templates of this installation carry. */
    public String templateModelVersion() {
        return embedder.modelVersion();
    }

    /** Decodes a Base64 template, refusing one from another model or version. */
    public Template decodeTemplate(String base64) {
        return Template.decode(base64, embedder.modelId(), embedder.modelVersion());
    }

    /** Cosine similarity of two templates mapped onto every calibrated scale. */
    public MatchScores compare(Template a, Template b) {
        return calibration().scores(a.similarity(b));
    }

    /** Detects, embeds and compares the single faces of two images. */
    public MatchScores compare(byte[] imageA, byte[] imageB) {
        return compare(embed(imageA), embed(imageB));
    }

    /**
     * Two templates compared on the BioServer (seed 003) scale: score, FAR in percent, and whether
     * that FAR is extrapolated beyond the measured impostor pairs (see {@link ScoreCalibration#bioServer}).
     */
    public BioServerMatch compareBioServer(Template a, Template b) {
        return calibration().bioServer(a.similarity(b));
    }

    public ScoreCalibration calibration() {
        ScoreCalibration c = calibration;
        if (c == null) {
            c = ScoreCalibration.load();
            calibration = c;
        }
        return c;
    }

    // ---- liveness / attributes / quality -------------------------------------------------------

    public LivenessResult liveness(byte[] image) {
        DecodedImage d = decode(image);
        return liveness(d, detect(d));
    }

    public LivenessResult liveness(DecodedImage image, Face face) {
        return liveness.assess(image.image(), face);
    }

    /**
     * Liveness of several faces of one image, in the order given; an empty list for none. Equal to
     * {@link #liveness(DecodedImage, Face)} per face. hm_antispoof and hm_liveness run once for all
     * faces (batched); fr_liveness, exported with batch 1, once per face.
     */
    public List<LivenessResult> livenessAll(DecodedImage image, List<Face> faces) {
        return liveness.assessAll(image.image(), faces);
    }

    public FaceAttributes attributes(byte[] image) {
        DecodedImage d = decode(image);
        return attributes(d, detect(d));
    }

    public FaceAttributes attributes(DecodedImage image, Face face) {
        return attributes.estimate(image.image(), face);
    }

    /** The attribute models one by one (pose, eyes, expression...), for callers that need only some of them per frame. */
    public AttributeEstimator attributeEstimator() {
        return attributes;
    }

    /** BioServer's Face quality of a detected face: a documented formula, see {@link TemplateQuality}. */
    public int templateQuality(Face face) {
        return TemplateQuality.of(face);
    }

    /**
     * Age of the largest face (BioServer POST /v2/ages). No face: {@link AgeEstimate#noPerson()}
     * (quality -10000, no age). A face below the platform's minimum size ({@link TemplateQuality}
     * negative): that negative quality, no age. Otherwise fr_age's estimate and the face's
     * template quality. Several faces: the largest is estimated (the seed says no more).
     */
    public AgeEstimate estimateAge(DecodedImage image) {
        List<Face> faces = detectAll(image);
        if (faces.isEmpty()) {
            return AgeEstimate.noPerson();
        }
        Face f = faces.get(0);
        int q = TemplateQuality.of(f);
        if (q < 0) {
            return new AgeEstimate(OptionalDouble.empty(), q, Optional.of(f.box()));
        }
        return new AgeEstimate(OptionalDouble.of(attributes.age(image.image(), f)), q, Optional.of(f.box()));
    }

    public AgeEstimate estimateAge(byte[] image) {
        return estimateAge(decode(image));
    }

    public QualityReport quality(byte[] image) {
        DecodedImage d = decode(image);
        return quality(d, detect(d));
    }

    public QualityReport quality(DecodedImage image, Face face) {
        return QualityMeter.measure(image.image(), face);
    }

    /** The portrait crop of {@link QualityReport#crop()} as pixels. */
    public RgbImage cropImage(DecodedImage image, Face face) {
        BoundingBox c = QualityMeter.crop(image.image(), face);
        int w = (int) Math.round(c.width());
        int h = (int) Math.round(c.height());
        return ImageOps.cropResize(image.image(), c.x(), c.y(), w, h, w, h);
    }

    /** The portrait crop of {@link QualityReport#crop()} as a JPEG (quality 95). */
    public byte[] cropJpeg(DecodedImage image, Face face) {
        return ImageOps.encodeJpeg(cropImage(image, face), 95);
    }

    /** Everything at once for the single face of the image. */
    public FaceAnalysis analyze(byte[] image) {
        DecodedImage d = decode(image);
        Face f = detect(d);
        return new FaceAnalysis(d.width(), d.height(), f, embed(d, f), liveness(d, f), attributes(d, f), quality(d, f));
    }

    // ---- checks with no model here -------------------------------------------------------------

    /**
     * Runs a pluggable check (deepfake, glasses, mask, document attack). Returns UNAVAILABLE (never a
     * guessed value) unless a model is configured for it; see {@link PluggableCheck} for the keys.
     */
    public CheckResult check(Check check, byte[] image) {
        PluggableCheck pc = checks.get(check);
        if (pc == null) {
            return CheckResult.unavailable(check, "no " + check.needs() + " model is installed; set "
                    + check.key() + ".model and " + check.key() + ".sha256 to plug one in (see inference/README.md)");
        }
        DecodedImage d = decode(image);
        Face f = check == Check.DOCUMENT_ATTACK ? null : detect(d);
        return pc.run(d.image(), f);
    }

    /** Like {@link #check} but throws {@link ErrorCode#CHECK_UNAVAILABLE} instead of returning it. */
    public CheckResult requireCheck(Check check, byte[] image) {
        CheckResult r = check(check, image);
        if (!r.available()) {
            throw new InferenceException(ErrorCode.CHECK_UNAVAILABLE, r.detail());
        }
        return r;
    }

    @Override
    public void close() {
        detector.close();
        smallFaces.close();
        embedder.close();
        liveness.close();
        attributes.close();
        checks.values().forEach(PluggableCheck::close);
    }
}
