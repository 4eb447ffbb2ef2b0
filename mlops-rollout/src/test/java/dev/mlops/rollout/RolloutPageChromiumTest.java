package dev.mlops.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.testing.DumpedDom;
import dev.mlops.api.testing.HeadlessChromium;
import dev.mlops.api.testing.ManualTestClock;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rollout's HTML page in headless Chromium: it loads without errors or requests, draws one
 * chart per guardrail with the looks, shows the decision's evidence, and shows a hostile abort
 * reason as text. Skipped without a Chromium binary, failed then in CI. Leaves
 * {@code target/rollout-*.html} and {@code target/rollout-promoted.png} to look at.
 */
class RolloutPageChromiumTest {

    static final Path TARGET = Path.of("target");
    static final String HOSTILE = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";

    HeadlessChromium chromium;
    final ManualTestClock clock = new ManualTestClock(RolloutTest.START);

    @BeforeEach
    void findChromium() {
        chromium = HeadlessChromium.locate(TARGET);
    }

    /** A rollout driven on an in-memory store, a look recorded every simulated minute. */
    private RolloutReport driven(double candidateErrors, int rounds, String abortReason) {
        InMemoryStore store = new InMemoryStore(clock);
        Mlops mlops = Mlops.builder().store(store).clock(clock).actor("page-test").build();
        for (int i = 1; i <= 2; i++) {
            mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.bin", ("v" + i).getBytes(StandardCharsets.UTF_8))).build());
        }
        mlops.models().setAlias("rain", "production", 1);
        RolloutPolicy policy = new RolloutPolicy(RolloutTest.POLICY.steps(), java.util.List.of(
                new GuardrailSpec(Guardrail.ERROR_RATE, 0.02, 0.1, 100),
                new GuardrailSpec(Guardrail.LATENCY_P50, 0.05, 0.1, 100)), 0.05);
        Rollout r = Rollout.builder(mlops, store, "rain-v2").candidate(RolloutTest.V2).alias("production")
                .policy(policy).gate(RolloutTest.gate(mlops)).instanceId("web-1").lookEvery(Duration.ofMinutes(1))
                .build();
        r.start();
        SplittableRandom random = new SplittableRandom(17);
        RolloutState s = r.state();
        for (int round = 0; round < rounds && !s.status().finished(); round++) {
            for (int i = 0; i < 2_000; i++) {
                boolean cand = random.nextDouble() < s.candidateShare(policy);
                boolean failed = random.nextDouble() < (cand ? candidateErrors : 0.05);
                r.recorder().record(cand ? Arm.CANDIDATE : Arm.CONTROL, failed,
                        (long) (1_000_000 * Math.exp(0.5 * random.nextDouble())));
            }
            s = r.tick();
            clock.advance(Duration.ofMinutes(1));
        }
        if (abortReason != null) {
            r.abort(abortReason);
        }
        return RolloutReport.read(store, "rain-v2").orElseThrow();
    }

    private HeadlessChromium.Run load(String name, RolloutReport report) throws Exception {
        Path page = TARGET.resolve("rollout-" + name + ".html");
        Files.createDirectories(TARGET);
        Files.writeString(page, RolloutPage.render(report), StandardCharsets.UTF_8);
        HeadlessChromium.Run run = chromium.dumpDom("rollout-" + name, page);
        assertThat(run.exitCode()).as("chromium exit code").isZero();
        assertThat(run.pageErrors()).as("console errors of the page").isEmpty();
        assertThat(run.pageRequests()).as("requests of the page").isEmpty();
        assertThat(DumpedDom.of(run.dom()).problems()).as("charts, tables and references").isEmpty();
        return run;
    }

    @Test
    void aPromotedRolloutShowsItsStepsGuardrailsOverTimeAndTheDecision() throws Exception {
        RolloutReport report = driven(0.05, 200, null);
        assertThat(report.state().status()).isEqualTo(RolloutState.Status.PROMOTED);
        assertThat(report.looks().size()).isGreaterThan(3);
        String dom = load("promoted", report).dom();
        // one chart per guardrail, each with the interval band and the estimate over the looks
        assertThat(dom.split("<svg", -1)).hasSize(3);
        assertThat(dom.split("class=\"band\"", -1)).hasSize(3);
        assertThat(dom.split("class=\"estimate\"", -1)).hasSize(3);
        assertThat(dom).contains("id=\"guardrail-1\"", "id=\"guardrail-2\"", "error_rate", "latency_p50",
                "Evidence of the decision", "promoted", "advance", "not_worse");
        // the looks' tables: one row per recorded look and guardrail
        assertThat(DumpedDom.of(dom).tables().stream().mapToInt(t -> t.rows().size()).sum())
                .isEqualTo(2 + 2 + 2 * report.looks().size());
        HeadlessChromium.Screenshot shot = chromium.screenshot("rollout-screenshot",
                TARGET.resolve("rollout-promoted.html"), TARGET.resolve("rollout-promoted.png"), 1280, 1600);
        assertThat(shot.bytes()).as("a page with charts, not a blank image").isGreaterThan(20_000);
    }

    @Test
    void aHostileAbortReasonIsShownAsTextAndRunsNothing() throws Exception {
        RolloutReport report = driven(0.05, 3, HOSTILE);
        assertThat(report.state().reason()).contains(HOSTILE);
        String dom = load("aborted", report).dom();
        assertThat(dom).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("aborted");
        assertThat(DumpedDom.text(dom)).contains(HOSTILE);
    }

    @Test
    void aRolloutWithoutLooksRendersWithoutCharts() throws Exception {
        RolloutReport report = driven(0.05, 0, null);
        assertThat(report.looks()).isEmpty();
        String dom = load("new", report).dom();
        assertThat(dom).doesNotContain("<svg").contains("No look has been recorded yet.");
    }

    @Test
    void aRolloutRolledBackForPredictionDriftShowsTheTwoSidedGuardrailsAndThePredictionCounts() throws Exception {
        InMemoryStore store = new InMemoryStore(clock);
        Mlops mlops = Mlops.builder().store(store).clock(clock).actor("page-test").build();
        for (int i = 1; i <= 2; i++) {
            mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.bin", ("v" + i).getBytes(StandardCharsets.UTF_8))).build());
        }
        mlops.models().setAlias("rain", "production", 1);
        java.util.List<GuardrailSpec> guardrails = new java.util.ArrayList<>(
                java.util.List.of(new GuardrailSpec(Guardrail.ERROR_RATE, 0.02, 0.1, 100)));
        guardrails.addAll(GuardrailSpec.predictionDrift(0.05));
        guardrails.add(GuardrailSpec.of(Guardrail.ESTIMATED_LOSS, 0.01));
        RolloutPolicy policy = new RolloutPolicy(RolloutTest.POLICY.steps(), guardrails, 0.05);
        Rollout r = Rollout.builder(mlops, store, "rain-v2").candidate(RolloutTest.V2).alias("production")
                .policy(policy).gate(RolloutTest.gate(mlops)).instanceId("web-1").lookEvery(Duration.ofMinutes(1))
                .build();
        r.start();
        SplittableRandom random = new SplittableRandom(23);
        RolloutState s = r.state();
        for (int round = 0; round < 100 && !s.status().finished(); round++) {
            for (int i = 0; i < 1_000; i++) {
                boolean cand = random.nextDouble() < s.candidateShare(policy);
                Arm arm = cand ? Arm.CANDIDATE : Arm.CONTROL;
                r.recorder().record(arm, random.nextDouble() < 0.05, 1_000_000);
                // the candidate's scores lower by a fifth: drift below the control's quartiles
                double score = random.nextDouble() * (cand ? 0.8 : 1.0);
                r.recorder().recordPrediction(arm, cand && i % 100 == 0 ? Double.NaN : score);
                r.recorder().recordEstimatedLoss(arm, Math.min(score, 1 - score));
            }
            s = r.tick();
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(s.status()).isEqualTo(RolloutState.Status.ROLLED_BACK);
        assertThat(s.reason()).contains("prediction_q");
        RolloutReport report = RolloutReport.read(store, "rain-v2").orElseThrow();
        String dom = load("drift", report).dom();
        // five guardrails, five charts; each prediction chart has the margin on both sides
        assertThat(dom.split("<svg", -1)).hasSize(6);
        assertThat(dom).contains("prediction_q25", "prediction_q50", "prediction_q75", "estimated_loss",
                "two-sided: a difference either way rolls back", "predictions compared", "not finite (skipped)",
                "mean estimated loss", "roll_back");
        String q75 = dom.substring(dom.indexOf("<h3>prediction_q75"));
        q75 = q75.substring(0, q75.indexOf("</svg>"));
        assertThat(q75.split("class=\"margin\"", -1)).as("lines at +0.05 and -0.05").hasSize(3);
        String errors = dom.substring(dom.indexOf("<h3>error_rate"));
        errors = errors.substring(0, errors.indexOf("</svg>"));
        assertThat(errors.split("class=\"margin\"", -1)).as("one-sided: one margin line").hasSize(2);
    }
}
