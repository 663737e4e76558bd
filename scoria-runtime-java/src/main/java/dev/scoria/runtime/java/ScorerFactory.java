package dev.scoria.runtime.java;

import dev.scoria.core.ScoriaException;
import dev.scoria.scorer.JsonScorer;
import dev.scoria.scorer.RawScorer;
import dev.scoria.scorer.Scorer;
import dev.scoria.scorer.ScorerContext;
import dev.scoria.scorer.ServiceLogger;
import dev.scoria.scorer.TensorScorer;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * Makes ready scorer instances of the service's entry class: instantiated through its public
 * no-argument constructor and {@code init}ed. Used at load and again whenever the pool replaces an
 * instance that hung. Whatever the user's code throws (errors included: a missing dependency is a
 * {@link NoClassDefFoundError}) becomes a BAD_INPUT {@link ScoriaException}, because a broken scorer
 * must fail its own service, never the server.
 */
final class ScorerFactory {

    private final Class<? extends Scorer> type;
    private final ScorerClassLoader loader;
    private final ScorerContext context;
    private final ServiceLogger log;

    private ScorerFactory(
            Class<? extends Scorer> type, ScorerClassLoader loader, ScorerContext context, ServiceLogger log) {
        this.type = type;
        this.loader = loader;
        this.context = context;
        this.log = log;
    }

    /** Loads and checks the entry class (its static initialiser runs here). */
    static ScorerFactory forEntry(
            String entry, Path jar, ScorerClassLoader loader, ScorerContext context, ServiceLogger log) {
        Class<?> loaded;
        try {
            loaded = withContextLoader(loader, () -> Class.forName(entry, true, loader));
        } catch (ClassNotFoundException e) {
            throw ScoriaException.badInput(
                    "entry class '" + entry + "' is not in " + jar.getFileName() + ": " + describeJar(jar));
        } catch (ExceptionInInitializerError e) {
            log.error("scorer init failed: the static initialiser of " + entry + " threw", e);
            throw ScoriaException.badInput("scorer init failed: " + ScorerFailures.summary(e, loader.getName()));
        } catch (Throwable e) {
            log.error("entry class " + entry + " could not be loaded", e);
            throw ScoriaException.badInput(
                    "entry class '" + entry + "' could not be loaded: " + ScorerFailures.summary(e, loader.getName()));
        }
        return new ScorerFactory(checkedScorerType(entry, loaded), loader, context, log);
    }

    private static Class<? extends Scorer> checkedScorerType(String entry, Class<?> loaded) {
        boolean json = JsonScorer.class.isAssignableFrom(loaded);
        boolean raw = RawScorer.class.isAssignableFrom(loaded);
        boolean tensors = TensorScorer.class.isAssignableFrom(loaded);
        if (!json && !raw && !tensors) {
            String found = loaded.getInterfaces().length == 0
                    ? "no interfaces"
                    : Arrays.stream(loaded.getInterfaces()).map(Class::getName).collect(Collectors.joining(", "));
            throw ScoriaException.badInput("entry class '" + entry + "' implements " + found + " (superclass "
                    + (loaded.getSuperclass() == null
                            ? "none"
                            : loaded.getSuperclass().getName())
                    + "): expected dev.scoria.scorer.JsonScorer, RawScorer or TensorScorer"
                    + (loaded.isInterface() ? "; it is an interface, name the class that implements it" : ""));
        }
        if (json && raw) {
            throw ScoriaException.badInput(
                    "entry class '" + entry + "' implements both JsonScorer and RawScorer: expected one of them");
        }
        if (loaded.isInterface() || Modifier.isAbstract(loaded.getModifiers())) {
            throw ScoriaException.badInput("entry class '" + entry + "' is abstract: expected a concrete class");
        }
        if (!Modifier.isPublic(loaded.getModifiers())
                || loaded.isMemberClass() && !Modifier.isStatic(loaded.getModifiers())) {
            throw ScoriaException.badInput("entry class '" + entry + "' must be public (and static when nested)");
        }
        try {
            loaded.getConstructor();
        } catch (NoSuchMethodException e) {
            throw ScoriaException.badInput(
                    "entry class '" + entry + "' has no public no-argument constructor: constructors are "
                            + Arrays.stream(loaded.getDeclaredConstructors())
                                    .map(Constructor::toGenericString)
                                    .toList());
        }
        return loaded.asSubclass(Scorer.class);
    }

    Class<? extends Scorer> type() {
        return type;
    }

    boolean raw() {
        return RawScorer.class.isAssignableFrom(type);
    }

    boolean json() {
        return JsonScorer.class.isAssignableFrom(type);
    }

    boolean tensors() {
        return TensorScorer.class.isAssignableFrom(type);
    }

    /** A new instance, {@code init}ed; a failure is logged with its stack trace and summed up in the exception. */
    Scorer create() {
        Scorer scorer = null;
        try {
            Scorer made = withContextLoader(loader, () -> type.getConstructor().newInstance());
            scorer = made;
            withContextLoader(loader, () -> {
                made.init(context);
                return null;
            });
            return made;
        } catch (Throwable e) {
            log.error("scorer init failed", ScorerFailures.unwrap(e));
            if (scorer != null) {
                closeQuietly(scorer);
            }
            throw ScoriaException.badInput("scorer init failed: " + ScorerFailures.summary(e, loader.getName()));
        }
    }

    /** Calls {@link Scorer#close()}; a scorer that fails to close is logged, never rethrown. */
    void closeQuietly(Scorer scorer) {
        try {
            withContextLoader(loader, () -> {
                scorer.close();
                return null;
            });
        } catch (Throwable e) {
            log.warn("scorer close failed: "
                    + ScorerFailures.summary(e, loader.getName()).replace('\n', ' '));
        }
    }

    /** Libraries inside the scorer (ServiceLoader, JAXB, logging back ends) look classes up through the context loader. */
    static <T> T withContextLoader(ClassLoader loader, ThrowingSupplier<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static String describeJar(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> classes = file.stream()
                    .map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class")
                            && !n.contains("$")
                            && !n.endsWith("module-info.class")
                            && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .toList();
            if (classes.isEmpty()) {
                return "the JAR holds no classes";
            }
            return "the JAR holds " + classes.size() + " classes, e.g. "
                    + classes.subList(0, Math.min(10, classes.size()));
        } catch (IOException e) {
            return "it is not a readable JAR file (" + e.getMessage() + ")";
        }
    }
}
