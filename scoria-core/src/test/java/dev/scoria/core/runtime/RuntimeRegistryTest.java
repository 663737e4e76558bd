package dev.scoria.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ScoriaException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runtimes found through {@code META-INF/services}, as a server finds the runtime modules on its class path. */
class RuntimeRegistryTest {

    @TempDir
    Path dir;

    @Test
    void findsEveryRuntimeNamedInTheServiceFilesListedByName() throws Exception {
        try (RuntimeRegistry registry = RuntimeRegistry.discover(loader(Zeta.class, Alpha.class))) {
            assertThat(registry.infos()).extracting(RuntimeInfo::name).containsExactly("alpha", "zeta");
            assertThat(registry.require("zeta")).isInstanceOf(Zeta.class);
            RuntimeInfo alpha = registry.infos().get(0);
            assertThat(alpha.takesCode()).isFalse();
            assertThat(alpha.modelExtensions()).containsExactly(".alpha");
            assertThatThrownBy(() -> registry.require("gamma"))
                    .isInstanceOf(ScoriaException.class)
                    .hasMessage("runtime 'gamma' is not available: expected one of [alpha, zeta]");
        }
    }

    @Test
    void twoRuntimesOfOneNameFailAtStartNamingBothClasses() throws Exception {
        ClassLoader loader = loader(Alpha.class, AlphaAgain.class);
        assertThatThrownBy(() -> RuntimeRegistry.discover(loader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two runtimes are named 'alpha'")
                .hasMessageContaining(Alpha.class.getName())
                .hasMessageContaining(AlphaAgain.class.getName());
    }

    @Test
    void aRuntimeWithoutAPublicNoArgConstructorFailsSayingWhatItNeeds() throws Exception {
        ClassLoader loader = loader(NoDefaultConstructor.class);
        assertThatThrownBy(() -> RuntimeRegistry.discover(loader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(NoDefaultConstructor.class.getName())
                .hasMessageContaining("public no-arg constructor");
    }

    @Test
    void noRuntimeAtAllFailsNamingTheServiceFile() throws Exception {
        ClassLoader loader = loader();
        assertThatThrownBy(() -> RuntimeRegistry.discover(loader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no runtime found")
                .hasMessageContaining("META-INF/services/dev.scoria.core.runtime.ModelRuntime");
    }

    @Test
    void anInfoNamingAnotherRuntimeIsRefused() {
        assertThatThrownBy(() -> new RuntimeRegistry(List.of(new Misnamed())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is named 'misnamed' but its info() names 'other'");
    }

    @Test
    void infoSaysWhichFieldIsWrongAndWhatWasExpected() {
        assertThatThrownBy(() -> RuntimeInfo.noCode("Onnx", "runs ONNX models", ".onnx"))
                .hasMessageContaining("runtime name 'Onnx' is not valid: expected 1-32 lowercase letters");
        assertThatThrownBy(() -> RuntimeInfo.withCode("java", "runs a scorer JAR", "jar"))
                .hasMessageContaining(
                        "codeExtensions entry 'jar' is not valid: expected a lowercase extension with its dot");
        assertThatThrownBy(
                        () -> new RuntimeInfo("onnx", "runs ONNX models", false, List.of(".py"), List.of(), List.of()))
                .hasMessageContaining("takes no code but lists codeExtensions [.py]");
    }

    /** A class loader that sees only a service file naming {@code runtimes} (the classes come from this test). */
    private ClassLoader loader(Class<?>... runtimes) throws Exception {
        Path file = dir.resolve(RuntimeRegistry.SERVICE_FILE);
        Files.createDirectories(file.getParent());
        StringBuilder lines = new StringBuilder("# runtimes for this test\n");
        for (Class<?> runtime : runtimes) {
            lines.append(runtime.getName()).append('\n');
        }
        Files.writeString(file, lines);
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, RuntimeRegistryTest.class.getClassLoader());
    }

    /** A runtime that loads nothing: discovery only needs its name and info. */
    public abstract static class TestRuntime implements ModelRuntime {
        @Override
        public Predictor load(LoadContext context) {
            throw new UnsupportedOperationException("not loaded in this test");
        }
    }

    public static final class Alpha extends TestRuntime {
        @Override
        public String name() {
            return "alpha";
        }

        @Override
        public RuntimeInfo info() {
            return RuntimeInfo.noCode(name(), "serves .alpha files", ".alpha");
        }
    }

    public static final class AlphaAgain extends TestRuntime {
        @Override
        public String name() {
            return "alpha";
        }

        @Override
        public RuntimeInfo info() {
            return RuntimeInfo.withCode(name(), "runs .beta code", ".beta");
        }
    }

    public static final class Zeta extends TestRuntime {
        @Override
        public String name() {
            return "zeta";
        }

        @Override
        public RuntimeInfo info() {
            return RuntimeInfo.withCode(name(), "runs .zeta code", ".zeta");
        }
    }

    public static final class NoDefaultConstructor extends TestRuntime {
        NoDefaultConstructor(String name) {}

        @Override
        public String name() {
            return "nodefault";
        }

        @Override
        public RuntimeInfo info() {
            return RuntimeInfo.noCode(name(), "cannot be created by ServiceLoader");
        }
    }

    static final class Misnamed extends TestRuntime {
        @Override
        public String name() {
            return "misnamed";
        }

        @Override
        public RuntimeInfo info() {
            return RuntimeInfo.noCode("other", "names another runtime");
        }
    }
}
