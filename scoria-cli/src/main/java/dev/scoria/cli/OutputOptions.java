package dev.scoria.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code -o table|json|tsv}, as the {@code az} CLI has it, and the one place that prints a command's data in
 * the format asked for: {@code table} (the default) for a person, {@code json} the full value (an object for
 * one item, an array for a list), {@code tsv} the table's rows without the header, tab-separated, for shell
 * scripts. A command mixes this in and hands {@link #print} its data once in each shape.
 */
final class OutputOptions {

    enum Format {
        table,
        json,
        tsv
    }

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    /** Whether JSON is asked for; a command prints through {@link #print} rather than testing this itself. */
    boolean json() {
        return format == Format.json;
    }

    /** Whether a person reads the output: progress and confirmations are printed only then, never into JSON or TSV. */
    boolean human() {
        return format == Format.table;
    }

    /** Prints a list (or one item): as the table, the JSON value, or the table's rows as TSV. */
    void print(CommandSpec spec, JsonNode json, Table table) {
        print(spec, json, table::print, table::printTsv);
    }

    /** Prints one item whose human view is a description ({@code show}) rather than the table. */
    void print(CommandSpec spec, JsonNode json, Table table, Consumer<PrintWriter> human) {
        print(spec, json, human, table::printTsv);
    }

    /** Prints data in the format asked for, each format written by its own printer. */
    void print(CommandSpec spec, JsonNode json, Consumer<PrintWriter> human, Consumer<PrintWriter> tsv) {
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            CliJson.print(out, json);
        } else if (format == Format.tsv) {
            tsv.accept(out);
        } else {
            human.accept(out);
        }
        out.flush();
    }

    /**
     * What a command that only acts (a delete) prints: a confirmation line for a person; nothing with
     * {@code -o json} or {@code -o tsv}, as {@code az} prints nothing for a delete, so that scripts read an empty
     * output and the exit code.
     */
    void confirm(CommandSpec spec, String message) {
        if (human()) {
            spec.commandLine().getOut().println(message);
            spec.commandLine().getOut().flush();
        }
    }
}
