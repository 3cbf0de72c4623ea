package io.openbio.processors.lcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.ApiResponse;
import io.openbio.events.LcpAuditEvent;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.Sealing;
import io.openbio.processors.core.Stages;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.LcpAuditQuery;
import io.openbio.schemas.contract.LcpContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import io.openbio.schemas.serde.EventSerdes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
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
 * The Liveness Check Proxy audit log (seed 001): builds its stores from {@link Topics#LCP_AUDIT}
 * and answers the ADMIN queries ({@link LcpContract#AUDIT_LIST}, {@link LcpContract#AUDIT_DETAIL})
 * from them, never by reading a topic per request.
 *
 * <p>Stores (RocksDB, changelogged, exactly-once):
 * <ul>
 * <li>{@value #USER_STORE}: {@code <tenant>/<escaped userId>/<inverted timestamp, 19 digits>/<id>} ->
 * the summary message. The events arrive keyed {@code <tenant>/<userId>}
 * ({@link LcpContract#auditUserKey}), so one task holds a user's whole history, and list queries
 * are keyed the same way. A page is one range scan of the user's prefix between the window's
 * inverted end and start: newest first by construction, {@code pageNumber * pageSize} entries
 * skipped, {@code pageSize} read. Its cost grows with the page's offset inside one user's window,
 * never with the number of users or events in the store.</li>
 * <li>{@value #ID_STORE}: {@code <tenant>#<id>} -> the event as it was on the topic, its probe and
 * reference images still sealed (PayloadCipher, purpose IMAGE, under the tenant and the audit log
 * id): this is the audit log's encryption at rest. Images are opened only to build one detail
 * answer, whose body is itself sealed on the result topic ({@link Sealing#apiResponse}).</li>
 * <li>{@value #USER_EXPIRY_STORE} and {@value #ID_EXPIRY_STORE}: {@code <timestamp, 13 digits>/<store key>},
 * so the retention purge reads only what expired.</li>
 * </ul>
 *
 * <p>Detail queries: an audit log id does not say its user, so the user-partitioned store cannot
 * answer one without asking every task. Choice: the stage re-partitions the events by
 * {@link LcpContract#auditIdKey} ({@code <tenant>#<id>}) through its own repartition topic
 * ({@value #BY_ID}, as many partitions as the query topic) into the by-id store, and the gateway keys
 * detail queries the same way, so the task holding the entry answers. The other way, ids that encode
 * their user's partition, would tie the id format the verify stage writes (a plain UUID, as the seed
 * shows) and the partition count into every caller. The cost is a second copy of each event
 * (sealed) and one internal topic.
 *
 * <p>Retention: entries older than {@code OPENBIO_LCP_AUDIT_RETENTION_DAYS} (default 400, the
 * topic's) are deleted by a wall-clock punctuator every minute, at most {@value #PURGE_BATCH}
 * entries per store and run so a large backlog never holds the stream thread long; events already
 * older than that when they arrive are not stored.
 *
 * <p>Answers: list {@code {"records":[{"id","timestamp","message"}]}}; detail {@code {"id",
 * "timestamp","message","params":{"userId","probeImage","trustedImage"}}} (images base64, a param
 * the event lacks left out); an unknown id (or another tenant's) 400 {@code ERROR_REQUEST} "Audit
 * log was not found."; bad arguments 400 {@code ERROR_REQUEST} "Invalid method arguments."
 * ({@link LcpAuditQuery}); a payload that does not open is a 500 (the gateway answers the seed's
 * {@code ERROR_GENERIC}). Nothing of an image is ever logged.
 */
public final class LcpAuditProcessor implements StreamProcessor {
    private static final Logger log = LoggerFactory.getLogger(LcpAuditProcessor.class);

    public static final String NAME = LcpContract.AUDIT.name();
    public static final String USER_STORE = "lcp-audit-by-user";
    public static final String ID_STORE = "lcp-audit-by-id";
    public static final String USER_EXPIRY_STORE = "lcp-audit-by-user-expiry";
    public static final String ID_EXPIRY_STORE = "lcp-audit-by-id-expiry";
    /** Name of the by-id repartition topic ({@code <application id>-lcp-audit-by-id-repartition}). */
    public static final String BY_ID = "lcp-audit-by-id";
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    static final int PURGE_BATCH = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration retention;

    public LcpAuditProcessor() {
        this(ProcessorSettings.defaults());
    }

    public LcpAuditProcessor(ProcessorSettings settings) {
        this.retention = settings.lcpAuditRetention();
    }

    @Override
    public Stage stage() {
        return LcpContract.AUDIT;
    }

    /** Commit interval of this stage (the platform's is 0: a commit after every processing pass). */
    static final long COMMIT_INTERVAL_MS = 100;

    /**
     * Two overrides of the platform's Kafka Streams settings:
     * <ul>
     * <li>{@code commit.interval.ms} {@value #COMMIT_INTERVAL_MS} instead of 0. With 0 every pass commits
     * a transaction, and Kafka Streams then processes one record per task per pass: this stage stored
     * about 240 events a second (20,000 events in 175 s, the by-id repartition hop included), so a
     * backlog of a million events (a replay, a new consumer group) would take over an hour; with 100 ms a
     * transaction carries what arrived meanwhile (1,000,000 events stored in 331 s on the same shared
     * 2-core machine). The price is up to 100 ms more before an audit query's answer is
     * visible, on an ADMIN read that is not on any liveness check's path (BENCHMARKS.md, "Liveness
     * Check Proxy audit log").</li>
     * <li>{@code max.task.idle.ms} -1: a task reads three topics (events, events by id, queries) whose
     * relative order does not matter; a query is answered from what is stored without waiting for
     * the other partitions (as the eKYC assembler does).</li>
     * </ul>
     */
    @Override
    public java.util.Map<String, Object> configOverrides() {
        return java.util.Map.of(org.apache.kafka.streams.StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS,
                org.apache.kafka.streams.StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(USER_STORE), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ID_STORE), Serdes.String(),
                serdes.valueSerde(LcpAuditEvent.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(USER_EXPIRY_STORE), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ID_EXPIRY_STORE), Serdes.String(), Serdes.String()));

        TopicSpec<LcpAuditEvent> audit = Topics.LCP_AUDIT;
        KStream<String, LcpAuditEvent> events = builder.stream(audit.name(), audit.consumed(serdes).withName("lcp-audit-events"))
                .filter((key, event) -> usable(event), Named.as("lcp-audit-usable"));
        events.process(() -> new Indexer(USER_STORE, USER_EXPIRY_STORE, retention, true), Named.as("lcp-audit-index-user"),
                USER_STORE, USER_EXPIRY_STORE);
        events.selectKey((key, event) -> LcpContract.auditIdKey(event.getTenant(), event.getId()), Named.as("lcp-audit-key-by-id"))
                .repartition(Repartitioned.with(Serdes.String(), audit.valueSerde(serdes)).withName(BY_ID)
                        .withNumberOfPartitions(Topics.LCP_AUDIT_QUERIES.partitions()))
                .process(() -> new Indexer(ID_STORE, ID_EXPIRY_STORE, retention, false), Named.as("lcp-audit-index-id"),
                        ID_STORE, ID_EXPIRY_STORE);

        TopicSpec<RequestEnvelope> queries = Topics.LCP_AUDIT_QUERIES;
        KStream<String, ResultEvent> answers = builder.stream(queries.name(), queries.consumed(serdes).withName("lcp-audit-queries"))
                .filter((key, request) -> request != null)
                .process(Queries::new, Named.as("lcp-audit-answer"), USER_STORE, ID_STORE);
        Results.publish(answers, serdes);
        return builder.build();
    }

    private static boolean usable(LcpAuditEvent event) {
        return event != null && event.getId() != null && !event.getId().isEmpty() && event.getTenant() != null
                && event.getUserId() != null && event.getTimestamp() != null;
    }

    // ------------------------------------------------------------------ store keys

    /** {@code %} and {@code /} escaped, so a user's prefix never matches another user's entries ({@code a} and {@code a/b}). */
    public static String escape(String text) {
        return text.replace("%", "%25").replace("/", "%2F");
    }

    /** Every entry of one user's history starts with this. */
    public static String userPrefix(String tenant, String userId) {
        return escape(tenant) + "/" + escape(userId) + "/";
    }

    static String userKey(LcpAuditEvent event) {
        return userPrefix(event.getTenant(), event.getUserId()) + inverted(event.getTimestamp().toEpochMilli()) + "/" + event.getId();
    }

    /** {@code Long.MAX_VALUE - timestamp}, 19 digits: ascending keys are newest first. */
    static String inverted(long timestamp) {
        return String.format("%019d", Long.MAX_VALUE - timestamp);
    }

    /** An expiry index key: the timestamp (13 digits, good until the year 2286) then the entry's key. */
    static String expiryKey(long timestamp, String key) {
        return String.format("%013d", timestamp) + "/" + key;
    }

    // ------------------------------------------------------------------ indexing and retention

    /** Puts each event in one store (user or id) with its expiry entry; purges what outlived the retention. */
    static final class Indexer implements Processor<String, LcpAuditEvent, Void, Void> {
        private final String storeName;
        private final String expiryName;
        private final long retentionMs;
        private final boolean byUser;
        private KeyValueStore<String, Object> store;
        private KeyValueStore<String, String> expiry;
        private ProcessorContext<Void, Void> context;

        Indexer(String storeName, String expiryName, Duration retention, boolean byUser) {
            this.storeName = storeName;
            this.expiryName = expiryName;
            this.retentionMs = retention.toMillis();
            this.byUser = byUser;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.store = context.getStateStore(storeName);
            this.expiry = context.getStateStore(expiryName);
            context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::purge);
        }

        @Override
        public void process(Record<String, LcpAuditEvent> record) {
            LcpAuditEvent event = record.value();
            long timestamp = event.getTimestamp().toEpochMilli();
            if (timestamp < context.currentSystemTimeMs() - retentionMs) {
                return; // already past retention (a replay of an old topic)
            }
            String key;
            if (byUser) {
                String expected = LcpContract.auditUserKey(event.getTenant(), event.getUserId());
                if (!expected.equals(record.key())) {
                    // on another task than the user's queries: listed only if the two keys hash alike
                    log.warn("lcp-audit: event {} keyed '{}' instead of '{}'; its user's list may miss it",
                            event.getId(), record.key(), expected);
                }
                key = userKey(event);
                store.put(key, event.getMessage());
            } else {
                key = record.key();
                store.put(key, event);
            }
            expiry.put(expiryKey(timestamp, key), "");
        }

        /** Deletes entries older than the retention, oldest first, at most {@link #PURGE_BATCH} per run. */
        void purge(long now) {
            long cutoff = now - retentionMs;
            if (cutoff <= 0) {
                return;
            }
            List<String> expired = new ArrayList<>();
            // the 'to' bound (13 digits, no suffix) sorts below every key of instant 'cutoff' itself
            try (KeyValueIterator<String, String> old = expiry.range(String.format("%013d", 0), String.format("%013d", cutoff))) {
                while (old.hasNext() && expired.size() < PURGE_BATCH) {
                    expired.add(old.next().key);
                }
            }
            for (String entry : expired) {
                store.delete(entry.substring(14));
                expiry.delete(entry);
            }
        }
    }

    // ------------------------------------------------------------------ queries

    /** A store's range scan, bounds inclusive (the user store's {@code range}; the benchmark's RocksDB reader). */
    @FunctionalInterface
    public interface Range {
        KeyValueIterator<String, String> range(String from, String to);
    }

    /** One page's answer and how many records it holds. */
    public record Page(String json, int records) {
    }

    /**
     * One page of a user's history from the user store: a single range scan between the window's
     * inverted end and start (newest first), {@code offset} entries skipped, {@code pageSize} read.
     */
    public static Page page(Range store, LcpAuditQuery query) {
        String prefix = userPrefix(query.tenant(), query.userId());
        // newest first: inverted(end) <= inverted timestamp <= inverted(start); "0" sorts above "/<id>"
        String from = prefix + inverted(query.end());
        String to = prefix + inverted(query.start()) + "0";
        ObjectNode body = JSON.createObjectNode();
        ArrayNode records = body.putArray("records");
        long skip = query.offset();
        try (KeyValueIterator<String, String> page = store.range(from, to)) {
            while (page.hasNext() && records.size() < query.pageSize()) {
                KeyValue<String, String> entry = page.next();
                if (skip > 0) {
                    skip--;
                    continue;
                }
                String rest = entry.key.substring(prefix.length());
                records.addObject()
                        .put("id", rest.substring(20))
                        .put("timestamp", Long.MAX_VALUE - Long.parseLong(rest.substring(0, 19)))
                        .put("message", entry.value);
            }
        }
        return new Page(body.toString(), records.size());
    }

    /** The detail answer of a stored entry, its images opened (sealed for its tenant under its audit log id) and base64. */
    public static String detailJson(LcpAuditEvent event) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", event.getId())
                .put("timestamp", event.getTimestamp().toEpochMilli())
                .put("message", event.getMessage());
        ObjectNode params = body.putObject("params").put("userId", event.getUserId());
        if (event.getProbeImage() != null) {
            params.put("probeImage", Base64.getEncoder().encodeToString(open(event, event.getProbeImage())));
        }
        if (event.getTrustedImage() != null) {
            params.put("trustedImage", Base64.getEncoder().encodeToString(open(event, event.getTrustedImage())));
        }
        return body.toString();
    }

    private static byte[] open(LcpAuditEvent event, ByteBuffer sealed) {
        return PayloadKeys.shared().open(event.getTenant(), Purpose.IMAGE, event.getId(), Sealing.bytes(sealed));
    }

    /** Answers list and detail queries from the stores. */
    static final class Queries implements Processor<String, RequestEnvelope, String, ResultEvent> {
        private ProcessorContext<String, ResultEvent> context;
        private KeyValueStore<String, String> byUser;
        private KeyValueStore<String, LcpAuditEvent> byId;

        @Override
        public void init(ProcessorContext<String, ResultEvent> context) {
            this.context = context;
            this.byUser = context.getStateStore(USER_STORE);
            this.byId = context.getStateStore(ID_STORE);
        }

        @Override
        public void process(Record<String, RequestEnvelope> record) {
            RequestEnvelope request = record.value();
            List<StageTrace> trace = List.of(Results.trace(NAME));
            ResultEvent result;
            try {
                result = switch (request.getOperation()) {
                    case LcpContract.AUDIT_LIST -> list(request, trace);
                    case LcpContract.AUDIT_DETAIL -> detail(request, trace);
                    default -> invalid(request, trace);
                };
            } catch (IllegalArgumentException e) {
                result = invalid(request, trace);
            } catch (RuntimeException e) {
                result = Stages.unexpected(NAME, request, trace, e);
            }
            context.forward(record.withKey(request.getRequestId()).withValue(result));
        }

        private ResultEvent list(RequestEnvelope request, List<StageTrace> trace) {
            LcpAuditQuery query = LcpAuditQuery.parse(request.getTenant(), request.getAttributes(), context.currentSystemTimeMs());
            Page page = page(byUser::range, query);
            ApiResponse answer = Sealing.apiResponse(request, 200, page.json());
            answer.getSummary().put("records", Integer.toString(page.records()));
            return Results.resultFor(request, trace).setPayload(answer).build();
        }

        private ResultEvent detail(RequestEnvelope request, List<StageTrace> trace) {
            String id = request.getAttributes().get(LcpAuditQuery.ID);
            LcpAuditEvent event = id == null || id.isEmpty() ? null : byId.get(LcpContract.auditIdKey(request.getTenant(), id));
            if (event == null) {
                return Results.error(request, trace, 400, "ERROR_REQUEST", LcpAuditQuery.NOT_FOUND);
            }
            ApiResponse answer = Sealing.apiResponse(request, 200, detailJson(event));
            answer.getSummary().put("kind", event.getKind());
            return Results.resultFor(request, trace).setPayload(answer).build();
        }

        private static ResultEvent invalid(RequestEnvelope request, List<StageTrace> trace) {
            return Results.error(request, trace, 400, "ERROR_REQUEST", LcpAuditQuery.INVALID);
        }
    }
}
