package io.openbio.processors.dis.face;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.ApiResponse;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.Crops;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.Envelopes;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.Sealing;
import io.openbio.processors.core.Stages;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.PayloadLimits;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DisContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.serde.EventSerdes;
import io.openbio.schemas.settings.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The dis-faces stage (DIS 1.52, seed 004): standalone faces ({@code /api/v1/faces}) and palms
 * ({@code /api/v1/palms}), resources with ids and a lifetime.
 *
 * <p><b>State.</b> A face is a {@link StoredFace} in the {@value #FACES} store under {@code face:<id>}
 * (geometry and template sealed for the tenant under that key) and its image, sealed, in the
 * {@value #IMAGES} store under the same key; a palm is a record under {@code palm:<id>}. Both stores
 * are changelogged (compacted), so a restarted or moved task finds them. Requests are keyed by the
 * face's (palm's) id, so the task holding it answers whichever gateway took the call. A face lives
 * {@code OPENBIO_DIS_FACE_TTL_SECONDS}: past it every request answers 404 NOT_FOUND, and a wall-clock
 * punctuation (every min(TTL, 60 s)) deletes it. A face of another tenant is not found.
 *
 * <p><b>Answers</b> are the reference's JSON objects ({@link ApiResponse}, body sealed); the domain
 * outcomes (NO_FACE_DETECTED, MULTIPLE_FACES_DETECTED) are 200 bodies with {@code errorCode}, as the
 * reference models them; refusals are errors with a DIS {@code errorCode}.
 *
 * <p><b>Templates</b>: {@code data} is the platform's face template ({@link Template#encode()}: the model's
 * id and version inside), {@code version} is {@code "<format>.<number>"} where the number is the first
 * two bytes of SHA-256 of {@code <modelId>:<modelVersion>} ({@link #templateVersion}). A template of
 * another model or version is refused with UNSUPPORTED_VERSION_TEMPLATE, bytes that are no template with
 * CORRUPTED_TEMPLATE.
 */
public final class DisFaceProcessor implements StreamProcessor {
    public static final String NAME = DisContract.FACES.name();
    public static final String FACES = "dis-faces";
    public static final String IMAGES = "dis-face-images";
    /** The face crop: a square of this many times the face box's height around its centre. */
    static final double CROP_SCALE = 2.0;
    /** The largest crop side a client may ask for ({@code width}, {@code height}); the gateway refuses more. */
    public static final int MAX_CROP_SIDE = 4096;
    static final String NO_GLASSES_MODEL = "No glasses-detection model exists on this platform: glasses are not evaluated";
    static final String NO_MASK_MODEL = "No face-mask-detection model exists on this platform: face masks are not evaluated";

    private final Supplier<FaceAnalyzer> analyzer;
    private final Duration ttl;
    private final Duration sweep;
    private final Clock clock;

    public DisFaceProcessor() {
        this(Analyzers::shared, Duration.ofSeconds(Long.parseLong(KafkaSettings.setting(Settings.DIS_FACE_TTL_SECONDS))), Clock.systemUTC());
    }

    /**
     * @param ttl   how long a face or palm lives ({@code OPENBIO_DIS_FACE_TTL_SECONDS})
     * @param clock what "now" is for creation and expiry (the sweep runs on the stream thread's wall clock
     *              every min(ttl, 60 s), and reads this clock)
     */
    public DisFaceProcessor(Supplier<FaceAnalyzer> analyzer, Duration ttl, Clock clock) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("OPENBIO_DIS_FACE_TTL_SECONDS must be positive");
        }
        this.analyzer = analyzer;
        this.ttl = ttl;
        this.sweep = ttl.compareTo(Duration.ofMinutes(1)) < 0 ? ttl : Duration.ofMinutes(1);
        this.clock = clock;
    }

    @Override
    public Stage stage() {
        return DisContract.FACES;
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        Map<String, String> changelog = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(PayloadLimits.MAX_MESSAGE_BYTES));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FACES), Serdes.String(), Serdes.String())
                .withLoggingEnabled(changelog));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IMAGES), Serdes.String(), Serdes.ByteArray())
                .withLoggingEnabled(changelog));
        Results.publish(builder
                .stream(Topics.DIS_FACES.name(), Topics.DIS_FACES.consumed(serdes).withName("dis-faces-requests"))
                .filter((key, request) -> request != null)
                .process(Handler::new, FACES, IMAGES), serdes);
        return builder.build();
    }

    /** One task's stores. */
    record State(KeyValueStore<String, String> faces, KeyValueStore<String, byte[]> images) {
    }

    final class Handler implements Processor<String, RequestEnvelope, String, ResultEvent> {
        private ProcessorContext<String, ResultEvent> context;
        private State state;

        @Override
        public void init(ProcessorContext<String, ResultEvent> context) {
            this.context = context;
            this.state = new State(context.getStateStore(FACES), context.getStateStore(IMAGES));
            context.schedule(sweep, PunctuationType.WALL_CLOCK_TIME, now -> sweep(state, clock.instant()));
        }

        @Override
        public void process(Record<String, RequestEnvelope> record) {
            context.forward(record.withValue(handle(record.value(), state, clock.instant())));
        }
    }

    /** Deletes every face and palm past its expiry; the number deleted. */
    static int sweep(State state, Instant now) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> all = state.faces().all()) {
            while (all.hasNext()) {
                KeyValue<String, String> entry = all.next();
                if (!now.isBefore(StoredFace.expiresOf(entry.value))) {
                    expired.add(entry.key);
                }
            }
        }
        for (String key : expired) {
            state.faces().delete(key);
            state.images().delete(key);
        }
        return expired.size();
    }

    // ------------------------------------------------------------------ dispatch

    ResultEvent handle(RequestEnvelope request, State state, Instant now) {
        List<StageTrace> trace = List.of(Results.trace(NAME));
        try {
            return switch (request.getOperation()) {
                case DisContract.FACE_CREATE -> createFace(request, state, now, trace);
                case DisContract.FACE_SIMILARITY -> similarity(request, state, now, trace);
                case DisContract.FACE_TEMPLATE -> template(request, state, now, trace);
                case DisContract.FACE_CROP -> crop(request, state, now, trace);
                case DisContract.FACE_CROP_NO_BACKGROUND -> cropWithoutBackground(request, state, now, trace);
                case DisContract.FACE_CROP_COORDINATES -> cropCoordinates(request, state, now, trace);
                case DisContract.FACE_ASPECTS -> aspects(request, state, now, trace);
                case DisContract.FACE_GLASSES -> noModel(request, state, now, NO_GLASSES_MODEL);
                case DisContract.FACE_MASK -> noModel(request, state, now, NO_MASK_MODEL);
                case DisContract.FACE_QUALITY -> quality(request, state, now, trace);
                case DisContract.FACE_DELETE -> delete(request, state, StoredFace.faceKey(id(request, DisContract.FACE_ID)), trace);
                case DisContract.PALM_CREATE -> createPalm(request, state, now, trace);
                case DisContract.PALM_SIMILARITY -> palmSimilarity(request, state, now, trace);
                case DisContract.PALM_INSPECT -> palmInspect(request, state, now, trace);
                case DisContract.PALM_TEMPLATE -> palmTemplate(request, state, now);
                case DisContract.PALM_DELETE -> delete(request, state, StoredFace.palmKey(id(request, DisContract.PALM_ID)), trace);
                default -> Results.error(request, trace, 400, "INVALID_REQUEST_METHOD", "Unknown operation");
            };
        } catch (DisFaceFailure e) {
            return Results.error(request, trace, e.status, e.code, e.getMessage());
        } catch (InferenceException e) {
            return inferenceError(request, trace, e);
        } catch (RuntimeException e) {
            return Stages.unexpected(NAME, request, trace, e);
        }
    }

    private static ResultEvent inferenceError(RequestEnvelope request, List<StageTrace> trace, InferenceException e) {
        return switch (e.code()) {
            case INVALID_IMAGE, IMAGE_TRUNCATED, IMAGE_TOO_LARGE -> Results.error(request, trace, 400, "INVALID_IMAGE",
                    "The image cannot be read (" + e.code().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
            case INVALID_TEMPLATE -> Results.error(request, trace, 400, "CORRUPTED_TEMPLATE", "The template is corrupted: " + e.getMessage());
            case TEMPLATE_VERSION_MISMATCH -> Results.error(request, trace, 400, "UNSUPPORTED_VERSION_TEMPLATE", e.getMessage());
            default -> Stages.inferenceError(request, trace, e);
        };
    }

    // ------------------------------------------------------------------ faces

    private ResultEvent createFace(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Map<String, String> a = request.getAttributes();
        String id = id(request, DisContract.FACE_ID);
        byte[] image = Envelopes.part(request, DisContract.IMAGE_PART)
                .orElseThrow(() -> DisFaceFailure.badRequest("INVALID_REQUEST_BODY", "The image is missing"));
        boolean strict = "STRICT".equals(a.get(DisContract.DETECTION_MODE));
        Double min = ratio(a.get(DisContract.FACE_SIZE_MIN));
        Double max = ratio(a.get(DisContract.FACE_SIZE_MAX));
        FaceAnalyzer models = analyzer.get();
        DecodedImage decoded = models.decode(image);
        List<Face> faces = new ArrayList<>();
        for (Face face : models.detectAll(decoded)) {
            double r = sizeRatio(face, decoded);
            if ((min == null || r >= min) && (max == null || r <= max)) {
                faces.add(face);
            }
        }
        if (faces.isEmpty()) {
            return ok(request, trace, DisFaceJson.errorCode("NO_FACE_DETECTED"));
        }
        if (faces.size() > 1 && strict) {
            return ok(request, trace, DisFaceJson.errorCode("MULTIPLE_FACES_DETECTED"));
        }
        Face face = faces.get(0); // largest first
        Template template = models.embed(decoded, face);
        String key = StoredFace.faceKey(id);
        StoredFace stored = StoredFace.face(key, request.getTenant(), now.plus(ttl), face, template.encode());
        state.faces().put(key, stored.toJson());
        state.images().put(key, PayloadKeys.shared().seal(request.getTenant(), Purpose.IMAGE, key, image));
        ObjectNode answer = DisFaceJson.created(id, DisFaceJson.FACES, face.score(), stored.rect(), "faceRectangle");
        if (faces.size() > 1) {
            answer.putArray("warnings").add("MULTIPLE_FACES_DETECTED");
        }
        return ok(request, trace, answer);
    }

    /**
     * The face size ratio {@code detection.faceSizeRatio} bounds: the face box's longer side over the
     * image's shorter side, at most 1.
     */
    static double sizeRatio(Face face, DecodedImage image) {
        double side = Math.max(face.box().width(), face.box().height());
        return Math.min(1, side / Math.min(image.width(), image.height()));
    }

    private ResultEvent similarity(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        StoredFace probe = face(request, state, now);
        String reference = Envelopes.part(request, DisContract.TEMPLATE_PART)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                .orElseThrow(() -> DisFaceFailure.badRequest("INVALID_REQUEST_BODY", "The reference template is missing"));
        FaceAnalyzer models = analyzer.get();
        Template referenceTemplate = Template.decode(reference.strip(), models.templateModelId(), models.templateModelVersion());
        Template probeTemplate = models.decodeTemplate(probe.openTemplate());
        double cosine = probeTemplate.similarity(referenceTemplate);
        ObjectNode answer = DisFaceJson.JSON.createObjectNode();
        answer.put("score", similarityScore(models, cosine));
        return ok(request, trace, answer);
    }

    /** The 0..1 similarity score of two templates' cosine ({@link io.openbio.inference.dis.DisScores}: the calibrated same-person probability). */
    static double similarityScore(FaceAnalyzer models, double cosine) {
        return DisFaceModels.scores().score(cosine);
    }

    private ResultEvent template(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        StoredFace face = face(request, state, now);
        FaceAnalyzer models = analyzer.get();
        ObjectNode answer = DisFaceJson.JSON.createObjectNode();
        answer.put("data", face.openTemplate());
        answer.put("version", templateVersion(models.templateModelId(), models.templateModelVersion()));
        return ok(request, trace, answer);
    }

    /** {@code "<format>.<n>"}: the template format and the first two bytes of SHA-256 of {@code <modelId>:<modelVersion>}. */
    public static String templateVersion(String modelId, String modelVersion) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((modelId + ":" + modelVersion).getBytes(StandardCharsets.UTF_8));
            return Template.FORMAT + "." + (((h[0] & 0xff) << 8) | (h[1] & 0xff));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The face's crop (JPEG, {@link #CROP_SCALE} times the box around it, kept inside the image), resized as asked. */
    private ResultEvent crop(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        StoredFace stored = face(request, state, now);
        int[] size = cropSize(request);
        RgbImage image = image(request, state, stored).image();
        BoundingBox c = Crops.scaledInside(image, stored.openFace().box(), CROP_SCALE);
        int[] out = outputSize(c, size);
        RgbImage crop = ImageOps.cropResize(image, c.x(), c.y(), c.width(), c.height(), out[0], out[1]);
        ObjectNode answer = DisFaceJson.JSON.createObjectNode();
        answer.put("data", Base64.getEncoder().encodeToString(ImageOps.encodeJpeg(crop, 95)));
        return ok(request, trace, answer);
    }

    /**
     * The crop with its background removed: {@link io.openbio.inference.dis.PortraitSegmenter} (MediaPipe Selfie
     * Segmentation) on the portrait crop, a PNG whose alpha is the person probability; resized as asked first.
     */
    private ResultEvent cropWithoutBackground(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        StoredFace stored = face(request, state, now);
        int[] size = cropSize(request);
        RgbImage image = image(request, state, stored).image();
        BoundingBox c = Crops.scaledInside(image, stored.openFace().box(), CROP_SCALE);
        int[] out = outputSize(c, size);
        RgbImage crop = ImageOps.cropResize(image, c.x(), c.y(), c.width(), c.height(), out[0], out[1]);
        ObjectNode answer = DisFaceJson.JSON.createObjectNode();
        answer.put("data", Base64.getEncoder().encodeToString(DisFaceModels.segmenter().removeBackgroundPng(crop)));
        return ok(request, trace, answer);
    }

    /** width, height as asked (0 for one not given); the gateway checked them. */
    static int[] cropSize(RequestEnvelope request) {
        Map<String, String> a = request.getAttributes();
        return new int[] {positive(a.get(DisContract.WIDTH)), positive(a.get(DisContract.HEIGHT))};
    }

    private static int positive(String value) {
        if (value == null) {
            return 0;
        }
        try {
            int v = Integer.parseInt(value);
            if (v >= 1 && v <= MAX_CROP_SIDE) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw DisFaceFailure.badRequest("INVALID_REQUEST_PARAMETER", "width and height must be whole numbers from 1 to " + MAX_CROP_SIDE);
    }

    /** Both given: that size; one: the other follows the crop's aspect ratio; none: the crop's own size. */
    static int[] outputSize(BoundingBox crop, int[] asked) {
        int w = asked[0];
        int h = asked[1];
        if (w == 0 && h == 0) {
            return new int[] {Math.max(1, (int) Math.round(crop.width())), Math.max(1, (int) Math.round(crop.height()))};
        }
        if (w == 0) {
            w = Math.max(1, (int) Math.round(h * crop.width() / crop.height()));
        } else if (h == 0) {
            h = Math.max(1, (int) Math.round(w * crop.height() / crop.width()));
        }
        return new int[] {w, h};
    }

    /**
     * CropCoordinatesResponse: the crop's rectangle in the image, and {@code fullyCaptured} true when the
     * full {@link #CROP_SCALE} square around the face lies inside the image (false: the crop had to be
     * shrunk or moved).
     */
    private ResultEvent cropCoordinates(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        StoredFace stored = face(request, state, now);
        RgbImage image = image(request, state, stored).image();
        Face face = stored.openFace();
        BoundingBox full = face.box().squareScaled(CROP_SCALE);
        boolean inside = full.x() >= 0 && full.y() >= 0 && full.x() + full.width() <= image.width()
                && full.y() + full.height() <= image.height();
        ObjectNode answer = DisFaceJson.JSON.createObjectNode();
        answer.put("fullyCaptured", inside);
        answer.set("coordinates", DisFaceJson.roi(Crops.scaledInside(image, face.box(), CROP_SCALE)));
        return ok(request, trace, answer);
    }

    /** FaceAspectsResponse: age (fr_age, rounded) and gender (fr_gender's score: 0 female .. 1 male). */
    private ResultEvent aspects(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        StoredFace stored = face(request, state, now);
        RgbImage image = image(request, state, stored).image();
        Face face = stored.openFace();
        FaceAnalyzer models = analyzer.get();
        ObjectNode answer = DisFaceJson.JSON.createObjectNode();
        answer.put("age", (int) Math.round(models.attributeEstimator().age(image, face)));
        answer.put("gender", Math.max(0, Math.min(1, models.attributeEstimator().genderScore(image, face))));
        return ok(request, trace, answer);
    }

    /**
     * FaceQualityResponse ({@link io.openbio.inference.dis.DisFaceQuality}: 18 attributes, each a model's output or a
     * documented measurement, with preconditionsMet; roll, yaw, pitch from fr_pose). An attribute that cannot be
     * measured on this face is left out, as the reference's optional fields allow.
     */
    private ResultEvent quality(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        StoredFace stored = face(request, state, now);
        RgbImage image = image(request, state, stored).image();
        io.openbio.inference.dis.DisFaceQuality.Result q = DisFaceModels.quality(analyzer).measure(image, stored.openFace());
        ObjectNode answer = DisFaceJson.JSON.createObjectNode();
        q.attributes().forEach((name, a) -> {
            ObjectNode node = answer.putObject(name);
            node.put("score", a.score());
            node.put("preconditionsMet", a.preconditionsMet());
        });
        q.headPose().forEach((name, p) -> {
            ObjectNode node = answer.putObject(name);
            node.put("angle", p.angle());
            node.put("preconditionsMet", p.preconditionsMet());
        });
        return ok(request, trace, answer);
    }

    // ------------------------------------------------------------------ palms

    static final String NO_PALM_TEMPLATE = "No palm-recognition model exists on this platform: palms are detected but no palm template is"
            + " made";

    /**
     * CreatePalmResponse: the most confident palm ({@link io.openbio.inference.palm.PalmDetector}: MediaPipe palm
     * detection, kept when the hand-landmark model's hand presence is at least 0.5), its confidence (that presence)
     * and its palm rectangle (from the wrist and the finger bases: generally rotated); none: 200 errorCode
     * NO_PALM_DETECTED. Only the detection is kept: with no palm-recognition model there is nothing to make a
     * template of, so the image is not stored.
     */
    private ResultEvent createPalm(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        String id = id(request, DisContract.PALM_ID);
        byte[] image = Envelopes.part(request, DisContract.IMAGE_PART)
                .orElseThrow(() -> DisFaceFailure.badRequest("INVALID_REQUEST_BODY", "The image is missing"));
        RgbImage decoded = analyzer.get().decode(image).image();
        java.util.Optional<io.openbio.inference.palm.PalmDetector.Palm> found = DisFaceModels.palms().detectBest(decoded);
        if (found.isEmpty()) {
            return ok(request, trace, DisFaceJson.errorCode("NO_PALM_DETECTED"));
        }
        io.openbio.inference.palm.PalmDetector.Palm palm = found.get();
        String key = StoredFace.palmKey(id);
        StoredFace stored = StoredFace.palm(key, request.getTenant(), now.plus(ttl), palm.confidence(), palm.rectangle().bounds());
        state.faces().put(key, stored.toJson());
        ObjectNode answer = DisFaceJson.JSON.createObjectNode();
        answer.put("id", id);
        ObjectNode detection = answer.putObject("detection");
        detection.put("confidence", Math.max(0, Math.min(1, palm.confidence())));
        detection.set("palmRectangle", DisFaceJson.roi(palm.rectangle()));
        answer.putObject("links").put("self", DisFaceJson.PALMS + id);
        return ok(request, trace, answer);
    }

    /** No palm-recognition model: 200 errorCode PALM_TEMPLATE_MATCHING_FAILED and no score (the probe must exist). */
    private ResultEvent palmSimilarity(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        palm(request, state, now);
        return ok(request, trace, DisFaceJson.errorCode("PALM_TEMPLATE_MATCHING_FAILED"));
    }

    /** No capture signals reach a palm uploaded as an image: video injection not evaluated. */
    private ResultEvent palmInspect(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        palm(request, state, now);
        ObjectNode answer = DisFaceJson.JSON.createObjectNode();
        answer.putObject("securityInspection").putObject("videoInjection").put("evaluated", false);
        return ok(request, trace, answer);
    }

    private ResultEvent palmTemplate(RequestEnvelope request, State state, Instant now) {
        palm(request, state, now);
        throw DisFaceFailure.notFound(NO_PALM_TEMPLATE);
    }

    private static StoredFace palm(RequestEnvelope request, State state, Instant now) {
        return stored(request, state, now, StoredFace.palmKey(id(request, DisContract.PALM_ID)), "Palm not found");
    }

    /** An attribute with no model behind it: 404 NOT_FOUND saying so (after the face itself is found). */
    private ResultEvent noModel(RequestEnvelope request, State state, Instant now, String message) {
        face(request, state, now);
        throw DisFaceFailure.notFound(message);
    }

    private ResultEvent delete(RequestEnvelope request, State state, String key, List<StageTrace> trace) {
        String json = state.faces().get(key);
        // another tenant's resource is not deleted (nor revealed: 204 all the same, as for an unknown id)
        if (json != null && StoredFace.fromJson(key, json).tenant().equals(request.getTenant())) {
            state.faces().delete(key);
            state.images().delete(key);
        }
        return Results.resultFor(request, trace).setPayload(Sealing.apiResponse(request, 204, "{}")).build();
    }

    // ------------------------------------------------------------------ helpers

    /** The request's face, or 404 (unknown, expired, deleted, another tenant's). */
    private static StoredFace face(RequestEnvelope request, State state, Instant now) {
        return stored(request, state, now, StoredFace.faceKey(id(request, DisContract.FACE_ID)), "Face not found");
    }

    static StoredFace stored(RequestEnvelope request, State state, Instant now, String key, String notFound) {
        String json = state.faces().get(key);
        if (json == null) {
            throw DisFaceFailure.notFound(notFound);
        }
        StoredFace stored = StoredFace.fromJson(key, json);
        if (stored.expired(now) || !stored.tenant().equals(request.getTenant())) {
            throw DisFaceFailure.notFound(notFound);
        }
        return stored;
    }

    private DecodedImage image(RequestEnvelope request, State state, StoredFace stored) {
        byte[] sealed = state.images().get(stored.key());
        if (sealed == null) {
            throw DisFaceFailure.notFound("Face not found");
        }
        return analyzer.get().decode(PayloadKeys.shared().open(stored.tenant(), Purpose.IMAGE, stored.key(), sealed));
    }

    static String id(RequestEnvelope request, String attribute) {
        String id = DisContract.canonicalUuid(request.getAttributes().get(attribute));
        if (id == null) {
            throw DisFaceFailure.badRequest("INVALID_ID", "Invalid id");
        }
        return id;
    }

    private static Double ratio(String value) {
        if (value == null) {
            return null;
        }
        try {
            double r = Double.parseDouble(value);
            if (r >= 0 && r <= 1) {
                return r;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw DisFaceFailure.badRequest("INVALID_REQUEST_BODY", "faceSizeRatio bounds must be numbers from 0 to 1");
    }

    static ResultEvent ok(RequestEnvelope request, List<StageTrace> trace, JsonNode body) {
        String json;
        try {
            json = DisFaceJson.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Results.resultFor(request, trace).setPayload(Sealing.apiResponse(request, 200, json)).build();
    }
}
