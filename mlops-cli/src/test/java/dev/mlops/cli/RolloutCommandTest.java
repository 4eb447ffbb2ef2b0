package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.ModelRef;
import dev.mlops.core.Mlops;
import dev.mlops.registry.fs.FileSystemStore;
import dev.mlops.rollout.Arm;
import dev.mlops.rollout.Rollout;
import dev.mlops.rollout.RolloutPolicy;
import dev.mlops.rollout.RolloutState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops rollout start|status|abort} on a directory store, with a serving instance simulated in-process. */
class RolloutCommandTest {

    @TempDir
    Path tmp;

    private CliRunner cli;
    private Path store;

    @BeforeEach
    void twoVersions() throws IOException {
        store = tmp.resolve("store");
        cli = new CliRunner(store);
        Path model = Files.writeString(tmp.resolve("model.bin"), "weights");
        cli.ok("register", "rain", "--artifact", model.toString());
        Files.writeString(model, "weights 2");
        cli.ok("register", "rain", "--artifact", model.toString());
    }

    @Test
    void startStoresThePolicyAndStatusShowsWhatTheFleetDid() throws IOException {
        cli.ok("alias", "set", "rain/1", "--alias", "production");
        CliRunner.Result started = cli.ok("rollout", "start", "rain/2", "--alias", "production", "--steps", "10%,0.5",
                "--min-requests", "200", "--min-duration", "0");
        assertThat(started.out()).contains("rollout rain-2 started: rain/2 against rain/1 (rain@production), step 1 of 2 at 10%");

        // a serving instance joins with a policy of its own, applies the stored one, and looks
        RolloutState s;
        try (FileSystemStore fs = FileSystemStore.open(store); Mlops mlops = Mlops.builder().store(fs).build()) {
            Rollout r = Rollout.builder(mlops, fs, "rain-2").candidate(new ModelRef.Version("rain", 2))
                    .alias("production").policy(RolloutPolicy.defaults()).instanceId("web-1")
                    .lookEvery(Duration.ZERO).build();
            r.start();
            assertThat(r.policy().steps()).extracting(RolloutPolicy.Step::share).containsExactly(0.10, 0.50);
            SplittableRandom random = new SplittableRandom(3);
            s = r.tick();
            for (int i = 1; i <= 20_000 && !s.status().finished(); i++) {
                boolean cand = random.nextDouble() < s.candidateShare(r.policy());
                r.recorder().record(cand ? Arm.CANDIDATE : Arm.CONTROL, random.nextDouble() < (cand ? 0.30 : 0.05),
                        1_000_000);
                if (i % 100 == 0) {
                    s = r.tick();
                }
            }
        }
        assertThat(s.status()).isEqualTo(RolloutState.Status.ROLLED_BACK);

        CliRunner.Result status = cli.ok("rollout", "status", "rain-2");
        assertThat(status.out()).contains("rollout rain-2: rolled_back, rain/2 against rain/1", "regression: error_rate",
                "fleet: 1 instance(s)", "GUARDRAIL", "error_rate", "worse");
        JsonNode json = cli.json("rollout", "status", "rain-2");
        assertThat(json.get("status").asText()).isEqualTo("rolled_back");
        assertThat(json.get("candidate_share").asDouble()).isZero();
        assertThat(json.get("steps")).hasSize(2);
        assertThat(json.get("steps").get(0).get("min_candidate_requests").asLong()).isEqualTo(200);
        assertThat(json.get("evidence").get(0).get("verdict").asText()).isEqualTo("worse");
        assertThat(json.get("candidate").get("requests").asLong()).isPositive();
        assertThat(json.get("looks").asInt()).isPositive();

        Path html = tmp.resolve("rollout.html");
        cli.ok("rollout", "status", "rain-2", "--html", html.toString());
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("<svg", "Rollout rain-2", "rolled_back");
        CliRunner.Result page = cli.ok("rollout", "status", "rain-2", "--html", "-");
        assertThat(page.out()).startsWith("<!DOCTYPE html>").doesNotContain("GUARDRAIL");

        // finished: nothing to abort, and the same name cannot start again
        CliRunner.Result abort = cli.run("rollout", "abort", "rain-2", "--reason", "late");
        assertThat(abort.exitCode()).isEqualTo(1);
        assertThat(abort.err()).contains("rollout 'rain-2' has already finished (rolled_back");
        CliRunner.Result again = cli.run("rollout", "start", "rain/2", "--alias", "production");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("rollout 'rain-2' already exists (rolled_back, rain/2 on production)");
    }

    @Test
    void abortStopsARunningRolloutAndIsAudited() {
        cli.ok("alias", "set", "rain/1", "--alias", "production");
        JsonNode started = cli.json("rollout", "start", "rain/2", "--alias", "production", "--name", "canary");
        assertThat(started.get("status").asText()).isEqualTo("running");
        assertThat(started.get("candidate_share").asDouble()).isEqualTo(0.01);
        assertThat(started.get("steps")).hasSize(4);
        CliRunner.Result running = cli.run("rollout", "start", "rain/2", "--alias", "production", "--name", "canary");
        assertThat(running.exitCode()).isEqualTo(1);
        assertThat(running.err()).contains("rollout 'canary' already exists (running");

        CliRunner.Result aborted = cli.ok("rollout", "abort", "canary", "--reason", "paged at night");
        assertThat(aborted.out()).contains("rollout canary aborted at step 1: rain/2 gets no traffic, rain@production stays on 1");
        assertThat(cli.json("rollout", "status", "canary").get("status").asText()).isEqualTo("aborted");
        assertThat(cli.json("audit").toString()).contains("rollout.abort", "paged at night");
    }

    @Test
    void badInputIsRefusedNamingTheValue() {
        cli.ok("alias", "set", "rain/1", "--alias", "production");
        assertBad(cli.run("rollout", "start", "rain/9", "--alias", "production"), "rain", "9");
        assertBad(cli.run("rollout", "start", "rain/2", "--alias", "staging"), "alias rain@staging is not set");
        assertBad(cli.run("rollout", "start", "rain/2", "--alias", "production", "--steps", "5%,1%"),
                "--steps '5%,1%'", "must increase");
        assertBad(cli.run("rollout", "start", "rain/2", "--alias", "production", "--steps", "5%,abc"),
                "step 'abc' is not a share");
        assertBad(cli.run("rollout", "start", "rain/2", "--alias", "production", "--steps", "5%,100%"),
                "step '100%' must be a share in (0, 1)");
        assertBad(cli.run("rollout", "start", "rain/2", "--alias", "production", "--steps", ""),
                "step '' is not a share");
        assertBad(cli.run("rollout", "start", "rain/2", "--alias", "production", "--alpha", "1.5"), "--alpha", "1.5");
        assertBad(cli.run("rollout", "start", "rain", "--alias", "production"), "rain");
        assertBad(cli.run("rollout", "start", "rain/2", "--alias", "production", "--prediction-drift", "0"),
                "--prediction-drift", "must be > 0");
        assertBad(cli.run("rollout", "start", "rain/2", "--alias", "production", "--estimated-loss", "-0.1"),
                "--estimated-loss", "-0.1");
        assertBad(cli.run("rollout", "status", "nothing"), "no rollout 'nothing'");
        assertBad(cli.run("rollout", "abort", "nothing", "--reason", "x"), "no rollout 'nothing'");
        assertBad(cli.run("rollout", "abort", "nothing", "--reason", " "), "--reason is empty");
        CliRunner.Result holder = cli.run("rollout", "start", "rain/1", "--alias", "production");
        assertThat(holder.exitCode()).isEqualTo(1);
        assertThat(holder.err()).contains("rain/1 already holds production");
        // nothing was started by the refusals
        assertBad(cli.run("rollout", "status", "rain-2"), "no rollout 'rain-2'");
    }

    private static void assertBad(CliRunner.Result r, String... fragments) {
        assertThat(r.exitCode()).as("exit code of %s; stderr %s", r.args(), r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("mlops: ").contains(fragments);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void startWithThePredictionAndEstimatedLossGuardrailsAndStatusShowsThem() throws IOException {
        cli.ok("alias", "set", "rain/1", "--alias", "production");
        cli.ok("rollout", "start", "rain/2", "--alias", "production", "--steps", "10%,0.5", "--min-requests", "200",
                "--min-duration", "0", "--prediction-drift", "0.05", "--estimated-loss", "0.01");
        RolloutState s;
        try (FileSystemStore fs = FileSystemStore.open(store); Mlops mlops = Mlops.builder().store(fs).build()) {
            Rollout r = Rollout.builder(mlops, fs, "rain-2").candidate(new ModelRef.Version("rain", 2))
                    .alias("production").instanceId("web-1").lookEvery(Duration.ZERO).build();
            r.start();
            assertThat(r.policy().guardrails()).hasSize(7);
            SplittableRandom random = new SplittableRandom(5);
            s = r.tick();
            for (int i = 1; i <= 40_000 && !s.status().finished(); i++) {
                boolean cand = random.nextDouble() < s.candidateShare(r.policy());
                Arm arm = cand ? Arm.CANDIDATE : Arm.CONTROL;
                r.recorder().record(arm, random.nextDouble() < 0.05, 1_000_000);
                // the candidate's scores are higher: drift above the control's quartiles
                double score = Math.min(1, random.nextDouble() + (cand ? 0.15 : 0));
                r.recorder().recordPrediction(arm, score);
                r.recorder().recordEstimatedLoss(arm, Math.min(score, 1 - score));
                if (i % 100 == 0) {
                    s = r.tick();
                }
            }
        }
        assertThat(s.status()).isEqualTo(RolloutState.Status.ROLLED_BACK);
        CliRunner.Result status = cli.ok("rollout", "status", "rain-2");
        assertThat(status.out()).contains("regression: prediction_q", "predictions compared", "mean estimated loss",
                "prediction_q25", "prediction_q50", "prediction_q75", "estimated_loss");
        JsonNode json = cli.json("rollout", "status", "rain-2");
        assertThat(json.get("guardrails")).hasSize(7);
        assertThat(json.get("guardrails").get(3).get("guardrail").asText()).isEqualTo("prediction_q25");
        assertThat(json.get("guardrails").get(3).get("two_sided").asBoolean()).isTrue();
        assertThat(json.get("guardrails").get(0).get("two_sided").asBoolean()).isFalse();
        assertThat(json.get("candidate").get("predictions").asLong()).isPositive();
        assertThat(json.get("candidate").get("over_q50").asLong()).isPositive();
        assertThat(json.get("candidate").get("mean_estimated_loss").asDouble()).isBetween(0.0, 0.5);
    }
}
