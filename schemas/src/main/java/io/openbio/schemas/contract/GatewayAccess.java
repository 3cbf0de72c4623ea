package io.openbio.schemas.contract;

import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's part of the pipeline contract: what it reads and writes on Kafka, from which its
 * ACLs are derived ({@code io.openbio.schemas.kafka.KafkaAccess}), like each stage's from its
 * {@link Stage} entry.
 *
 * <ul>
 * <li>writes: the entry topic of every {@link Route} (each API call becomes a request there) and
 *     {@link Topics#CAPTURE_NONCES} (a capture nonce is recorded before it is handed out);</li>
 * <li>reads: {@link Topics#AUDIT} (the audit API scans it, without a consumer group);</li>
 * <li>its own reply topics ({@link Topics#REPLIES_PREFIX}{@code <instance>}): creates and reads them,
 *     with consumer groups {@link #GROUP_PREFIX}{@code <instance>};</li>
 * <li>watches every stage (health, lag-based shedding): describes each stage's consumer group and
 *     the topics it consumes, never their content.</li>
 * </ul>
 */
public final class GatewayAccess {
    /** Prefix of the gateway instances' consumer groups (one per instance, on its reply topic). */
    public static final String GROUP_PREFIX = "openbio-gateway-";

    /** Topics the gateway writes besides the routes' entries. */
    private static final List<TopicSpec<?>> OTHER_WRITES = List.of(Topics.CAPTURE_NONCES);

    private GatewayAccess() {
    }

    /** The topics the gateway produces to: every route's entry, then {@link Topics#CAPTURE_NONCES}. */
    public static List<TopicSpec<?>> writes() {
        List<TopicSpec<?>> writes = new ArrayList<>();
        for (Route route : Pipeline.routes()) {
            if (!writes.contains(route.entry())) {
                writes.add(route.entry());
            }
        }
        OTHER_WRITES.stream().filter(t -> !writes.contains(t)).forEach(writes::add);
        return List.copyOf(writes);
    }

    /** The fixed topics the gateway consumes (besides its reply topics). */
    public static List<TopicSpec<?>> reads() {
        return List.of(Topics.AUDIT);
    }
}
