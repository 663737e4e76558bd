package dev.scoria.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * What {@code score -o json|tsv} makes of the answers services give besides the demo's array of numbers
 * (which CliOutputFormatsTest scores end to end): several outputs as an object, rows, text.
 */
class ScoreOutputTest {

    static String tsv(String answer) {
        StringWriter text = new StringWriter();
        JsonTsv.print(new PrintWriter(text), ScoreCommand.answerAsJson(answer));
        return text.toString();
    }

    @Test
    void numbersKeepTheDigitsTheServiceSent() {
        assertThat(ScoreCommand.answerAsJson("[217.67978776218715, 1e-7, 3]").toString())
                .isEqualTo("[217.67978776218715,1E-7,3]");
        assertThat(tsv("[217.67978776218715,224.78937091757172]"))
                .isEqualTo("217.67978776218715\n224.78937091757172\n");
    }

    @Test
    void rowsAreLinesOfTabSeparatedValues() {
        assertThat(tsv("[[1, 2.5], [3, \"a b\"]]")).isEqualTo("1\t2.5\n3\ta b\n");
    }

    @Test
    void anObjectIsOneLineOfItsValuesAndDeeperValuesAreCompactJson() {
        assertThat(tsv("{\"label\": \"cat\", \"probabilities\": [0.9, 0.1], \"extra\": null}"))
                .isEqualTo("cat\t[0.9,0.1]\t\n");
        assertThat(tsv("[{\"label\": \"cat\", \"score\": 0.9}, {\"label\": \"dog\", \"score\": 0.1}]"))
                .isEqualTo("cat\t0.9\ndog\t0.1\n");
    }

    @Test
    void anAnswerThatIsNotJsonIsAStringAndStaysOneLineInTsv() {
        assertThat(ScoreCommand.answerAsJson("Healthy as a horse").toString()).isEqualTo("\"Healthy as a horse\"");
        assertThat(ScoreCommand.answerAsJson("1 2").isTextual()).isTrue();
        assertThat(ScoreCommand.answerAsJson("").isTextual()).isTrue();
        assertThat(tsv("two\tcells\nand a line")).isEqualTo("two cells and a line\n");
    }

    @Test
    void tableCellsShowTextButTsvHasTheValueWithoutTabsOrLineBreaks() {
        Table table = new Table("NAME", "SHARE", "NOTE")
                .row("blue", Table.shown(90, "90%"), "kept")
                .row("green", Table.shown(0, "-"), "two\tcells\nand a line");
        StringWriter shown = new StringWriter();
        new Table("NAME", "SHARE")
                .row("blue", Table.shown(90, "90%"))
                .row("green", Table.shown(0, "-"))
                .print(new PrintWriter(shown));
        assertThat(shown.toString().lines()).containsExactly("NAME   SHARE", "blue   90%", "green  -");
        StringWriter tsv = new StringWriter();
        table.printTsv(new PrintWriter(tsv));
        assertThat(tsv.toString()).isEqualTo("blue\t90\tkept\ngreen\t0\ttwo cells and a line\n");
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a row of 1 cells in a table of 2 columns");
    }
}
