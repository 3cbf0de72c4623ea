package io.openbio.processors.ekyc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.ApiResponse;
import io.openbio.events.EkycPart;
import io.openbio.events.EkycState;
import io.openbio.events.ResultEvent;
import io.openbio.events.SearchPartial;
import io.openbio.events.StageTrace;
import io.openbio.inference.embed.ScoreCalibration;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.processors.search.SearchGather;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.serde.EventSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * IDLive {@code /check}, last stage: joins the PLAN and the sections of each request
 * ({@link Topics#EKYC_PARTS}) with the search shards' partials ({@link Topics#SEARCH_PARTIALS}),
 * both keyed by request id and co-partitioned, in a changelogged state store. When every requested
 * section and every shard's partial is in, it answers with the seed's body. A part that does not
 * arrive within {@code OPENBIO_EKYC_ASSEMBLY_TIMEOUT_MS} (default 20 s: below the gateway's 30 s request timeout, so a waiting caller gets the answer with the ERROR section rather than a 504) becomes its section's
 * {@code ERROR} entry, so a failed stage never loses the request.
 */
public final class AssemblerProcessor implements StreamProcessor {
    public static final String NAME = EkycContract.ASSEMBLER.name();
    public static final String STORE = "ekyc-assembly";
    /** Where the assembler keeps a request's nonce verdict among its sections. */
    static final String NONCE = "__nonce";

    /** How long a /check's parts are waited for ({@link ProcessorSettings#assemblyTimeout()}). */
    private final long timeoutMs;

    /** With the default settings ({@link ProcessorSettings#defaults()}); ProcessorMain passes the process's. */
    public AssemblerProcessor() {
        this(ProcessorSettings.defaults());
    }

    public AssemblerProcessor(ProcessorSettings settings) {
        this.timeoutMs = settings.assemblyTimeout().toMillis();
    }

    @Override
    public Stage stage() {
        return EkycContract.ASSEMBLER;
    }

    /**
     * A task here reads two topics; by default Kafka Streams holds back a record until it has seen
     * data (or the lag) of every input partition, to process them in timestamp order. The join does
     * not depend on that order (it waits for every part anyway), so it processes what has arrived.
     */
    @Override
    public java.util.Map<String, Object> configOverrides() {
        return java.util.Map.of(org.apache.kafka.streams.StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                Serdes.String(), serdes.valueSerde(EkycState.class)));
        KStream<String, Object> parts = builder.stream(Topics.EKYC_PARTS.name(),
                        Topics.EKYC_PARTS.consumed(serdes).withName("ekyc-parts"))
                .mapValues(v -> (Object) v);
        KStream<String, Object> partials = builder.stream(Topics.SEARCH_PARTIALS.name(),
                        Topics.SEARCH_PARTIALS.consumed(serdes).withName("search-partials"))
                .mapValues(v -> (Object) v);
        KStream<String, ResultEvent> results = parts.merge(partials).process(() -> new Assembler(timeoutMs), STORE);
        Results.publish(results, serdes);
        return builder.build();
    }

    static final class Assembler implements Processor<String, Object, String, ResultEvent> {
        private final long timeoutMs;
        private final ScoreCalibration calibration = ScoreCalibration.load();
        private KeyValueStore<String, EkycState> store;
        private ProcessorContext<String, ResultEvent> context;

        Assembler(long timeoutMs) {
            this.timeoutMs = timeoutMs;
        }

        @Override
        public void init(ProcessorContext<String, ResultEvent> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
            context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::expire);
        }

        @Override
        public void process(Record<String, Object> record) {
            if (record.key() == null || record.value() == null) {
                return;
            }
            EkycState state = store.get(record.key());
            if (state == null) {
                state = EkycState.newBuilder().setFirstSeen(context.currentSystemTimeMs()).build();
            }
            if (record.value() instanceof EkycPart part) {
                if ("PLAN".equals(part.getKind())) {
                    state.setPlan(part);
                } else if ("NONCE".equals(part.getKind())) {
                    Map<String, String> sections = new HashMap<>(state.getSections());
                    sections.put(NONCE, part.getJson());
                    state.setSections(sections);
                } else if (part.getSection() != null) {
                    Map<String, String> sections = new HashMap<>(state.getSections());
                    sections.put(part.getSection(), part.getJson());
                    state.setSections(sections);
                }
            } else if (record.value() instanceof SearchPartial partial) {
                List<SearchPartial> partials = new ArrayList<>(state.getPartials());
                partials.add(partial);
                state.setPartials(partials);
            }
            if (complete(state)) {
                store.delete(record.key());
                context.forward(new Record<>(record.key(), finish(state, false), record.timestamp()));
            } else {
                store.put(record.key(), state);
            }
        }

        private void expire(long now) {
            List<KeyValue<String, EkycState>> expired = new ArrayList<>();
            try (KeyValueIterator<String, EkycState> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, EkycState> entry = all.next();
                    if (now - entry.value.getFirstSeen() > timeoutMs) {
                        expired.add(entry);
                    }
                }
            }
            for (KeyValue<String, EkycState> entry : expired) {
                store.delete(entry.key);
                if (entry.value.getPlan() != null) {
                    context.forward(new Record<>(entry.key, finish(entry.value, true), now));
                }
            }
        }

        private static int partitionsOf(EkycState state, String search) {
            return state.getPartials().stream()
                    .filter(p -> search.equals(p.getCollection() + "|" + p.getImageSource()))
                    .mapToInt(SearchPartial::getPartitions).findFirst().orElse(Integer.MAX_VALUE);
        }

        private static long partialsOf(EkycState state, String search) {
            return state.getPartials().stream()
                    .filter(p -> search.equals(p.getCollection() + "|" + p.getImageSource()))
                    .map(SearchPartial::getPartition).distinct().count();
        }

        static boolean complete(EkycState state) {
            EkycPart plan = state.getPlan();
            if (plan == null) {
                return false;
            }
            for (String section : plan.getSections()) {
                if (!section.equals(EkycJson.SEARCH) && !state.getSections().containsKey(section)) {
                    return false;
                }
            }
            for (String search : plan.getSearches()) {
                if (partialsOf(state, search) < partitionsOf(state, search)) {
                    return false;
                }
            }
            return !plan.getNonceExpected() || state.getSections().containsKey(NONCE);
        }

        private ResultEvent finish(EkycState state, boolean timedOut) {
            EkycPart plan = state.getPlan();
            ObjectNode body = EkycJson.JSON.createObjectNode();
            for (String section : plan.getSections()) {
                if (section.equals(EkycJson.SEARCH)) {
                    body.set(section, searchSection(state));
                } else {
                    String json = state.getSections().get(section);
                    JsonNode node = json != null ? parse(json)
                            : parse(EkycJson.sectionError(section, plan.getEnvelope().getAttributes().get("checkModel"),
                                    "The " + section + " stage did not answer in time"));
                    if (section.equals(EkycJson.FACE) && plan.getNonceExpected()) {
                        applyNonce(node, state.getSections().get(NONCE));
                    }
                    body.set(section, node);
                }
            }
            List<StageTrace> trace = new ArrayList<>();
            trace.add(Results.trace(NAME));
            return Results.resultFor(plan.getEnvelope(), trace)
                    .setPayload(io.openbio.processors.core.Sealing.apiResponse(plan.getEnvelope(), 200, body.toString()))
                    .build();
        }

        /**
         * A selfie bundle whose nonce was replayed, unknown, expired or of another tenant (or whose
         * verdict never came) was not a fresh capture: its INJECTION_ATTACK probability is 0.
         */
        private static void applyNonce(JsonNode faceSection, String nonceJson) {
            boolean passed = nonceJson != null && parse(nonceJson).path("passed").asBoolean(false);
            if (passed) {
                return;
            }
            for (JsonNode entry : faceSection.path("results")) {
                if ("INJECTION_ATTACK".equals(entry.path("type").asText()) && "OK".equals(entry.path("status_code").asText())) {
                    ((ObjectNode) entry).put("probability", 0.0);
                }
            }
        }

        private JsonNode searchSection(EkycState state) {
            EkycPart plan = state.getPlan();
            ObjectNode root = EkycJson.JSON.createObjectNode();
            ArrayNode results = root.putArray("results");
            List<String> order = new ArrayList<>(plan.getSearches());
            order.addAll(plan.getSearchErrors().keySet());
            for (String search : order) {
                String[] parts = search.split("\\|", 2);
                ObjectNode entry = results.addObject();
                entry.put("collection", parts[0]);
                String planned = plan.getSearchErrors().get(search);
                List<SearchPartial> mine = state.getPartials().stream()
                        .filter(p -> search.equals(p.getCollection() + "|" + p.getImageSource())).toList();
                String error = planned != null ? planned
                        : mine.stream().map(SearchPartial::getError).filter(e -> e != null).findFirst().orElse(null);
                if (error == null && partialsOf(state, search) < partitionsOf(state, search)) {
                    error = "The search did not answer in time";
                }
                if (error != null) {
                    entry.put("error", error);
                    entry.put("image_source", parts[1]);
                    entry.put("status_code", "ERROR");
                    continue;
                }
                ArrayNode hits = entry.putArray("results");
                SearchGather.merge(mine, plan.getSearchLimit())
                        .forEach(hit -> {
                            ObjectNode h = hits.addObject();
                            h.put("record_id", hit.getRecordId());
                            h.put("probability", calibration.probability(hit.getSimilarity()));
                        });
                entry.put("image_source", parts[1]);
                entry.put("status_code", "OK");
            }
            return root;
        }

        private static JsonNode parse(String json) {
            try {
                return EkycJson.JSON.readTree(json);
            } catch (Exception e) {
                return EkycJson.JSON.createObjectNode().put("status_code", "ERROR");
            }
        }
    }
}
