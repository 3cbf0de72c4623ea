package io.openbio.schemas.contract;

import io.openbio.schemas.Topics;
import java.util.List;

/**
 * The stages and topics every product shares: the result topic (the end of every route), the audit
 * trail and callback delivery. The callback stage reads results after they are answered, so it is on
 * no route: its lag never sheds a request.
 */
public final class PlatformContract {
    public static final String FAMILY = "platform";

    public static final Stage CALLBACK = Stage.named("callback").family(FAMILY)
            .does("delivers each signed result to its checked callback URL; failed attempts wait on retry topics, given-up"
                    + " ones go to the dead-letter topic; one record per outcome on openbio.callbacks.deliveries")
            .reads(Topics.RESULTS, Topics.CALLBACK_RETRY_1, Topics.CALLBACK_RETRY_2, Topics.CALLBACK_RETRY_3)
            .writes(Topics.CALLBACK_DELIVERIES, Topics.CALLBACK_RETRY_1, Topics.CALLBACK_RETRY_2, Topics.CALLBACK_RETRY_3,
                    Topics.CALLBACK_DEAD)
            // state: the callbacks in flight or waiting for their retry's delay (small: one result each)
            .deployment(Deployment.SMALL.withResources("100m", "384Mi", "1", "768Mi").withState("1Gi").withGraceSeconds(120)
                    .withCallbackSecrets())
            .implementedBy("io.openbio.processors.callback.CallbackProcessor");

    public static final Product PRODUCT = new Product(FAMILY, List.of(CALLBACK), List.of(),
            List.of(Topics.RESULTS, Topics.CALLBACK_DELIVERIES, Topics.CALLBACK_RETRY_1, Topics.CALLBACK_RETRY_2,
                    Topics.CALLBACK_RETRY_3, Topics.CALLBACK_DEAD, Topics.AUDIT));

    private PlatformContract() {
    }
}
