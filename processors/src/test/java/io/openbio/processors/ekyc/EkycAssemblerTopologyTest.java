package io.openbio.processors.ekyc;

import static io.openbio.processors.ekyc.EkycTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.events.ApiResponse;
import io.openbio.events.EkycPart;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.SearchHit;
import io.openbio.events.SearchPartial;
import io.openbio.inference.embed.ScoreCalibration;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.schemas.Topics;
import io.openbio.testkit.Drivers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The eKYC assembler on TopologyTestDriver: PLAN + sections (+ nonce verdict, + search partials)
 * become exactly one IDLive /check answer; a part that never comes becomes its section's ERROR
 * entry after the assembly timeout (default 30 s, {@code openbio.ekyc.assembly-timeout-ms}), checked
 * by a 1 s wall-clock punctuator. No models needed.
 */
class EkycAssemblerTopologyTest {
    static final String FACE_JSON = "{\"results\":[{\"type\":\"PRESENTATION_ATTACK\",\"pipeline\":\"openbio-pad-1\","
            + "\"calibration\":\"REGULAR\",\"probability\":0.93,\"status_code\":\"OK\"}]}";
    static final String FACE_WITH_INJECTION_JSON = "{\"results\":[{\"type\":\"PRESENTATION_ATTACK\",\"pipeline\":\"openbio-pad-1\","
            + "\"calibration\":\"REGULAR\",\"probability\":0.93,\"status_code\":\"OK\"},"
            + "{\"type\":\"INJECTION_ATTACK\",\"probability\":1.0,\"status_code\":\"OK\"}]}";
    static final String DOC_JSON = "{\"results\":[{\"type\":\"SCREEN_REPLAY_ATTACK\",\"pipeline\":\"default-sr\","
            + "\"calibration\":\"REGULAR\",\"probability\":0.1,\"quality_warnings\":[],\"status_code\":\"OK\"}]}";
    static final String MATCH_JSON = "{\"probability\":0.97,\"status_code\":\"OK\"}";

    Drivers.Driver driver;
    TestInputTopic<String, EkycPart> parts;
    TestInputTopic<String, SearchPartial> partials;
    TestOutputTopic<String, ResultEvent> results;
    TestOutputTopic<String, ResultEvent> replies;

    @BeforeEach
    void start() {
        driver = Drivers.start(new AssemblerProcessor(ProcessorSettings.defaults()).topology(Drivers.SERDES));
        parts = driver.input(Topics.EKYC_PARTS);
        partials = driver.input(Topics.SEARCH_PARTIALS);
        results = driver.output(Topics.RESULTS);
        replies = driver.output("openbio.replies.gw-test", Topics.RESULTS);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static RequestEnvelope bare(String id) {
        return RequestEnvelope.newBuilder().setRequestId(id).setTenant("t1").setOperation(EkycPrepareProcessor.OPERATION)
                .setReplyTo("openbio.replies.gw-test").setCreatedAt(Instant.now()).setParts(List.of()).setAttributes(Map.of()).build();
    }

    static EkycPart plan(String id, List<String> sections) {
        return EkycPart.newBuilder().setRequestId(id).setKind("PLAN").setEnvelope(bare(id)).setSections(sections).build();
    }

    static EkycPart section(String id, String section, String json) {
        return EkycPrepareProcessor.section(id, section, json);
    }

    void send(EkycPart part) {
        parts.pipeInput(part.getRequestId(), part);
    }

    long storedRequests() {
        long n = 0;
        try (var all = driver.<String, Object>getKeyValueStore(AssemblerProcessor.STORE).all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    static JsonNode body(ResultEvent result) {
        assertThat(result.getError()).isNull();
        ApiResponse response = (ApiResponse) result.getPayload();
        assertThat(response.getStatus()).isEqualTo(200);
        return json(io.openbio.processors.TestSealing.json(result));
    }

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void planAndAllSectionsInAnyOrderGiveExactlyOneAnswerInThePlansOrder() {
        // a section can overtake the PLAN (different producers' records on the same partition)
        send(section("r1", EkycJson.VALIDATION, MATCH_JSON));
        send(plan("r1", List.of(EkycJson.FACE, EkycJson.DOC, EkycJson.VALIDATION)));
        send(section("r1", EkycJson.DOC, DOC_JSON));
        assertThat(results.isEmpty()).as("face_result still missing").isTrue();
        send(section("r1", EkycJson.FACE, FACE_JSON));

        var answers = results.readKeyValuesToList();
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).key).isEqualTo("r1");
        ResultEvent result = answers.get(0).value;
        assertThat(result.getRequestId()).isEqualTo("r1");
        assertThat(result.getTenant()).isEqualTo("t1");
        assertThat(result.getOperation()).isEqualTo(EkycPrepareProcessor.OPERATION);
        assertThat(result.getTrace()).extracting(t -> t.getStage()).containsExactly(AssemblerProcessor.NAME);
        JsonNode body = body(result);
        assertThat(fields(body)).containsExactly(EkycJson.FACE, EkycJson.DOC, EkycJson.VALIDATION);
        assertThat(body.get(EkycJson.FACE)).isEqualTo(json(FACE_JSON));
        assertThat(body.get(EkycJson.DOC)).isEqualTo(json(DOC_JSON));
        assertThat(body.get(EkycJson.VALIDATION)).isEqualTo(json(MATCH_JSON));
        assertThat(replies.readValuesToList()).as("also on the waiting gateway's reply topic")
                .extracting(ResultEvent::getRequestId).containsExactly("r1");

        // the request's state is gone: a late duplicate section and the timeout produce nothing more
        send(section("r1", EkycJson.FACE, FACE_JSON));
        driver.advanceWallClockTime(Duration.ofSeconds(40));
        assertThat(results.isEmpty()).as("exactly one answer per request").isTrue();
        assertThat(storedRequests()).as("state deleted on completion").isZero();
    }

    @Test
    void requestsAreAssembledIndependently() {
        send(plan("a", List.of(EkycJson.VALIDATION)));
        send(plan("b", List.of(EkycJson.VALIDATION)));
        send(section("b", EkycJson.VALIDATION, "{\"probability\":0.1,\"status_code\":\"OK\"}"));
        send(section("a", EkycJson.VALIDATION, MATCH_JSON));
        List<ResultEvent> answers = results.readValuesToList();
        assertThat(answers).extracting(ResultEvent::getRequestId).containsExactly("b", "a");
        assertThat(body(answers.get(0)).at("/face_validation_result/probability").asDouble()).isEqualTo(0.1);
        assertThat(body(answers.get(1)).at("/face_validation_result/probability").asDouble()).isEqualTo(0.97);
    }

    @Test
    void aSectionThatNeverArrivesBecomesItsErrorEntryAfterTheTimeout() {
        send(plan("r2", List.of(EkycJson.FACE, EkycJson.DOC, EkycJson.VALIDATION)));
        send(section("r2", EkycJson.FACE, FACE_JSON));
        send(section("r2", EkycJson.DOC, DOC_JSON));

        driver.advanceWallClockTime(Duration.ofSeconds(15));
        assertThat(results.isEmpty()).as("before the 20 s timeout the assembler waits").isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(15));

        List<ResultEvent> answers = results.readValuesToList();
        assertThat(answers).as("the request is answered, not lost").hasSize(1);
        JsonNode body = body(answers.get(0));
        assertThat(fields(body)).containsExactly(EkycJson.FACE, EkycJson.DOC, EkycJson.VALIDATION);
        assertThat(body.get(EkycJson.FACE)).isEqualTo(json(FACE_JSON));
        assertThat(body.get(EkycJson.DOC)).isEqualTo(json(DOC_JSON));
        assertThat(body.at("/face_validation_result/status_code").asText()).isEqualTo("ERROR");
        assertThat(body.at("/face_validation_result/error").asText())
                .isEqualTo("The face_validation_result stage did not answer in time");

        driver.advanceWallClockTime(Duration.ofSeconds(40));
        assertThat(results.isEmpty()).as("answered once").isTrue();
        // the missing stage answering late does not produce a second answer either
        send(section("r2", EkycJson.VALIDATION, MATCH_JSON));
        driver.advanceWallClockTime(Duration.ofSeconds(40));
        assertThat(results.isEmpty()).isTrue();
    }

    @Test
    void aTimedOutFaceSectionKeepsItsShapeWithOneErrorEntryPerRequestedPipeline() {
        // A list-shaped section (face_result / doc_result) that timed out is {"results":[...]} with one
        // ERROR entry per pipeline of the request's check model, as when its stage answers an error.
        RequestEnvelope envelope = RequestEnvelope.newBuilder(bare("r3"))
                .setAttributes(Map.of("checkModel", "{\"operations\":[\"FACE_CHECK\",\"DOC_CHECK\"]}")).build();
        send(EkycPart.newBuilder(plan("r3", List.of(EkycJson.FACE, EkycJson.DOC))).setEnvelope(envelope).build());
        send(section("r3", EkycJson.DOC, DOC_JSON));
        driver.advanceWallClockTime(Duration.ofSeconds(35));
        JsonNode face = body(results.readValue()).get(EkycJson.FACE);
        assertThat(face.get("results")).hasSize(3);
        for (JsonNode entry : face.get("results")) {
            assertThat(entry.get("status_code").asText()).isEqualTo("ERROR");
            assertThat(entry.get("error").asText()).isEqualTo("The face_result stage did not answer in time");
            assertThat(entry.has("probability")).isFalse();
        }
        List<String> types = new java.util.ArrayList<>();
        face.get("results").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsExactly("PRESENTATION_ATTACK", "DEEPFAKE_ATTACK", "INJECTION_ATTACK");
    }

    @Test
    void aTimedOutSectionWithoutAReadableCheckModelIsThePlainErrorObject() {
        send(plan("r4", List.of(EkycJson.FACE)));
        driver.advanceWallClockTime(Duration.ofSeconds(35));
        JsonNode face = body(results.readValue()).get(EkycJson.FACE);
        assertThat(face.get("status_code").asText()).isEqualTo("ERROR");
        assertThat(face.get("error").asText()).isEqualTo("The face_result stage did not answer in time");
    }

    @Test
    void sectionsWithoutAPlanExpireSilently() {
        send(section("orphan", EkycJson.FACE, FACE_JSON));
        driver.advanceWallClockTime(Duration.ofSeconds(35));
        assertThat(results.isEmpty()).as("no envelope, nobody to answer").isTrue();
        assertThat(driver.<String, Object>getKeyValueStore(AssemblerProcessor.STORE).get("orphan")).as("state purged").isNull();
    }

    @Test
    void aNonceVerdictIsAwaitedAndAFailedOrMissingOneZeroesTheInjectionProbability() {
        EkycPart plan = EkycPart.newBuilder(plan("fresh", List.of(EkycJson.FACE))).setNonceExpected(true).build();
        send(plan);
        send(section("fresh", EkycJson.FACE, FACE_WITH_INJECTION_JSON));
        assertThat(results.isEmpty()).as("waits for the nonce verdict").isTrue();
        send(EkycPart.newBuilder().setRequestId("fresh").setKind("NONCE").setJson("{\"passed\":true}").build());
        assertThat(body(results.readValue()).at("/face_result/results/1/probability").asDouble()).isEqualTo(1.0);

        send(EkycPart.newBuilder(plan).setRequestId("replayed").setEnvelope(bare("replayed")).build());
        send(EkycPart.newBuilder().setRequestId("replayed").setKind("NONCE").setJson("{\"passed\":false}").build());
        send(section("replayed", EkycJson.FACE, FACE_WITH_INJECTION_JSON));
        JsonNode replayed = body(results.readValue()).at("/face_result/results");
        assertThat(replayed.get(1).get("probability").asDouble()).isZero();
        assertThat(replayed.get(0).get("probability").asDouble()).as("other checks untouched").isEqualTo(0.93);

        send(EkycPart.newBuilder(plan).setRequestId("silent").setEnvelope(bare("silent")).build());
        send(section("silent", EkycJson.FACE, FACE_WITH_INJECTION_JSON));
        assertThat(results.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(35));
        ResultEvent silent = results.readValue();
        assertThat(silent.getRequestId()).isEqualTo("silent");
        assertThat(body(silent).at("/face_result/results/1/probability").asDouble()).as("no verdict: not a fresh capture").isZero();
    }

    @Test
    void searchPartialsOfEveryShardAreMergedIntoTheSearchSection() {
        double strong = 0.8;
        double weak = 0.05;
        EkycPart plan = EkycPart.newBuilder(plan("s1", List.of(EkycJson.SEARCH)))
                .setSearches(List.of("c|FACE")).setSearchErrors(Map.of("c|DOCUMENT", "Failed to detect document")).setSearchLimit(5).build();
        send(plan);
        partials.pipeInput("s1", new SearchPartial("s1", "c", "FACE", 0, 2, List.of(new SearchHit("rec-b", weak)), null));
        assertThat(results.isEmpty()).as("one of two shards answered").isTrue();
        partials.pipeInput("s1", new SearchPartial("s1", "c", "FACE", 1, 2, List.of(new SearchHit("rec-a", strong)), null));

        JsonNode search = body(results.readValue()).at("/face_search_result/results");
        assertThat(search).hasSize(2);
        JsonNode byFace = search.get(0);
        assertThat(byFace.get("collection").asText()).isEqualTo("c");
        assertThat(byFace.get("image_source").asText()).isEqualTo("FACE");
        assertThat(byFace.get("status_code").asText()).isEqualTo("OK");
        assertThat(byFace.get("results")).hasSize(2);
        assertThat(byFace.at("/results/0/record_id").asText()).as("best first").isEqualTo("rec-a");
        ScoreCalibration calibration = ScoreCalibration.load();
        assertThat(byFace.at("/results/0/probability").asDouble()).isEqualTo(calibration.probability(strong));
        assertThat(byFace.at("/results/1/record_id").asText()).isEqualTo("rec-b");
        JsonNode byDocument = search.get(1);
        assertThat(byDocument.get("image_source").asText()).isEqualTo("DOCUMENT");
        assertThat(byDocument.get("status_code").asText()).isEqualTo("ERROR");
        assertThat(byDocument.get("error").asText()).isEqualTo("Failed to detect document");
    }

    @Test
    void aShardThatNeverAnswersMakesTheSearchEntryAnErrorAfterTheTimeout() {
        send(EkycPart.newBuilder(plan("s2", List.of(EkycJson.SEARCH))).setSearches(List.of("c|FACE")).build());
        partials.pipeInput("s2", new SearchPartial("s2", "c", "FACE", 0, 2, List.of(new SearchHit("rec-a", 0.8)), null));
        driver.advanceWallClockTime(Duration.ofSeconds(35));
        JsonNode entry = body(results.readValue()).at("/face_search_result/results/0");
        assertThat(entry.get("status_code").asText()).isEqualTo("ERROR");
        assertThat(entry.get("error").asText()).isEqualTo("The search did not answer in time");
    }
}
