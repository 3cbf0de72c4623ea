package io.openbio.processors.core;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.document.DocumentAnalyzer;

/**
 * The face-analysis library of this process: one {@link FaceAnalyzer} (thread-safe, models loaded
 * once) shared by every stage and stream thread of the JVM, created on first use.
 */
public final class Analyzers {
    private static volatile FaceAnalyzer shared;
    private static volatile DocumentAnalyzer documents;

    private Analyzers() {
    }

    /** The document analyzer of this process (document localisation, portrait, attack checks), on the shared face analyzer. */
    public static DocumentAnalyzer documents() {
        DocumentAnalyzer local = documents;
        if (local == null) {
            synchronized (Analyzers.class) {
                local = documents;
                if (local == null) {
                    local = DocumentAnalyzer.create(shared());
                    documents = local;
                }
            }
        }
        return local;
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
