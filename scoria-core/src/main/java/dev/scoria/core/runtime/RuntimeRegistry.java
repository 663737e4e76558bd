package dev.scoria.core.runtime;

import dev.scoria.core.ScoriaException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** The runtimes this server offers, by name. */
public final class RuntimeRegistry implements AutoCloseable {

    /** Where a runtime module names its implementation, one class name a line. */
    public static final String SERVICE_FILE = "META-INF/services/" + ModelRuntime.class.getName();

    private final Map<String, ModelRuntime> runtimes = new LinkedHashMap<>();

    /**
     * The given runtimes, listed by name.
     *
     * @throws IllegalStateException if two share a name, or one's {@link ModelRuntime#info()} names another
     */
    public RuntimeRegistry(List<ModelRuntime> runtimes) {
        List<ModelRuntime> byName = new ArrayList<>(runtimes);
        byName.sort(Comparator.comparing(ModelRuntime::name));
        for (ModelRuntime r : byName) {
            RuntimeInfo info = r.info();
            if (info == null || !info.name().equals(r.name())) {
                throw new IllegalStateException(
                        "runtime " + r.getClass().getName() + " is named '" + r.name() + "' but its info() names '"
                                + (info == null ? null : info.name()) + "': expected the same name");
            }
            ModelRuntime taken = this.runtimes.putIfAbsent(r.name(), r);
            if (taken != null) {
                throw new IllegalStateException("two runtimes are named '" + r.name() + "': "
                        + taken.getClass().getName() + " and " + r.getClass().getName()
                        + "; remove one of them from the class path");
            }
        }
    }

    /**
     * Every runtime named in a {@value #SERVICE_FILE} file that {@code loader} sees.
     *
     * @throws IllegalStateException if one cannot be created (no public no-arg constructor, a constructor that
     *     threw), if two share a name, or if there is none
     */
    public static RuntimeRegistry discover(ClassLoader loader) {
        List<ModelRuntime> found = new ArrayList<>();
        try {
            for (ModelRuntime runtime : ServiceLoader.load(ModelRuntime.class, loader)) {
                found.add(runtime);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException(
                    "a runtime named in " + SERVICE_FILE + " could not be loaded: " + e.getMessage()
                            + " (each line must name a public class on the class path with a public no-arg constructor)",
                    e);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no runtime found: expected at least one module on the class path with a "
                    + SERVICE_FILE + " file");
        }
        return new RuntimeRegistry(found);
    }

    public ModelRuntime require(String name) {
        ModelRuntime runtime = runtimes.get(name);
        if (runtime == null) {
            throw ScoriaException.badInput(
                    "runtime '" + name + "' is not available: expected one of " + runtimes.keySet());
        }
        return runtime;
    }

    /** What each runtime says about itself, by name. */
    public List<RuntimeInfo> infos() {
        return runtimes.values().stream().map(ModelRuntime::info).toList();
    }

    @Override
    public void close() {
        runtimes.values().forEach(ModelRuntime::close);
    }
}
