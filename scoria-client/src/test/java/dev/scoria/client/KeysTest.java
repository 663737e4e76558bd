package dev.scoria.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void toStringDoesNotLeakTheKeys() {
        Keys keys = new Keys("abcdefghijklmnopqrstuvwxyz012345", "ZYXWVUTSRQPONMLKJIHGFEDCBA543210");
        assertThat(keys.toString())
                .isEqualTo("Keys[primaryKey=abcd****, secondaryKey=ZYXW****]")
                .doesNotContain("efgh")
                .doesNotContain("VUTS");
        assertThat(keys.primaryKey()).isEqualTo("abcdefghijklmnopqrstuvwxyz012345");
    }
}
