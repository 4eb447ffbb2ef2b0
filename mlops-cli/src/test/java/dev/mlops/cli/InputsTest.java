package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class InputsTest {

    @Test
    void keyValueSplitsAtTheFirstEquals() {
        assertThat(Inputs.keyValue("--param", "expr=a=b")).isEqualTo(new Inputs.KeyValue("expr", "a=b"));
        assertThat(Inputs.keyValue("--param", "k=")).isEqualTo(new Inputs.KeyValue("k", ""));
        assertThatThrownBy(() -> Inputs.keyValue("--param", "=v")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("--param '=v'");
        assertThatThrownBy(() -> Inputs.keyValue("--tag", "novalue")).hasMessageContaining("KEY=VALUE");
    }

    @Test
    void duplicateKeysAreRefused() {
        assertThatThrownBy(() -> Inputs.keyValues("--tag", List.of("a=1", "a=2")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("'a' is given twice");
    }

    @Test
    void metricsAcceptPlainDecimalsOnly() {
        assertThat(Inputs.metrics("--metric", List.of("a=1", "b=-0.5", "c=.25", "d=1e-3", "e=+2.", "f=3E2")))
                .containsEntry("a", 1.0).containsEntry("b", -0.5).containsEntry("c", 0.25).containsEntry("d", 0.001)
                .containsEntry("e", 2.0).containsEntry("f", 300.0);
        for (String bad : List.of("NaN", "Infinity", "-Infinity", "0x1p3", "1d", "1f", " 1", "1 ", "", "1e999", "1,5", "e3")) {
            assertThatThrownBy(() -> Inputs.metrics("--metric", List.of("auc=" + bad)))
                    .as(bad).isInstanceOf(BadInputException.class).hasMessageContaining("'auc'");
        }
    }

    @Property(tries = 500)
    void everyFiniteDoubleRoundTrips(@ForAll double d) {
        Assume.that(Double.isFinite(d));
        assertThat(Inputs.finiteNumber("--metric", "m", Double.toString(d))).isEqualTo(d);
    }

    @Test
    void durations() {
        Inputs.DurationConverter c = new Inputs.DurationConverter();
        assertThat(c.convert("0")).isZero();
        assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.convert("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.convert("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(c.convert("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(c.convert("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        for (String bad : List.of("soon", "-1h", "PT-1H", "1w", "")) {
            assertThatThrownBy(() -> c.convert(bad)).as(bad).isInstanceOf(CommandLine.TypeConversionException.class);
        }
    }

    @Test
    void tablesAlignColumnsAndCleanControlCharacters() {
        StringWriter sw = new StringWriter();
        new Table("A", "LONG HEADER", "C").row("xyz", 1, null).row("q", "line\nbreak", "end").print(new PrintWriter(sw));
        assertThat(sw.toString().lines().toList()).containsExactly(
                "A    LONG HEADER  C",
                "xyz  1            -",
                "q    line break   end");
    }
}
