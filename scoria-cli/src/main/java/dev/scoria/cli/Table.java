package dev.scoria.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with a header row and columns as wide as their widest cell; with {@code -o tsv} its rows
 * without the header, tab-separated. A cell that a person reads differently from a script (a share as {@code
 * 90%}, a digest cut short) is given with {@link #shown}: the table prints the text, TSV the value.
 */
final class Table {

    /** A cell whose table text differs from the value TSV prints. */
    record Shown(Object value, String text) {}

    private final String[] header;
    private final List<Object[]> rows = new ArrayList<>();

    Table(String... header) {
        this.header = header;
    }

    /** A cell shown as {@code text} in the table and as {@code value} in TSV. */
    static Shown shown(Object value, String text) {
        return new Shown(value, text);
    }

    Table row(Object... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException(
                    "a row of " + cells.length + " cells in a table of " + header.length + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    void print(PrintWriter out) {
        print(out, "");
    }

    /** Prints each line after {@code indent}, e.g. as a part of a longer description. */
    void print(PrintWriter out, String indent) {
        List<String[]> lines = new ArrayList<>();
        lines.add(header);
        for (Object[] row : rows) {
            String[] text = new String[row.length];
            for (int i = 0; i < row.length; i++) {
                text[i] = row[i] instanceof Shown s ? s.text() : plain(row[i]);
            }
            lines.add(text);
        }
        int[] width = new int[header.length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                text.append(i == line.length - 1 ? line[i] : String.format("%-" + (width[i] + 2) + "s", line[i]));
            }
            out.println(indent + text.toString().stripTrailing());
        }
        out.flush();
    }

    /**
     * The rows without the header, cells separated by tabs ({@code az -o tsv}); a tab or line break inside a
     * value becomes a space, so that every row stays one line of the same columns.
     */
    void printTsv(PrintWriter out) {
        for (Object[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    line.append('\t');
                }
                line.append(tsvCell(row[i] instanceof Shown s ? s.value() : row[i]));
            }
            out.println(line);
        }
        out.flush();
    }

    static String tsvCell(Object value) {
        return plain(value).replaceAll("[\t\r\n]+", " ");
    }

    private static String plain(Object cell) {
        return cell == null ? "" : cell.toString();
    }
}
