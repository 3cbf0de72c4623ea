package io.openbio.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.RequestEnvelope;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.EkycContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which stages' lag may shed a request, by the topic it is published to. */
class RequestReplyClientTest {
    @Test
    void aRequestIsShedOnTheStagesOfTheRouteStartingAtItsTopic() {
        assertThat(RequestReplyClient.routeStages(Topics.DIAGNOSTIC_REQUESTS)).containsExactly("digest", "image-info");
        assertThat(RequestReplyClient.routeStages(Topics.CAPTURE_REQUESTS)).isEqualTo(CaptureContract.ROUTE.stageNames());
        assertThat(RequestReplyClient.routeStages(Topics.EKYC_REQUESTS)).isEqualTo(EkycContract.CHECK_ROUTE.stageNames())
                .contains("nonce").doesNotContain("callback", "collections");
        assertThat(RequestReplyClient.routeStages(Topics.EKYC_TEMPLATE_REQUESTS)).containsExactly("collections");
    }

    @Test
    void aTopicThatStartsNoRouteIsShedOnNoStagesLag() {
        TopicSpec<RequestEnvelope> elsewhere = new TopicSpec<>("openbio.elsewhere.requests", 1, RequestEnvelope.class, Map.of());
        assertThat(RequestReplyClient.routeStages(elsewhere)).isEmpty();
    }
}
