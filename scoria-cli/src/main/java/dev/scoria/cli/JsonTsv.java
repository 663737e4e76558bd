package dev.scoria.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * TSV of a JSON value that has no table of its own (a service's answer), the way {@code az -o tsv} lays one
 * out: an array is one line per element, an object or an inner array one line of its values in order, a
 * string its text; a value nested deeper is its compact JSON, so each line keeps its columns.
 */
final class JsonTsv {

    private JsonTsv() {}

    static void print(PrintWriter out, JsonNode value) {
        if (value.isArray()) {
            value.forEach(element -> out.println(line(element)));
        } else {
            out.println(line(value));
        }
        out.flush();
    }

    private static String line(JsonNode row) {
        if (!row.isContainerNode()) {
            return cell(row);
        }
        List<String> cells = new ArrayList<>();
        row.forEach(value -> cells.add(cell(value)));
        return String.join("\t", cells);
    }

    private static String cell(JsonNode value) {
        if (value.isNull()) {
            return "";
        }
        return Table.tsvCell(value.isValueNode() ? value.asText() : value.toString());
    }
}
