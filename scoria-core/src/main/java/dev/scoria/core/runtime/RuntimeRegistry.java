package dev.scoria.core.runtime;

import dev.scoria.core.ScoriaException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runtimes this server offers, by name. */
public final class RuntimeRegistry implements AutoCloseable {

    private final Map<String, ModelRuntime> runtimes = new LinkedHashMap<>();

    public RuntimeRegistry(List<ModelRuntime> runtimes) {
        for (ModelRuntime r : runtimes) {
            this.runtimes.put(r.name(), r);
        }
    }

    public ModelRuntime require(String name) {
        ModelRuntime runtime = runtimes.get(name);
        if (runtime == null) {
            throw ScoriaException.badInput(
                    "runtime '" + name + "' is not available: expected one of " + runtimes.keySet());
        }
        return runtime;
    }

    @Override
    public void close() {
        runtimes.values().forEach(ModelRuntime::close);
    }
}
