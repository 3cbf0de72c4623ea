package io.openbio.inference.tfjs;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Loads a TF.js graph model of the manifest: both files hash-checked, converted to ONNX in memory, run by DJL. */
public final class TfjsModels {
    private TfjsModels() {
    }

    /**
     * @param topologyId manifest id of the {@code model.json}
     * @param weightsId  manifest id of its {@code .bin} shard (must sit next to it, as the manifest places it)
     */
    public static OnnxModel load(ModelRepository repo, String topologyId, String weightsId) {
        return load(repo, topologyId, weightsId, List.of());
    }

    /** As {@link #load(ModelRepository, String, String)}, exposing extra TF nodes as outputs (for validation). */
    public static OnnxModel load(ModelRepository repo, String topologyId, String weightsId, List<String> extraOutputs) {
        Path json = repo.verifiedPath(topologyId);
        Path bin = repo.verifiedPath(weightsId);
        if (!bin.getParent().equals(json.getParent())) {
            throw new InferenceException(ErrorCode.MODEL_UNAVAILABLE, weightsId + " must be in the folder of " + topologyId);
        }
        try {
            TfjsToOnnx.Converted c = TfjsToOnnx.convert(json, extraOutputs);
            return OnnxModel.loadBytes(repo.manifest().spec(topologyId), topologyId, c.onnx());
        } catch (IOException | RuntimeException e) {
            if (e instanceof InferenceException ie) {
                throw ie;
            }
            throw new InferenceException(ErrorCode.MODEL_UNAVAILABLE, "cannot convert TF.js model " + topologyId
                    + " (" + json + ") to ONNX: " + e.getMessage(), e);
        }
    }
}
