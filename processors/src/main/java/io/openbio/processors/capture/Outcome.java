package io.openbio.processors.capture;

import io.openbio.events.CaptureAnalysis;
import io.openbio.events.ResultEvent;

/** What a capture stage made of one record: the capture goes on, or the request ends with a result. */
record Outcome(CaptureAnalysis capture, ResultEvent result) {
    static Outcome next(CaptureAnalysis capture) {
        return new Outcome(capture, null);
    }

    static Outcome done(ResultEvent result) {
        return new Outcome(null, result);
    }

    boolean finished() {
        return result != null;
    }
}
