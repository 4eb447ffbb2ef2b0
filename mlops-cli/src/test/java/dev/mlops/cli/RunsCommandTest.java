package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.Artifact;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.NewRun;
import dev.mlops.core.Mlops;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops runs list|show|compare} over runs a training program logged through the API. */
class RunsCommandTest {
    @TempDir
    Path tmp;

    private CliRunner cli;
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void logRuns() {
        Path store = tmp.resolve("store");
        double[] rmse = {0.6, 0.2, 0.4};
        try (Mlops mlops = Mlops.open(store)) {
            for (int i = 0; i < rmse.length; i++) {
                try (ActiveRun run = mlops.tracking().startRun(i == 2 ? "snow" : "rain", NewRun.builder()
                        .name("try " + i).param("lr", i == 0 ? "0.1" : "0.01").tag("team", "x").build())) {
                    run.logMetric("rmse", 1.0, 0);
                    run.logMetric("rmse", rmse[i], 3);
                    ids.add(run.id());
                }
            }
            mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("m.bin", new byte[] {1})).fromRun(ids.get(1)).build());
        }
        cli = new CliRunner(store);
    }

    @Test
    @DisplayName("list filters, sorts by a metric and pages; --json carries the runs and the token")
    void list() {
        String out = cli.ok("runs", "list", "--filter", "metrics.rmse < 0.5", "--order-by", "metrics.rmse DESC").out();
        assertThat(out).contains("RUN").contains(ids.get(1)).contains(ids.get(2)).doesNotContain(ids.get(0));
        assertThat(out.indexOf(ids.get(2))).as("0.4 before 0.2").isLessThan(out.indexOf(ids.get(1)));

        JsonNode page = cli.ok("runs", "list", "--experiment", "rain", "--order-by", "metrics.rmse", "--limit", "1",
                "--json").json();
        assertThat(page.get("runs")).hasSize(1);
        assertThat(page.get("runs").get(0).get("id").asText()).isEqualTo(ids.get(1));
        assertThat(page.get("runs").get(0).get("metrics").get("rmse").get("value").asDouble()).isEqualTo(0.2);
        assertThat(page.get("runs").get(0).get("metrics").get("rmse").get("step").asLong()).isEqualTo(3);
        String token = page.get("next_page_token").asText();
        JsonNode second = cli.ok("runs", "list", "--experiment", "rain", "--order-by", "metrics.rmse", "--limit", "1",
                "--page-token", token, "--json").json();
        assertThat(second.get("runs").get(0).get("id").asText()).isEqualTo(ids.get(0));
        assertThat(cli.ok("runs", "list", "--filter", "params.lr = '0.5'").out()).contains("no runs");
    }

    @Test
    @DisplayName("a bad filter is bad input, and the message names the position")
    void badFilter() {
        CliRunner.Result r = cli.run("runs", "list", "--filter", "metrics.rmse < 'x'");
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("at character 16").contains("expected a number");
        assertThat(cli.run("runs", "list", "--filter", "metrics.rmse < 1 or tags.a = 'b'").err())
                .contains("OR is not supported");
        assertThat(cli.run("runs", "show", "nope").exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(cli.run("runs", "show", "0".repeat(32)).exitCode()).isEqualTo(Errors.BAD_INPUT);
    }

    @Test
    @DisplayName("show prints the run with its params, metrics and models; versions show names the run")
    void show() {
        String out = cli.ok("runs", "show", ids.get(1)).out();
        assertThat(out).contains("experiment:").contains("rain").contains("finished").contains("lr=0.01")
                .contains("rain/1").contains("METRIC").contains("rmse");
        JsonNode json = cli.ok("runs", "show", ids.get(1), "--json").json();
        assertThat(json.get("status").asText()).isEqualTo("finished");
        assertThat(json.get("params").get("lr").asText()).isEqualTo("0.01");
        assertThat(json.get("models").get(0).asText()).isEqualTo("rain/1");
        assertThat(cli.ok("versions", "show", "rain/1").out()).contains("run:").contains(ids.get(1));
        assertThat(cli.ok("versions", "show", "rain/1", "--json").json().get("lineage").get("run").asText())
                .isEqualTo(ids.get(1));
    }

    @Test
    @DisplayName("compare prints params with the differing ones marked, latest metrics and a metric by step")
    void compare() {
        String a = ids.get(0);
        String b = ids.get(1);
        String out = cli.ok("runs", "compare", a, b, "--metric", "rmse").out();
        assertThat(out).contains("RUN").contains(a.substring(0, 8)).contains(b.substring(0, 8))
                .doesNotContain(a.substring(0, 9) + " ");
        assertThat(out).containsPattern("\\* lr +0\\.1 +0\\.01");
        assertThat(out).containsPattern("rmse +0\\.6 @3 +0\\.2 @3");
        assertThat(out).contains("rmse by step:").containsPattern("(?m)^0 +1\\.0 +1\\.0$")
                .containsPattern("(?m)^3 +0\\.6 +0\\.2$");
        assertThat(cli.ok("runs", "compare", a, b, "--differing").out()).contains("* lr");

        JsonNode json = cli.ok("runs", "compare", b, a, "--metric", "rmse", "--json").json();
        assertThat(json.get("runs").get(0).get("id").asText()).isEqualTo(b);
        assertThat(json.get("params").get(0).get("key").asText()).isEqualTo("lr");
        assertThat(json.get("params").get(0).get("values").get(0).asText()).isEqualTo("0.01");
        assertThat(json.get("params").get(0).get("differs").asBoolean()).isTrue();
        assertThat(json.get("metrics").get(0).get("latest").get(1).get("value").asDouble()).isEqualTo(0.6);
        assertThat(json.get("history").get("steps")).hasSize(2);
        assertThat(json.get("history").get("steps").get(1).get("step").asLong()).isEqualTo(3);
        assertThat(json.get("history").get("steps").get(1).get("values").get(0).asDouble()).isEqualTo(0.2);
        assertThat(cli.ok("runs", "compare", a, b, "--json").json().has("history")).isFalse();
    }

    @Test
    @DisplayName("compare refuses an unknown run, a run given twice, one run alone and too many, naming them")
    void compareRefuses() {
        String a = ids.get(0);
        String unknown = "0".repeat(32);
        CliRunner.Result r = cli.run("runs", "compare", a, unknown);
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("no run " + unknown);
        r = cli.run("runs", "compare", a, ids.get(1), a);
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("run " + a + " is given twice");
        assertThat(cli.run("runs", "compare", a).err()).contains("at least 2");
        List<String> args = new ArrayList<>(List.of("runs", "compare"));
        for (int i = 0; i <= dev.mlops.api.tracking.RunComparison.MAX_RUNS; i++) {
            args.add(String.format("%032x", i + 1));
        }
        r = cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("at most " + dev.mlops.api.tracking.RunComparison.MAX_RUNS);
        assertThat(cli.run("runs", "compare", a, "nope").exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(cli.run("runs", "compare", a, ids.get(1), "--metric", "bad\u202Ekey").exitCode())
                .isEqualTo(Errors.BAD_INPUT);
    }

    @Test
    @DisplayName("list refuses a page token it did not hand out")
    void badPageToken() {
        CliRunner.Result r = cli.run("runs", "list", "--page-token", "x1");
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("not one returned by searchRuns");
    }
}
