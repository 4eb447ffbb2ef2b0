package dev.mlops.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("NewModelVersion: metric and parameter names are checked by Names")
class NewModelVersionTest {
    private static NewModelVersion.Builder builder() {
        return NewModelVersion.builder().artifact(Artifact.bytes("m.bin", new byte[] {1}));
    }

    @Test
    @DisplayName("the builder refuses a bidi override, an escape or a zero-width space at the call that names it")
    void builderRefuses() {
        assertThatThrownBy(() -> builder().metric("a\u202Eb", 1)).isInstanceOf(InvalidNameException.class)
                .hasMessageStartingWith("metric name 'a\\u202eb' contains U+202E");
        assertThatThrownBy(() -> builder().param("l\u001B[2Jr", "1")).isInstanceOf(InvalidNameException.class)
                .hasMessageStartingWith("parameter name ").hasMessageContaining("U+001B");
        assertThatThrownBy(() -> builder().metric("auc\u200B", 1)).isInstanceOf(InvalidNameException.class)
                .hasMessageContaining("U+200B");
        assertThatThrownBy(() -> builder().param(" lr", "1")).isInstanceOf(InvalidNameException.class)
                .hasMessageContaining("starts or ends with a space");
    }

    @Test
    @DisplayName("common names pass, and parameter values stay free text")
    void commonNamesPass() {
        NewModelVersion v = builder().metric("val_auc", 0.9).metric("f1@0.5", 0.7).metric("precision[class a]", 0.6)
                .param("lr", "0.01").param("note", "free text \u202E with anything\n").build();
        assertThat(v.metrics()).containsKeys("val_auc", "f1@0.5", "precision[class a]");
        assertThat(v.params()).containsEntry("note", "free text \u202E with anything\n");
    }

    @Test
    @DisplayName("the record's constructor checks the names too, so no path around the builder stores them")
    void constructorRefuses() {
        NewModelVersion ok = builder().build();
        assertThatThrownBy(() -> new NewModelVersion(ok.artifact(), ok.format(), ok.signature(), Map.of("a\u2066b", "x"),
                Map.of(), Map.of(), Map.of(), "", ok.lineage(), Map.of(), java.util.Optional.empty()))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("U+2066");
        assertThatThrownBy(() -> new NewModelVersion(ok.artifact(), ok.format(), ok.signature(), Map.of(),
                Map.of("\uFEFFauc", 1.0), Map.of(), Map.of(), "", ok.lineage(), Map.of(), java.util.Optional.empty()))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("U+FEFF");
    }
}
