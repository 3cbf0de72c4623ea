package io.openbio.processors;

import io.openbio.processors.callback.CallbackProcessor;
import io.openbio.processors.capture.DecryptProcessor;
import io.openbio.processors.capture.FaceDetectProcessor;
import io.openbio.processors.capture.LivenessProcessor;
import io.openbio.processors.capture.NonceProcessor;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.processors.ekyc.AssemblerProcessor;
import io.openbio.processors.ekyc.CollectionsProcessor;
import io.openbio.processors.ekyc.DocCheckProcessor;
import io.openbio.processors.ekyc.EkycPrepareDocProcessor;
import io.openbio.processors.ekyc.EkycPrepareProcessor;
import io.openbio.processors.ekyc.FaceCheckProcessor;
import io.openbio.processors.ekyc.MatchProcessor;
import io.openbio.processors.diagnostic.DigestProcessor;
import io.openbio.processors.diagnostic.ImageInfoProcessor;
import io.openbio.processors.search.SearchProcessor;
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
        STAGES.put(EkycPrepareProcessor.NAME, EkycPrepareProcessor::new);
        STAGES.put(EkycPrepareDocProcessor.NAME, EkycPrepareDocProcessor::new);
        STAGES.put(FaceCheckProcessor.NAME, FaceCheckProcessor::new);
        STAGES.put(DocCheckProcessor.NAME, DocCheckProcessor::new);
        STAGES.put(MatchProcessor.NAME, MatchProcessor::new);
        STAGES.put(AssemblerProcessor.NAME, AssemblerProcessor::new);
        STAGES.put(CollectionsProcessor.NAME, CollectionsProcessor::new);
        STAGES.put(SearchProcessor.NAME, SearchProcessor::new);
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
