package io.openbio.schemas.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PipelineContractTest {

    @Test
    void everyStageHasAUniqueNameAndApplicationIdAndReadsOnlyKnownTopics() {
        Set<String> topicNames = new HashSet<>();
        Pipeline.topics().forEach(t -> assertTrue(topicNames.add(t.name()), "topic listed twice: " + t.name()));
        Set<String> ids = new HashSet<>();
        for (Stage stage : Pipeline.stages()) {
            assertEquals("openbio-" + stage.name(), stage.applicationId());
            assertTrue(ids.add(stage.applicationId()));
            assertFalse(stage.reads().isEmpty(), stage.name() + " reads nothing");
            for (TopicSpec<?> topic : stage.inputs()) {
                assertTrue(topicNames.contains(topic.name()), stage.name() + " reads " + topic.name() + ", which no product owns");
            }
            for (TopicSpec<?> topic : stage.writes()) {
                assertTrue(topicNames.contains(topic.name()), stage.name() + " writes " + topic.name() + ", which no product owns");
            }
        }
        assertEquals(21, Pipeline.stages().size());
    }

    @Test
    void eachRouteIsConnectedFromItsEntryAndStopsBeforeTheCallbackStage() {
        for (Route route : Pipeline.routes()) {
            Set<String> reachable = new HashSet<>(Set.of(route.entry().name()));
            for (Stage stage : route.stages()) {
                assertTrue(stage.reads().stream().anyMatch(t -> reachable.contains(t.name())),
                        route.name() + ": " + stage.name() + " reads nothing the entry or an earlier stage writes");
                stage.writes().forEach(t -> reachable.add(t.name()));
            }
            assertFalse(route.stageNames().contains(PlatformContract.CALLBACK.name()), route.name() + " must not include callback");
        }
    }

    @Test
    void routesAreFoundByTheirEntryTopic() {
        assertEquals(List.of("decrypt", "nonce", "liveness"),
                Pipeline.routeFrom(Topics.CAPTURE_REQUESTS).orElseThrow().stageNames());
        assertEquals(List.of("collections"), Pipeline.routeFrom(Topics.EKYC_TEMPLATE_REQUESTS).orElseThrow().stageNames());
        assertTrue(Pipeline.routeFrom(Topics.EKYC_REQUESTS).orElseThrow().stageNames().containsAll(List.of("ekyc-prepare", "search", "ekyc-assembler")));
        assertEquals(List.of("digest", "image-info"), Pipeline.routeFrom(Topics.DIAGNOSTIC_REQUESTS).orElseThrow().stageNames());
        assertEquals(List.of("decrypt", "nonce", "challenge-verify"), Pipeline.routeFrom(Topics.CHALLENGE_REQUESTS).orElseThrow().stageNames());
        assertEquals(List.of("lcp-verify", "nonce"), Pipeline.routeFrom(Topics.LCP_REQUESTS).orElseThrow().stageNames());
    }

    @Test
    void collectionKeysOfNestedNamesDoNotShareMemberPrefixes() {
        CollectionKey a = new CollectionKey("t", "a");
        CollectionKey ab = new CollectionKey("t", "a/b");
        assertEquals("t/a", a.encoded());
        assertEquals("t/a%2Fb", ab.encoded());
        assertNotEquals(a.encoded(), ab.encoded());
        assertFalse(ab.member("r1").startsWith(a.memberPrefix()));
        assertEquals("r1", ab.recordIdOf(ab.member("r1")));
        assertThrows(IllegalArgumentException.class, () -> a.recordIdOf(ab.member("r1")));
        for (String name : List.of("a", "a/b", "a%2Fb", "%", "%25", "/", "a//b/", "x%2", "ü/%/é")) {
            CollectionKey key = new CollectionKey("tenant-1", name);
            assertEquals(key, CollectionKey.parse(key.encoded()), name);
            assertEquals(1, key.encoded().chars().filter(c -> c == '/').count(), name);
        }
        assertNotEquals(new CollectionKey("t", "a%2Fb").encoded(), ab.encoded());
        assertThrows(IllegalArgumentException.class, () -> new CollectionKey("t/x", "a"));
    }
}
