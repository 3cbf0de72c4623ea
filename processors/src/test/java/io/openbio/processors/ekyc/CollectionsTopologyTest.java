package io.openbio.processors.ekyc;

import static io.openbio.processors.ekyc.EkycTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.bundle.KeyResolver;
import io.openbio.events.ApiResponse;
import io.openbio.events.AuditEvent;
import io.openbio.events.CollectionRecord;
import io.openbio.events.CollectionState;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.embed.Template;
import io.openbio.processors.core.Analyzers;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.testkit.Drivers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The collections stage on nested collection names (IDLive accepts any path segment, '/' included).
 * Member keys are {@code <collection key>/<record id>} found by prefix scan; before collection keys
 * were escaped, collection {@code a}'s prefix {@code t/a/} also matched the members of {@code a/b}:
 * deleting an empty {@code a} answered "not empty", and force=true dropped {@code a/b}'s memberships
 * and wrote tombstones for wrong keys ("b/<id>"), after which those records stayed searchable but
 * could no longer be removed (an erasure failure). Every output topic is read in full.
 */
class CollectionsTopologyTest {
    private static final String REPLY_TO = "openbio.replies.gw-test";
    private static final String NOT_EMPTY = "400 Collection is not empty; delete it with force=true";

    private final Supplier<FaceAnalyzer> analyzer = Analyzers::shared;
    private final Supplier<KeyResolver> noKeys = () -> {
        throw new AssertionError("no bundle is opened in these tests");
    };
    private Drivers.Driver driver;
    private TestInputTopic<String, RequestEnvelope> requests;
    private TestOutputTopic<String, ResultEvent> results;
    private TestOutputTopic<String, ResultEvent> replies;
    private TestOutputTopic<String, AuditEvent> audit;
    private TestOutputTopic<String, CollectionState> collections;
    private TestOutputTopic<String, CollectionRecord> records;
    private int requestCount;

    @BeforeEach
    void start() {
        driver = Drivers.start(new CollectionsProcessor(analyzer, noKeys).topology(Drivers.SERDES));
        requests = driver.input(Topics.EKYC_TEMPLATE_REQUESTS);
        results = driver.output(Topics.RESULTS);
        replies = driver.output(REPLY_TO, Topics.RESULTS);
        audit = driver.output(Topics.AUDIT);
        collections = driver.output(Topics.COLLECTIONS);
        records = driver.output(Topics.COLLECTION_RECORDS);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void anEmptyCollectionIsDeletedWhileANestedOneHoldsRecords() {
        assertThat(call(EkycContract.CREATE_COLLECTION, "a", Map.of())).isEqualTo("201 {}");
        assertThat(call(EkycContract.CREATE_COLLECTION, "a/b", Map.of())).isEqualTo("201 {}");
        assertThat(collectionChanges()).containsExactly(tuple("t/a", "a", false), tuple("t/a%2Fb", "a/b", false));

        List<String> nested = enrol("a/b", 2);
        assertThat(records.readKeyValuesToList()).extracting(kv -> kv.key, kv -> kv.value.getCollection())
                .containsExactly(tuple(nested.get(0), "a/b"), tuple(nested.get(1), "a/b"));

        assertThat(call(EkycContract.DELETE_COLLECTION, "a", Map.of())).as("a itself holds no record").isEqualTo("204 {}");
        assertThat(collectionChanges()).containsExactly(tuple("t/a", "a", true));
        assertThat(records.isEmpty()).as("no tombstone").isTrue();

        assertThat(call(EkycContract.DELETE_COLLECTION, "a/b", Map.of())).isEqualTo(NOT_EMPTY);
        assertNoMoreOutput();
    }

    @Test
    void forceDeletingACollectionTombstonesOnlyItsOwnRecordsAndKeepsTheNestedOnesRemovable() {
        call(EkycContract.CREATE_COLLECTION, "a", Map.of());
        call(EkycContract.CREATE_COLLECTION, "a/b", Map.of());
        collections.readKeyValuesToList();
        List<String> nested = enrol("a/b", 2);
        List<String> own = enrol("a", 1);
        assertThat(records.readKeyValuesToList()).extracting(kv -> kv.key, kv -> kv.value.getCollection())
                .containsExactly(tuple(nested.get(0), "a/b"), tuple(nested.get(1), "a/b"), tuple(own.get(0), "a"));

        assertThat(call(EkycContract.DELETE_COLLECTION, "a", Map.of())).as("a holds one record").isEqualTo(NOT_EMPTY);
        assertThat(collections.isEmpty()).isTrue();
        assertThat(records.isEmpty()).isTrue();

        assertThat(call(EkycContract.DELETE_COLLECTION, "a", Map.of("force", "true"))).isEqualTo("204 {}");
        assertThat(collectionChanges()).containsExactly(tuple("t/a", "a", true));
        assertThat(records.readKeyValuesToList()).as("exactly a's record is tombstoned")
                .containsExactly(KeyValue.pair(own.get(0), null));

        assertThat(call(EkycContract.REMOVE_RECORD, "a/b", Map.of("recordId", nested.get(0)))).isEqualTo("204 {}");
        assertThat(records.readKeyValuesToList()).containsExactly(KeyValue.pair(nested.get(0), null));
        assertThat(call(EkycContract.DELETE_COLLECTION, "a/b", Map.of())).as("a/b still holds its other record")
                .isEqualTo(NOT_EMPTY);
        assertThat(call(EkycContract.REMOVE_RECORD, "a/b", Map.of("recordId", nested.get(1)))).isEqualTo("204 {}");
        assertThat(records.readKeyValuesToList()).containsExactly(KeyValue.pair(nested.get(1), null));
        assertThat(call(EkycContract.DELETE_COLLECTION, "a/b", Map.of())).isEqualTo("204 {}");
        assertThat(collectionChanges()).containsExactly(tuple("t/a%2Fb", "a/b", true));
        assertNoMoreOutput();
    }

    @Test
    void aRecordIdIsLookedUpOnlyInItsOwnCollection() {
        call(EkycContract.CREATE_COLLECTION, "a", Map.of());
        call(EkycContract.CREATE_COLLECTION, "a/b", Map.of());
        collections.readKeyValuesToList();
        String nested = enrol("a/b", 1).get(0);
        records.readKeyValuesToList();

        assertThat(call(EkycContract.REMOVE_RECORD, "a", Map.of("recordId", "b/" + nested)))
                .isEqualTo("400 Record does not exist in the collection");
        assertThat(call(EkycContract.REMOVE_RECORD, "a", Map.of("recordId", nested)))
                .isEqualTo("400 Record does not exist in the collection");
        assertThat(call(EkycContract.DELETE_COLLECTION, "a/b", Map.of())).isEqualTo(NOT_EMPTY);
        assertNoMoreOutput();
    }

    @Test
    void escapedLookingNamesAreCollectionsOfTheirOwn() {
        assertThat(call(EkycContract.CREATE_COLLECTION, "a/b", Map.of())).isEqualTo("201 {}");
        assertThat(call(EkycContract.CREATE_COLLECTION, "a%2Fb", Map.of())).isEqualTo("201 {}");
        assertThat(call(EkycContract.CREATE_COLLECTION, "a/b", Map.of())).isEqualTo("400 Collection already exists");
        assertThat(collectionChanges()).containsExactly(tuple("t/a%2Fb", "a/b", false), tuple("t/a%252Fb", "a%2Fb", false));
        assertNoMoreOutput();
    }

    /** Sends one request of tenant {@code t}, keyed as the gateway keys it, and returns its answer as "status body-or-message". */
    private String call(String operation, String collection, Map<String, String> attributes) {
        String id = "r" + (++requestCount);
        Map<String, String> all = new LinkedHashMap<>(attributes);
        all.put("collection", collection);
        // templates travel as sealed parts, as the gateway sends them
        List<io.openbio.events.Part> parts = new java.util.ArrayList<>();
        for (String name : List.of("templates", "template")) {
            String text = all.remove(name);
            if (text != null) {
                parts.add(new io.openbio.events.Part(name, null, java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            }
        }
        requests.pipeInput("t/" + collection, io.openbio.processors.TestSealing.sealed(RequestEnvelope.newBuilder().setRequestId(id).setTenant("t").setOperation(operation)
                .setReplyTo(REPLY_TO).setCreatedAt(Instant.now()).setParts(parts).setAttributes(all).build()));

        List<KeyValue<String, ResultEvent>> answered = results.readKeyValuesToList();
        assertThat(answered).as("one result for %s", id).hasSize(1);
        assertThat(replies.readKeyValuesToList()).as("the same answer on the reply topic").containsExactlyElementsOf(answered);
        assertThat(audit.readKeyValuesToList()).extracting(kv -> kv.key, kv -> kv.value.getOperation())
                .containsExactly(tuple(answered.get(0).key, operation));
        ResultEvent result = answered.get(0).value;
        assertThat(result.getRequestId()).isEqualTo(id);
        if (result.getError() != null) {
            return result.getError().getStatus() + " " + result.getError().getMessage();
        }
        ApiResponse response = (ApiResponse) result.getPayload();
        return response.getStatus() + " " + io.openbio.processors.TestSealing.json(result);
    }

    /** Enrols {@code count} templates of this installation's model into {@code collection}; their record ids. */
    private List<String> enrol(String collection, int count) {
        FaceAnalyzer face = analyzer.get();
        Random random = new Random(count * 31L + collection.hashCode());
        List<String> templates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] vector = new float[512];
            for (int d = 0; d < vector.length; d++) {
                vector[d] = (float) random.nextGaussian();
            }
            templates.add("\"" + new Template(face.templateModelId(), face.templateModelVersion(), vector).encode() + "\"");
        }
        String answer = call(EkycContract.ADD_TEMPLATE, collection, Map.of("templates", "[" + String.join(",", templates) + "]"));
        assertThat(answer).startsWith("201 ");
        JsonNode ids = json(answer.substring(4)).get("record_ids");
        List<String> out = new ArrayList<>();
        ids.forEach(id -> out.add(id.asText()));
        assertThat(out).hasSize(count).doesNotHaveDuplicates();
        return out;
    }

    private List<org.assertj.core.groups.Tuple> collectionChanges() {
        return collections.readKeyValuesToList().stream()
                .map(kv -> tuple(kv.key, kv.value.getName(), kv.value.getDeleted())).toList();
    }

    private void assertNoMoreOutput() {
        assertThat(results.isEmpty()).isTrue();
        assertThat(replies.isEmpty()).isTrue();
        assertThat(audit.isEmpty()).isTrue();
        assertThat(collections.isEmpty()).isTrue();
        assertThat(records.isEmpty()).isTrue();
    }
}
