package io.openbio.schemas.contract;

import io.openbio.schemas.TopicSpec;
import java.util.List;

/**
 * One product's part of the pipeline contract: its stages, its request routes and the topics it
 * owns. Each product declares one in its own class of this package ({@code <Product>Contract.PRODUCT})
 * and {@link Pipeline} lists them.
 *
 * @param name   e.g. {@code ekyc}
 * @param stages its processor stages
 * @param routes its request routes (entry topic -> stages)
 * @param topics the topics it owns (created by the set-up jobs)
 */
public record Product(String name, List<Stage> stages, List<Route> routes, List<TopicSpec<?>> topics) {
    public Product {
        stages = List.copyOf(stages);
        routes = List.copyOf(routes);
        topics = List.copyOf(topics);
    }
}
