package dev.scoria.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FilterTest {

    @Test
    void anEmptyFilterHasNoQuery() {
        assertThat(Webservice.Filter.builder().build().queryString()).isEmpty();
    }

    @Test
    void everyCriterionBecomesAQueryParameterInAzuresTermSyntax() {
        Webservice.Filter filter = Webservice.Filter.builder()
                .modelName("diabetes")
                .modelId("diabetes:2")
                .tag("team")
                .tag("stage", "prod")
                .property("owner", "a=b")
                .build();
        assertThat(filter.queryString())
                .isEqualTo(
                        "?modelName=diabetes&modelId=diabetes%3A2&tags=team%2Cstage%3Dprod&properties=owner%3Da%3Db");
    }

    @Test
    void spacesAndNonAsciiArePercentEncoded() {
        assertThat(Webservice.Filter.builder().tag("team name", "é&x").build().queryString())
                .isEqualTo("?tags=team%20name%3D%C3%A9%26x");
    }

    @Test
    void termsTheServerWouldMisreadAreRefused() {
        assertThatThrownBy(() -> Webservice.Filter.builder().tag("a,b").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Webservice.Filter.builder().tag("a=b").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> Webservice.Filter.builder().property("k", "x,y").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains ','");
    }

    @Test
    void queryStringSkipsAbsentParameters() {
        assertThat(new QueryString().add("a", null).add("b", "1").toString()).isEqualTo("?b=1");
    }
}
