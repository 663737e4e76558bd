package dev.scoria.cli;

import dev.scoria.client.AccessRole;
import dev.scoria.client.AuditEntry;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.access.Lifetime;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scoria audit}: the workspace's audit log of management calls, newest last. */
@Command(
        name = "audit",
        description = "Show the audit log of management calls: who (credential id and role), what, when, on which"
                + " replica, and the answer's status. Needs an admin credential.",
        mixinStandardHelpOptions = true)
final class AuditCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Mixin
    OutputOptions output;

    @Option(
            names = "--since",
            paramLabel = "WHEN",
            description = "Only calls made since then: a time ago (90m, 12h, 7d) or an instant (2026-12-06T10:00:00Z).")
    String since;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "100",
            description = "At most the N newest entries (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public void run() {
        if (limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be 1 or more, saw " + limit);
        }
        List<AuditEntry> entries = client.connect().audit(since(), limit);
        var array = CliJson.MAPPER.createArrayNode();
        for (AuditEntry e : entries) {
            array.addObject()
                    .put("time", e.time().toString())
                    .put("credentialId", e.credentialId().orElse(null))
                    .put("role", e.role().map(AccessRole::wireName).orElse(null))
                    .put("method", e.method())
                    .put("path", e.path())
                    .put("service", e.service().orElse(null))
                    .put("model", e.model().orElse(null))
                    .put("status", e.status())
                    .put("replica", e.replica());
        }
        Table table = new Table("TIME", "CREDENTIAL", "ROLE", "CALL", "STATUS", "REPLICA");
        for (AuditEntry e : entries) {
            table.row(
                    e.time(),
                    e.credentialId().orElse("-"),
                    e.role().map(AccessRole::wireName).orElse("-"),
                    e.method() + " " + e.path(),
                    e.status(),
                    e.replica());
        }
        output.print(spec, array, table);
    }

    private Instant since() {
        if (since == null) {
            return null;
        }
        try {
            return Instant.parse(since.trim());
        } catch (DateTimeParseException e) {
            // Not an instant: a time ago, then.
        }
        try {
            Duration ago = Lifetime.parse("--since", since)
                    .orElseThrow(
                            () -> ScoriaException.badInput("--since must be a time ago or an instant, not 'never'"));
            return Instant.now().minus(ago);
        } catch (ScoriaException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--since must be a time ago (90m, 12h, 7d) or an instant (2026-12-06T10:00:00Z), saw '" + since
                            + "'");
        }
    }
}
