package io.openbio.processors.clients;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.bundle.BundleKeyStore;
import io.openbio.bundle.BundleKeys;
import io.openbio.events.ApiResponse;
import io.openbio.events.CaptureLivenessResult;
import io.openbio.events.ClientRequest;
import io.openbio.events.ClientResult;
import io.openbio.events.ErrorInfo;
import io.openbio.events.NonceIssued;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.processors.core.Lazily;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.Sealing;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.capture.CaptureNonces;
import io.openbio.schemas.clients.ClientRequests;
import io.openbio.schemas.contract.ClientsContract;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.SealedEvents;
import io.openbio.schemas.json.ResultJson;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.serde.EventSerdes;
import io.openbio.schemas.settings.Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka clients ({@link ClientsContract}): requests produced by outside clients to
 * {@code openbio.clients.requests.<tenant>} become the gateway's {@link RequestEnvelope}s, and their
 * answers become {@link ClientResult}s on {@code openbio.clients.results.<tenant>}.
 *
 * <p><b>Ingest.</b> The stage reads the request topics as bytes (a pattern subscription) and decodes
 * each value itself with the registry's deserializer, so an event that is not a {@link ClientRequest}
 * (an unknown or foreign schema id, truncated Avro, no value) never reaches Kafka Streams' exception
 * handler: it is that request's error result. The tenant is the topic's (only its principal may write
 * it); the platform request id is {@code kc:<tenant>:<client id>}. A request id already seen in the
 * last {@link ClientsContract#DEDUP_RETENTION_MS} (changelogged store {@value #SEEN}) is dropped, so a
 * duplicate yields no second result. A valid request is mapped by {@link ClientRequests} (the gateway's
 * checks), its parts sealed at once, and sent to its route's request topic with {@code replyTo} =
 * {@link ClientsContract#REPLIES}; a refused one (unknown operation, too large, bad checkModel, ...)
 * ends here with the HTTP API's status and code, on {@code openbio.results}, the audit topic and the
 * replies topic like any other result. An {@code ekyc.check} with plain images ({@code encrypted=false})
 * is refused ({@code 400 PLAIN_IMAGES_REFUSED}, its parts neither sealed nor forwarded) unless
 * {@code OPENBIO_KAFKA_CLIENT_PLAIN_IMAGES} is true.
 *
 * <p><b>Purge.</b> While it runs, the request topics are purged up to the stage's committed offsets every
 * few seconds ({@link RequestTopicPurger}), so a request stays on the broker until it is processed, not
 * for the topic's whole retention.
 *
 * <p><b>Answered here.</b> {@code iad.nonce} issues a capture nonce to the topic's tenant as
 * {@code POST /bundle/nonce} does ({@link CaptureNonces}), recorded on {@code openbio.capture.nonces} in
 * the same transaction as its result; {@code iad.public_key} answers the bundle key store's active key as
 * {@code GET /bundle/public-key} does. Both results go the way of every result (results, audit, replies).
 *
 * <p><b>Results.</b> Every answer on {@link ClientsContract#REPLIES} (from the route's last stage or
 * from this stage) is opened and written as the HTTP API's body to the tenant's result topic, keyed by
 * the client's request id.
 */
public final class KafkaClientsProcessor implements StreamProcessor {
    private static final Logger log = LoggerFactory.getLogger(KafkaClientsProcessor.class);
    public static final String NAME = ClientsContract.STAGE.name();
    /** Request ids seen (platform request id -> first seen, epoch ms). */
    public static final String SEEN = "kafka-clients-seen";
    /** Operation of a result whose event could not be read. */
    public static final String INVALID_EVENT = "kafka-clients.invalid_event";
    static final Pattern REQUEST_TOPICS = Pattern.compile(Pattern.quote(ClientsContract.REQUESTS_PREFIX) + "[a-z0-9][a-z0-9-]{0,39}");

    private final Set<String> tenants;
    private final boolean plainImages;
    private final Duration nonceTtl;
    private final Supplier<BundleKeyStore> bundleKeys;
    private volatile RequestTopicPurger purger;

    public KafkaClientsProcessor() {
        this(ClientsContract.tenants(), Boolean.parseBoolean(KafkaSettings.setting(Settings.KAFKA_CLIENT_PLAIN_IMAGES)),
                ProcessorSettings.duration(Settings.BUNDLE_NONCE_TTL.env(), KafkaSettings.setting(Settings.BUNDLE_NONCE_TTL)),
                Lazily.once(BundleKeys::open));
    }

    /**
     * @param tenants     the configured tenants ({@code OPENBIO_KAFKA_CLIENT_TENANTS})
     * @param plainImages whether {@code ekyc.check} may carry plain images ({@code OPENBIO_KAFKA_CLIENT_PLAIN_IMAGES})
     * @param nonceTtl    how long an {@code iad.nonce} stays valid ({@code OPENBIO_BUNDLE_NONCE_TTL})
     * @param bundleKeys  the bundle key store whose active public key {@code iad.public_key} answers (opened on first use)
     */
    public KafkaClientsProcessor(List<String> tenants, boolean plainImages, Duration nonceTtl, Supplier<BundleKeyStore> bundleKeys) {
        this.tenants = Set.copyOf(tenants);
        this.plainImages = plainImages;
        if (nonceTtl.isNegative() || nonceTtl.isZero()) {
            throw new IllegalArgumentException(Settings.BUNDLE_NONCE_TTL.env() + " must be positive: " + nonceTtl);
        }
        this.nonceTtl = nonceTtl;
        this.bundleKeys = bundleKeys;
    }

    @Override
    public Stage stage() {
        return ClientsContract.STAGE;
    }

    /**
     * One read request: the envelope for its route, or its result (an error, or the stage's own answer to
     * {@code iad.nonce} / {@code iad.public_key}) with, for a nonce, the {@link NonceIssued} to record. Never serialized.
     */
    record Ingested(RequestEnvelope envelope, ResultEvent result, NonceIssued nonce) {
        static Ingested routed(RequestEnvelope envelope) {
            return new Ingested(envelope, null, null);
        }

        static Ingested answered(ResultEvent result) {
            return new Ingested(null, result, null);
        }
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SEEN), Serdes.String(), Serdes.Long()));
        Deserializer<ClientRequest> decoder = serdes.valueSerde(ClientRequest.class).deserializer();

        KStream<String, Ingested> ingested = builder
                .stream(REQUEST_TOPICS, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("client-requests"))
                .process(() -> new Ingest(decoder, tenants, plainImages, nonceTtl, bundleKeys), SEEN);
        Produced<String, RequestEnvelope> envelopes = Produced.with(Serdes.String(), serdes.valueSerde(RequestEnvelope.class));
        KStream<String, RequestEnvelope> accepted = ingested.filter((id, in) -> in.envelope() != null).mapValues(Ingested::envelope);
        accepted.filter((id, envelope) -> routeOf(envelope) == Topics.EKYC_REQUESTS).to(Topics.EKYC_REQUESTS.name(), envelopes);
        accepted.filter((id, envelope) -> routeOf(envelope) == Topics.CAPTURE_REQUESTS).to(Topics.CAPTURE_REQUESTS.name(), envelopes);
        // a nonce is recorded in the same transaction as its result: a client reading committed results
        // (read_committed) never holds a nonce the nonce stage does not know
        ingested.filter((id, in) -> in.nonce() != null)
                .map((id, in) -> KeyValue.pair(in.nonce().getNonce(), in.nonce()))
                .to(Topics.CAPTURE_NONCES.name(), Topics.CAPTURE_NONCES.produced(serdes));
        Results.publish(ingested.filter((id, in) -> in.result() != null).mapValues(Ingested::result), serdes);

        builder.stream(ClientsContract.REPLIES.name(), ClientsContract.REPLIES.consumed(serdes))
                .process(ToClient::new)
                .to((clientId, result, context) -> ClientsContract.RESULTS_PREFIX + result.getTenant(),
                        Produced.with(Serdes.String(), serdes.valueSerde(ClientResult.class)));
        return builder.build();
    }

    /** Purges the request topics up to the committed offsets ({@link RequestTopicPurger}) while the stage runs. */
    @Override
    public void started(java.util.Properties streamsConfig) {
        if (!tenants.isEmpty()) {
            purger = RequestTopicPurger.start(streamsConfig);
        }
    }

    @Override
    public void close() {
        RequestTopicPurger running = purger;
        if (running != null) {
            running.close();
        }
    }

    static TopicSpec<RequestEnvelope> routeOf(RequestEnvelope envelope) {
        return envelope.getOperation().equals(EkycContract.CHECK) ? Topics.EKYC_REQUESTS : Topics.CAPTURE_REQUESTS;
    }

    /**
     * A reply to a Kafka client's request, as its {@link ClientResult} keyed by the client's request id, with the
     * outcome also in record headers ({@link ClientsContract#STATUS_HEADER}, {@link ClientsContract#OPERATION_HEADER},
     * {@link ClientsContract#ERROR_CODE_HEADER}): tools that cannot read Avro (kcat) see who got what.
     */
    static final class ToClient implements Processor<String, ResultEvent, String, ClientResult> {
        private ProcessorContext<String, ClientResult> context;

        @Override
        public void init(ProcessorContext<String, ClientResult> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, ResultEvent> record) {
            ResultEvent result = record.value();
            Optional<String[]> client = ClientsContract.clientOf(result.getRequestId());
            if (client.isEmpty() || !client.get()[0].equals(result.getTenant())) {
                log.warn("{}: a reply that is no Kafka client's request ({}) dropped", NAME, result.getRequestId());
                return;
            }
            ClientResult out = clientResult(client.get()[1], result);
            context.forward(new Record<>(client.get()[1], out, record.timestamp(), outcomeHeaders(out)));
        }
    }

    /** The outcome headers of a result record: status always, the operation and error code when there are. */
    static Headers outcomeHeaders(ClientResult result) {
        Headers headers = new RecordHeaders();
        headers.add(ClientsContract.STATUS_HEADER, Integer.toString(result.getStatus()).getBytes(StandardCharsets.US_ASCII));
        if (result.getOperation() != null) {
            headers.add(ClientsContract.OPERATION_HEADER, result.getOperation().getBytes(StandardCharsets.US_ASCII));
        }
        if (result.getErrorCode() != null) {
            headers.add(ClientsContract.ERROR_CODE_HEADER, result.getErrorCode().getBytes(StandardCharsets.US_ASCII));
        }
        return headers;
    }

    /** The tenant's view of {@code result}: the HTTP API's status, error code and body for the same call. */
    static ClientResult clientResult(String clientId, ResultEvent result) {
        ClientResult.Builder out = ClientResult.newBuilder()
                .setRequestId(clientId)
                .setTenant(result.getTenant())
                .setOperation(result.getOperation().equals(INVALID_EVENT) ? null : result.getOperation())
                .setPlatformRequestId(result.getRequestId())
                .setCompletedAt(result.getCompletedAt())
                .setBody(null).setErrorCode(null).setErrorMessage(null);
        ErrorInfo error = result.getError();
        if (error != null) {
            return out.setStatus(error.getStatus()).setErrorCode(error.getCode()).setErrorMessage(error.getMessage()).build();
        }
        try {
            Object payload = SealedEvents.openPayload(PayloadKeys.shared(), result).getPayload();
            if (payload instanceof ApiResponse response) {
                return out.setStatus(response.getStatus()).setBody(response.getJson()).build();
            }
            if (payload instanceof CaptureLivenessResult capture) {
                ObjectNode body = ResultJson.MAPPER.createObjectNode();
                body.putObject("capture_liveness").put("probability", capture.getProbability());
                return out.setStatus(200).setBody(body.toString()).build();
            }
            return out.setStatus(200).setBody(ResultJson.toJsonString(result)).build();
        } catch (RuntimeException e) {
            log.warn("{}: the answer of {} could not be opened ({})", NAME, result.getRequestId(), e.getClass().getSimpleName());
            return out.setStatus(500).setErrorCode("UNKNOWN").setErrorMessage("The answer could not be opened").build();
        }
    }

    /** Decodes, de-duplicates, validates and seals each request; see the class comment. */
    static final class Ingest implements Processor<String, byte[], String, Ingested> {
        private final Deserializer<ClientRequest> decoder;
        private final Set<String> tenants;
        private final boolean plainImages;
        private final Duration nonceTtl;
        private final Supplier<BundleKeyStore> bundleKeys;
        private ProcessorContext<String, Ingested> context;
        private KeyValueStore<String, Long> seen;

        Ingest(Deserializer<ClientRequest> decoder, Set<String> tenants, boolean plainImages, Duration nonceTtl, Supplier<BundleKeyStore> bundleKeys) {
            this.decoder = decoder;
            this.tenants = tenants;
            this.plainImages = plainImages;
            this.nonceTtl = nonceTtl;
            this.bundleKeys = bundleKeys;
        }

        @Override
        public void init(ProcessorContext<String, Ingested> context) {
            this.context = context;
            this.seen = context.getStateStore(SEEN);
            context.schedule(Duration.ofMinutes(10), PunctuationType.WALL_CLOCK_TIME, this::expire);
        }

        private void expire(long now) {
            List<String> old = new ArrayList<>();
            try (KeyValueIterator<String, Long> all = seen.all()) {
                all.forEachRemaining(kv -> {
                    if (kv.value < now - ClientsContract.DEDUP_RETENTION_MS) {
                        old.add(kv.key);
                    }
                });
            }
            old.forEach(seen::delete);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String topic = context.recordMetadata().map(m -> m.topic()).orElse(null);
            Optional<String> tenant = ClientsContract.tenantOfRequestTopic(topic).filter(tenants::contains);
            if (tenant.isEmpty()) {
                log.warn("{}: a record on {}, which is no configured tenant's request topic, dropped", NAME, topic);
                return;
            }
            String clientId = record.key();
            if (!ClientsContract.validClientRequestId(clientId)) {
                // no id to answer under: the audit trail and the log say so, nothing else can
                log.warn("{}: a record on {} without a valid request id (key: 1-128 printable ASCII characters) dropped", NAME, topic);
                return;
            }
            String requestId = ClientsContract.platformRequestId(tenant.get(), clientId);
            if (seen.get(requestId) != null) {
                log.info("{}: request {} of tenant {} seen before: no second result", NAME, clientId, tenant.get());
                return;
            }
            seen.put(requestId, System.currentTimeMillis());
            Instant created = Instant.ofEpochMilli(record.timestamp());
            ClientRequest request;
            try {
                if (record.value() == null) {
                    throw new IllegalArgumentException("no value");
                }
                request = decoder.deserialize(topic, record.value());
                if (request == null) {
                    throw new IllegalArgumentException("no value");
                }
            } catch (RuntimeException e) {
                // wrong or unknown schema id, a schema that is not ClientRequest's, truncated or corrupt Avro
                context.forward(record.withKey(requestId).withValue(Ingested.answered(error(requestId, tenant.get(), INVALID_EVENT, created,
                        400, "INVALID_EVENT", "The event is not a ClientRequest in the registry's Avro (Confluent wire format: magic byte 0,"
                                + " 4-byte schema id of subject " + topic + "-value, Avro binary): " + e.getClass().getSimpleName()))));
                return;
            }
            try {
                ClientRequests.Mapped mapped = ClientRequests.toEnvelope(tenant.get(), clientId, request, created, plainImages);
                if (mapped.answeredByStage()) {
                    context.forward(record.withKey(requestId).withValue(answer(mapped.envelope())));
                    return;
                }
                RequestEnvelope sealed = SealedEvents.sealParts(PayloadKeys.shared(), mapped.envelope());
                context.forward(record.withKey(requestId).withValue(Ingested.routed(sealed)));
            } catch (ClientRequests.Refused refused) {
                String operation = ClientsContract.OPERATIONS.contains(request.getOperation()) ? request.getOperation() : INVALID_EVENT;
                context.forward(record.withKey(requestId).withValue(Ingested.answered(
                        error(requestId, tenant.get(), operation, created, refused.status(), refused.code(), refused.getMessage()))));
            }
        }

        /**
         * The stage's own answers, each the body the HTTP API gives: {@code iad.nonce} as {@code POST /bundle/nonce}
         * (a nonce issued to the topic's tenant, recorded with the result), {@code iad.public_key} as
         * {@code GET /bundle/public-key} (the store re-read when it changed on disk, so a rotated key is served).
         */
        private Ingested answer(RequestEnvelope request) {
            List<StageTrace> trace = List.of(Results.trace(NAME));
            if (request.getOperation().equals(ClientsContract.NONCE)) {
                NonceIssued issued = CaptureNonces.issue(request.getTenant(), Instant.now(), nonceTtl);
                String body = ResultJson.MAPPER.valueToTree(CaptureNonces.answer(issued)).toString();
                return new Ingested(null, Results.resultFor(request, trace).setPayload(Sealing.apiResponse(request, 200, body)).build(), issued);
            }
            BundleKeyStore keys;
            try {
                keys = bundleKeys.get();
                keys.reload();
            } catch (RuntimeException e) {
                log.warn("{}: the bundle key store could not be read ({})", NAME, e.getClass().getSimpleName());
                return Ingested.answered(Results.error(request, trace, 503, "UNKNOWN", "The bundle key is not available; retry later"));
            }
            String body = ResultJson.MAPPER.valueToTree(keys.publicKeyDocument()).toString();
            return Ingested.answered(Results.resultFor(request, trace).setPayload(Sealing.apiResponse(request, 200, body)).build());
        }

        private static ResultEvent error(String requestId, String tenant, String operation, Instant created, int status, String code, String message) {
            return ResultEvent.newBuilder()
                    .setRequestId(requestId).setTenant(tenant).setOperation(operation)
                    .setReplyTo(ClientsContract.REPLIES.name()).setCallbackUrl(null)
                    .setCreatedAt(created).setCompletedAt(Instant.now())
                    .setError(new ErrorInfo(status, code, message)).setPayload(null)
                    .setTrace(List.of(Results.trace(NAME)))
                    .build();
        }
    }
}
