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
            .does("delivers each result to its callback URL, with retries; one record per delivery on openbio.callbacks.deliveries")
            .reads(Topics.RESULTS).writes(Topics.CALLBACK_DELIVERIES)
            .deployment(Deployment.SMALL.withResources("100m", "384Mi", "1", "768Mi").withGraceSeconds(120))
            .implementedBy("io.openbio.processors.callback.CallbackProcessor");

    public static final Product PRODUCT = new Product(FAMILY, List.of(CALLBACK), List.of(),
            List.of(Topics.RESULTS, Topics.CALLBACK_DELIVERIES, Topics.AUDIT));

    private PlatformContract() {
    }
}
