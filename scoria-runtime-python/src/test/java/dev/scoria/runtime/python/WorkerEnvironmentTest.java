package dev.scoria.runtime.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerEnvironmentTest {

    @Test
    void keepsWhatAnInterpreterNeedsAndDropsTheServersSecrets() {
        Map<String, String> server = Map.of(
                "PATH", "/usr/bin:/bin",
                "HOME", "/home/scoria",
                "LANG", "C.UTF-8",
                "LC_ALL", "C.UTF-8",
                "VIRTUAL_ENV", "/opt/venv",
                "SCORIA_TOKEN", "admin-secret",
                "SCORIA_DATABASE", "postgresql://scoria:password@db/scoria",
                "DATABASE_URL", "postgresql://scoria:password@db/scoria",
                "AWS_SECRET_ACCESS_KEY", "secret",
                "JAVA_TOOL_OPTIONS", "-Xmx1g");
        assertThat(WorkerEnvironment.from(server))
                .containsOnlyKeys("PATH", "HOME", "LANG", "LC_ALL", "VIRTUAL_ENV")
                .containsEntry("PATH", "/usr/bin:/bin");
    }
}
