package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.VersionMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("LambdaServingExample")
class LambdaServingExampleTest {

    @Test
    @DisplayName("serves a lambda by alias, follows a move and a rollback, and counts calls per version")
    void runs() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        LambdaServingExample.Result r = LambdaServingExample.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String console = buf.toString(StandardCharsets.UTF_8);

        ModelRef.Version v1 = new ModelRef.Version("feels-like", 1);
        ModelRef.Version v2 = new ModelRef.Version("feels-like", 2);
        assertThat(r.servedBy()).as(console).containsExactly(v1, v2, v2, v1);
        assertThat(r.swaps()).containsExactly(v2, v1);
        // -5 °C at 30 km/h: air temperature, then wind chill 13.12 + 0.6215*-5 - 11.37*30^0.16 + 0.3965*-5*30^0.16
        assertThat(r.answers()).containsExactly(
                "feels-like/1: -5.0 °C at 30 km/h feels like -5.0 °C",
                "feels-like/2: -5.0 °C at 30 km/h feels like -13.0 °C",
                "feels-like/2: 8.0 °C at 10 km/h feels like 6.2 °C",
                "feels-like/1: -5.0 °C at 30 km/h feels like -5.0 °C");
        assertThat(r.metrics().version(v1).map(VersionMetrics::calls)).contains(2L);
        assertThat(r.metrics().version(v2).map(VersionMetrics::calls)).contains(2L);
        assertThat(r.metrics().versions()).allSatisfy(m -> assertThat(m.errors()).isZero());
        assertThat(console).contains("hot swap", "feels-like/1  calls 2, errors 0", "feels-like/2  calls 2, errors 0");
    }

    @Test
    @DisplayName("the wind chill formula matches Environment Canada's table")
    void windChillTable() {
        // Environment Canada's wind chill chart: -10 °C at 20 km/h is -18, 0 °C at 40 km/h is -7
        assertThat(Math.round(LambdaServingExample.windChill(new LambdaServingExample.Conditions(-10, 20)))).isEqualTo(-18);
        assertThat(Math.round(LambdaServingExample.windChill(new LambdaServingExample.Conditions(0, 40)))).isEqualTo(-7);
        assertThat(LambdaServingExample.windChill(new LambdaServingExample.Conditions(15, 40))).isEqualTo(15);
    }
}
