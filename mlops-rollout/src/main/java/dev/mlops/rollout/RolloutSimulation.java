package dev.mlops.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Simulates rollouts with known truth, to check a {@link RolloutPolicy} before trusting it: the
 * false rollback rate of a candidate that is exactly the control (A/A), the detection rate and
 * delay of a known regression, and the time an improvement takes to be promoted. Each run is
 * reproducible from its seed. Requests arrive at a fixed rate; each one goes to the candidate
 * with the current step's share, is recorded in an {@link ArmRecorder}, and the policy looks at
 * the statistics after <b>every</b> request.
 *
 * <p>Beside the sequential test, every run also checks, at the same looks, the test a dashboard
 * would use: a one-sided fixed-horizon two-proportion z-test per guardrail at α/k, which is valid
 * for one look only. It fires far more often than α when checked at every look; that is what
 * the always-valid test is for.
 */
public final class RolloutSimulation {

    private RolloutSimulation() {
    }

    /**
     * A world to simulate.
     *
     * @param name a label for reports
     * @param controlErrorRate the control's probability that a request fails
     * @param candidateErrorRate the candidate's
     * @param controlMedianMillis the control's median latency (log-normal latencies)
     * @param latencySigma the log-normal σ of the control
     * @param candidateLatencySigma the log-normal σ of the candidate: a larger σ with the same
     *     median moves only the tail (σ + ln(1.2)/2.326 makes p99 20% slower, p50 unchanged)
     * @param candidateLatencyFactor the candidate's latencies are the control's times this (1.2:
     *     every quantile, p99 included, 20% slower)
     * @param requestsPerSecond the arrival rate, for the time a run takes
     * @param maxRequests the horizon: a run that has not decided by then is undecided
     * @param predictionShift the candidate's predictions: the control's scores are
     *     sigmoid(2z), z standard normal; the candidate's are sigmoid(2(z + shift)), a shift of the
     *     score's logit by this many standard deviations (0: the same distribution)
     * @param candidateCalibration how the candidate's own calibration maps its score: its
     *     calibrated probability is sigmoid(2z · this), so below 1 the candidate is less accurate
     *     than its scores look, with the same score distribution (1: as accurate as the control).
     *     The estimated loss of a prediction is 1 − the calibrated probability of the predicted
     *     class, min(p, 1 − p), for the control with p = its score
     */
    public record Scenario(String name, double controlErrorRate, double candidateErrorRate, double controlMedianMillis,
                           double latencySigma, double candidateLatencySigma, double candidateLatencyFactor, double requestsPerSecond,
                           long maxRequests, double predictionShift, double candidateCalibration) {
        /** Checks arguments. */
        public Scenario {
            Objects.requireNonNull(name, "name");
            probability("control error rate", controlErrorRate);
            probability("candidate error rate", candidateErrorRate);
            positive("control median latency", controlMedianMillis);
            positive("latency sigma", latencySigma);
            positive("candidate latency sigma", candidateLatencySigma);
            positive("candidate latency factor", candidateLatencyFactor);
            positive("requests per second", requestsPerSecond);
            if (maxRequests < 1) {
                throw new IllegalArgumentException("max requests must be >= 1, was " + maxRequests);
            }
            if (!Double.isFinite(predictionShift)) {
                throw new IllegalArgumentException("prediction shift must be finite, was " + predictionShift);
            }
            positive("candidate calibration", candidateCalibration);
        }

        /**
         * A scenario whose candidate predicts like the control (no shift, the same calibration).
         *
         * @param name a label
         * @param controlErrorRate the control's error rate
         * @param candidateErrorRate the candidate's
         * @param controlMedianMillis the control's median latency
         * @param latencySigma the control's log-normal σ
         * @param candidateLatencySigma the candidate's
         * @param candidateLatencyFactor the candidate's latency factor
         * @param requestsPerSecond the arrival rate
         * @param maxRequests the horizon
         */
        public Scenario(String name, double controlErrorRate, double candidateErrorRate, double controlMedianMillis,
                        double latencySigma, double candidateLatencySigma, double candidateLatencyFactor,
                        double requestsPerSecond, long maxRequests) {
            this(name, controlErrorRate, candidateErrorRate, controlMedianMillis, latencySigma, candidateLatencySigma,
                    candidateLatencyFactor, requestsPerSecond, maxRequests, 0, 1);
        }

        private static void probability(String what, double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(what + " must be in [0, 1], was " + p);
            }
        }

        private static void positive(String what, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(what + " must be finite and > 0, was " + v);
            }
        }
    }

    /** How a run ended. */
    public enum Outcome {
        /** The policy promoted the candidate. */
        PROMOTED,
        /** The policy rolled it back. */
        ROLLED_BACK,
        /** Neither within the horizon. */
        UNDECIDED
    }

    /**
     * @param seed the run's seed
     * @param outcome how it ended
     * @param requests requests until the decision (or the horizon)
     * @param candidateRequests of those, the candidate's
     * @param seconds simulated time until the decision
     * @param finalStep the step the run ended at (0-based)
     * @param fixedHorizonFired true when the fixed-horizon z-test, checked at the same looks,
     *     claimed "worse" at some look before the run ended
     * @param firedBy the guardrail that rolled back, or empty text
     */
    public record RunResult(long seed, Outcome outcome, long requests, long candidateRequests, double seconds,
                            int finalStep, boolean fixedHorizonFired, String firedBy) {
    }

    /**
     * One run.
     *
     * @param policy the policy under test
     * @param scenario the world
     * @param seed the seed
     * @return the result
     */
    public static RunResult run(RolloutPolicy policy, Scenario scenario, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ArmRecorder recorder = new ArmRecorder();
        double logMedianNanos = Math.log(scenario.controlMedianMillis() * 1e6);
        double logFactor = Math.log(scenario.candidateLatencyFactor());
        double[] zCritical = zCritical(policy);
        // predictions are drawn only for a policy that reads them, so the other rows' random
        // streams (and numbers) are those of the policy without them
        boolean predictions = policy.guardrails().stream().anyMatch(g -> g.guardrail().twoSided()
                || g.guardrail() == Guardrail.ESTIMATED_LOSS);
        long nanosPerRequest = Math.round(1e9 / scenario.requestsPerSecond());
        int step = 0;
        Instant stepStart = Instant.EPOCH;
        long candidateAtStepStart = 0;
        boolean zFired = false;
        for (long i = 1; i <= scenario.maxRequests(); i++) {
            boolean candidate = random.nextDouble() < policy.steps().get(step).share();
            double p = candidate ? scenario.candidateErrorRate() : scenario.controlErrorRate();
            boolean failed = random.nextDouble() < p;
            double logLatency = logMedianNanos + (candidate ? scenario.candidateLatencySigma()
                    : scenario.latencySigma()) * random.nextGaussian() + (candidate ? logFactor : 0);
            Arm arm = candidate ? Arm.CANDIDATE : Arm.CONTROL;
            recorder.record(arm, failed, (long) Math.exp(logLatency));
            if (predictions && !failed) {
                double z = random.nextGaussian();
                double score = sigmoid(2 * (candidate ? z + scenario.predictionShift() : z));
                double calibrated = candidate ? sigmoid(2 * (z + scenario.predictionShift())
                        * scenario.candidateCalibration()) : score;
                recorder.recordPrediction(arm, score);
                recorder.recordEstimatedLoss(arm, Math.min(calibrated, 1 - calibrated));
            }
            Instant now = Instant.EPOCH.plusNanos(i * nanosPerRequest);
            ArmStats control = recorder.snapshot(Arm.CONTROL);
            ArmStats cand = recorder.snapshot(Arm.CANDIDATE);
            zFired = zFired || fixedHorizonWorse(policy, control, cand, zCritical);
            RolloutPolicy.Look look = policy.decide(step, stepStart, candidateAtStepStart, control, cand, now);
            double seconds = i / scenario.requestsPerSecond();
            switch (look.action()) {
                case ROLL_BACK -> {
                    String by = look.results().stream().filter(r -> r.verdict() == GuardrailResult.Verdict.WORSE)
                            .map(r -> r.guardrail().jsonName()).findFirst().orElse("");
                    return new RunResult(seed, Outcome.ROLLED_BACK, i, cand.requests(), seconds, step, zFired, by);
                }
                case PROMOTE -> {
                    return new RunResult(seed, Outcome.PROMOTED, i, cand.requests(), seconds, step, zFired, "");
                }
                case ADVANCE -> {
                    step++;
                    stepStart = now;
                    candidateAtStepStart = cand.requests();
                }
                case HOLD -> {
                    // keep going
                }
            }
        }
        ArmStats cand = recorder.snapshot(Arm.CANDIDATE);
        return new RunResult(seed, Outcome.UNDECIDED, scenario.maxRequests(), cand.requests(),
                scenario.maxRequests() / scenario.requestsPerSecond(), step, zFired, "");
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double[] zCritical(RolloutPolicy policy) {
        double each = policy.alpha() / policy.guardrails().size();
        double[] z = new double[policy.guardrails().size()];
        for (int g = 0; g < z.length; g++) {
            z[g] = NormalDistribution.of(0, 1).inverseSurvivalProbability(
                    policy.guardrails().get(g).guardrail().twoSided() ? each / 2 : each);
        }
        return z;
    }

    /**
     * The one-look z-test, per guardrail at α/k (two-sided for the prediction guardrails), with the
     * pooled variance, after the same minimum sample; the mean guardrails (live and estimated loss)
     * are left out.
     */
    static boolean fixedHorizonWorse(RolloutPolicy policy, ArmStats control, ArmStats candidate, double[] zCritical) {
        List<GuardrailSpec> specs = policy.guardrails();
        for (int g = 0; g < specs.size(); g++) {
            GuardrailSpec spec = specs.get(g);
            long nA;
            long xA;
            long nB;
            long xB;
            switch (spec.guardrail()) {
                case ERROR_RATE -> {
                    nA = control.requests(); xA = control.errors(); nB = candidate.requests(); xB = candidate.errors();
                }
                case LATENCY_P50 -> {
                    nA = control.latencies(); xA = control.overP50(); nB = candidate.latencies(); xB = candidate.overP50();
                }
                case LATENCY_P99 -> {
                    nA = control.latencies(); xA = control.overP99(); nB = candidate.latencies(); xB = candidate.overP99();
                }
                case PREDICTION_Q25 -> {
                    nA = control.predictions(); xA = control.overQ25(); nB = candidate.predictions(); xB = candidate.overQ25();
                }
                case PREDICTION_Q50 -> {
                    nA = control.predictions(); xA = control.overQ50(); nB = candidate.predictions(); xB = candidate.overQ50();
                }
                case PREDICTION_Q75 -> {
                    nA = control.predictions(); xA = control.overQ75(); nB = candidate.predictions(); xB = candidate.overQ75();
                }
                default -> {
                    continue;
                }
            }
            if (nA < spec.minSamplesPerArm() || nB < spec.minSamplesPerArm()) {
                continue;
            }
            double pooled = (double) (xA + xB) / (nA + nB);
            double var = pooled * (1 - pooled) * (1.0 / nA + 1.0 / nB);
            double z = var > 0 ? ((double) xB / nB - (double) xA / nA) / Math.sqrt(var) : 0;
            if (spec.guardrail().twoSided() ? Math.abs(z) > zCritical[g] : z > zCritical[g]) {
                return true;
            }
        }
        return false;
    }

    /**
     * What many runs of one scenario show.
     *
     * @param scenario the scenario's name
     * @param runs how many runs
     * @param promoted share promoted
     * @param rolledBack share rolled back
     * @param undecided share undecided at the horizon
     * @param fixedHorizonFired share of runs in which the fixed-horizon z-test, checked at every
     *     look, claimed "worse" at some look
     * @param medianRequestsToRollBack median requests until a rollback (NaN if none)
     * @param medianCandidateRequestsToRollBack median candidate requests until a rollback
     * @param medianRequestsToPromote median requests until a promotion (NaN if none)
     * @param medianSecondsToPromote median simulated seconds until a promotion (NaN if none)
     */
    public record Summary(String scenario, int runs, double promoted, double rolledBack, double undecided,
                          double fixedHorizonFired, double medianRequestsToRollBack,
                          double medianCandidateRequestsToRollBack, double medianRequestsToPromote,
                          double medianSecondsToPromote) {
    }

    /**
     * @param scenario the scenario
     * @param results its runs
     * @return the summary
     */
    public static Summary summarize(Scenario scenario, List<RunResult> results) {
        int n = results.size();
        if (n == 0) {
            throw new IllegalArgumentException("no runs to summarize for " + scenario.name());
        }
        long promoted = results.stream().filter(r -> r.outcome() == Outcome.PROMOTED).count();
        long rolledBack = results.stream().filter(r -> r.outcome() == Outcome.ROLLED_BACK).count();
        long fired = results.stream().filter(RunResult::fixedHorizonFired).count();
        return new Summary(scenario.name(), n, (double) promoted / n, (double) rolledBack / n,
                (double) (n - promoted - rolledBack) / n, (double) fired / n,
                median(results, Outcome.ROLLED_BACK, RunResult::requests),
                median(results, Outcome.ROLLED_BACK, RunResult::candidateRequests),
                median(results, Outcome.PROMOTED, RunResult::requests),
                median(results, Outcome.PROMOTED, r -> r.seconds()));
    }

    private static double median(List<RunResult> results, Outcome outcome,
                                 java.util.function.ToDoubleFunction<RunResult> value) {
        double[] v = results.stream().filter(r -> r.outcome() == outcome).mapToDouble(value).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * The scenarios of docs/rollouts.md: 50 requests a second, control error rate 5%, latencies
     * log-normal with median 20 ms and σ 0.5 (p99 about 64 ms).
     *
     * @param maxRequests each run's horizon
     * @return A/A; error rate +2 points; p99 +20% (tail only, p50 unchanged); every latency +20%;
     *     an improvement (error rate 4%)
     */
    public static List<Scenario> standardScenarios(long maxRequests) {
        double tailSigma = 0.5 + Math.log(1.2) / NormalDistribution.of(0, 1).inverseSurvivalProbability(0.01);
        return List.of(new Scenario("A/A", 0.05, 0.05, 20, 0.5, 0.5, 1.0, 50, maxRequests),
                new Scenario("error rate +2 points", 0.05, 0.07, 20, 0.5, 0.5, 1.0, 50, maxRequests),
                new Scenario("p99 latency +20%", 0.05, 0.05, 20, 0.5, tailSigma, 1.0, 50, maxRequests),
                new Scenario("every latency +20%", 0.05, 0.05, 20, 0.5, 0.5, 1.2, 50, maxRequests),
                new Scenario("improvement (error rate -1 point)", 0.05, 0.04, 20, 0.5, 0.5, 1.0, 50, maxRequests));
    }

    /**
     * The prediction scenarios of docs/rollouts.md, for {@link #predictionPolicy()}: the standard
     * world (error rate 5%, latencies as in {@link #standardScenarios}) with scores sigmoid(2z).
     *
     * @param maxRequests each run's horizon
     * @return A/A; predictions shifted by 0.1 standard deviation of the score's logit (about 4
     *     points more above the control's median); the same scores from a candidate whose
     *     calibration makes it about 2 points less accurate (estimated loss 0.222 → 0.241)
     */
    public static List<Scenario> predictionScenarios(long maxRequests) {
        return List.of(new Scenario("A/A, 7 guardrails", 0.05, 0.05, 20, 0.5, 0.5, 1.0, 50, maxRequests, 0, 1),
                new Scenario("predictions shifted +0.1 sd", 0.05, 0.05, 20, 0.5, 0.5, 1.0, 50, maxRequests, 0.1, 1),
                new Scenario("estimated accuracy -2 points (same scores)", 0.05, 0.05, 20, 0.5, 0.5, 1.0, 50,
                        maxRequests, 0, 0.88));
    }

    /**
     * @return {@link #simulationPolicy()} with the prediction-drift guardrails (margin 5 points)
     *     and the estimated-loss guardrail (margin 0.01): seven guardrails at α/7 each
     */
    public static RolloutPolicy predictionPolicy() {
        List<GuardrailSpec> guardrails = new java.util.ArrayList<>(RolloutPolicy.defaults().guardrails());
        guardrails.addAll(GuardrailSpec.predictionDrift(0.05));
        guardrails.add(GuardrailSpec.of(Guardrail.ESTIMATED_LOSS, 0.01));
        return new RolloutPolicy(simulationPolicy().steps(), guardrails, 0.05);
    }

    /** @return the policy the simulations of docs/rollouts.md use: steps 5%, 25%, 50% of 1 minute each */
    public static RolloutPolicy simulationPolicy() {
        return new RolloutPolicy(List.of(new RolloutPolicy.Step(0.05, 200, Duration.ofMinutes(1)),
                new RolloutPolicy.Step(0.25, 400, Duration.ofMinutes(1)),
                new RolloutPolicy.Step(0.50, 800, Duration.ofMinutes(1))),
                RolloutPolicy.defaults().guardrails(), 0.05);
    }
}
