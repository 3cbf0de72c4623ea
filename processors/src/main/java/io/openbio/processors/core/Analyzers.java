package io.openbio.processors.core;

import io.openbio.inference.FaceAnalyzer;

/**
 * The face-analysis library of this process: one {@link FaceAnalyzer} (thread-safe, models loaded
 * once) shared by every stage and stream thread of the JVM, created on first use.
 */
public final class Analyzers {
    private static volatile FaceAnalyzer shared;

    private Analyzers() {
    }

    public static FaceAnalyzer shared() {
        FaceAnalyzer local = shared;
        if (local == null) {
            synchronized (Analyzers.class) {
                local = shared;
                if (local == null) {
                    local = FaceAnalyzer.create();
                    shared = local;
                }
            }
        }
        return local;
    }
}
