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

        @Mixin
        OutputOptions output;

        @Override
        public void run() {
            var info = client.connect().info();
            output.print(
                    spec,
                    CliJson.MAPPER
                            .createObjectNode()
                            .put("issuer", info.issuer())
                            .put("activeSigningKey", info.activeSigningKey())
                            .put("jwksUri", info.jwksUri().toString())
                            .put("tokenRefreshAfterSeconds", info.tokenRefreshAfterSeconds())
                            .put("tokenLifetimeSeconds", info.tokenLifetimeSeconds()),
                    new Table("ISSUER", "ACTIVE SIGNING KEY", "JWKS URI", "TOKEN REFRESH AFTER S", "TOKEN LIFETIME S")
                            .row(
                                    info.issuer(),
                                    info.activeSigningKey(),
                                    info.jwksUri(),
                                    info.tokenRefreshAfterSeconds(),
                                    info.tokenLifetimeSeconds()));
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

        @Mixin
        OutputOptions output;

        @Override
        public void run() {
            Workspace ws = client.connect();
            String token = ws.rotateAdminToken();
            Path file = client.tokenFile();
            // The file this command reads its token from, when the server wrote the new token there.
            Path written = file != null && Files.exists(file) && sameToken(file, token) ? file : null;
            output.print(
                    spec,
                    CliJson.MAPPER
                            .createObjectNode()
                            .put("adminToken", token)
                            .put("tokenFile", written == null ? null : written.toString()),
                    new Table("ADMIN TOKEN", "TOKEN FILE").row(token, written),
                    out -> {
                        out.println("New admin token (the old one no longer works):");
                        out.println("  " + token);
                        if (file != null && Files.exists(file)) {
                            out.println("The server wrote it to its data directory"
                                    + (written != null ? " (" + file + ")." : "."));
                        }
                        out.println("Update SCORIA_TOKEN wherever it is set.");
                    });
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

        @Mixin
        OutputOptions output;

        @CommandLine.Option(
                names = "--revoke-issued-tokens",
                description = "Also make every token issued so far stop working at once.")
        boolean revoke;

        @Override
        public void run() {
            String kid = client.connect().rotateSigningKey(revoke);
            output.print(
                    spec,
                    CliJson.MAPPER.createObjectNode().put("activeSigningKey", kid),
                    new Table("ACTIVE SIGNING KEY").row(kid));
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

        @Mixin
        OutputOptions output;

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
            String database = DatabaseUrl.redact(to);
            output.print(
                    spec,
                    CliJson.MAPPER
                            .createObjectNode()
                            .put("from", from.toString())
                            .put("to", database)
                            .put("models", moved.models())
                            .put("services", moved.services())
                            .put("files", moved.blobs())
                            .put("fileBytes", moved.blobBytes())
                            .put("adminToken", moved.adminToken()),
                    new Table("FROM", "TO", "MODELS", "SERVICES", "FILES", "FILE BYTES", "ADMIN TOKEN")
                            .row(
                                    from,
                                    database,
                                    moved.models(),
                                    moved.services(),
                                    moved.blobs(),
                                    moved.blobBytes(),
                                    moved.adminToken()),
                    out -> {
                        out.println("Migrated " + from + " to " + database + ":");
                        out.println("  " + moved.models() + " model version(s), " + moved.services()
                                + " service(s), " + moved.blobs() + " file(s) (" + moved.blobBytes()
                                + " bytes), signing keys" + (moved.adminToken() ? ", admin token" : ""));
                        out.println("Start replicas with: scoria serve --database '" + database + "'");
                        out.println("Clients keep their keys; the admin token is the one in "
                                + from.resolve(AdminToken.FILE_NAME) + ".");
                    });
        }
    }
}
