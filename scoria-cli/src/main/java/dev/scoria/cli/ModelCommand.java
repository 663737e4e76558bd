package dev.scoria.cli;

import dev.scoria.client.Model;
import dev.scoria.client.Workspace;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scoria model register|list|show|delete}. */
@Command(
        name = "model",
        description = "Register, list, show and delete models.",
        mixinStandardHelpOptions = true,
        subcommands = {
            ModelCommand.Register.class,
            ModelCommand.ListModels.class,
            ModelCommand.Show.class,
            ModelCommand.Delete.class
        })
final class ModelCommand {

    static Model byId(Workspace ws, String id) {
        int colon = id.lastIndexOf(':');
        if (colon <= 0) {
            throw new CliErrors.CliFailure("model '" + id + "' must be given as name:version, e.g. diabetes:1", 2);
        }
        int version;
        try {
            version = Integer.parseInt(id.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CliErrors.CliFailure(
                    "model '" + id + "' has version '" + id.substring(colon + 1) + "': expected a whole number", 2);
        }
        return Model.get(ws, id.substring(0, colon), version);
    }

    /** The models as a table; TSV has the full digest where the table shows its first 12 characters. */
    static Table table(List<Model> models) {
        Table table = new Table("ID", "FRAMEWORK", "SIZE", "SHA256", "CREATED", "DESCRIPTION");
        for (Model m : models) {
            table.row(
                    m.id(),
                    m.framework(),
                    m.size(),
                    Table.shown(m.sha256(), m.sha256().substring(0, 12)),
                    m.createdTime(),
                    m.description());
        }
        return table;
    }

    static void describe(PrintWriter out, Model m) {
        out.println("Model:       " + m.id());
        out.println("Framework:   " + m.framework() + (m.frameworkVersion() == null ? "" : " " + m.frameworkVersion()));
        out.println("Description: " + m.description());
        out.println("Tags:        " + m.tags());
        out.println("Properties:  " + m.properties());
        out.println("Size:        " + m.size() + " bytes");
        out.println("SHA-256:     " + m.sha256());
        out.println("Created:     " + m.createdTime());
        out.println("Files:");
        m.files().forEach(f -> out.println("  " + f.path() + "  " + f.size() + " bytes  " + f.sha256()));
    }

    @Command(
            name = "register",
            description = "Register a model file or folder as the next version of NAME.",
            mixinStandardHelpOptions = true)
    static final class Register implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
        String name;

        @Parameters(index = "1", paramLabel = "PATH", description = "Model file, or a folder of files.")
        Path path;

        @Option(names = "--description")
        String description;

        @Option(
                names = "--framework",
                description = "Onnx, scikit-learn (a .pkl or .joblib file the python runtime serves with no code),"
                        + " or another label (default: Onnx for a .onnx file, else Custom).")
        String framework;

        @Option(
                names = "--framework-version",
                paramLabel = "VERSION",
                description = "The framework's version the model was made with, e.g. 1.2.")
        String frameworkVersion;

        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Tag (repeatable).")
        List<String> tags;

        @Option(names = "--property", paramLabel = "KEY=VALUE", description = "Property (repeatable).")
        List<String> properties;

        @Override
        public void run() {
            if (!Files.exists(path)) {
                throw new CliErrors.CliFailure("model path " + path + " does not exist", 2);
            }
            Model.RegisterOptions.Builder options = Model.RegisterOptions.builder();
            if (description != null) {
                options.description(description);
            }
            if (framework != null) {
                options.framework(framework);
            }
            if (frameworkVersion != null) {
                options.frameworkVersion(frameworkVersion);
            }
            if (tags != null) {
                options.tags(KeyValues.parse("--tag", tags));
            }
            if (properties != null) {
                options.properties(KeyValues.parse("--property", properties));
            }
            Model model = Model.register(client.connect(), path, name, options.build());
            output.print(
                    spec,
                    CliJson.model(model),
                    table(List.of(model)),
                    out -> out.println("Registered model " + model.id() + " (sha256 " + model.sha256() + ", "
                            + model.size() + " bytes)"));
        }
    }

    @Command(name = "list", description = "List registered models.", mixinStandardHelpOptions = true)
    static final class ListModels implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Option(names = "--name", description = "Only versions of this model.")
        String name;

        @Override
        public void run() {
            Workspace ws = client.connect();
            List<Model> models = name == null ? Model.list(ws) : Model.list(ws, name);
            var array = CliJson.MAPPER.createArrayNode();
            models.forEach(m -> array.add(CliJson.model(m)));
            output.print(spec, array, table(models));
        }
    }

    @Command(name = "show", description = "Show one model version.", mixinStandardHelpOptions = true)
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Parameters(paramLabel = "NAME:VERSION")
        String id;

        @Override
        public void run() {
            Model m = byId(client.connect(), id);
            output.print(spec, CliJson.model(m), table(List.of(m)), out -> describe(out, m));
        }
    }

    @Command(
            name = "delete",
            description = "Delete a model version (refused while a service uses it).",
            mixinStandardHelpOptions = true)
    static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Parameters(paramLabel = "NAME:VERSION")
        String id;

        @Override
        public void run() {
            byId(client.connect(), id).delete();
            output.confirm(spec, "Deleted model " + id);
        }
    }
}
