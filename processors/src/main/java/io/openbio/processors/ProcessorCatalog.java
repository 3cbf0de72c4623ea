package io.openbio.processors;

import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Stage;
import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * Every processor stage by name, derived from the pipeline contract ({@link Pipeline#stages()}):
 * each stage's {@link Stage#implementation()} is instantiated through its public no-arg
 * constructor. The names are what {@code ProcessorMain} takes, what the k8s Deployments
 * ({@code k8s/processor-<name>.yaml}) and docker-compose services run (a test checks that each has
 * one).
 */
public final class ProcessorCatalog {
    private ProcessorCatalog() {
    }

    /** Every stage name, in the contract's order (the local run's start order). */
    public static List<String> names() {
        return Pipeline.stageNames();
    }

    public static StreamProcessor create(String name) {
        Stage stage = Pipeline.stage(name).orElseThrow(() ->
                new IllegalArgumentException("unknown processor '" + name + "'; known: " + names()));
        return create(stage);
    }

    /** A new instance of the class implementing {@code stage}. */
    public static StreamProcessor create(Stage stage) {
        try {
            Class<? extends StreamProcessor> type = Class.forName(stage.implementation()).asSubclass(StreamProcessor.class);
            return type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("stage " + stage.name() + ": " + stage.implementation() + " failed to start", e.getCause());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("stage " + stage.name() + ": " + stage.implementation()
                    + " is not a StreamProcessor with a public no-arg constructor", e);
        }
    }
}
