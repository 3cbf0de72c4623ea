package io.openbio.inference.unavailable;

/**
 * Checks the products ask for but for which no pretrained model is reachable from this project's
 * registries. Each is reported as UNAVAILABLE unless a model is plugged in by configuration (see
 * {@link PluggableCheck}).
 */
public enum Check {
    DEEPFAKE("deepfake / face-swap detector"),
    GLASSES("glasses classifier"),
    MASK("face-mask classifier"),
    DOCUMENT_ATTACK("document presentation-attack (screen / print / tamper) detector");

    private final String needs;

    Check(String needs) {
        this.needs = needs;
    }

    public String needs() {
        return needs;
    }

    /** Configuration key prefix: {@code openbio.check.<name>.}. */
    public String key() {
        return "openbio.check." + name().toLowerCase().replace('_', '-');
    }
}
