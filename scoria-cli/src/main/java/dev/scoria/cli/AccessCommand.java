package dev.scoria.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.client.AccessRole;
import dev.scoria.client.AccessTokenInfo;
import dev.scoria.client.CreatedAccessToken;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.access.Lifetime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scoria access create|list|revoke}: access tokens for the management API, each with a role and an expiry. */
@Command(
        name = "access",
        description = "Create, list and revoke access tokens: management credentials with a role (reader, deployer,"
                + " keys, admin), optionally limited to some services, with an expiry.",
        mixinStandardHelpOptions = true,
        subcommands = {AccessCommand.Create.class, AccessCommand.ListTokens.class, AccessCommand.Revoke.class})
final class AccessCommand {

    enum RoleChoice {
        reader,
        deployer,
        keys,
        admin
    }

    @Command(
            name = "create",
            description = "Create an access token and print it, this once (the server keeps only its hash).",
            mixinStandardHelpOptions = true)
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Option(
                names = "--role",
                required = true,
                description = "reader (list and show), deployer (also register, deploy, update, delete), keys (also"
                        + " read and regenerate keys, get tokens) or admin (everything, access tokens included).")
        RoleChoice role;

        @Option(
                names = "--services",
                paramLabel = "PATTERN",
                split = ",",
                description = "Limit a deployer or keys token to these services: names or globs such as 'fraud-*'"
                        + " (comma-separated or repeated). Default: every service.")
        List<String> services;

        @Option(
                names = "--expires",
                paramLabel = "DURATION",
                defaultValue = Lifetime.DEFAULT,
                description = "How long the token lives: 90m, 12h, 30d, 8w, or never (default: ${DEFAULT-VALUE}).")
        String expires;

        @Option(names = "--description", description = "What the token is for, shown by 'access list'.")
        String description;

        @Override
        public void run() {
            Optional<Duration> lifetime;
            try {
                lifetime = Lifetime.parse("--expires", expires);
            } catch (ScoriaException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            CreatedAccessToken created = client.connect()
                    .createAccessToken(
                            AccessRole.valueOf(role.name().toUpperCase(Locale.ROOT)),
                            services,
                            lifetime.orElse(null),
                            description);
            AccessTokenInfo t = created.info();
            // TSV: the token and its id, for a script to keep.
            Table row = new Table("TOKEN", "ID");
            row.row(created.token(), t.id());
            output.print(spec, json(t).put("token", created.token()), row, out -> {
                out.println("Access token " + t.id() + " (role " + t.role().wireName() + ", services " + services(t)
                        + ", expires " + t.expiresTime().map(Instant::toString).orElse("never") + "):");
                out.println("  " + created.token());
                out.println(
                        "It is shown this once: keep it now (the server keeps only its hash). Use it as SCORIA_TOKEN.");
            });
        }
    }

    @Command(
            name = "list",
            description = "List access tokens (never their secrets), revoked and expired ones too.",
            mixinStandardHelpOptions = true)
    static final class ListTokens implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Override
        public void run() {
            List<AccessTokenInfo> tokens = client.connect().accessTokens();
            var array = CliJson.MAPPER.createArrayNode();
            tokens.forEach(t -> array.add(json(t)));
            Table table = new Table("ID", "ROLE", "SERVICES", "STATE", "EXPIRES", "CREATED BY", "DESCRIPTION");
            for (AccessTokenInfo t : tokens) {
                table.row(
                        t.id(),
                        t.role().wireName(),
                        services(t),
                        t.state(),
                        t.expiresTime().map(Instant::toString).orElse("never"),
                        t.createdBy(),
                        t.description());
            }
            output.print(spec, array, table);
        }
    }

    @Command(
            name = "revoke",
            description = "Revoke an access token: it is refused from now on, on every replica.",
            mixinStandardHelpOptions = true)
    static final class Revoke implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Parameters(paramLabel = "ID", description = "The token's id, as 'access list' shows it.")
        String id;

        @Override
        public void run() {
            AccessTokenInfo t = client.connect().revokeAccessToken(id);
            Table row = new Table("ID", "ROLE", "REVOKED");
            row.row(
                    t.id(),
                    t.role().wireName(),
                    t.revokedTime().map(Instant::toString).orElse("?"));
            output.print(
                    spec,
                    json(t),
                    row,
                    out -> out.println("Revoked access token " + t.id() + " (role "
                            + t.role().wireName() + ") at "
                            + t.revokedTime().map(Instant::toString).orElse("?") + "."));
        }
    }

    static String services(AccessTokenInfo t) {
        return t.services().isEmpty() ? "*" : String.join(",", t.services());
    }

    /** The management API's fields. */
    static ObjectNode json(AccessTokenInfo t) {
        ObjectNode n = CliJson.MAPPER.createObjectNode();
        n.put("id", t.id());
        n.put("role", t.role().wireName());
        var services = n.putArray("services");
        t.services().forEach(services::add);
        n.put("description", t.description());
        n.put("createdTime", String.valueOf(t.createdTime()));
        n.put("createdBy", t.createdBy());
        n.put("expiresTime", t.expiresTime().map(Instant::toString).orElse(null));
        n.put("revokedTime", t.revokedTime().map(Instant::toString).orElse(null));
        n.put("state", t.state());
        return n;
    }
}
