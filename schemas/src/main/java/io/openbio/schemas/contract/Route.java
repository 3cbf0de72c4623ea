package io.openbio.schemas.contract;

import io.openbio.events.RequestEnvelope;
import io.openbio.schemas.TopicSpec;
import java.util.List;

/**
 * The stages a request passes through from the topic the gateway publishes it to until its result.
 * The gateway sheds a request (429) only for the consumer lag of the stages on its own route, so a
 * stage off the route (the callback stage, another product's stages) never refuses it.
 *
 * @param name   e.g. {@code capture}
 * @param entry  the request topic the gateway publishes to
 * @param stages the stages on the way, in order (a test checks each reads the entry or a topic an
 *               earlier stage writes)
 */
public record Route(String name, TopicSpec<RequestEnvelope> entry, List<Stage> stages) {
    public Route {
        stages = List.copyOf(stages);
    }

    public List<String> stageNames() {
        return stages.stream().map(Stage::name).toList();
    }
}
