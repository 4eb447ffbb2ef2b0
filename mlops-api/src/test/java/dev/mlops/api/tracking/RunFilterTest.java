package dev.mlops.api.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Environment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunFilterTest {
    private static int next;

    static Run run(Map<String, Double> metrics, Map<String, String> params, Map<String, String> tags) {
        Map<String, MetricPoint> m = new java.util.TreeMap<>();
        metrics.forEach((k, v) -> m.put(k, new MetricPoint(3, Instant.EPOCH, v)));
        String id = String.format("%032x", ++next);
        return new Run(id, "rain", "try " + next, RunStatus.RUNNING, Instant.ofEpochMilli(1000L * next),
                Optional.empty(), Instant.EPOCH, params, tags, m, List.of(), List.of(), Map.of(), Optional.empty(),
                new Environment("17", "linux", "1", Map.of()), "alice");
    }

    @Test
    void theBriefsExampleParsesAndSelects() {
        RunFilter f = RunFilter.parse("metrics.rmse < 0.5 and params.lr = '0.1' and tags.team = 'x'");
        assertThat(f.conditions()).hasSize(3);
        assertThat(f.conditions().get(0).field()).isEqualTo(new RunField(RunField.Kind.METRIC, "rmse"));
        assertThat(f.conditions().get(0).value()).isEqualTo(0.5);
        assertThat(f.test(run(Map.of("rmse", 0.4), Map.of("lr", "0.1"), Map.of("team", "x")))).isTrue();
        assertThat(f.test(run(Map.of("rmse", 0.5), Map.of("lr", "0.1"), Map.of("team", "x")))).isFalse();
        assertThat(f.test(run(Map.of("rmse", 0.4), Map.of("lr", "0.10"), Map.of("team", "x")))).isFalse();
        assertThat(f.test(run(Map.of("rmse", 0.4), Map.of("lr", "0.1"), Map.of()))).isFalse();
    }

    @Test
    void aRunWithoutTheFieldMatchesNoConditionEvenNotEqual() {
        Run without = run(Map.of(), Map.of(), Map.of());
        assertThat(RunFilter.parse("params.lr != '0.1'").test(without)).isFalse();
        assertThat(RunFilter.parse("metrics.auc != 1").test(without)).isFalse();
        assertThat(RunFilter.parse("attributes.end_time > 0").test(without)).isFalse();
        assertThat(RunFilter.parse("").test(without)).isTrue();
        assertThat(RunFilter.parse("   ").conditions()).isEmpty();
    }

    @Test
    void keywordsAreCaseInsensitiveAndNamesMayBeQuotedOrDotted() {
        Run r = run(Map.of("f1@0.5", 0.8, "val.loss", 0.2), Map.of("optimizer name", "Adam"), Map.of());
        assertThat(RunFilter.parse("metrics.`f1@0.5` >= 0.8 AND metrics.val.loss<=0.2").test(r)).isTrue();
        assertThat(RunFilter.parse("params.\"optimizer name\" LIKE 'Ad%'").test(r)).isTrue();
        assertThat(RunFilter.parse("params.\"optimizer name\" like 'ad%'").test(r)).isFalse();
        assertThat(RunFilter.parse("params.\"optimizer name\" ILIKE 'ad_m'").test(r)).isTrue();
        assertThat(RunFilter.parse("param.`optimizer name` = 'Adam' and attributes.status = 'RUNNING'").test(r)).isTrue();
        assertThat(RunFilter.parse("metrics.`f1@0.5` > -1e3").test(r)).isTrue();
    }

    @Test
    void likeTreatsRegexCharactersLiterallyAndQuotesDoubleToEscape() {
        Run r = run(Map.of(), Map.of("p", "a.*b's"), Map.of());
        assertThat(RunFilter.parse("params.p LIKE 'a.*b''s'").test(r)).isTrue();
        assertThat(RunFilter.parse("params.p LIKE 'a.*%'").test(r)).isTrue();
        assertThat(RunFilter.parse("params.p LIKE 'ax*%'").test(r)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "metrics.rmse < 'x'|at character 16|expected a number",
        "params.lr > '0.1'|at character 11|is text and cannot be compared with >",
        "params.lr = 0.1|at character 13|expected a quoted string",
        "metrics.rmse < 0.5 or params.a = 'b'|at character 20|OR is not supported",
        "foo.x = 1|at character 1|unknown field prefix 'foo'",
        "metrics.rmse <|at character 15|found the end",
        "tags.team = 'x|at character 13|never closed",
        "attributes.colour = 'red'|at character 12|unknown run attribute",
        "metrics.rmse == 1|at character 14|'==' is not a comparator",
        "metrics.rmse < 1 and|at character 21|expected a condition after AND",
        "metrics.rmse LIKE '1'|at character 14|is a number and cannot be compared with LIKE",
        "metrics rmse < 1|at character 9|expected '.'",
        "metrics.rmse < 1 metrics.auc > 2|at character 18|expected AND",
        "metrics.rmse < 1;|at character 17|unexpected character ';'",
        "metrics.rmse < 1.5x|at character 19|after the number",
        "metrics.é < 1|at character 9|unexpected character U+00E9",
    })
    void refusesBadFiltersNamingThePosition(String filter, String position, String reason) {
        assertThatThrownBy(() -> RunFilter.parse(filter)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(position).hasMessageContaining(reason);
    }

    @Test
    void refusesOverlongInputBeforeParsing() {
        String filter = "metrics.a < 1 and ".repeat(300) + "metrics.a < 1";
        assertThatThrownBy(() -> RunFilter.parse(filter)).hasMessageContaining("at most 4096");
    }

    @Test
    void orderPutsRunsWithoutTheFieldLastInBothDirections() {
        Run a = run(Map.of("rmse", 0.3), Map.of(), Map.of());
        Run b = run(Map.of("rmse", 0.1), Map.of(), Map.of());
        Run none = run(Map.of(), Map.of(), Map.of());
        List<Run> runs = List.of(a, none, b);
        assertThat(runs.stream().sorted(RunOrder.parse("metrics.rmse").comparator()).toList()).containsExactly(b, a, none);
        assertThat(runs.stream().sorted(RunOrder.parse("metrics.rmse DESC").comparator()).toList())
                .containsExactly(a, b, none);
        // no clause: newest start first (they started a, b, none)
        assertThat(runs.stream().sorted(RunOrder.parse("").comparator()).toList()).containsExactly(none, b, a);
        assertThat(RunOrder.parse("metrics.rmse asc, attributes.start_time DESC").clauses()).hasSize(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "metrics.rmse up|at character 14|expected ASC, DESC",
        "metrics.rmse ASC metrics.auc|at character 18|expected ','",
        "metrics.rmse,|at character 14|expected a field",
        "rmse|at character 1|unknown field prefix 'rmse'",
    })
    void refusesBadOrders(String order, String position, String reason) {
        assertThatThrownBy(() -> RunOrder.parse(order)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(position).hasMessageContaining(reason);
    }

    @Test
    void theQueryBuilderParsesAtTheCall() {
        RunQuery.Builder b = RunQuery.builder();
        assertThatThrownBy(() -> b.filter("metrics.x <")).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.experiment("rain").filter("metrics.x < 1").orderBy("metrics.x").build().filter().conditions())
                .hasSize(1);
    }
}
