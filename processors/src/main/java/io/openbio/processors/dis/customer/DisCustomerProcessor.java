package io.openbio.processors.dis.customer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.ApiResponse;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.DisCustomer;
import io.openbio.events.DisSelfie;
import io.openbio.events.DisSession;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.attributes.FaceAttributes;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;
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
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.settings.Settings;
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
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The dis-customers stage (Digital Identity Service, seed 004): customers, their selfie, and DIS sessions.
 *
 * <p><b>State.</b> Three stores, changelogged to Kafka (compacted), so a restarted or moved task loses nothing:
 * <ul>
 *   <li>{@value #CUSTOMERS}: one small {@link DisCustomer} per customer under its <em>customer store key</em>,
 *       {@code <session id>/<customer id>} for a customer created under a DIS session, else the customer id;</li>
 *   <li>{@value #PARTS}: the customer's big parts (images), sealed, one entry each under
 *       {@code <customer store key>/<part>} ({@link CustomerParts});</li>
 *   <li>{@value #SESSIONS}: {@link DisSession} under the session id (hex SHA-256 of the token).</li>
 * </ul>
 * Requests are keyed by {@link DisContract#customerKey}: a session's customers are in the session's task,
 * so DELETE /sessions deletes the session and its customers by prefix in one task; a request for such a
 * customer without the session's token (or with another) reads another key and answers 404.
 *
 * <p><b>Expiry.</b> A customer expires {@code OPENBIO_DIS_CUSTOMER_TTL_SECONDS} after its creation, or with
 * its session; a session after its {@code timeout}. Reads past an expiry answer 404 at once; a wall-clock
 * punctuation (every {@code OPENBIO_DIS_EXPIRY_SWEEP_MS}) deletes what expired with its parts.
 *
 * <p><b>Answers</b> are ready-made DIS JSON ({@link ApiResponse}); errors carry a reference {@code errorCode}
 * ({@link DisFailure}). The selfie's age and gender come from the face models (fr_age, fr_gender).
 */
public final class DisCustomerProcessor implements StreamProcessor {
    public static final String NAME = DisContract.CUSTOMERS.name();
    public static final String CUSTOMERS = "dis-customer-records";
    public static final String PARTS = "dis-customer-parts";
    public static final String SESSIONS = "dis-sessions";
    static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<FaceAnalyzer> analyzer;
    /** The liveness operations (DisLivenessOps) and the customer inspection (DisInspection). */
    private final DisLivenessOps liveness;
    private final DisInspection inspection;
    /** The document inspection (DisDocumentInspection). */
    private final DisDocumentInspection documentInspection;
    /** The document operations (DisDocumentOps). */
    private final DisDocumentOps documents;
    private final Duration customerTtl;
    private final Duration sweep;
    private final Clock clock;

    public DisCustomerProcessor() {
        this(Analyzers::shared, Duration.ofSeconds(Long.parseLong(KafkaSettings.setting(Settings.DIS_CUSTOMER_TTL_SECONDS).trim())),
                Duration.ofMillis(Long.parseLong(KafkaSettings.setting(Settings.DIS_EXPIRY_SWEEP_MS).trim())), Clock.systemUTC(),
                Double.parseDouble(KafkaSettings.setting(Settings.DIS_LOW_OCR_CONFIDENCE).trim()));
    }

    /** With the default low-OCR-confidence threshold ({@link DisDocumentInspection#LOW_OCR_CONFIDENCE}). */
    public DisCustomerProcessor(Supplier<FaceAnalyzer> analyzer, Duration customerTtl, Duration sweep, Clock clock) {
        this(analyzer, customerTtl, sweep, clock, DisDocumentInspection.LOW_OCR_CONFIDENCE);
    }

    /**
     * @param customerTtl how long a customer lives after its creation ({@code OPENBIO_DIS_CUSTOMER_TTL_SECONDS})
     * @param sweep       how often the punctuation deletes what expired
     * @param clock       what "now" is for creation and expiry (the punctuation runs on the wall clock and reads it)
     * @param lowOcrConfidence the document inspection's low-OCR-confidence threshold ({@code OPENBIO_DIS_LOW_OCR_CONFIDENCE})
     */
    public DisCustomerProcessor(Supplier<FaceAnalyzer> analyzer, Duration customerTtl, Duration sweep, Clock clock,
                                double lowOcrConfidence) {
        if (customerTtl.isNegative() || customerTtl.isZero()) {
            throw new IllegalArgumentException("OPENBIO_DIS_CUSTOMER_TTL_SECONDS must be positive");
        }
        if (sweep.isNegative() || sweep.isZero()) {
            throw new IllegalArgumentException("OPENBIO_DIS_EXPIRY_SWEEP_MS must be positive");
        }
        this.analyzer = analyzer;
        this.liveness = new DisLivenessOps(analyzer, io.openbio.processors.core.ServerKeys::shared);
        this.inspection = new DisInspection(analyzer);
        this.documentInspection = new DisDocumentInspection(analyzer, lowOcrConfidence);
        this.documents = new DisDocumentOps(analyzer);
        this.customerTtl = customerTtl;
        this.sweep = sweep;
        this.clock = clock;
    }

    @Override
    public Stage stage() {
        return DisContract.CUSTOMERS;
    }

    /** Ends the document reading's Tesseract engines (native memory); {@code ProcessorRuntime} calls it after the stream threads stopped. */
    @Override
    public void close() {
        documents.close();
    }

    @Override
    public Topology topology(io.openbio.schemas.serde.EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        Map<String, String> changelog = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(PayloadLimits.MAX_MESSAGE_BYTES));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CUSTOMERS), Serdes.String(),
                serdes.valueSerde(DisCustomer.class)).withLoggingEnabled(changelog));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PARTS), Serdes.String(),
                Serdes.ByteArray()).withLoggingEnabled(changelog));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SESSIONS), Serdes.String(),
                serdes.valueSerde(DisSession.class)).withLoggingEnabled(changelog));
        KStream<String, Step> requests = builder
                .stream(Topics.DIS_CUSTOMERS.name(), Topics.DIS_CUSTOMERS.consumed(serdes).withName("dis-customer-requests"))
                .filter((key, request) -> request != null)
                .processValues(() -> new Handler<RequestEnvelope>(this::handle, true), CUSTOMERS, PARTS, SESSIONS);
        // liveness records back from the nonce stage, keyed by customer key as the requests are (same partitions)
        KStream<String, Step> captures = builder
                .stream(Topics.DIS_CAPTURES.name(), Topics.DIS_CAPTURES.consumed(serdes).withName("dis-customer-captures"))
                .filter((key, capture) -> capture != null)
                .processValues(() -> new Handler<CaptureAnalysis>(this::captured, false), CUSTOMERS, PARTS, SESSIONS);
        KStream<String, Step> steps = requests.merge(captures);
        Results.publish(steps.filter((k, step) -> step.result() != null).mapValues(Step::result), serdes);
        steps.filter((k, step) -> step.nonceUse() != null)
                .map((k, step) -> KeyValue.pair(step.nonceUse().getNonce(), step.nonceUse()))
                .to(Topics.CAPTURE_DECRYPTED.name(), Topics.CAPTURE_DECRYPTED.produced(serdes));
        return builder.build();
    }

    /** One task's stores. */
    public record State(KeyValueStore<String, DisCustomer> customers, CustomerParts parts, KeyValueStore<String, DisSession> sessions) {
    }

    /**
     * What one record becomes: the request's answer, or (a liveness record's first pass) the capture's nonce use for
     * the nonce stage, answered when it comes back on {@link Topics#DIS_CAPTURES}.
     */
    public record Step(ResultEvent result, CaptureAnalysis nonceUse) {
        static Step answer(ResultEvent result) {
            return new Step(result, null);
        }
    }

    @FunctionalInterface
    interface StepFunction<V> {
        Step apply(V value, State state, Instant now);
    }

    final class Handler<V> implements FixedKeyProcessor<String, V, Step> {
        private final StepFunction<V> function;
        private final boolean sweeps;
        private FixedKeyProcessorContext<String, Step> context;
        private State state;

        /** @param sweeps whether this one schedules the expiry sweep (one per task) */
        Handler(StepFunction<V> function, boolean sweeps) {
            this.function = function;
            this.sweeps = sweeps;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, Step> context) {
            this.context = context;
            this.state = new State(context.getStateStore(CUSTOMERS), new CustomerParts(context.getStateStore(PARTS)),
                    context.getStateStore(SESSIONS));
            if (sweeps) {
                context.schedule(sweep, PunctuationType.WALL_CLOCK_TIME, now -> sweep(state, clock.instant()));
            }
        }

        @Override
        public void process(FixedKeyRecord<String, V> record) {
            context.forward(record.withValue(function.apply(record.value(), state, clock.instant())));
        }
    }

    // ------------------------------------------------------------------ dispatch

    Step handle(RequestEnvelope request, State state, Instant now) {
        List<StageTrace> trace = List.of(Results.trace(NAME));
        try {
            if (DisContract.LIVENESS_RECORD_ADD.equals(request.getOperation())) {
                return liveness.addRecord(request, state, now, trace);
            }
            return Step.answer(switch (request.getOperation()) {
                case DisContract.SESSION_CREATE -> createSession(request, state, now, trace);
                case DisContract.SESSION_DELETE -> deleteSession(request, state, trace);
                case DisContract.CUSTOMER_CREATE -> createCustomer(request, state, now, trace);
                case DisContract.CUSTOMER_GET -> ok(request, trace, 200, customerJson(customer(request, state, now), state, now));
                case DisContract.CUSTOMER_DELETE -> deleteCustomer(request, state, now, trace);
                case DisContract.CUSTOMER_STORE -> store(request, state, now, trace);
                case DisContract.SELFIE_PUT -> putSelfie(request, state, now, trace);
                case DisContract.SELFIE_GET -> getSelfie(request, state, now, trace);
                case DisContract.SELFIE_DELETE -> deleteSelfie(request, state, now, trace);
                case DisContract.CUSTOMER_IMAGE -> customerImage(request, state, now, trace);
                case DisContract.LIVENESS_PUT, DisContract.LIVENESS_DELETE, DisContract.LIVENESS_CHALLENGE, DisContract.LIVENESS_SELFIE_ADD,
                        DisContract.LIVENESS_SELFIES_RETRIEVE, DisContract.LIVENESS_RECORD_SELFIE,
                        DisContract.LIVENESS_EVALUATION -> liveness.handle(request, state, now, trace);
                case DisContract.CUSTOMER_INSPECT, DisContract.CUSTOMER_INSPECT_DISCLOSE -> inspection.handle(request, state, now, trace);
                case DisContract.DOCUMENT_PUT, DisContract.DOCUMENT_DELETE, DisContract.PAGE_PUT, DisContract.PAGE_GET, DisContract.PAGE_QUALITY,
                        DisContract.DOCUMENT_PORTRAIT, DisContract.CHIP_CHALLENGE, DisContract.CHIP_DATA_PUT, DisContract.CHIP_DATA_GET,
                        DisContract.CHIP_PORTRAIT, DisContract.DOCUMENT_CROP -> documents.handle(request, state, now, trace);
                case DisContract.DOCUMENT_INSPECT, DisContract.DOCUMENT_INSPECT_DISCLOSE -> documentInspection.handle(request, state, now, trace);
                default -> throw new DisFailure(400, "INVALID_REQUEST_METHOD", "Operation " + request.getOperation()
                        + " is not served by stage " + NAME);
            });
        } catch (RuntimeException e) {
            return Step.answer(failure(request, trace, e));
        }
    }

    /** A liveness record back from the nonce stage with its verdict: evaluated, kept, answered. */
    Step captured(CaptureAnalysis capture, State state, Instant now) {
        RequestEnvelope request = capture.getEnvelope();
        List<StageTrace> trace = new ArrayList<>(capture.getTrace());
        trace.add(Results.trace(NAME));
        try {
            if (!DisContract.LIVENESS_RECORD_ADD.equals(request.getOperation())) {
                throw new IllegalStateException("a capture of operation " + request.getOperation() + " on " + Topics.DIS_CAPTURES.name());
            }
            return Step.answer(liveness.recordChecked(capture, state, now, trace));
        } catch (RuntimeException e) {
            return Step.answer(failure(request, trace, e));
        }
    }

    /** A failure as the request's answer (failures become results: the partition never stalls). */
    private static ResultEvent failure(RequestEnvelope request, List<StageTrace> trace, RuntimeException e) {
        if (e instanceof DisFailure f) {
            return Results.error(request, trace, f.status, f.code, f.getMessage());
        }
        if (e instanceof InferenceException i) {
            // a model that is not there (503): the gateway answers the reference's 500 UNEXPECTED_ERROR
            return Stages.inferenceError(request, trace, i);
        }
        return Stages.unexpected(NAME, request, trace, e);
    }

    // ------------------------------------------------------------------ sessions

    private ResultEvent createSession(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        String sessionId = sessionIdOf(request);
        if (sessionId == null) {
            throw DisFailure.badRequest("INVALID_REQUEST_BODY", "The session has no id");
        }
        long timeout = parseLong(request.getAttributes().get(DisContract.SESSION_TIMEOUT));
        if (timeout < 1) {
            throw DisFailure.badRequest("INVALID_REQUEST_BODY", "timeout must be a positive number of seconds");
        }
        DisSession existing = state.sessions().get(sessionId);
        if (existing != null && now.isBefore(existing.getExpiresAt())) {
            throw new DisFailure(409, "CONFLICT", "The session exists");
        }
        state.sessions().put(sessionId, new DisSession(sessionId, request.getTenant(), now, now.plusSeconds(timeout)));
        return ok(request, trace, 200, JSON.createObjectNode());
    }

    /** Idempotent: an unknown (or another tenant's) session is no error. */
    private ResultEvent deleteSession(RequestEnvelope request, State state, List<StageTrace> trace) {
        String sessionId = sessionIdOf(request);
        DisSession session = sessionId == null ? null : state.sessions().get(sessionId);
        if (session != null && session.getTenant().equals(request.getTenant())) {
            deleteSession(state, sessionId);
        }
        return ok(request, trace, 204, null);
    }

    private static void deleteSession(State state, String sessionId) {
        state.sessions().delete(sessionId);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, DisCustomer> it = state.customers().prefixScan(sessionId + "/", new StringSerializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(state.customers()::delete);
        state.parts().deleteAll(sessionId + "/");
    }

    /** The request's live session of the caller's tenant, or null when the request names none; {@code missing} when it is gone. */
    private static DisSession session(RequestEnvelope request, State state, Instant now, DisFailure missing) {
        String sessionId = sessionIdOf(request);
        if (sessionId == null) {
            return null;
        }
        DisSession session = state.sessions().get(sessionId);
        if (session == null || !session.getTenant().equals(request.getTenant())) {
            throw missing;
        }
        if (!now.isBefore(session.getExpiresAt())) {
            deleteSession(state, sessionId);
            throw missing;
        }
        return session;
    }

    // ------------------------------------------------------------------ customers

    /** A customer with the key it is stored under. */
    public record Found(String key, DisCustomer customer) {
    }

    /** The store key of a customer: {@code <session id>/<customer id>} under a session, else the customer id. */
    public static String customerStoreKey(String customerId, String sessionId) {
        return sessionId == null ? customerId : sessionId + "/" + customerId;
    }

    private ResultEvent createCustomer(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        String id = customerIdOf(request);
        // a session token that names no live session of the caller's: the token is a credential, so 401
        DisSession session = session(request, state, now, new DisFailure(401, "NOT_FOUND", "The session is unknown or has expired"));
        String key = customerStoreKey(id, session == null ? null : session.getId());
        DisCustomer existing = state.customers().get(key);
        if (existing != null) {
            if (now.isBefore(existing.getExpiresAt())) {
                throw new DisFailure(422, "ALREADY_EXISTS", "Customer " + id + " already exists");
            }
            deleteCustomer(state, key);
        }
        Instant expires = now.plus(customerTtl);
        if (session != null && session.getExpiresAt().isBefore(expires)) {
            expires = session.getExpiresAt();
        }
        state.customers().put(key, DisCustomer.newBuilder()
                .setId(id)
                .setTenant(request.getTenant())
                .setSessionId(session == null ? null : session.getId())
                .setCreatedAt(now)
                .setExpiresAt(expires)
                .setRequestId(request.getRequestId())
                .build());
        ObjectNode body = JSON.createObjectNode();
        body.put("id", id);
        body.putObject("links").put("self", "/api/v1/customers/" + id);
        return ok(request, trace, 200, body);
    }

    /**
     * The request's live customer of the caller's tenant (and session, when the request has a session token),
     * or 404 NOT_FOUND; an expired one is deleted on the way.
     */
    public static Found customer(RequestEnvelope request, State state, Instant now) {
        DisFailure notFound = DisFailure.notFound("Customer");
        String id = customerIdOf(request);
        DisSession session = session(request, state, now, notFound);
        String key = customerStoreKey(id, session == null ? null : session.getId());
        DisCustomer customer = state.customers().get(key);
        if (customer == null || !customer.getTenant().equals(request.getTenant())) {
            throw notFound;
        }
        if (!now.isBefore(customer.getExpiresAt())) {
            deleteCustomer(state, key);
            throw notFound;
        }
        return new Found(key, customer);
    }

    /** Idempotent (the reference has no 404 here): an unknown customer is no error. */
    private ResultEvent deleteCustomer(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        try {
            deleteCustomer(state, customer(request, state, now).key());
        } catch (DisFailure e) {
            if (e.status != 404) {
                throw e;
            }
        }
        return ok(request, trace, 204, null);
    }

    private static void deleteCustomer(State state, String key) {
        state.customers().delete(key);
        state.parts().deleteAll(key + "/");
    }

    private ResultEvent store(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = customer(request, state, now);
        Map<String, String> a = request.getAttributes();
        String status = a.get(DisContract.ONBOARDING_STATUS);
        if (!"IN_PROGRESS".equals(status) && !"FINISHED".equals(status)) {
            throw DisFailure.badRequest("INVALID_REQUEST_BODY", "onboardingStatus must be IN_PROGRESS or FINISHED");
        }
        String externalId = a.getOrDefault(DisContract.EXTERNAL_ID, found.customer().getId());
        state.customers().put(found.key(), DisCustomer.newBuilder(found.customer())
                .setExternalId(externalId)
                .setOnboardingStatus(status)
                .setRequestId(request.getRequestId())
                .build());
        return ok(request, trace, 204, null);
    }

    /**
     * GetCustomerResponse: what is known of the customer: the selfie's age and gender estimates; the document's type,
     * pages and links, and what was read on it (MRZ, barcodes, visual zone, chip: {@link DisDocumentFields}).
     */
    static ObjectNode customerJson(Found found, State state, Instant now) {
        DisCustomer customer = found.customer();
        ObjectNode body = JSON.createObjectNode();
        ObjectNode out = body.putObject("customer");
        DisSelfie selfie = customer.getSelfie();
        if (selfie != null) {
            if (selfie.getAge() != null) {
                out.putObject("age").put("selfie", Long.toString(Math.round(selfie.getAge())));
            }
            if (selfie.getGenderScore() != null) {
                out.putObject("gender").put("selfie", gender(selfie.getGenderScore()));
            }
        }
        DisDocumentFields fields = DisDocumentOps.fields(state, found, now);
        if (fields != null) {
            fields.customerFields(out);
        }
        ObjectNode document = DisDocumentOps.customerDocument(customer, fields);
        if (document != null) {
            out.set("document", document);
        }
        return body;
    }

    /** M or F as fr_gender reads (the reference's X, undefined, is never answered: the model always decides). */
    static String gender(double score) {
        return score >= FaceAttributes.MALE_ABOVE ? "M" : "F";
    }

    // ------------------------------------------------------------------ selfie

    private ResultEvent putSelfie(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = customer(request, state, now);
        byte[] image = selfieImage(request, state, found);
        FaceAnalyzer models = analyzer.get();
        DecodedImage decoded;
        List<Face> faces;
        try {
            decoded = models.decode(image);
            faces = models.detectAll(decoded);
        } catch (InferenceException e) {
            switch (e.code()) {
                case INVALID_IMAGE, IMAGE_TRUNCATED, IMAGE_TOO_LARGE -> throw DisFailure.badRequest("INVALID_IMAGE", "The image cannot be read");
                default -> throw e;
            }
        }
        // the PUT replaces the customer's selfie: a failed one leaves none
        state.parts().delete(found.key(), CustomerParts.SELFIE);
        state.parts().delete(found.key(), CustomerParts.SELFIE_CROP);
        ObjectNode body = JSON.createObjectNode();
        if (faces.isEmpty()) {
            state.customers().put(found.key(), DisCustomer.newBuilder(found.customer()).setSelfie(null)
                    .setRequestId(request.getRequestId()).build());
            body.put("errorCode", "NO_FACE_DETECTED");
            return ok(request, trace, 200, body);
        }
        Face face = faces.get(0); // largest first
        BoundingBox box = face.box();
        int width = decoded.image().width();
        int height = decoded.image().height();
        List<Integer> roi = List.of(clamp(box.x(), width), clamp(box.y(), height), clamp(box.x() + box.width(), width),
                clamp(box.y() + box.height(), height));
        double confidence = Math.max(0, Math.min(1, face.score()));
        DisSelfie selfie = DisSelfie.newBuilder()
                .setConfidence(confidence)
                .setBox(roi)
                .setMultipleFaces(faces.size() > 1)
                .setAge(models.attributeEstimator().age(decoded.image(), face))
                .setGenderScore(models.attributeEstimator().genderScore(decoded.image(), face))
                .setCreatedAt(now)
                .build();
        state.parts().put(found.customer(), found.key(), CustomerParts.SELFIE, image);
        state.parts().put(found.customer(), found.key(), CustomerParts.SELFIE_CROP, models.cropJpeg(decoded, face));
        state.customers().put(found.key(), DisCustomer.newBuilder(found.customer()).setSelfie(selfie)
                .setRequestId(request.getRequestId()).build());
        ObjectNode detection = body.putObject("detection");
        detection.put("confidence", confidence);
        detection.set("faceRectangle", roi(roi));
        body.putObject("links").put("self", "/api/v1/customers/" + found.customer().getId() + "/selfie");
        if (selfie.getMultipleFaces()) {
            body.putArray("warnings").add("MULTIPLE_FACES_DETECTED");
        }
        return ok(request, trace, 200, body);
    }

    /** The image part, or the liveness record's selfie that {@code selfieOrigin.link} names (attribute {@code recordId}). */
    private static byte[] selfieImage(RequestEnvelope request, State state, Found found) {
        String recordId = request.getAttributes().get(DisContract.RECORD_ID);
        if (recordId != null) {
            byte[] image = state.parts().get(found.customer(), found.key(), CustomerParts.recordSelfie(recordId));
            if (image == null) {
                throw DisFailure.notFound("Liveness record selfie");
            }
            return image;
        }
        return Envelopes.part(request, DisContract.IMAGE_PART)
                .orElseThrow(() -> DisFailure.badRequest("INVALID_REQUEST_BODY", "The image is missing"));
    }

    private ResultEvent getSelfie(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found = customer(request, state, now);
        byte[] crop = state.parts().get(found.customer(), found.key(), CustomerParts.SELFIE_CROP);
        if (crop == null) {
            throw DisFailure.notFound("Selfie");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("data", Base64.getEncoder().encodeToString(crop));
        return ok(request, trace, 200, body);
    }

    /** Idempotent: no customer or no selfie is no error. */
    private ResultEvent deleteSelfie(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        Found found;
        try {
            found = customer(request, state, now);
        } catch (DisFailure e) {
            if (e.status == 404) {
                return ok(request, trace, 204, null);
            }
            throw e;
        }
        state.parts().delete(found.key(), CustomerParts.SELFIE);
        state.parts().delete(found.key(), CustomerParts.SELFIE_CROP);
        if (found.customer().getSelfie() != null) {
            state.customers().put(found.key(), DisCustomer.newBuilder(found.customer()).setSelfie(null)
                    .setRequestId(request.getRequestId()).build());
        }
        return ok(request, trace, 204, null);
    }

    /**
     * Internal ({@code faceOrigin.link} of POST /faces): the customer's selfie as it was uploaded, answered as
     * an {@link io.openbio.events.ExtractedImage} sealed for the request; 404 NOT_FOUND when there is none.
     */
    private ResultEvent customerImage(RequestEnvelope request, State state, Instant now, List<StageTrace> trace) {
        String source = request.getAttributes().getOrDefault(DisContract.IMAGE_SOURCE, DisContract.SELFIE_SOURCE);
        if (!DisContract.SELFIE_SOURCE.equals(source)) {
            throw DisFailure.notFound("Customer image '" + source + "'");
        }
        Found found = customer(request, state, now);
        byte[] image = state.parts().get(found.customer(), found.key(), CustomerParts.SELFIE);
        if (image == null) {
            throw DisFailure.notFound("Selfie");
        }
        return Results.resultFor(request, trace).setPayload(Sealing.extractedImage(request, image, contentType(image))).build();
    }

    static String contentType(byte[] image) {
        if (image.length >= 3 && (image[0] & 0xFF) == 0xFF && (image[1] & 0xFF) == 0xD8) {
            return "image/jpeg";
        }
        if (image.length >= 4 && (image[0] & 0xFF) == 0x89 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G') {
            return "image/png";
        }
        return "application/octet-stream";
    }

    // ------------------------------------------------------------------ expiry

    /** The punctuation: deletes every expired customer (with its parts) and every expired session (with its customers). */
    void sweep(State state, Instant now) {
        List<String> customers = new ArrayList<>();
        try (KeyValueIterator<String, DisCustomer> it = state.customers().all()) {
            while (it.hasNext()) {
                KeyValue<String, DisCustomer> kv = it.next();
                if (kv.value != null && !now.isBefore(kv.value.getExpiresAt())) {
                    customers.add(kv.key);
                }
            }
        }
        customers.forEach(key -> deleteCustomer(state, key));
        List<String> sessions = new ArrayList<>();
        try (KeyValueIterator<String, DisSession> it = state.sessions().all()) {
            while (it.hasNext()) {
                KeyValue<String, DisSession> kv = it.next();
                if (kv.value != null && !now.isBefore(kv.value.getExpiresAt())) {
                    sessions.add(kv.key);
                }
            }
        }
        sessions.forEach(id -> deleteSession(state, id));
    }

    // ------------------------------------------------------------------ helpers

    static String customerIdOf(RequestEnvelope request) {
        String id = DisContract.canonicalUuid(request.getAttributes().get(DisContract.CUSTOMER_ID));
        if (id == null) {
            throw DisFailure.badRequest("INVALID_ID", "The customer id is no UUID");
        }
        return id;
    }

    static String sessionIdOf(RequestEnvelope request) {
        String id = request.getAttributes().get(DisContract.SESSION_ID);
        return id == null || !id.matches("[0-9a-f]{64}") ? null : id;
    }

    /** The reference's Roi from left, top, right, bottom. */
    static ObjectNode roi(List<Integer> box) {
        ObjectNode roi = JSON.createObjectNode();
        point(roi, "topLeft", box.get(0), box.get(1));
        point(roi, "topRight", box.get(2), box.get(1));
        point(roi, "bottomRight", box.get(2), box.get(3));
        point(roi, "bottomLeft", box.get(0), box.get(3));
        return roi;
    }

    private static void point(ObjectNode roi, String name, int x, int y) {
        ObjectNode p = roi.putObject(name);
        p.put("x", x);
        p.put("y", y);
    }

    private static int clamp(double v, int max) {
        return (int) Math.max(0, Math.min(max, Math.round(v)));
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException | NullPointerException e) {
            return -1;
        }
    }

    /** A ready-made answer: {@code body} as JSON ({@code {}} when null: 204 has no body at the gateway). */
    public static ResultEvent ok(RequestEnvelope request, List<StageTrace> trace, int status, JsonNode body) {
        String json;
        try {
            json = body == null ? "{}" : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Results.resultFor(request, trace).setPayload(Sealing.apiResponse(request, status, json)).build();
    }
}
