package dev.scoria.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String describe(String text) {
        return JsonErrors.describe(catchThrowableOfType(JsonProcessingException.class, () -> JSON.readTree(text)));
    }

    @Test
    void nanAndInfinityAreNamedWithoutJacksonsSettings() {
        assertThat(describe("{\"data\":[[NaN,1]]}"))
                .isEqualTo("'NaN' is not a JSON value: JSON numbers are finite, so send a number (line 1, column 14)");
        assertThat(describe("{\"data\":[Infinity]}")).startsWith("'Infinity' is not a JSON value");
    }

    @Test
    void theRedactedSourceBecomesALineAndColumn() {
        assertThat(describe("{\"data\":[[1,2"))
                .isEqualTo("Unexpected end-of-input: expected close marker for Array (start marker at line 1,"
                        + " column 10) (line 1, column 14)");
    }

    @Test
    void aLimitIsStatedWithoutTheSettingsMethod() {
        assertThat(describe("[".repeat(1200)))
                .isEqualTo("Document nesting depth (1001) exceeds the maximum allowed (1000)");
    }

    @Test
    void otherMessagesKeepWhatTheySayWithTheirPlace() {
        assertThat(describe("{\"a\" 1}"))
                .isEqualTo("Unexpected character ('1' (code 49)): was expecting a colon to separate field name and"
                        + " value (line 1, column 6)");
        assertThat(describe("{\"a\":tru}")).doesNotContain("Source").endsWith("(line 1, column 6)");
    }
}
