package dev.scoria.runtime.java;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.runtime.java.fixture.Shadowed;
import dev.scoria.scorer.ScorerSchema;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScorerClassLoaderTest {

    @TempDir
    Path dir;

    /** A JAR that bundles its own copies of a library class, of the scorer API, of Jackson, and a resource. */
    private Path jar() throws Exception {
        return ScorerJars.build(
                dir,
                "shadows.jar",
                Map.of(
                        "dev.scoria.runtime.java.fixture.Shadowed", """
                        package dev.scoria.runtime.java.fixture;
                        public final class Shadowed { public String where() { return "jar"; } }
                        """,
                        "dev.scoria.scorer.ScorerSchema", """
                        package dev.scoria.scorer;
                        public final class ScorerSchema { }
                        """,
                        "com.fasterxml.jackson.databind.ObjectMapper", """
                        package com.fasterxml.jackson.databind;
                        public final class ObjectMapper { }
                        """),
                Map.of("shadowed.txt", "jar", "dev/scoria/scorer/api.txt", "jar"));
    }

    @Test
    void aClassInBothTheJarAndTheServerResolvesToTheJarsCopy() throws Exception {
        try (ScorerClassLoader loader =
                new ScorerClassLoader("scorer-test", jar(), getClass().getClassLoader())) {
            Class<?> fromJar = loader.loadClass(Shadowed.class.getName());
            assertThat(fromJar).isNotSameAs(Shadowed.class);
            assertThat(fromJar.getClassLoader()).isSameAs(loader);
            assertThat(fromJar.getMethod("where")
                            .invoke(fromJar.getConstructor().newInstance()))
                    .isEqualTo("jar");
            assertThat(loader.loadClass(Shadowed.class.getName()))
                    .as("loaded once")
                    .isSameAs(fromJar);
        }
    }

    @Test
    void theScorerApiJacksonAndTheJdkAlwaysComeFromTheServer() throws Exception {
        try (ScorerClassLoader loader =
                new ScorerClassLoader("scorer-test", jar(), getClass().getClassLoader())) {
            assertThat(loader.loadClass(ScorerSchema.class.getName())).isSameAs(ScorerSchema.class);
            assertThat(loader.loadClass(ObjectMapper.class.getName())).isSameAs(ObjectMapper.class);
            assertThat(loader.loadClass("java.lang.String")).isSameAs(String.class);
            // Not in the JAR: found in the server, after the JAR was looked in.
            assertThat(loader.loadClass(JavaModelRuntime.class.getName())).isSameAs(JavaModelRuntime.class);
        }
    }

    @Test
    void resourcesAreChildFirstExceptUnderParentFirstPackages() throws Exception {
        try (ScorerClassLoader loader =
                new ScorerClassLoader("scorer-test", jar(), getClass().getClassLoader())) {
            try (InputStream in = loader.getResourceAsStream("shadowed.txt")) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("jar");
            }
            assertThat(Collections.list(loader.getResources("shadowed.txt")))
                    .hasSize(2)
                    .first()
                    .satisfies(url -> assertThat(url.toString()).startsWith("jar:"));
            // The JAR's own ObjectMapper.class is there, but Jackson's package is looked up in the server first.
            assertThat(loader.getResource("com/fasterxml/jackson/databind/ObjectMapper.class")
                            .toString())
                    .isEqualTo(getClass()
                            .getClassLoader()
                            .getResource("com/fasterxml/jackson/databind/ObjectMapper.class")
                            .toString())
                    .doesNotContain("shadows.jar");
            // Parent first, not parent only: what the server lacks still comes from the JAR.
            assertThat(loader.getResource("dev/scoria/scorer/api.txt").toString())
                    .contains("shadows.jar");
        }
    }

    @Test
    void parentFirstCoversExactlyTheSharedPackages() {
        assertThat(ScorerClassLoader.parentFirst("javax.annotation.Nullable")).isTrue();
        assertThat(ScorerClassLoader.parentFirst("com.fasterxml.jackson.core.JsonParser"))
                .isTrue();
        assertThat(ScorerClassLoader.parentFirst("dev.scoria.scorer.Tensor")).isTrue();
        assertThat(ScorerClassLoader.parentFirst("dev.scoria.core.ScoriaException"))
                .isFalse();
        assertThat(ScorerClassLoader.parentFirst("com.google.common.collect.ImmutableList"))
                .isFalse();
        assertThat(ScorerClassLoader.parentFirst("javaxyz.Thing")).isFalse();
    }
}
