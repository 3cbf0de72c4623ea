package io.openbio.schemas.contract;

import io.openbio.events.RequestEnvelope;
import io.openbio.schemas.TopicSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pipeline contract: every product, and through them every stage, route and topic. This is the
 * one list: the processors' catalog, the gateway's health checks and lag watching, per-route
 * shedding, the fault runner, the local run and the generated deployment files all read it.
 *
 * <p>Adding a product: write its {@code <Product>Contract} class in this package and add its
 * {@code PRODUCT} to {@link #PRODUCTS}.
 */
public final class Pipeline {
    /** Every product; stage order here is start order in the local run (ProcessorMain). */
    public static final List<Product> PRODUCTS = List.of(
            DiagnosticContract.PRODUCT, PlatformContract.PRODUCT, CaptureContract.PRODUCT, EkycContract.PRODUCT,
            ChallengeContract.PRODUCT, LcpContract.PRODUCT, LcpContract.AUDIT_PRODUCT, BioServerContract.PRODUCT,
            DisContract.CUSTOMERS_PRODUCT, DisContract.FACES_PRODUCT, ClientsContract.PRODUCT);

    private static final Map<String, Stage> STAGES = new LinkedHashMap<>();
    private static final Map<String, Route> ROUTES = new LinkedHashMap<>();

    static {
        for (Product product : PRODUCTS) {
            for (Stage stage : product.stages()) {
                if (STAGES.putIfAbsent(stage.name(), stage) != null) {
                    throw new IllegalStateException("stage '" + stage.name() + "' is declared twice");
                }
            }
            for (Route route : product.routes()) {
                if (ROUTES.putIfAbsent(route.entry().name(), route) != null) {
                    throw new IllegalStateException("two routes start at " + route.entry().name());
                }
            }
        }
    }

    private Pipeline() {
    }

    /** Every stage, in product order. */
    public static List<Stage> stages() {
        return List.copyOf(STAGES.values());
    }

    public static List<String> stageNames() {
        return List.copyOf(STAGES.keySet());
    }

    public static Optional<Stage> stage(String name) {
        return Optional.ofNullable(STAGES.get(name));
    }

    /** Every route, by entry topic. */
    public static List<Route> routes() {
        return List.copyOf(ROUTES.values());
    }

    /** The route that starts at request topic {@code entry}. */
    public static Optional<Route> routeFrom(TopicSpec<RequestEnvelope> entry) {
        return Optional.ofNullable(ROUTES.get(entry.name()));
    }

    /**
     * Every topic the set-up jobs create: each product's, then the request and result topics of the
     * Kafka-client tenants configured ({@link ClientsContract#tenantTopics()}); per-gateway reply topics
     * are made at run time.
     */
    public static List<TopicSpec<?>> topics() {
        List<TopicSpec<?>> all = new ArrayList<>();
        for (Product product : PRODUCTS) {
            for (TopicSpec<?> topic : product.topics()) {
                if (all.stream().noneMatch(t -> t.name().equals(topic.name()))) {
                    all.add(topic);
                }
            }
        }
        all.addAll(ClientsContract.tenantTopics());
        return List.copyOf(all);
    }
}
