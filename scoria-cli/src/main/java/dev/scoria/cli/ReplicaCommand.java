package dev.scoria.cli;

import dev.scoria.client.Replica;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scoria replica list}: the {@code scoria serve} processes sharing the workspace. */
@Command(
        name = "replica",
        description = "The server replicas sharing this workspace.",
        mixinStandardHelpOptions = true,
        subcommands = ReplicaCommand.ListReplicas.class)
final class ReplicaCommand {

    @Command(
            name = "list",
            description = "List replicas with id, address, version and last heartbeat.",
            mixinStandardHelpOptions = true)
    static final class ListReplicas implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Override
        public void run() {
            List<Replica> replicas = client.connect().replicas();
            var array = CliJson.MAPPER.createArrayNode();
            for (Replica r : replicas) {
                array.addObject()
                        .put("id", r.id())
                        .put("address", r.address())
                        .put("version", r.version())
                        .put("startedTime", r.startedTime().toString())
                        .put("lastHeartbeat", r.lastHeartbeat().toString())
                        .put("live", r.live());
            }
            // The table says how long ago and yes/no; TSV has the heartbeat's instant and true/false, as JSON does.
            Table table = new Table("ID", "ADDRESS", "VERSION", "LAST HEARTBEAT", "LIVE");
            Instant now = Instant.now();
            for (Replica r : replicas) {
                long ago = Math.max(0, Duration.between(r.lastHeartbeat(), now).toMillis());
                table.row(
                        r.id(),
                        r.address(),
                        r.version(),
                        Table.shown(r.lastHeartbeat(), r.lastHeartbeat() + " (" + ago / 1000.0 + " s ago)"),
                        Table.shown(r.live(), r.live() ? "yes" : "no"));
            }
            output.print(spec, array, table);
        }
    }
}
