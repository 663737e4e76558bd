package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AllowedMethodsTest {

    @Test
    void aPathFitsATemplateSegmentBySegment() {
        assertThat(AllowedMethods.fits("/api/v1/services/a/listkeys", "/api/v1/services/:name/listkeys"))
                .isTrue();
        assertThat(AllowedMethods.fits("/api/v1/services//listkeys", "/api/v1/services/:name/listkeys"))
                .isFalse();
        assertThat(AllowedMethods.fits("/api/v1/services/a", "/api/v1/services/:name/listkeys"))
                .isFalse();
        assertThat(AllowedMethods.fits("/api/v1/services/a/listkeys/x", "/api/v1/services/:name/listkeys"))
                .isFalse();
        assertThat(AllowedMethods.fits("/console/app/x.js", "/console/*")).isTrue();
        assertThat(AllowedMethods.fits("/", "/")).isTrue();
    }
}
