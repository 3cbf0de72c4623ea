package io.openbio.processors.lcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.bundle.BundleException;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.KeyResolver;
import io.openbio.bundle.format.BundleFormat;
import io.openbio.events.ApiResponse;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.ChallengeOutcome;
import io.openbio.events.LcpAuditEvent;
import io.openbio.events.LcpReference;
import io.openbio.events.LcpSession;
import io.openbio.events.NonceIssued;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.Signal;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.processors.capture.CaptureSignals;
import io.openbio.processors.capture.DecryptProcessor;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.Envelopes;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.Sealing;
import io.openbio.processors.core.ServerKeys;
import io.openbio.processors.core.Stages;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.LcpContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import io.openbio.schemas.serde.EventSerdes;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The Liveness Check Proxy stage (seed 001): {@code /liveness/init}, {@code /liveness/verify} (image
 * style) and the users' reference faces ({@code /admin/users/...}).
 *
 * <ul>
 * <li><b>Reference faces</b> come from {@link References}: the built-in user store (the compacted
 * {@link Topics#LCP_REFERENCES} as a GLOBAL store, so every task sees every user whatever a request is
 * keyed by) or the remote user-details provider. This stage is the store's only writer.</li>
 * <li><b>init</b> resolves the user's reference face (USER_DETAILS_MISSING, INITIATION_ERROR,
 * USER_NOT_ENROLLED, ERROR_REMOTE) and answers {@code {"initiationType":"NONE","reference":null}}.</li>
 * <li><b>verify</b> resolves the reference, runs the models on the probe ({@link LcpDecision#analyse})
 * and decides ({@link LcpDecision#decide}). A probe that is a capture bundle is decrypted here, its
 * injection signals evaluated, and its nonce use goes through the nonce stage (single use across every
 * capture API of the platform) and back on {@link Topics#LCP_CAPTURES}, carrying the evidence in its
 * request attributes: the decision is made when the verdict arrives.</li>
 * <li><b>audit</b>: one {@link LcpAudit} event per step on {@link Topics#LCP_AUDIT}; the figures of
 * each answer also go to the platform audit ({@link Results#publish}).</li>
 * </ul>
 *
 * <p>The topology: two inputs (requests, captures back from the nonce stage) become {@link Step}s,
 * each fanning out to the result, the audit events, a user-store write and a nonce use.
 */
public final class LcpVerifyProcessor implements StreamProcessor {
    public static final String NAME = LcpContract.VERIFY.name();
    public static final String STORE = "lcp-references";
    public static final TopicSpec<LcpReference> GLOBAL_INPUT = Topics.LCP_REFERENCES;
    /** Request attributes and parts the gateway sets. */
    public static final String USER_ID = "userId";
    public static final String REFERENCE = "reference";
    public static final String IMAGE_PART = "image";
    /** Token style: the token of {@code GET /liveness/challenge/{token}} and {@code POST /liveness/capture/{token}}. */
    public static final String TOKEN = "token";
    /** init: the caller's choice of style (TOKEN or NONE), else the setting. */
    public static final String INITIATION_TYPE = "initiationType";
    /** The capture bundle part of {@code POST /liveness/capture/{token}}. */
    public static final String BUNDLE_PART = DecryptProcessor.BUNDLE_PART;
    /** This task's token sessions ({@link Topics#LCP_SESSIONS}) and challenge outcomes ({@link Topics#CHALLENGE_OUTCOMES}). */
    public static final String SESSIONS = "lcp-sessions";
    public static final String OUTCOMES = "lcp-challenge-outcomes";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LcpSettings settings;
    private final Supplier<FaceAnalyzer> analyzer;
    private final Supplier<KeyResolver> keys;
    private final References remote;
    private final TokenStyle tokens;

    public LcpVerifyProcessor() {
        this(LcpSettings.fromEnvironment(), Analyzers::shared, ServerKeys::shared);
    }

    public LcpVerifyProcessor(LcpSettings settings, Supplier<FaceAnalyzer> analyzer, Supplier<KeyResolver> keys) {
        this.settings = settings;
        this.analyzer = analyzer;
        this.keys = keys;
        this.remote = settings.remoteUserDetails() ? new RemoteUserDetails(settings.userDetailsUrl(), settings.userDetailsTimeout()) : null;
        this.tokens = new TokenStyle(settings, analyzer);
    }

    @Override
    public Stage stage() {
        return LcpContract.VERIFY;
    }

    /** The partitioned inputs (they bound the useful pod count), less the global {@link #GLOBAL_INPUT}. */
    @Override
    public List<TopicSpec<?>> inputs() {
        return stage().inputs().stream().filter(topic -> !topic.equals(GLOBAL_INPUT)).toList();
    }

    /**
     * What one record becomes: the request's result (null while a capture waits for its nonce verdict),
     * audit events, a user-store write ({@code referenceKey} with a null {@code reference}: a tombstone)
     * and a capture's nonce use.
     */
    record Step(ResultEvent result, List<KeyValue<String, LcpAuditEvent>> audits, String referenceKey, LcpReference reference,
                CaptureAnalysis nonceUse, NonceIssued nonce, LcpSession session, RequestEnvelope forward) {
        Step(ResultEvent result, List<KeyValue<String, LcpAuditEvent>> audits, String referenceKey, LcpReference reference,
             CaptureAnalysis nonceUse) {
            this(result, audits, referenceKey, reference, nonceUse, null, null, null);
        }

        static Step answer(ResultEvent result, List<KeyValue<String, LcpAuditEvent>> audits) {
            return new Step(result, audits, null, null, null);
        }
    }

    /**
     * What a step reads: the global user store, and this task's token sessions and challenge outcomes
     * (both keyed by token, co-partitioned with the token-keyed requests).
     */
    record State(StoredReferences references, KeyValueStore<String, LcpSession> sessions, KeyValueStore<String, ChallengeOutcome> outcomes) {
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                        Serdes.String(), GLOBAL_INPUT.valueSerde(serdes)).withLoggingDisabled(),
                GLOBAL_INPUT.name(), GLOBAL_INPUT.consumed(serdes).withName("lcp-references-source"), () -> io.openbio.processors.core.StoreMirror.<LcpReference>of(STORE));

        // token style: sessions and challenge outcomes, keyed by token, read back into this task's stores
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SESSIONS),
                Serdes.String(), Topics.LCP_SESSIONS.valueSerde(serdes)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OUTCOMES),
                Serdes.String(), Topics.CHALLENGE_OUTCOMES.valueSerde(serdes)));
        builder.stream(Topics.LCP_SESSIONS.name(), Topics.LCP_SESSIONS.consumed(serdes).withName("lcp-sessions-source"))
                .process(TokenStyle.SessionRegistrar::new, SESSIONS);
        builder.stream(Topics.CHALLENGE_OUTCOMES.name(), Topics.CHALLENGE_OUTCOMES.consumed(serdes).withName("lcp-outcomes-source"))
                .process(TokenStyle::outcomes, OUTCOMES);

        KStream<String, Step> requests = builder
                .stream(Topics.LCP_REQUESTS.name(), Topics.LCP_REQUESTS.consumed(serdes).withName("lcp-requests"))
                .filter((key, request) -> request != null)
                .processValues(() -> new Handler<RequestEnvelope>(this::request), SESSIONS, OUTCOMES);
        KStream<String, Step> captures = builder
                .stream(Topics.LCP_CAPTURES.name(), Topics.LCP_CAPTURES.consumed(serdes).withName("lcp-captures"))
                .filter((key, capture) -> capture != null)
                .processValues(() -> new Handler<CaptureAnalysis>((capture, state) -> capture(capture)), SESSIONS, OUTCOMES);
        KStream<String, Step> steps = requests.merge(captures);

        Results.publish(steps.filter((k, s) -> s.result() != null).mapValues(Step::result), serdes);
        steps.flatMap((k, s) -> s.audits()).to(Topics.LCP_AUDIT.name(), Topics.LCP_AUDIT.produced(serdes));
        steps.filter((k, s) -> s.referenceKey() != null)
                .map((k, s) -> KeyValue.pair(s.referenceKey(), s.reference()))
                .to(GLOBAL_INPUT.name(), GLOBAL_INPUT.produced(serdes));
        steps.filter((k, s) -> s.nonceUse() != null)
                .map((k, s) -> KeyValue.pair(s.nonceUse().getNonce(), s.nonceUse()))
                .to(Topics.CAPTURE_DECRYPTED.name(), Topics.CAPTURE_DECRYPTED.produced(serdes));
        steps.filter((k, s) -> s.nonce() != null)
                .map((k, s) -> KeyValue.pair(s.nonce().getNonce(), s.nonce()))
                .to(Topics.CAPTURE_NONCES.name(), Topics.CAPTURE_NONCES.produced(serdes));
        steps.filter((k, s) -> s.session() != null)
                .map((k, s) -> KeyValue.pair(s.session().getToken(), s.session()))
                .to(Topics.LCP_SESSIONS.name(), Topics.LCP_SESSIONS.produced(serdes));
        steps.filter((k, s) -> s.forward() != null)
                .map((k, s) -> KeyValue.pair(s.forward().getRequestId(), s.forward()))
                .to(Topics.CHALLENGE_REQUESTS.name(), Topics.CHALLENGE_REQUESTS.produced(serdes));
        return builder.build();
    }

    @FunctionalInterface
    interface StepFunction<V> {
        Step apply(V value, State state);
    }

    /** Runs a step function with this task's view of the global user store and its token stores. */
    static final class Handler<V> implements FixedKeyProcessor<String, V, Step> {
        private final StepFunction<V> function;
        private FixedKeyProcessorContext<String, Step> context;
        private State state;

        Handler(StepFunction<V> function) {
            this.function = function;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, Step> context) {
            this.context = context;
            KeyValueStore<String, LcpReference> kv = context.getStateStore(STORE);
            this.state = new State(new StoredReferences(kv), context.getStateStore(SESSIONS), context.getStateStore(OUTCOMES));
        }

        @Override
        public void process(FixedKeyRecord<String, V> record) {
            context.forward(record.withValue(function.apply(record.value(), state)));
        }
    }

    // ------------------------------------------------------------------ requests

    Step request(RequestEnvelope request, State state) {
        List<StageTrace> trace = List.of(Results.trace(NAME));
        List<KeyValue<String, LcpAuditEvent>> audits = new ArrayList<>();
        String userId = request.getAttributes().get(USER_ID);
        StoredReferences store = state.references();
        try {
            String operation = request.getOperation();
            if (LcpContract.CHALLENGE_GET.equals(operation)) {
                return tokens.challenge(request, state, trace);
            } else if (LcpContract.CAPTURE.equals(operation)) {
                return tokens.capture(request, state, trace);
            }
            if (userId == null || userId.isBlank()) {
                throw LcpFailure.request("Invalid request parameters: 'userId' is required.");
            }
            if (LcpContract.INIT.equals(operation)) {
                return init(request, userId, store, trace, audits);
            } else if (LcpContract.VERIFY_OPERATION.equals(operation)) {
                byte[] image = Envelopes.part(request, IMAGE_PART).orElse(null);
                String token = request.getAttributes().get(REFERENCE);
                if ((image == null || image.length == 0) && token != null) {
                    audits.add(LcpAudit.verify(request, userId));
                    return tokens.verify(request, userId, token, references(store), state, trace, audits);
                }
                return verify(request, userId, store, trace, audits);
            } else if (LcpContract.REFERENCE_PUT.equals(operation)) {
                return putReference(request, userId, store, trace, audits);
            } else if (LcpContract.REFERENCE_GET.equals(operation)) {
                return getReference(request, userId, store, trace);
            } else if (LcpContract.REFERENCE_DELETE.equals(operation) || LcpContract.USER_DELETE.equals(operation)) {
                return delete(request, userId, store, trace, audits);
            }
            throw LcpFailure.request("Invalid request parameters: unknown operation " + operation + ".");
        } catch (LcpFailure e) {
            if (userId != null && !userId.isBlank() && (LcpContract.INIT.equals(request.getOperation())
                    || LcpContract.VERIFY_OPERATION.equals(request.getOperation()))) {
                audits.add(LcpAudit.error(request, userId, e));
            }
            return Step.answer(Results.error(request, trace, e.status(), e.code(), e.getMessage()), audits);
        } catch (InferenceException e) {
            return Step.answer(Stages.inferenceError(request, trace, e), audits);
        } catch (RuntimeException e) {
            return Step.answer(Stages.unexpected(NAME, request, trace, e), audits);
        }
    }

    References references(StoredReferences store) {
        return remote != null ? remote : store;
    }

    private Step init(RequestEnvelope request, String userId, StoredReferences store, List<StageTrace> trace,
                      List<KeyValue<String, LcpAuditEvent>> audits) {
        audits.add(LcpAudit.init(request, userId));
        References.Reference reference = references(store).resolve(request.getTenant(), userId);
        if (!reference.hasImage()) {
            throw LcpFailure.initiation();
        }
        References.template(analyzer.get(), reference);
        String type = request.getAttributes().getOrDefault(INITIATION_TYPE, settings.initiationType());
        if (LcpSettings.TOKEN.equals(type)) {
            return tokens.init(request, userId, reference, trace, audits);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("initiationType", LcpSettings.NONE);
        // image style: the seed's "reference parameter is empty" is JSON null (no value), not ""
        body.put("reference", null);
        Map<String, String> summary = Map.of("initiationType", LcpSettings.NONE, "referenceSource", reference.source());
        return Step.answer(answer(request, trace, 200, body, summary, List.of()), audits);
    }

    private Step verify(RequestEnvelope request, String userId, StoredReferences store, List<StageTrace> trace,
                        List<KeyValue<String, LcpAuditEvent>> audits) {
        audits.add(LcpAudit.verify(request, userId));
        byte[] image = Envelopes.part(request, IMAGE_PART).orElse(null);
        if (image == null || image.length == 0) {
            throw LcpFailure.request("Invalid request parameters: 'livenessRecord.image' is required.");
        }
        References.Reference reference = references(store).resolve(request.getTenant(), userId);
        if (!reference.hasImage()) {
            throw LcpFailure.verification();
        }
        Template template = References.template(analyzer.get(), reference);
        if (!isBundle(image)) {
            audits.add(LcpAudit.probe(request, userId, image, reference.image()));
            LcpDecision.Evidence evidence = LcpDecision.analyse(analyzer.get(), image, template);
            return decided(request, userId, evidence, List.of(), image, trace, audits);
        }
        CaptureBundle bundle;
        String kid;
        try {
            kid = BundleReader.header(image).kid();
            bundle = BundleReader.read(image, keys.get());
        } catch (BundleException e) {
            throw LcpFailure.request("Invalid request parameters: livenessRecord.image is a capture bundle that cannot be read ("
                    + e.apiMessage() + ").");
        }
        byte[] probe = bundle.frames().get(0).image();
        audits.add(LcpAudit.probe(request, userId, probe, reference.image()));
        LcpDecision.Evidence evidence = LcpDecision.analyse(analyzer.get(), probe, template);
        CaptureAnalysis capture = DecryptProcessor.analysis(request, kid, bundle, trace);
        List<Signal> signals = new ArrayList<>(CaptureSignals.evaluate(capture));
        Map<String, String> attributes = new HashMap<>(capture.getEnvelope().getAttributes());
        attributes.putAll(evidence.toAttributes());
        CaptureAnalysis nonceUse = CaptureAnalysis.newBuilder(capture)
                .setEnvelope(RequestEnvelope.newBuilder(capture.getEnvelope()).setAttributes(attributes).build())
                // the nonce stage reads no frame; the first one comes back only when it is to be answered
                .setFrames(settings.returnSelfie() ? List.of(capture.getFrames().get(0)) : List.of())
                .setSignals(signals)
                .build();
        return new Step(null, audits, null, null, nonceUse);
    }

    /** A capture bundle starts with the bundle format's magic ({@code bundle/SPEC.md}); anything else is taken as an image. */
    static boolean isBundle(byte[] bytes) {
        return bytes.length >= BundleFormat.MAGIC.length
                && Arrays.equals(bytes, 0, BundleFormat.MAGIC.length, BundleFormat.MAGIC, 0, BundleFormat.MAGIC.length);
    }

    /** A bundle's verify, back from the nonce stage with the nonce signal: the decision. */
    Step capture(CaptureAnalysis capture) {
        RequestEnvelope request = capture.getEnvelope();
        List<StageTrace> trace = new ArrayList<>(capture.getTrace());
        trace.add(Results.trace(NAME));
        List<KeyValue<String, LcpAuditEvent>> audits = new ArrayList<>();
        try {
            String userId = request.getAttributes().get(USER_ID);
            LcpDecision.Evidence evidence = LcpDecision.Evidence.fromAttributes(request.getAttributes());
            if (userId == null || evidence == null) {
                throw new IllegalStateException("a capture without its verification evidence");
            }
            byte[] selfie = capture.getFrames().isEmpty() ? null : Sealing.frame(capture, capture.getFrames().get(0));
            return decided(bare(request), userId, evidence, withNonceTiming(capture), selfie, trace, audits);
        } catch (RuntimeException e) {
            return Step.answer(Stages.unexpected(NAME, request, trace, e), audits);
        }
    }

    /**
     * The capture's signals, its timing checked again now that the nonce stage has set when the nonce
     * was issued (a capture that started before its nonce existed was not made for this request).
     */
    static List<Signal> withNonceTiming(CaptureAnalysis capture) {
        return CaptureSignals.withNonceTiming(capture);
    }

    /** The request as answered: without the evidence attributes. */
    private static RequestEnvelope bare(RequestEnvelope request) {
        Map<String, String> attributes = new HashMap<>(request.getAttributes());
        attributes.keySet().removeIf(k -> k.startsWith(LcpDecision.PREFIX));
        return RequestEnvelope.newBuilder(request).setAttributes(attributes).setParts(List.of()).build();
    }

    Step decided(RequestEnvelope request, String userId, LcpDecision.Evidence evidence, List<Signal> signals, byte[] probe,
                         List<StageTrace> trace, List<KeyValue<String, LcpAuditEvent>> audits) {
        LcpDecision.Decision decision = LcpDecision.decide(evidence, signals, settings);
        audits.add(LcpAudit.result(request, userId, decision.result(), decision.figures()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", decision.result());
        body.put("selfie", settings.returnSelfie() && probe != null ? Base64.getEncoder().encodeToString(probe) : null);
        return Step.answer(answer(request, trace, 200, body, decision.figures(), decision.signals()), audits);
    }

    // ------------------------------------------------------------------ the built-in user store

    private void requireBuiltInStore() {
        if (remote != null) {
            throw LcpFailure.request("Invalid request parameters: reference faces come from the user-details provider"
                    + " (OPENBIO_LCP_USER_DETAILS_URL is set); the built-in user store is off.");
        }
    }

    private Step putReference(RequestEnvelope request, String userId, StoredReferences store, List<StageTrace> trace,
                              List<KeyValue<String, LcpAuditEvent>> audits) {
        requireBuiltInStore();
        byte[] image = Envelopes.part(request, IMAGE_PART).orElse(null);
        if (image == null || image.length == 0) {
            throw LcpFailure.request("Invalid request parameters: the reference image is missing.");
        }
        Template template = referenceTemplate(image);
        String tenant = request.getTenant();
        String key = LcpContract.userKey(tenant, userId);
        Instant now = Instant.now();
        LcpReference record = LcpReference.newBuilder()
                .setTenant(tenant).setUserId(userId)
                .setImage(ByteBuffer.wrap(PayloadKeys.shared().seal(tenant, Purpose.IMAGE, key, image)))
                .setTemplate(PayloadKeys.shared().sealText(tenant, Purpose.TEMPLATE, key, template.encode()))
                .setModelId(template.modelId()).setModelVersion(template.modelVersion())
                .setUpdatedAt(now).setRequestId(request.getRequestId())
                .build();
        Map<String, String> params = Map.of("modelId", template.modelId(), "modelVersion", template.modelVersion());
        audits.add(LcpAudit.reference(request, userId, image, params));
        ResultEvent result = answer(request, trace, 200, metadata(record), params, List.of());
        return new Step(result, audits, key, record, null);
    }

    /** The template of an uploaded reference image, which must show exactly one usable face (400 otherwise). */
    private Template referenceTemplate(byte[] image) {
        try {
            DecodedImage decoded = analyzer.get().decode(image);
            return analyzer.get().embed(decoded, analyzer.get().detect(decoded));
        } catch (InferenceException e) {
            String why = switch (e.code()) {
                case INVALID_IMAGE, IMAGE_TRUNCATED -> "it is not a JPEG or PNG image";
                case IMAGE_TOO_LARGE -> "its dimensions exceed the limit";
                case FACE_NOT_FOUND -> "no face was found in it";
                case MULTIPLE_FACES -> "it shows more than one face";
                case FACE_TOO_SMALL -> "its face is too small (under 32 px between the eyes)";
                default -> throw e;
            };
            throw LcpFailure.request("Invalid request parameters: the reference image must show exactly one face, and " + why + ".");
        }
    }

    private Step getReference(RequestEnvelope request, String userId, StoredReferences store, List<StageTrace> trace) {
        requireBuiltInStore();
        LcpReference record = store.record(request.getTenant(), userId);
        if (record == null || record.getImage() == null) {
            throw LcpFailure.notFound("No reference image for userId=" + userId + ".");
        }
        return Step.answer(answer(request, trace, 200, metadata(record), Map.of(), List.of()), List.of());
    }

    private Step delete(RequestEnvelope request, String userId, StoredReferences store, List<StageTrace> trace,
                        List<KeyValue<String, LcpAuditEvent>> audits) {
        requireBuiltInStore();
        LcpReference record = store.record(request.getTenant(), userId);
        boolean wholeUser = LcpContract.USER_DELETE.equals(request.getOperation());
        if (record == null || (!wholeUser && record.getImage() == null)) {
            throw LcpFailure.notFound(wholeUser ? "No user details for userId=" + userId + "." : "No reference image for userId=" + userId + ".");
        }
        String key = LcpContract.userKey(request.getTenant(), userId);
        ResultEvent result = answer(request, trace, 204, null, Map.of(), List.of());
        if (wholeUser) {
            audits.add(LcpAudit.userDeleted(request, userId));
            return new Step(result, audits, key, null, null);
        }
        LcpReference withoutFace = LcpReference.newBuilder(record).setImage(null).setTemplate(null).setModelId(null)
                .setModelVersion(null).setUpdatedAt(Instant.now()).setRequestId(request.getRequestId()).build();
        audits.add(LcpAudit.referenceDeleted(request, userId));
        return new Step(result, audits, key, withoutFace, null);
    }

    /** What GET and PUT answer about a reference: never the image. */
    static Map<String, Object> metadata(LcpReference record) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", record.getUserId());
        body.put("modelId", record.getModelId());
        body.put("modelVersion", record.getModelVersion());
        body.put("updatedAt", record.getUpdatedAt().toEpochMilli());
        return body;
    }

    // ------------------------------------------------------------------ answers

    static ResultEvent answer(RequestEnvelope request, List<StageTrace> trace, int status, Map<String, Object> body,
                                      Map<String, String> summary, List<Signal> signals) {
        String json;
        try {
            json = body == null ? "{}" : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ApiResponse response = Sealing.apiResponse(request, status, json);
        response.setSummary(new HashMap<>(summary));
        response.setSignals(new ArrayList<>(signals));
        return Results.resultFor(request, trace).setPayload(response).build();
    }
}
