package io.openbio.inference;

import io.openbio.inference.model.ModelRepository;

import java.util.Properties;

/** One analyzer for all tests (sessions are heavy); models must have been fetched by the build. */
public final class Shared {
    private static FaceAnalyzer analyzer;

    private Shared() {
    }

    public static synchronized FaceAnalyzer analyzer() {
        if (analyzer == null) {
            // Fails with MODEL_UNAVAILABLE and the fetch command when a model is missing or corrupt.
            analyzer = FaceAnalyzer.create(ModelRepository.fromEnvironment(), new Properties(),
                    FaceAnalyzer.MIN_INTER_EYE_PX);
        }
        return analyzer;
    }
}
