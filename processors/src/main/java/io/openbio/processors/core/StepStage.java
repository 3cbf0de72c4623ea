package io.openbio.processors.core;

import io.openbio.events.ResultEvent;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.serde.EventSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * A one-in / one-out stage: each record of its input topic becomes one {@link Outcome}, either the
 * record the next stage reads (written to the output topic) or the request's result (published with
 * {@link Results#publish}: results, reply topic, audit). A subclass is its contract entry and its
 * {@link #step} function; no topology code of its own.
 *
 * <p>{@link #step} should not throw: a failure is the request's error result ({@link Stages}), so a
 * record that cannot be processed never stalls its partition.
 *
 * @param <I> what the stage reads
 * @param <N> what it passes on to the next stage
 */
public abstract class StepStage<I extends SpecificRecord, N extends SpecificRecord> implements StreamProcessor {
    private final java.util.List<TopicSpec<I>> inputs;
    private final String sourceName;
    private final TopicSpec<N> output;

    /**
     * @param input      the topic it reads
     * @param sourceName the name of the topology's source node
     * @param output     where the requests that go on are written; null for a last stage (every outcome is a result)
     */
    protected StepStage(TopicSpec<I> input, String sourceName, TopicSpec<N> output) {
        this(java.util.List.of(input), sourceName, output);
    }

    /**
     * A stage reading several topics of the same record type as one stream (e.g. the decrypt stage:
     * IAD capture requests and challenge captures).
     */
    protected StepStage(java.util.List<TopicSpec<I>> inputs, String sourceName, TopicSpec<N> output) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a stage reads at least one topic");
        }
        this.inputs = java.util.List.copyOf(inputs);
        this.sourceName = sourceName;
        this.output = output;
    }

    /** What becomes of one (non-null) record. */
    protected abstract Outcome<N> step(I record);

    /** The key {@code next} is written under; the input record's key unless the next stage needs another. */
    protected String nextKey(String key, N next) {
        return key;
    }

    @Override
    public final Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Outcome<N>> outcomes = builder
                .stream(inputs.stream().map(TopicSpec::name).toList(), inputs.get(0).consumed(serdes).withName(sourceName))
                .filter((key, record) -> record != null)
                .mapValues(this::step);
        KStream<String, ResultEvent> results = outcomes.filter((key, o) -> o.finished()).mapValues(Outcome::result);
        Results.publish(results, serdes);
        if (output != null) {
            outcomes.filter((key, o) -> !o.finished())
                    .map((key, o) -> KeyValue.pair(nextKey(key, o.next()), o.next()))
                    .to(output.name(), output.produced(serdes));
        }
        return builder.build();
    }
}
