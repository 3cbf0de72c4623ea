package io.openbio.processors;

import io.openbio.processors.core.ProcessorSettings;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Stage;
import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * Every processor stage by name, derived from the pipeline contract ({@link Pipeline#stages()}):
 * each stage's {@link Stage#implementation()} is instantiated through its public constructor that
 * takes the process's {@link ProcessorSettings}, or else its public no-arg constructor. The names
 * are what {@code ProcessorMain} takes and what the generated k8s overlays
 * ({@code k8s/processors/<name>/}) and docker-compose services run.
 */
public final class ProcessorCatalog {
    private ProcessorCatalog() {
    }

    /** Every stage name, in the contract's order (the local run's start order). */
    public static List<String> names() {
        return Pipeline.stageNames();
    }

    /** Stage {@code name} with the settings of this process' environment ({@link ProcessorSettings#fromEnvironment()}). */
    public static StreamProcessor create(String name) {
        return create(name, ProcessorSettings.fromEnvironment());
    }

    public static StreamProcessor create(String name, ProcessorSettings settings) {
        Stage stage = Pipeline.stage(name).orElseThrow(() ->
                new IllegalArgumentException("unknown processor '" + name + "'; known: " + names()));
        return create(stage, settings);
    }

    /** A new instance of the class implementing {@code stage}. */
    public static StreamProcessor create(Stage stage, ProcessorSettings settings) {
        try {
            Class<? extends StreamProcessor> type = Class.forName(stage.implementation()).asSubclass(StreamProcessor.class);
            try {
                return type.getConstructor(ProcessorSettings.class).newInstance(settings);
            } catch (NoSuchMethodException e) {
                return type.getConstructor().newInstance();
            }
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("stage " + stage.name() + ": " + stage.implementation() + " failed to start", e.getCause());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("stage " + stage.name() + ": " + stage.implementation()
                    + " is not a StreamProcessor with a public (ProcessorSettings) or no-arg constructor", e);
        }
    }
}
