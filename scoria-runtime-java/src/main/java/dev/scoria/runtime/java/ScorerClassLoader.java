package dev.scoria.runtime.java;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Loads a scorer JAR child-first, so that the libraries a scorer bundles win over the server's own
 * copies of them (a scorer on Guava 20 must not get the server's Guava 33). The JDK, the scorer API and
 * Jackson are the exceptions and always come from the server: the API because the server and the scorer
 * must agree on what {@code JsonScorer} is, Jackson because the server converts requests into the
 * scorer's types and serialises what it returns.
 */
final class ScorerClassLoader extends URLClassLoader {

    /** Packages whose classes and resources always come from the server (the parent). */
    static final List<String> PARENT_FIRST =
            List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "dev.scoria.scorer.", "com.fasterxml.jackson.");

    static {
        registerAsParallelCapable();
    }

    /**
     * @param name shown in stack traces ({@link StackTraceElement#getClassLoaderName()}), which is how the
     *     scorer's own frames are told apart from the server's
     */
    ScorerClassLoader(String name, Path jar, ClassLoader parent) throws IOException {
        super(name, new URL[] {jar.toUri().toURL()}, parent);
    }

    static boolean parentFirst(String className) {
        for (String prefix : PARENT_FIRST) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean parentFirstResource(String resource) {
        String path = resource.startsWith("/") ? resource.substring(1) : resource;
        return parentFirst(path.replace('/', '.'));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (parentFirst(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException notInJar) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        if (parentFirstResource(name)) {
            return super.getResource(name);
        }
        URL url = findResource(name);
        return url != null ? url : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (parentFirstResource(name)) {
            return super.getResources(name);
        }
        List<URL> urls = new ArrayList<>(Collections.list(findResources(name)));
        urls.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(urls);
    }
}
