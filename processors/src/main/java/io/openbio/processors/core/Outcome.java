package io.openbio.processors.core;

import io.openbio.events.ResultEvent;
import java.util.Objects;

/**
 * What a step stage made of one record: the request goes on as {@code next} to the stage's output
 * topic, or it ends here with its {@code result} (an answer or an error).
 *
 * @param <N> the record the next stage reads
 */
public record Outcome<N>(N next, ResultEvent result) {
    public static <N> Outcome<N> next(N next) {
        return new Outcome<>(Objects.requireNonNull(next, "next"), null);
    }

    public static <N> Outcome<N> done(ResultEvent result) {
        return new Outcome<>(null, Objects.requireNonNull(result, "result"));
    }

    public boolean finished() {
        return result != null;
    }
}
