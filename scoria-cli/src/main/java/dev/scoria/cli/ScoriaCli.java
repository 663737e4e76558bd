package dev.scoria.cli;

import dev.scoria.server.ScoriaServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code scoria}: the entry point. Exit codes: 0 success; 1 the server refused or the operation
 * failed (a 4xx/5xx answer, a deployment that ended Failed); 2 the command line is wrong; 3 the
 * server could not be reached.
 */
@Command(
        name = "scoria",
        mixinStandardHelpOptions = true,
        versionProvider = ScoriaCli.Version.class,
        description = "Deploy machine-learning models as web services that speak the Azure ML scoring contract.",
        subcommands = {
            ServeCommand.class,
            ModelCommand.class,
            ServiceCommand.class,
            DeploymentCommand.class,
            ScoreCommand.class,
            WorkspaceCommand.class,
            ReplicaCommand.class,
            AccessCommand.class,
            AuditCommand.class,
            RuntimeCommand.class,
            BenchLimitCommand.class
        })
public final class ScoriaCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also what tests run. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ScoriaCli());
        cli.setExecutionExceptionHandler(new CliErrors());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // "@request.json" is ours to read (curl's convention), not picocli's argument file.
        cli.setExpandAtFiles(false);
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"scoria " + ScoriaServer.VERSION};
        }
    }
}
