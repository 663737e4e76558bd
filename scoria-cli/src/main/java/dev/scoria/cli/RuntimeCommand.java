package dev.scoria.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.client.RuntimeInfo;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scoria runtime list}: the runtimes the server offers, and what each takes. */
@Command(
        name = "runtime",
        description = "The runtimes the server offers.",
        mixinStandardHelpOptions = true,
        subcommands = RuntimeCommand.ListRuntimes.class)
final class RuntimeCommand {

    @Command(
            name = "list",
            description = "List runtimes: the code files each takes, the model files each serves with no"
                    + " code, and what it runs.",
            mixinStandardHelpOptions = true)
    static final class ListRuntimes implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions output;

        @Override
        public void run() {
            List<RuntimeInfo> runtimes = client.connect().runtimes();
            ArrayNode array = CliJson.MAPPER.createArrayNode();
            for (RuntimeInfo r : runtimes) {
                ObjectNode n = array.addObject()
                        .put("name", r.name())
                        .put("description", r.description())
                        .put("takesCode", r.takesCode());
                ArrayNode code = n.putArray("codeExtensions");
                r.codeExtensions().forEach(code::add);
                ArrayNode models = n.putArray("modelExtensions");
                r.modelExtensions().forEach(models::add);
                ArrayNode frameworks = n.putArray("modelFrameworks");
                r.modelFrameworks().forEach(frameworks::add);
            }
            Table table = new Table("NAME", "CODE", "MODELS WITH NO CODE", "DESCRIPTION");
            for (RuntimeInfo r : runtimes) {
                String code = !r.takesCode()
                        ? "-"
                        : r.codeExtensions().isEmpty() ? "any file" : String.join(" ", r.codeExtensions());
                List<String> noCode = new ArrayList<>(r.modelExtensions());
                noCode.addAll(r.modelFrameworks());
                table.row(r.name(), code, noCode.isEmpty() ? "-" : String.join(" ", noCode), r.description());
            }
            output.print(spec, array, table);
        }
    }
}
