package io.openbio.processors.bioserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.ApiResponse;
import io.openbio.events.BioServerFace;
import io.openbio.events.BioServerSession;
import io.openbio.events.ChallengeOutcome;
import io.openbio.events.NonceIssued;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.attributes.AgeEstimate;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.JpegImages;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.Envelopes;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.Sealing;
import io.openbio.processors.core.Stages;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.PayloadLimits;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.BioServerContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.serde.EventSerdes;
import io.openbio.schemas.settings.Settings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The BioServer stage (seed 003): bio-sessions, their faces and 1:few matches, and the direct
 * operations (face, image-vs-image and template-vs-image matches, ages).
 *
 * <p><b>State.</b> A session is one {@link BioServerSession} (its faces inside, each template sealed
 * under {@code <session key>/<face id>}) in the {@value #SESSIONS} store, keyed by the session key; the
 * images of a session that stores them are in the {@value #IMAGES} store under the face's key, sealed.
 * Both stores are changelogged to Kafka (compacted), so a restarted or moved task finds them; requests
 * of a session are keyed by its key, so the task that holds it answers them whichever gateway took the
 * call. A session expires at {@code expires}: from then on every request about it answers 404, and a
 * wall-clock punctuation (every {@code OPENBIO_BIOSERVER_EXPIRY_SWEEP_MS}) deletes it and its images.
 *
 * <p><b>Answers</b> are the seed's JSON objects ({@link BioServerJson}), unsigned (the gateway signs).
 * Created resources answer 201 {@code {}}: the gateway made their ids and answers the Location.
 */
public final class BioServerProcessor implements StreamProcessor {
    public static final String NAME = BioServerContract.SESSIONS.name();
    public static final String SESSIONS = "bioserver-sessions";
    public static final String IMAGES = "bioserver-images";
    /** The seed's default mode name, echoed when a client names none (the platform runs its own model whatever the mode). */
    public static final String DEFAULT_MODE = "F5_1_VID60";

    private final FaceCoder coder;
    private final int maxFaces;
    private final Duration sweep;
    private final Clock clock;
    private final ReplayLiveness replay;

    public BioServerProcessor() {
        this(Analyzers::shared, Integer.parseInt(KafkaSettings.setting(Settings.BIOSERVER_MAX_FACES)),
                Duration.ofMillis(Long.parseLong(KafkaSettings.setting(Settings.BIOSERVER_EXPIRY_SWEEP_MS))),
                Long.parseLong(KafkaSettings.setting(Settings.CHALLENGE_TTL_MS)), Clock.systemUTC());
    }

    /**
     * @param challengeTtlMs how long a replay liveness challenge waits for its capture ({@code OPENBIO_CHALLENGE_TTL_MS},
     *                       at most the session's remaining life)
     * @param clock what "now" is for sessions' creation and expiry (the punctuation runs on the stream
     *              thread's wall clock every {@code sweep}, and reads this clock)
     */
    public BioServerProcessor(Supplier<FaceAnalyzer> analyzer, int maxFaces, Duration sweep, long challengeTtlMs, Clock clock) {
        if (maxFaces < 1) {
            throw new IllegalArgumentException("OPENBIO_BIOSERVER_MAX_FACES_PER_SESSION must be at least 1: " + maxFaces);
        }
        if (sweep.isNegative() || sweep.isZero()) {
            throw new IllegalArgumentException("OPENBIO_BIOSERVER_EXPIRY_SWEEP_MS must be positive");
        }
        this.coder = new FaceCoder(analyzer);
        this.maxFaces = maxFaces;
        this.sweep = sweep;
        this.clock = clock;
        this.replay = new ReplayLiveness(challengeTtlMs, coder);
    }

    @Override
    public Stage stage() {
        return BioServerContract.SESSIONS;
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        Map<String, String> changelog = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(PayloadLimits.MAX_MESSAGE_BYTES));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SESSIONS), Serdes.String(),
                serdes.valueSerde(BioServerSession.class)).withLoggingEnabled(changelog));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IMAGES), Serdes.String(),
                Serdes.ByteArray()).withLoggingEnabled(changelog));
        KStream<String, Step> requests = builder
                .stream(Topics.BIOSERVER_REQUESTS.name(), Topics.BIOSERVER_REQUESTS.consumed(serdes).withName("bioserver-requests"))
                .filter((key, request) -> request != null)
                .process(Handler::new, SESSIONS, IMAGES);
        // replay liveness: the outcomes of the sessions' captures, keyed by nonce = session key (co-partitioned)
        KStream<String, Step> outcomes = builder
                .stream(Topics.CHALLENGE_OUTCOMES.name(), Topics.CHALLENGE_OUTCOMES.consumed(serdes).withName("bioserver-outcomes"))
                .filter((key, outcome) -> outcome != null && BioServerContract.isSessionKey(key))
                .processValues(OutcomeHandler::new, SESSIONS, IMAGES);
        KStream<String, Step> steps = requests.merge(outcomes);
        Results.publish(steps.flatMapValues(Step::results), serdes);
        steps.filter((k, s) -> s.nonce() != null)
                .map((k, s) -> KeyValue.pair(s.nonce().getNonce(), s.nonce()))
                .to(Topics.CAPTURE_NONCES.name(), Topics.CAPTURE_NONCES.produced(serdes));
        steps.filter((k, s) -> s.forward() != null)
                .map((k, s) -> KeyValue.pair(s.forward().getRequestId(), s.forward()))
                .to(Topics.CHALLENGE_REQUESTS.name(), Topics.CHALLENGE_REQUESTS.produced(serdes));
        return builder.build();
    }

    /** One task's stores. */
    record State(KeyValueStore<String, BioServerSession> sessions, KeyValueStore<String, byte[]> images) {
    }

    /**
     * What one record becomes: results to publish (the answer; callbacks), a capture nonce to record, a
     * capture to forward to the challenge route.
     */
    record Step(List<ResultEvent> results, NonceIssued nonce, RequestEnvelope forward) {
        static Step of(ResultEvent result) {
            return new Step(result == null ? List.of() : List.of(result), null, null);
        }
    }

    /** A full processor (not a fixed-key one): its punctuation emits records of its own (timed-out replays' callbacks). */
    final class Handler implements Processor<String, RequestEnvelope, String, Step> {
        private ProcessorContext<String, Step> context;
        private State state;

        @Override
        public void init(ProcessorContext<String, Step> context) {
            this.context = context;
            this.state = new State(context.getStateStore(SESSIONS), context.getStateStore(IMAGES));
            context.schedule(sweep, PunctuationType.WALL_CLOCK_TIME, now -> {
                // callbacks of replays that timed out go out through this processor's own output
                for (ResultEvent callback : sweep(state, clock.instant())) {
                    context.forward(new Record<>(callback.getRequestId(), Step.of(callback), now));
                }
            });
        }

        @Override
        public void process(Record<String, RequestEnvelope> record) {
            context.forward(record.withValue(step(record.value(), state, clock.instant())));
        }
    }

    final class OutcomeHandler implements FixedKeyProcessor<String, ChallengeOutcome, Step> {
        private FixedKeyProcessorContext<String, Step> context;
        private State state;

        @Override
        public void init(FixedKeyProcessorContext<String, Step> context) {
            this.context = context;
            this.state = new State(context.getStateStore(SESSIONS), context.getStateStore(IMAGES));
        }

        @Override
        public void process(FixedKeyRecord<String, ChallengeOutcome> record) {
            ResultEvent callback = replay.outcome(record.key(), record.value(), state, maxFaces, clock.instant());
            context.forward(record.withValue(Step.of(callback)));
        }
    }

    // ------------------------------------------------------------------ dispatch

    /** One request: the replay operations may record a nonce or forward a capture; the others only answer. */
    Step step(RequestEnvelope request, State state, Instant now) {
        List<StageTrace> trace = List.of(Results.trace(NAME));
        try {
            ReplayLiveness.Answer answer = switch (request.getOperation()) {
                case BioServerContract.LIVENESS_INIT -> replay.init(request, session(request, state, now), state, now, trace);
                case BioServerContract.LIVENESS_CHALLENGE -> replay.challenge(request, openSession(request, state, now), now, trace);
                case BioServerContract.LIVENESS_CAPTURE -> replay.capture(request, openSession(request, state, now), state, now);
                default -> null;
            };
            if (answer != null) {
                return new Step(answer.result() == null ? List.of() : List.of(answer.result()), answer.effects().nonce(),
                        answer.effects().forward());
            }
        } catch (BioServerFailure e) {
            return Step.of(Results.error(request, trace, e.status, "BIOSERVER", e.getMessage()));
        } catch (RuntimeException e) {
            return Step.of(Stages.unexpected(NAME, request, trace, e));
        }
        return Step.of(handle(request, state, now));
    }

    ResultEvent handle(RequestEnvelope request, State state, Instant now) {
        List<StageTrace> trace = List.of(Results.trace(NAME));
        try {
            return switch (request.getOperation()) {
                case BioServerContract.LIVENESS_PARAMETERS -> ok(request, trace, 200,
                        ReplayLiveness.parameters(ReplayLiveness.replay(session(request, state, now))));
                case BioServerContract.REPLAY_METADATA -> ok(request, trace, 200, replay.metadata(session(request, state, now), now));
                case BioServerContract.CHALLENGE_RESULT -> ok(request, trace, 200, replay.challengeResult(session(request, state, now), now));
                case BioServerContract.SESSION_CREATE -> createSession(request, state, now, trace);
                case BioServerContract.SESSION_GET -> ok(request, trace, 200, BioServerJson.session(session(request, state, now)));
                case BioServerContract.SESSION_DELETE -> deleteSession(request, state, now, trace);
                case BioServerContract.FACE_CREATE -> createFace(request, state, now, trace);
                case BioServerContract.FACE_IMPORT -> importFace(request, state, now, trace);
                case BioServerContract.FACES_LIST -> listFaces(request, state, now, trace);
                case BioServerContract.FACES_DELETE -> deleteFaces(request, state, now, trace);
                case BioServerContract.FACE_GET -> getFace(request, state, now, trace);
                case BioServerContract.FACE_DELETE -> deleteFace(request, state, now, trace);
                case BioServerContract.FACE_IMAGE -> faceImage(request, state, now, trace);
                case BioServerContract.MATCHES -> matches(request, state, now, trace);
                case BioServerContract.DIRECT_FACE -> directFace(request, now, trace);
                case BioServerContract.MATCH_IMAGES -> matchImages(request, now, trace);
                case BioServerContract.MATCH -> match(request, now, trace);
                case BioServerContract.AGES -> ages(request, now, trace);
                default -> Results.error(request, trace, 400, "UNKNOWN_OPERATION", "Unknown operation");
            };
        } catch (BioServerFailure e) {
            return Results.error(request, trace, e.status, "BIOSERVER", e.getMessage());
        } catch (InferenceException e) {
            return Stages.inferenceError(request, trace, e);
        } catch (RuntimeException e) {
            return Stages.unexpected(NAME, request, trace, e);
        }
    }

    // ------------------------------------------------------------------ sessions

    private ResultEvent createSession(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Map<String, String> a = request.getAttributes();
        String id = a.get(BioServerContract.SESSION_ID);
        String key = BioServerContract.sessionKey(id);
        if (key == null) {
            throw BioServerFailure.badRequest("Invalid session id");
        }
        long ttl = parseLong(a.get(BioServerContract.TTL_SECONDS), "ttlSeconds");
        if (ttl <= 0) {
            throw BioServerFailure.badRequest("ttlSeconds must be positive");
        }
        BioServerSession session = BioServerSession.newBuilder()
                .setId(id)
                .setTenant(request.getTenant())
                .setCorrelationId(a.get(BioServerContract.CORRELATION_ID))
                .setEvidenceId(a.get(BioServerContract.EVIDENCE_ID))
                .setImageStorageEnabled(Boolean.parseBoolean(a.get(BioServerContract.IMAGE_STORAGE_ENABLED)))
                .setCallbackUrl(a.get(BioServerContract.CALLBACK_URL))
                .setCreatedAt(now)
                .setExpiresAt(now.plusSeconds(ttl))
                .setFaces(new ArrayList<>())
                .setRequestId(request.getRequestId())
                .build();
        state.sessions().put(key, session);
        return created(request, trace);
    }

    /** The request's live session of the caller's tenant, or 404 (an expired one is deleted on the way). */
    private BioServerSession session(RequestEnvelope request, State state, Instant now) {
        return session(request, state, now, true);
    }

    /**
     * The capture client's calls come without an API key (the session id is their credential), so under the
     * default tenant: the session is looked up whatever its tenant, and the work goes on under the session's.
     */
    private BioServerSession openSession(RequestEnvelope request, State state, Instant now) {
        return session(request, state, now, false);
    }

    private BioServerSession session(RequestEnvelope request, State state, Instant now, boolean sameTenant) {
        String key = BioServerContract.sessionKey(request.getAttributes().get(BioServerContract.SESSION_ID));
        BioServerSession session = key == null ? null : state.sessions().get(key);
        if (session == null || (sameTenant && !session.getTenant().equals(request.getTenant()))) {
            throw BioServerFailure.sessionNotFound();
        }
        if (!now.isBefore(session.getExpiresAt())) {
            delete(state, key);
            throw BioServerFailure.sessionNotFound();
        }
        return session;
    }

    private ResultEvent deleteSession(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        BioServerSession session = session(request, state, now);
        if (session.getReplay() != null && ReplayLiveness.IN_PROGRESS.equals(ReplayLiveness.status(session.getReplay(), now))) {
            throw BioServerFailure.conflict("There is replay liveness in progress");
        }
        delete(state, BioServerContract.sessionKey(session.getId()));
        return ok(request, trace, 204, null);
    }

    private static void delete(State state, String key) {
        state.sessions().delete(key);
        deleteImages(state, key + "/");
    }

    private static void deleteImages(State state, String prefix) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = state.images().prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(state.images()::delete);
    }

    /**
     * The punctuation: deletes every expired session of this task and its images, and ends the replays
     * left open past their challenge's expiry (TIMEOUT); returns those replays' callbacks.
     */
    List<ResultEvent> sweep(State state, Instant now) {
        List<String> expired = new ArrayList<>();
        List<KeyValue<String, BioServerSession>> open = new ArrayList<>();
        try (KeyValueIterator<String, BioServerSession> it = state.sessions().all()) {
            while (it.hasNext()) {
                KeyValue<String, BioServerSession> kv = it.next();
                if (kv.value == null) {
                    continue;
                }
                if (!now.isBefore(kv.value.getExpiresAt())) {
                    expired.add(kv.key);
                } else if (kv.value.getReplay() != null) {
                    open.add(kv);
                }
            }
        }
        expired.forEach(key -> delete(state, key));
        List<ResultEvent> callbacks = new ArrayList<>();
        for (KeyValue<String, BioServerSession> kv : open) {
            ResultEvent callback = replay.timeout(kv.key, kv.value, state, now);
            if (callback != null) {
                callbacks.add(callback);
            }
        }
        return callbacks;
    }

    // ------------------------------------------------------------------ faces

    private ResultEvent createFace(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        BioServerSession session = session(request, state, now);
        roomForOneMore(session);
        Map<String, String> a = request.getAttributes();
        String faceId = faceId(request);
        byte[] image = Envelopes.part(request, BioServerContract.IMAGE_PART)
                .orElseThrow(() -> BioServerFailure.badRequest("The image is missing"));
        String imageType = imageType(a.get(BioServerContract.IMAGE_TYPE), "imageType");
        CodedFace coded = coder.code(image, imageType, Boolean.parseBoolean(a.get(BioServerContract.IMAGE_ROTATION_ENABLED)));
        String key = faceKey(session, faceId);
        BioServerFace face = coded.toFace(faceId, a.get(BioServerContract.FRIENDLY_NAME), a.get(BioServerContract.MODE), imageType,
                bool(a.get(BioServerContract.IMAGE_ROTATION_ENABLED)), sealTemplate(session.getTenant(), key, coded.template().encode()),
                coder.templateVersion(), now);
        addFace(request, state, session, face);
        if (session.getImageStorageEnabled()) {
            state.images().put(key, PayloadKeys.shared().seal(session.getTenant(), Purpose.IMAGE, key, image));
        }
        return created(request, trace);
    }

    private ResultEvent importFace(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        BioServerSession session = session(request, state, now);
        roomForOneMore(session);
        String faceId = faceId(request);
        ImportedFace imported = importedFace(request);
        String key = faceKey(session, faceId);
        BioServerFace face = BioServerFace.newBuilder(imported.face())
                .setId(faceId)
                .setTemplate(sealTemplate(session.getTenant(), key, imported.template().encode()))
                .setCreatedAt(now)
                .build();
        addFace(request, state, session, face);
        return created(request, trace);
    }

    private void roomForOneMore(BioServerSession session) {
        if (session.getFaces().size() >= maxFaces) {
            throw BioServerFailure.badRequest("The bio-session already holds " + maxFaces + " faces");
        }
    }

    private static void addFace(RequestEnvelope request, State state, BioServerSession session, BioServerFace face) {
        List<BioServerFace> faces = new ArrayList<>(session.getFaces());
        faces.add(face);
        state.sessions().put(BioServerContract.sessionKey(session.getId()),
                BioServerSession.newBuilder(session).setFaces(faces).setRequestId(request.getRequestId()).build());
    }

    private ResultEvent listFaces(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        BioServerSession session = session(request, state, now);
        List<ObjectNode> faces = session.getFaces().stream().map(f -> faceJson(session, f)).toList();
        return ok(request, trace, 200, BioServerJson.array(faces));
    }

    private ResultEvent getFace(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        BioServerSession session = session(request, state, now);
        return ok(request, trace, 200, faceJson(session, face(session, request)));
    }

    private ResultEvent deleteFace(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        BioServerSession session = session(request, state, now);
        BioServerFace face = face(session, request);
        List<BioServerFace> faces = new ArrayList<>(session.getFaces());
        faces.removeIf(f -> f.getId().equals(face.getId()));
        String key = BioServerContract.sessionKey(session.getId());
        state.sessions().put(key, BioServerSession.newBuilder(session).setFaces(faces).setRequestId(request.getRequestId()).build());
        state.images().delete(faceKey(session, face.getId()));
        return ok(request, trace, 204, null);
    }

    private ResultEvent deleteFaces(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        BioServerSession session = session(request, state, now);
        String key = BioServerContract.sessionKey(session.getId());
        state.sessions().put(key, BioServerSession.newBuilder(session).setFaces(new ArrayList<>()).setRequestId(request.getRequestId()).build());
        deleteImages(state, key + "/");
        return ok(request, trace, 204, null);
    }

    private ResultEvent faceImage(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        BioServerSession session = session(request, state, now);
        BioServerFace face = face(session, request);
        String key = faceKey(session, face.getId());
        byte[] sealed = session.getImageStorageEnabled() ? state.images().get(key) : null;
        if (sealed == null) {
            return ok(request, trace, 204, null);
        }
        byte[] image = PayloadKeys.shared().open(session.getTenant(), Purpose.IMAGE, key, sealed);
        boolean compression = Boolean.parseBoolean(request.getAttributes().get(BioServerContract.COMPRESSION));
        byte[] jpeg;
        if (compression) {
            jpeg = ImageOps.encodeJpeg(coder.analyzer().decode(image).image(), COMPRESSED_QUALITY);
        } else {
            jpeg = JpegImages.isJpeg(image) ? image : ImageOps.encodeJpeg(coder.analyzer().decode(image).image(), JpegImages.QUALITY);
        }
        return Results.resultFor(request, trace).setPayload(Sealing.extractedImage(request, jpeg, "image/jpeg")).build();
    }

    /** JPEG quality of {@code compression=true}: the seed asks for at least 80% on input images; the answer uses that. */
    static final int COMPRESSED_QUALITY = 80;

    private ResultEvent matches(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        BioServerSession session = session(request, state, now);
        BioServerFace reference = face(session, request);
        Template referenceTemplate = template(session, reference);
        ObjectNode referenceJson = faceJson(session, reference);
        record Scored(ObjectNode json, double score) {
        }
        List<Scored> scored = new ArrayList<>();
        for (BioServerFace candidate : session.getFaces()) {
            if (candidate.getId().equals(reference.getId())) {
                continue;
            }
            BioServerScores scores = scores(referenceTemplate, template(session, candidate));
            scored.add(new Scored(BioServerJson.match(referenceJson, faceJson(session, candidate), scores, session.getCorrelationId(),
                    session.getEvidenceId(), now, session.getExpiresAt()), scores.score()));
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed());
        return ok(request, trace, 200, BioServerJson.array(scored.stream().map(Scored::json).toList()));
    }

    private ObjectNode faceJson(BioServerSession session, BioServerFace face) {
        return BioServerJson.face(face, openTemplate(session.getTenant(), faceKey(session, face.getId()), face.getTemplate()),
                session.getExpiresAt());
    }

    private static BioServerFace face(BioServerSession session, RequestEnvelope request) {
        String faceId = request.getAttributes().get(BioServerContract.FACE_ID);
        return session.getFaces().stream().filter(f -> f.getId().equals(faceId)).findFirst()
                .orElseThrow(BioServerFailure::faceNotFound);
    }

    private Template template(BioServerSession session, BioServerFace face) {
        return coder.analyzer().decodeTemplate(openTemplate(session.getTenant(), faceKey(session, face.getId()), face.getTemplate()));
    }

    // ------------------------------------------------------------------ direct operations

    private ResultEvent directFace(RequestEnvelope request, Instant now, List<StageTrace> trace) {
        Map<String, String> a = request.getAttributes();
        byte[] image = Envelopes.part(request, BioServerContract.IMAGE_PART)
                .orElseThrow(() -> BioServerFailure.badRequest("The image is missing"));
        String imageType = imageType(a.get(BioServerContract.IMAGE_TYPE), "imageType");
        CodedFace coded = coder.code(image, imageType, Boolean.parseBoolean(a.get(BioServerContract.IMAGE_ROTATION_ENABLED)));
        BioServerFace face = newFace(request.getRequestId(), a.get(BioServerContract.FRIENDLY_NAME), a.get(BioServerContract.MODE), imageType,
                coded, a.get(BioServerContract.IMAGE_ROTATION_ENABLED), now);
        return ok(request, trace, 200, BioServerJson.face(face, coded.template().encode(), null));
    }

    private ResultEvent matchImages(RequestEnvelope request, Instant now, List<StageTrace> trace) {
        Map<String, String> a = request.getAttributes();
        boolean rotate = Boolean.parseBoolean(a.get(BioServerContract.IMAGE_ROTATION_ENABLED));
        String referenceType = imageType(a.get(BioServerContract.REFERENCE_IMAGE_TYPE), "referenceImageType");
        String candidateType = imageType(a.get(BioServerContract.CANDIDATE_IMAGE_TYPE), "candidateImageType");
        byte[] referenceImage = Envelopes.part(request, BioServerContract.REFERENCE_IMAGE_PART)
                .orElseThrow(() -> BioServerFailure.badRequest("The referenceImage is missing"));
        byte[] candidateImage = Envelopes.part(request, BioServerContract.CANDIDATE_IMAGE_PART)
                .orElseThrow(() -> BioServerFailure.badRequest("The candidateImage is missing"));
        CodedFace reference = coder.code(referenceImage, referenceType, rotate);
        CodedFace candidate = coder.code(candidateImage, candidateType, rotate);
        String rotation = a.get(BioServerContract.IMAGE_ROTATION_ENABLED);
        ObjectNode referenceJson = BioServerJson.face(newFace(UUID.randomUUID().toString(), null, null, referenceType, reference, rotation, now), null, null);
        ObjectNode candidateJson = BioServerJson.face(newFace(UUID.randomUUID().toString(), null, null, candidateType, candidate, rotation, now), null, null);
        return ok(request, trace, 200, BioServerJson.match(referenceJson, candidateJson, scores(reference.template(), candidate.template()),
                a.get(BioServerContract.CORRELATION_ID), a.get(BioServerContract.EVIDENCE_ID), now, null));
    }

    private ResultEvent match(RequestEnvelope request, Instant now, List<StageTrace> trace) {
        Map<String, String> a = request.getAttributes();
        ImportedFace reference = importedFace(request);
        String candidateType = imageType(a.get(BioServerContract.CANDIDATE_IMAGE_TYPE), "candidateImageType");
        byte[] candidateImage = Envelopes.part(request, BioServerContract.CANDIDATE_IMAGE_PART)
                .orElseThrow(() -> BioServerFailure.badRequest("The candidateImage is missing"));
        CodedFace candidate = coder.code(candidateImage, candidateType, Boolean.parseBoolean(a.get(BioServerContract.IMAGE_ROTATION_ENABLED)));
        ObjectNode referenceJson = BioServerJson.face(reference.face(), null, null);
        ObjectNode candidateJson = BioServerJson.face(newFace(UUID.randomUUID().toString(), null, null, candidateType, candidate,
                a.get(BioServerContract.IMAGE_ROTATION_ENABLED), now), null, null);
        return ok(request, trace, 200, BioServerJson.match(referenceJson, candidateJson, scores(reference.template(), candidate.template()),
                a.get(BioServerContract.CORRELATION_ID), a.get(BioServerContract.EVIDENCE_ID), now, null));
    }

    private ResultEvent ages(RequestEnvelope request, Instant now, List<StageTrace> trace) {
        Map<String, String> a = request.getAttributes();
        byte[] image = Envelopes.part(request, BioServerContract.IMAGE_PART)
                .orElseThrow(() -> BioServerFailure.badRequest("The image is missing"));
        int threshold = (int) parseLong(a.get(BioServerContract.THRESHOLD), "threshold");
        String imageType = a.getOrDefault(BioServerContract.IMAGE_TYPE, "SELFIE");
        if (!imageType.equals("SELFIE") && !imageType.equals("VIDEO_FRAME")) {
            throw BioServerFailure.badRequest("imageType must be SELFIE or VIDEO_FRAME");
        }
        AgeEstimate estimate = coder.analyzer().estimateAge(image);
        ObjectNode node = BioServerJson.JSON.createObjectNode();
        node.put("id", request.getRequestId());
        if (estimate.age().isPresent()) {
            // one decimal, as the seed's example; the answer's two fields agree with each other
            double age = Math.round(estimate.age().getAsDouble() * 10) / 10.0;
            node.put("aboveThreshold", age >= threshold);
            node.put("ageEstimated", age);
        }
        node.put("threshold", threshold);
        node.put("digest", FaceCoder.digest(image));
        node.put("imageType", imageType);
        node.put("quality", estimate.quality());
        node.put("created", BioServerJson.datetime(now));
        return ok(request, trace, 200, node);
    }

    // ------------------------------------------------------------------ helpers

    /** A face for an answer only (no session): its template is not kept. */
    private BioServerFace newFace(String id, String friendlyName, String mode, String imageType, CodedFace coded, String rotation,
                                  Instant now) {
        return coded.toFace(id, friendlyName, mode, imageType, bool(rotation), "", coder.templateVersion(), now);
    }

    /** An earlier Face (part {@code face}): its fields, and its template checked against this installation's. */
    record ImportedFace(BioServerFace face, Template template) {
    }

    private ImportedFace importedFace(RequestEnvelope request) {
        byte[] json = Envelopes.part(request, BioServerContract.FACE_PART)
                .orElseThrow(() -> BioServerFailure.badRequest("The face is missing"));
        JsonNode node;
        try {
            node = BioServerJson.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw BioServerFailure.badRequest("The face is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw BioServerFailure.badRequest("The face must be a JSON object");
        }
        String template = text(node, "template");
        if (template == null || template.isEmpty()) {
            throw BioServerFailure.badRequest("The face has no template");
        }
        JsonNode version = node.get("templateVersion");
        if (version == null || !version.canConvertToInt()) {
            throw BioServerFailure.badRequest("The face has no templateVersion");
        }
        if (version.asInt() != coder.templateVersion()) {
            throw BioServerFailure.badRequest("Unsupported templateVersion " + version.asInt() + ": this server codes templateVersion "
                    + coder.templateVersion());
        }
        Template decoded = coder.analyzer().decodeTemplate(template);
        String imageType = imageType(text(node, "imageType"), "imageType");
        JsonNode quality = node.get("quality");
        JsonNode eyes = node.path("landmarks").path("eyes");
        JsonNode box = node.path("landmarks").path("box");
        JsonNode rotation = node.get("imageRotationEnabled");
        String id = text(node, "id");
        BioServerFace face = BioServerFace.newBuilder()
                .setId(id == null ? UUID.randomUUID().toString() : id)
                .setFriendlyName(text(node, "friendlyName"))
                .setDigest(text(node, "digest"))
                .setMode(mode(text(node, "mode")))
                .setImageType(imageType)
                .setQuality(quality != null && quality.isNumber() ? quality.asDouble() : 0)
                .setEyes(eyes.isObject() ? List.of(eyes.path("x1").asDouble(), eyes.path("y1").asDouble(), eyes.path("x2").asDouble(),
                        eyes.path("y2").asDouble()) : null)
                .setBox(box.isObject() ? List.of(box.path("x").asInt(), box.path("y").asInt(), box.path("width").asInt(),
                        box.path("height").asInt()) : null)
                .setTemplate("")
                .setTemplateVersion(version.asInt())
                .setImageRotationEnabled(rotation != null && rotation.isBoolean() ? rotation.asBoolean() : null)
                .setCreatedAt(Instant.now())
                .build();
        return new ImportedFace(face, decoded);
    }

    private BioServerScores scores(Template a, Template b) {
        return BioServerScores.of(coder.analyzer().compareBioServer(a, b));
    }

    private static String faceId(RequestEnvelope request) {
        String faceId = request.getAttributes().get(BioServerContract.FACE_ID);
        if (BioServerContract.sessionKey(faceId) == null) {
            throw BioServerFailure.badRequest("Invalid face id");
        }
        return faceId;
    }

    static String faceKey(BioServerSession session, String faceId) {
        return BioServerContract.sessionKey(session.getId()) + "/" + faceId;
    }

    private static String sealTemplate(String tenant, String key, String template) {
        return PayloadKeys.shared().sealText(tenant, Purpose.TEMPLATE, key, template);
    }

    private static String openTemplate(String tenant, String key, String sealed) {
        return PayloadKeys.shared().openText(tenant, Purpose.TEMPLATE, key, sealed);
    }

    static String imageType(String value, String field) {
        if (value == null || !BioServerContract.IMAGE_TYPES.contains(value)) {
            throw BioServerFailure.badRequest(field + " must be one of " + String.join(", ", BioServerContract.IMAGE_TYPES));
        }
        return value;
    }

    private static String mode(String mode) {
        return mode == null || mode.isBlank() ? DEFAULT_MODE : mode;
    }

    private static Boolean bool(String value) {
        return value == null ? null : Boolean.parseBoolean(value);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static long parseLong(String value, String field) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException | NullPointerException e) {
            throw BioServerFailure.badRequest(field + " must be an integer");
        }
    }

    private static ResultEvent created(RequestEnvelope request, List<StageTrace> trace) {
        return ok(request, trace, 201, null);
    }

    static ResultEvent ok(RequestEnvelope request, List<StageTrace> trace, int status, JsonNode body) {
        String json;
        try {
            json = body == null ? "{}" : BioServerJson.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ApiResponse response = Sealing.apiResponse(request, status, json);
        return Results.resultFor(request, trace).setPayload(response).build();
    }
}
