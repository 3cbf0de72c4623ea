package io.openbio.launcher.fault;

import java.util.Collection;
import java.util.List;

/**
 * The longest time without an answer: given when results completed ({@code ResultEvent.completedAt}
 * of the requests of one load family) and a window (from a kill until the killed instance is back
 * and settled), the longest interval inside the window in which no result completed. The window's
 * ends count as boundaries, so a window with no completion at all is one gap as long as the window,
 * and a stage that answers nothing from the kill until some time later shows that time.
 */
final class AnswerGaps {
    private AnswerGaps() {
    }

    /** A gap: it starts at {@code fromMillis} and lasts {@code millis}. */
    record Gap(long fromMillis, long millis) {
        double seconds() {
            return millis / 1000.0;
        }
    }

    /**
     * The longest interval of {@code [from, to]} with no element of {@code completions} inside it
     * (completions outside the window are ignored; the earliest such interval when several are as long).
     */
    static Gap longest(Collection<Long> completions, long from, long to) {
        if (to < from) {
            throw new IllegalArgumentException("window ends before it starts: " + from + " > " + to);
        }
        List<Long> inside = completions.stream().filter(t -> t >= from && t <= to).sorted().toList();
        long previous = from;
        Gap longest = new Gap(from, 0);
        for (long t : inside) {
            if (t - previous > longest.millis()) {
                longest = new Gap(previous, t - previous);
            }
            previous = t;
        }
        if (to - previous > longest.millis()) {
            longest = new Gap(previous, to - previous);
        }
        return longest;
    }
}
