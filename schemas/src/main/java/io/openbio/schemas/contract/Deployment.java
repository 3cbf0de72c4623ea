package io.openbio.schemas.contract;

/**
 * What a stage's pods need, from which the k8s overlays and docker-compose services are generated
 * (launcher's {@code DeploymentFiles}). Sizes are Kubernetes quantities.
 *
 * @param models        mounts the ONNX models ({@code OPENBIO_MODELS_DIR})
 * @param bundleKeys    mounts the capture-bundle key store (private keys) from the Secret {@code openbio-bundle-keys}
 * @param stateSize     size of the persistent Kafka Streams state volume (RocksDB); null when the stage keeps no state
 * @param cpuRequest    CPU request
 * @param memoryRequest memory request
 * @param cpuLimit      CPU limit
 * @param memoryLimit   memory limit
 * @param heapPercent   {@code -XX:MaxRAMPercentage} when the heap must leave room for native memory
 *                      (ONNX Runtime, RocksDB, memory-mapped indexes); 0 keeps the image's default
 * @param graceSeconds  termination grace period: time to commit the in-flight transaction (and flush state)
 * @param callbackSecrets gets the callback signing secrets ({@code OPENBIO_CALLBACK_SECRETS}) from the Secret
 *                      {@code openbio-callback-secrets} (key {@code secrets})
 */
public record Deployment(boolean models, boolean bundleKeys, String stateSize, String cpuRequest, String memoryRequest,
                         String cpuLimit, String memoryLimit, int heapPercent, int graceSeconds, boolean callbackSecrets) {

    /** A stage that hashes, routes or joins small records: no model, no state. */
    public static final Deployment SMALL = new Deployment(false, false, null, "250m", "384Mi", "1", "768Mi", 0, 45, false);

    /** A stage running the ONNX face models on one request at a time. */
    public static final Deployment MODEL = new Deployment(true, false, null, "1", "768Mi", "2", "1536Mi", 60, 45, false);

    public Deployment withBundleKeys() {
        return new Deployment(models, true, stateSize, cpuRequest, memoryRequest, cpuLimit, memoryLimit, heapPercent, graceSeconds, callbackSecrets);
    }

    /** With a persistent state volume of {@code size}; RocksDB is native memory, so the heap gets 60 % and shutdown 60 s. */
    public Deployment withState(String size) {
        return new Deployment(models, bundleKeys, size, cpuRequest, memoryRequest, cpuLimit, memoryLimit,
                heapPercent == 0 ? 60 : heapPercent, Math.max(graceSeconds, 60), callbackSecrets);
    }

    public Deployment withResources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
        return new Deployment(models, bundleKeys, stateSize, cpuRequest, memoryRequest, cpuLimit, memoryLimit, heapPercent, graceSeconds, callbackSecrets);
    }

    public Deployment withHeapPercent(int heapPercent) {
        return new Deployment(models, bundleKeys, stateSize, cpuRequest, memoryRequest, cpuLimit, memoryLimit, heapPercent, graceSeconds, callbackSecrets);
    }

    public Deployment withGraceSeconds(int graceSeconds) {
        return new Deployment(models, bundleKeys, stateSize, cpuRequest, memoryRequest, cpuLimit, memoryLimit, heapPercent, graceSeconds, callbackSecrets);
    }

    /** With the callback signing secrets in its environment (the stage that signs deliveries). */
    public Deployment withCallbackSecrets() {
        return new Deployment(models, bundleKeys, stateSize, cpuRequest, memoryRequest, cpuLimit, memoryLimit, heapPercent, graceSeconds, true);
    }

    public boolean stateful() {
        return stateSize != null;
    }
}
