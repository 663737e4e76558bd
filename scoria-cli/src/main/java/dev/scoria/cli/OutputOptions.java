package dev.scoria.cli;

import picocli.CommandLine.Option;

/** {@code -o table|json}: human tables by default, JSON for scripts. */
final class OutputOptions {

    enum Format {
        table,
        json
    }

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    boolean json() {
        return format == Format.json;
    }
}
