package dev.scoria.runtime.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.scorer.JsonScorer;
import dev.scoria.scorer.ScorerContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonInputBinderTest {

    record Row(int age, double bmi) {}

    record Batch(List<Row> rows) {}

    abstract static class Base<T> implements JsonScorer<T> {
        @Override
        public void init(ScorerContext context) {}
    }

    static final class BatchScorer extends Base<Batch> {
        @Override
        public Object run(Batch input) {
            return input;
        }
    }

    @SuppressWarnings("rawtypes")
    static final class RawTyped implements JsonScorer {
        @Override
        public void init(ScorerContext context) {}

        @Override
        public Object run(Object input) {
            return input;
        }
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theInputTypeIsFoundThroughAGenericSuperclassAndIsObjectWhenLeftOpen() {
        assertThat(new JsonInputBinder(BatchScorer.class).inputType().getRawClass())
                .isEqualTo(Batch.class);
        assertThat(new JsonInputBinder(RawTyped.class).inputType().getRawClass())
                .isEqualTo(Object.class);
        assertThat(new JsonInputBinder(RawTyped.class).bind(json("{\"a\": [1]}")))
                .isEqualTo(Map.of("a", List.of(1)));
    }

    @Test
    void aMismatchDeepInsideNamesItsPathAsAUserWouldWriteIt() {
        JsonInputBinder binder = new JsonInputBinder(BatchScorer.class);
        assertThat(binder.bind(json("{\"rows\": [{\"age\": 3, \"bmi\": 0.5}]}")))
                .isEqualTo(new Batch(List.of(new Row(3, 0.5))));
        assertThatThrownBy(() ->
                        binder.bind(json("{\"rows\": [{\"age\": 3, \"bmi\": 0.5}, {\"age\": \"x\", \"bmi\": 1}]}")))
                .hasMessageStartingWith("field 'rows[1].age' of the request does not fit Batch: ");
        assertThatThrownBy(() -> binder.bind(json("{\"rows\": [{\"age\": 3}]}")))
                .hasMessage("field 'rows[0].bmi' of the request is missing or null: expected double");
        assertThatThrownBy(() -> binder.bind(json("{\"rows\": [{\"age\": null, \"bmi\": 1}]}")))
                .hasMessage("field 'rows[0].age' of the request is missing or null: expected int");
        assertThatThrownBy(() -> binder.bind(json("{\"rows\": 5}")))
                .hasMessageStartingWith("field 'rows' of the request does not fit Batch: ");
    }
}
