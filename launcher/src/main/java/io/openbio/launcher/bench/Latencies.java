package io.openbio.launcher.bench;

import java.util.Arrays;

/** Collected latencies (nanoseconds) and their percentiles. */
final class Latencies {
    private long[] values = new long[1024];
    private int count;

    synchronized void add(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = nanos;
    }

    synchronized int count() {
        return count;
    }

    /** The p-th percentile (0..100) in milliseconds, nearest-rank. */
    synchronized double percentileMs(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, rank))] / 1e6;
    }
}
