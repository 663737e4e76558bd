package dev.scoria.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A JSON argument given inline, as {@code @file}, or as {@code -} for standard input (curl's convention). */
final class DataArgument {

    private DataArgument() {}

    static String read(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.equals("-")) {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (value.startsWith("@")) {
                Path file = Path.of(value.substring(1));
                if (!Files.exists(file)) {
                    throw new CliErrors.CliFailure(option + ": file " + file + " does not exist", 2);
                }
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            return value;
        } catch (IOException e) {
            throw new CliErrors.CliFailure(option + ": could not read " + value + ": " + e.getMessage(), 2);
        }
    }
}
