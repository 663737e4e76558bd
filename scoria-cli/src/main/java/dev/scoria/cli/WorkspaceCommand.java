package dev.scoria.cli;

import dev.scoria.client.Workspace;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.auth.AdminToken;
import dev.scoria.store.sql.DatabaseUrl;
import dev.scoria.store.sql.WorkspaceMigration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scoria workspace show|rotate-admin-token|rotate-signing-key|migrate}: the workspace's own credentials and home. */
@Command(
        name = "workspace",
        description = "Show the workspace; rotate its admin token or token-signing key.",
        mixinStandardHelpOptions = true,
        subcommands = {
            WorkspaceCommand.Show.class,
            WorkspaceCommand.RotateAdminToken.class,
            WorkspaceCommand.RotateSigningKey.class,
            WorkspaceCommand.Migrate.class
        })
final class WorkspaceCommand {

    @Command(
            name = "show",
            description = "Token issuer, active signing key, JWKS URI, token lifetimes.",
            mixinStandardHelpOptions = true)
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            var info = client.connect().info();
            CliJson.print(
                    spec.commandLine().getOut(),
                    CliJson.MAPPER
                            .createObjectNode()
                            .put("issuer", info.issuer())
                            .put("activeSigningKey", info.activeSigningKey())
                            .put("jwksUri", info.jwksUri().toString())
                            .put("tokenRefreshAfterSeconds", info.tokenRefreshAfterSeconds())
                            .put("tokenLifetimeSeconds", info.tokenLifetimeSeconds()));
        }
    }

    @Command(
            name = "rotate-admin-token",
            description = "Replace the admin token; the old one stops working at once.",
            mixinStandardHelpOptions = true)
    static final class RotateAdminToken implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            Workspace ws = client.connect();
            String token = ws.rotateAdminToken();
            var out = spec.commandLine().getOut();
            out.println("New admin token (the old one no longer works):");
            out.println("  " + token);
            Path file = client.tokenFile();
            if (file != null && Files.exists(file)) {
                out.println("The server wrote it to its data directory"
                        + (sameToken(file, token) ? " (" + file + ")." : "."));
            }
            out.println("Update SCORIA_TOKEN wherever it is set.");
            out.flush();
        }

        private static boolean sameToken(Path file, String token) {
            try {
                return AdminToken.read(file).equals(token);
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Command(
            name = "rotate-signing-key",
            description = "Sign new access tokens with a new key; tokens signed by the old"
                    + " one stay valid until they expire.",
            mixinStandardHelpOptions = true)
    static final class RotateSigningKey implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @CommandLine.Option(
                names = "--revoke-issued-tokens",
                description = "Also make every token issued so far stop working at once.")
        boolean revoke;

        @Override
        public void run() {
            String kid = client.connect().rotateSigningKey(revoke);
            CliJson.print(
                    spec.commandLine().getOut(),
                    CliJson.MAPPER.createObjectNode().put("activeSigningKey", kid));
        }
    }

    @Command(
            name = "migrate",
            description = "Move a single-machine workspace (data directory) into an empty PostgreSQL"
                    + " database, so that replicas serve it with the same models, services, keys and admin token. Stop the"
                    + " server using the data directory first.",
            mixinStandardHelpOptions = true)
    static final class Migrate implements Runnable {
        @Spec
        CommandSpec spec;

        @CommandLine.Option(
                names = "--from",
                required = true,
                paramLabel = "DATA_DIR",
                description = "The data directory of the single-machine workspace (e.g. scoria-data).")
        Path from;

        @CommandLine.Option(
                names = "--to",
                required = true,
                paramLabel = "URL",
                description =
                        "The PostgreSQL database: postgresql://USER:PASSWORD@HOST:PORT/DB (or jdbc:postgresql://...).")
        String to;

        @Override
        public void run() {
            DatabaseUrl target;
            try {
                target = DatabaseUrl.parse(to);
            } catch (ScoriaException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--to: " + e.getMessage());
            }
            WorkspaceMigration.Summary moved = WorkspaceMigration.migrate(from, target);
            var out = spec.commandLine().getOut();
            out.println("Migrated " + from + " to " + DatabaseUrl.redact(to) + ":");
            out.println(
                    "  " + moved.models() + " model version(s), " + moved.services() + " service(s), " + moved.blobs()
                            + " file(s) (" + moved.blobBytes() + " bytes), signing keys"
                            + (moved.adminToken() ? ", admin token" : ""));
            out.println("Start replicas with: scoria serve --database '" + DatabaseUrl.redact(to) + "'");
            out.println("Clients keep their keys; the admin token is the one in " + from.resolve(AdminToken.FILE_NAME)
                    + ".");
            out.flush();
        }
    }
}
