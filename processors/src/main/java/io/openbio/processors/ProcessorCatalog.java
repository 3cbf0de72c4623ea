package io.openbio.processors;

import io.openbio.processors.callback.CallbackProcessor;
import io.openbio.processors.capture.DecryptProcessor;
import io.openbio.processors.capture.FaceDetectProcessor;
import io.openbio.processors.capture.LivenessProcessor;
import io.openbio.processors.capture.NonceProcessor;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.processors.diagnostic.DigestProcessor;
import io.openbio.processors.diagnostic.ImageInfoProcessor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every processor stage by name. The names are what {@code ProcessorMain} takes, what the k8s
 * Deployments ({@code k8s/processor-<name>.yaml}) and docker-compose services run (a test checks
 * that each has one).
 */
public final class ProcessorCatalog {
    private static final Map<String, Supplier<StreamProcessor>> STAGES = new LinkedHashMap<>();

    static {
        STAGES.put(DigestProcessor.NAME, DigestProcessor::new);
        STAGES.put(ImageInfoProcessor.NAME, ImageInfoProcessor::new);
        STAGES.put(CallbackProcessor.NAME, CallbackProcessor::new);
        STAGES.put(DecryptProcessor.NAME, DecryptProcessor::new);
        STAGES.put(NonceProcessor.NAME, NonceProcessor::new);
        STAGES.put(FaceDetectProcessor.NAME, FaceDetectProcessor::new);
        STAGES.put(LivenessProcessor.NAME, LivenessProcessor::new);
    }

    private ProcessorCatalog() {
    }

    public static List<String> names() {
        return List.copyOf(STAGES.keySet());
    }

    public static StreamProcessor create(String name) {
        Supplier<StreamProcessor> supplier = STAGES.get(name);
        if (supplier == null) {
            throw new IllegalArgumentException("unknown processor '" + name + "'; known: " + names());
        }
        return supplier.get();
    }
}
