package io.openbio.processors.ekyc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.bundle.BundleException;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.KeyResolver;
import io.openbio.events.ApiResponse;
import io.openbio.events.CollectionRecord;
import io.openbio.events.CollectionState;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.Envelopes;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.ServerKeys;
import io.openbio.processors.core.Stages;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.CollectionKey;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.serde.EventSerdes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The IDLive collection and template operations. Collection operations arrive keyed by
 * {@code <tenant>/<collection>}, so one task owns each collection and its stores are exact: the
 * collection's state and its members (record ids). It is the single writer of
 * {@link Topics#COLLECTIONS} and {@link Topics#COLLECTION_RECORDS} (the search shards' source of
 * truth).
 *
 * <p>Store keys are {@link CollectionKey}s: a collection's state (and its record on
 * {@link Topics#COLLECTIONS}) under {@link CollectionKey#encoded()}, each member under
 * {@link CollectionKey#member}, found by a prefix scan on {@link CollectionKey#memberPrefix()}. The
 * collection name is escaped in them, so collection {@code a}'s members never include those of
 * {@code a/b}.
 * <ul>
 * <li>{@code ekyc.create_collection}: 201, or 400 "Collection already exists";</li>
 * <li>{@code ekyc.delete_collection}: 204; without {@code force} a collection that still holds
 * records is refused (400 "Collection is not empty"); with it, every record is deleted
 * (tombstones) with the collection;</li>
 * <li>{@code ekyc.remove_record}: 204 (400 when the collection or the record is not there);</li>
 * <li>{@code ekyc.add_image}: templates of every face (at most {@code maxFaces}) enrolled, 201
 * {@code {"record_ids":[...]}};</li>
 * <li>{@code ekyc.add_template}: given templates (this model's version only) enrolled, 201;</li>
 * <li>{@code ekyc.generate_template}: 201 {@code {"template":...}};
 * {@code ekyc.match_over_template}: 200 {@code {"score":...}} (the calibrated probability).</li>
 * </ul>
 * Unknown collections answer 400 "Collection does not exist".
 */
public final class CollectionsProcessor implements StreamProcessor {
    public static final String NAME = EkycContract.COLLECTIONS.name();
    public static final String COLLECTIONS_STORE = "collections-state";
    public static final String MEMBERS_STORE = "collection-members";

    private final Supplier<FaceAnalyzer> analyzer;
    private final Supplier<KeyResolver> keys;

    public CollectionsProcessor() {
        this(Analyzers::shared, ServerKeys::shared);
    }

    public CollectionsProcessor(Supplier<FaceAnalyzer> analyzer, Supplier<KeyResolver> keys) {
        this.analyzer = analyzer;
        this.keys = keys;
    }

    @Override
    public Stage stage() {
        return EkycContract.COLLECTIONS;
    }

    /** What one request changes: its answer, collection states and records (null value = tombstone). */
    record Effects(ResultEvent result, List<KeyValue<String, CollectionState>> states, List<KeyValue<String, CollectionRecord>> records) {
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COLLECTIONS_STORE),
                Serdes.String(), serdes.valueSerde(CollectionState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBERS_STORE),
                Serdes.String(), Serdes.Long()));
        TopicSpec<RequestEnvelope> in = Topics.EKYC_TEMPLATE_REQUESTS;
        KStream<String, Effects> effects = builder
                .stream(in.name(), in.consumed(serdes).withName("template-requests"))
                .filter((k, r) -> r != null)
                .process(() -> new Handler(analyzer, keys), COLLECTIONS_STORE, MEMBERS_STORE);
        Results.publish(effects.mapValues(Effects::result), serdes);
        effects.flatMap((k, e) -> e.states())
                .to(Topics.COLLECTIONS.name(), Topics.COLLECTIONS.produced(serdes));
        effects.flatMap((k, e) -> e.records())
                .to(Topics.COLLECTION_RECORDS.name(), Topics.COLLECTION_RECORDS.produced(serdes));
        return builder.build();
    }

    static final class Handler implements Processor<String, RequestEnvelope, String, Effects> {
        private final Supplier<FaceAnalyzer> analyzer;
        private final Supplier<KeyResolver> keys;
        private KeyValueStore<String, CollectionState> collections;
        private KeyValueStore<String, Long> members;
        private ProcessorContext<String, Effects> context;

        Handler(Supplier<FaceAnalyzer> analyzer, Supplier<KeyResolver> keys) {
            this.analyzer = analyzer;
            this.keys = keys;
        }

        @Override
        public void init(ProcessorContext<String, Effects> context) {
            this.context = context;
            this.collections = context.getStateStore(COLLECTIONS_STORE);
            this.members = context.getStateStore(MEMBERS_STORE);
        }

        @Override
        public void process(Record<String, RequestEnvelope> record) {
            RequestEnvelope request = record.value();
            List<StageTrace> trace = List.of(Results.trace(NAME));
            Effects effects;
            try {
                effects = handle(request, trace);
            } catch (BundleException e) {
                effects = answer(Results.error(request, trace, 400, "UNKNOWN", e.apiMessage()));
            } catch (InferenceException e) {
                effects = answer(Stages.inferenceError(request, trace, e));
            } catch (IllegalArgumentException e) {
                effects = answer(Results.error(request, trace, 400, "UNKNOWN", e.getMessage()));
            } catch (RuntimeException e) {
                effects = answer(Stages.unexpected(NAME, request, trace, e));
            }
            context.forward(record.withValue(effects));
        }

        private Effects handle(RequestEnvelope r, List<StageTrace> trace) throws BundleException {
            String collection = r.getAttributes().get("collection");
            CollectionKey key = collection == null ? null : new CollectionKey(r.getTenant(), collection);
            long now = System.currentTimeMillis();
            switch (r.getOperation()) {
                case EkycContract.CREATE_COLLECTION -> {
                    CollectionState existing = collections.get(key.encoded());
                    if (existing != null && !existing.getDeleted()) {
                        return answer(Results.error(r, trace, 400, "UNKNOWN", "Collection already exists"));
                    }
                    CollectionState state = new CollectionState(r.getTenant(), collection, now, false, now);
                    collections.put(key.encoded(), state);
                    return new Effects(ok(r, trace, 201, "{}"), List.of(KeyValue.pair(key.encoded(), state)), List.of());
                }
                case EkycContract.DELETE_COLLECTION -> {
                    CollectionState existing = live(key);
                    boolean force = "true".equalsIgnoreCase(r.getAttributes().get("force"));
                    List<String> recordKeys = memberKeys(key);
                    if (!force && !recordKeys.isEmpty()) {
                        return answer(Results.error(r, trace, 400, "UNKNOWN", "Collection is not empty; delete it with force=true"));
                    }
                    List<KeyValue<String, CollectionRecord>> tombstones = new ArrayList<>();
                    for (String member : recordKeys) {
                        members.delete(member);
                        tombstones.add(KeyValue.pair(key.recordIdOf(member), null));
                    }
                    CollectionState deleted = new CollectionState(r.getTenant(), collection, existing.getCreatedAt(), true, now);
                    collections.put(key.encoded(), deleted);
                    return new Effects(ok(r, trace, 204, "{}"), List.of(KeyValue.pair(key.encoded(), deleted)), tombstones);
                }
                case EkycContract.REMOVE_RECORD -> {
                    live(key);
                    String recordId = r.getAttributes().getOrDefault("recordId", "");
                    // record ids are UUIDs: one with a '/' is no member (and must not reach another collection's key)
                    if (recordId.indexOf('/') >= 0 || members.get(key.member(recordId)) == null) {
                        return answer(Results.error(r, trace, 400, "UNKNOWN", "Record does not exist in the collection"));
                    }
                    members.delete(key.member(recordId));
                    return new Effects(ok(r, trace, 204, "{}"), List.of(), List.of(KeyValue.pair(recordId, null)));
                }
                case EkycContract.ADD_IMAGE -> {
                    live(key);
                    int maxFaces = parseMaxFaces(r.getAttributes().getOrDefault("maxFaces", "1"));
                    DecodedImage image = analyzer.get().decode(image(r, "image"));
                    List<Face> faces = maxFaces == 1 ? List.of(analyzer.get().detect(image))
                            : analyzer.get().requireAtMost(image, maxFaces);
                    if (faces.isEmpty()) {
                        throw new InferenceException(io.openbio.inference.ErrorCode.FACE_NOT_FOUND, "no face");
                    }
                    List<Template> templates = new ArrayList<>();
                    for (Face face : faces) {
                        templates.add(analyzer.get().embed(image, face));
                    }
                    return enroll(r, trace, key, collection, templates, now);
                }
                case EkycContract.ADD_TEMPLATE -> {
                    live(key);
                    JsonNode list;
                    try {
                        list = EkycJson.JSON.readTree(text(r, "templates"));
                    } catch (Exception e) {
                        throw new IllegalArgumentException("templates must be a JSON array of base64 templates");
                    }
                    if (!list.isArray() || list.isEmpty()) {
                        throw new IllegalArgumentException("'templates' must be a non-empty array of base64 templates");
                    }
                    List<Template> templates = new ArrayList<>();
                    for (JsonNode t : list) {
                        templates.add(decodeTemplate(t.asText()));
                    }
                    return enroll(r, trace, key, collection, templates, now);
                }
                case EkycContract.GENERATE_TEMPLATE -> {
                    Template template = analyzer.get().embed(image(r, "image"));
                    ObjectNode body = EkycJson.JSON.createObjectNode().put("template", template.encode());
                    return answer(ok(r, trace, 201, body.toString()));
                }
                case EkycContract.MATCH_OVER_TEMPLATE -> {
                    Template given = decodeTemplate(text(r, "template"));
                    Template probe = analyzer.get().embed(image(r, "file"));
                    double score = analyzer.get().compare(probe, given).probability();
                    return answer(ok(r, trace, 200, EkycJson.JSON.createObjectNode().put("score", score).toString()));
                }
                default -> throw new IllegalArgumentException("Unknown operation " + r.getOperation());
            }
        }

        /** A text part (templates travel as parts, sealed like images, never as attributes); empty when absent. */
        private static String text(RequestEnvelope r, String part) {
            return Envelopes.part(r, part).map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).orElse("");
        }

        private Template decodeTemplate(String base64) {
            FaceAnalyzer a = analyzer.get();
            return Template.decode(base64, a.templateModelId(), a.templateModelVersion());
        }

        private static int parseMaxFaces(String value) {
            try {
                int n = Integer.parseInt(value);
                if (n >= 1 && n <= 100) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new IllegalArgumentException("maxFaces must be an integer from 1 to 100");
        }

        private Effects enroll(RequestEnvelope r, List<StageTrace> trace, CollectionKey key, String collection, List<Template> templates, long now) {
            List<KeyValue<String, CollectionRecord>> records = new ArrayList<>();
            ArrayNode ids = EkycJson.JSON.createArrayNode();
            for (Template t : templates) {
                String recordId = UUID.randomUUID().toString();
                records.add(KeyValue.pair(recordId, new CollectionRecord(recordId, r.getTenant(), collection,
                        t.modelId(), t.modelVersion(), io.openbio.processors.core.Sealing.sealVector(r.getTenant(), recordId, t.vector()), now)));
                members.put(key.member(recordId), now);
                ids.add(recordId);
            }
            ObjectNode body = EkycJson.JSON.createObjectNode();
            body.set("record_ids", ids);
            return new Effects(ok(r, trace, 201, body.toString()), List.of(), records);
        }

        private CollectionState live(CollectionKey key) {
            CollectionState state = key == null ? null : collections.get(key.encoded());
            if (state == null || state.getDeleted()) {
                throw new IllegalArgumentException("Collection does not exist");
            }
            return state;
        }

        /**
         * The member keys of {@code key}'s collection. A key whose record id holds a '/' is skipped: record
         * ids are UUIDs, so such a key is a member of a nested collection stored before collection keys were
         * escaped ({@code t/a/b/<id>} under {@code t/a/}), never one of this collection.
         */
        private List<String> memberKeys(CollectionKey key) {
            List<String> out = new ArrayList<>();
            try (KeyValueIterator<String, Long> it = members.prefixScan(key.memberPrefix(), new StringSerializer())) {
                while (it.hasNext()) {
                    String member = it.next().key;
                    if (key.recordIdOf(member).indexOf('/') < 0) {
                        out.add(member);
                    }
                }
            }
            return out;
        }

        private byte[] image(RequestEnvelope r, String part) throws BundleException {
            byte[] bytes = Envelopes.part(r, part).orElseThrow(() -> new IllegalArgumentException("the image is missing"));
            if (!"true".equalsIgnoreCase(r.getAttributes().getOrDefault("encrypted", "false"))) {
                return bytes;
            }
            return BundleReader.read(bytes, keys.get()).frames().get(0).image();
        }

        private static ResultEvent ok(RequestEnvelope r, List<StageTrace> trace, int status, String json) {
            return Results.resultFor(r, trace).setPayload(io.openbio.processors.core.Sealing.apiResponse(r, status, json)).build();
        }

        private static Effects answer(ResultEvent result) {
            return new Effects(result, List.of(), List.of());
        }
    }
}
