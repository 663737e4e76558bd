package dev.scoria.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void aKeyMatchesOnlyItselfWhateverTheLengthsAndCharacters() {
        String key = "ZHQo01hP-G3jPzUmbusTIt1IBHgdJfG9MrT84NDIxEc";
        assertThat(Secrets.matches(key, new String(key.toCharArray()))).isTrue();
        assertThat(Secrets.matches(key.substring(0, key.length() - 1) + "d", key))
                .isFalse();
        assertThat(Secrets.matches(key.substring(1), key)).isFalse();
        assertThat(Secrets.matches(key + "x", key)).isFalse();
        assertThat(Secrets.matches("", key)).isFalse();
        assertThat(Secrets.matches("", "")).isTrue();
        assertThat(Secrets.matches(null, key)).isFalse();
        assertThat(Secrets.matches(key, null)).isFalse();
        assertThat(Secrets.matches("clé-é", "clé-é")).isTrue();
        assertThat(Secrets.matches("clé-é", "cle-e")).isFalse();
    }

    @Test
    void theBearerValueIsTakenFromTheHeaderOfThatSchemeOnly() {
        assertThat(Secrets.bearer("Bearer abc")).isEqualTo("abc");
        assertThat(Secrets.bearer("bearer  abc ")).isEqualTo("abc");
        assertThat(Secrets.bearer("Basic abc")).isNull();
        assertThat(Secrets.bearer("Bearer ")).isNull();
        assertThat(Secrets.bearer(null)).isNull();
    }
}
