package io.openbio.schemas.contract;

import io.openbio.schemas.TopicSpec;
import java.util.List;
import java.util.Objects;

/**
 * One processor stage of the pipeline contract: its name, the product family it belongs to, the
 * topics it reads and writes, how it is deployed, and the class that implements it.
 *
 * <p>Everything that names stages derives from these entries ({@link Pipeline#stages()}): the
 * processors' catalog, the gateway's health and lag watching, per-route load shedding, the fault
 * runner, the local run and the generated k8s / docker-compose files. A stage's Kafka Streams
 * application id, and so its consumer group, is {@link #applicationId()}.
 *
 * @param name           the stage name, e.g. {@code decrypt}: lower case letters, digits and {@code -}
 * @param family         the product (or {@code platform}) the stage belongs to, e.g. {@code capture}
 * @param description    one line: what the stage does (comments in the generated deployment files)
 * @param reads          the topics it consumes as streams (and, for {@code tables}, as state)
 * @param tables         the compacted topics it reads as state (global or co-partitioned tables),
 *                       which never put it on a request's route
 * @param writes         the topics it produces to ({@code openbio.results} and {@code openbio.audit}
 *                       included where it answers requests)
 * @param implementation the fully qualified class in {@code processors} implementing it
 * @param deployment     what its pods need (volumes, sizes)
 */
public record Stage(String name, String family, String description, List<TopicSpec<?>> reads, List<TopicSpec<?>> tables,
                    List<TopicSpec<?>> writes, String implementation, Deployment deployment) {

    public Stage {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z][a-z0-9-]{0,40}")) {
            throw new IllegalArgumentException("stage name must match [a-z][a-z0-9-]{0,40}: " + name);
        }
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(implementation, "implementation");
        reads = List.copyOf(reads);
        tables = List.copyOf(tables);
        writes = List.copyOf(writes);
        Objects.requireNonNull(deployment, "deployment");
    }

    /** The Kafka Streams application id, which is also the stage's consumer group: {@code openbio-<name>}. */
    public String applicationId() {
        return applicationId(name);
    }

    /** The application id (and consumer group) of stage {@code name}. */
    public static String applicationId(String name) {
        return "openbio-" + name;
    }

    /** Every topic the stage consumes: its streams, then its tables. */
    public List<TopicSpec<?>> inputs() {
        java.util.List<TopicSpec<?>> all = new java.util.ArrayList<>(reads);
        tables.stream().filter(t -> !all.contains(t)).forEach(all::add);
        return List.copyOf(all);
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Fluent construction, so a product's contract reads like a table. */
    public static final class Builder {
        private final String name;
        private String family;
        private String description = "";
        private List<TopicSpec<?>> reads = List.of();
        private List<TopicSpec<?>> tables = List.of();
        private List<TopicSpec<?>> writes = List.of();
        private Deployment deployment = Deployment.SMALL;

        private Builder(String name) {
            this.name = name;
        }

        public Builder family(String family) {
            this.family = family;
            return this;
        }

        public Builder does(String description) {
            this.description = description;
            return this;
        }

        public Builder reads(TopicSpec<?>... topics) {
            this.reads = List.of(topics);
            return this;
        }

        public Builder tables(TopicSpec<?>... topics) {
            this.tables = List.of(topics);
            return this;
        }

        public Builder writes(TopicSpec<?>... topics) {
            this.writes = List.of(topics);
            return this;
        }

        public Builder deployment(Deployment deployment) {
            this.deployment = deployment;
            return this;
        }

        public Stage implementedBy(String className) {
            return new Stage(name, family, description, reads, tables, writes, className, deployment);
        }
    }
}
