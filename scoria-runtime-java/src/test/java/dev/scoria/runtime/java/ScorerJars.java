package dev.scoria.runtime.java;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scoria.scorer.Scorer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Builds scorer JARs in tests from source text, compiled against the scorer API and Jackson only, so
 * that the classes in them exist nowhere on the test class path and must come through the scorer's
 * class loader.
 */
final class ScorerJars {

    private ScorerJars() {}

    /**
     * @param sources class name → source text
     * @param resources path inside the JAR → text
     */
    static Path build(Path dir, String jarName, Map<String, String> sources, Map<String, String> resources)
            throws IOException {
        Path classes = Files.createTempDirectory(dir, "classes");
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, text) -> units.add(
                new SimpleJavaFileObject(
                        URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return text;
                    }
                }));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> options = List.of("--release", "17", "-classpath", classPath(), "-d", classes.toString());
        boolean ok =
                compiler.getTask(diagnostics, null, null, options, null, units).call();
        if (!ok) {
            throw new IllegalStateException("test scorer sources do not compile:\n" + diagnostics);
        }
        Path jar = dir.resolve(jarName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            for (Map.Entry<String, String> resource : resources.entrySet()) {
                out.putNextEntry(new JarEntry(resource.getKey()));
                OutputStream entry = out;
                entry.write(resource.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** What a scorer is compiled against: the scorer API and the Jackson Scoria provides. */
    private static String classPath() {
        return Stream.of(Scorer.class, JsonNode.class, JsonParser.class, JsonProperty.class)
                .map(ScorerJars::locationOf)
                .reduce((a, b) -> a + File.pathSeparator + b)
                .orElseThrow();
    }

    private static String locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
