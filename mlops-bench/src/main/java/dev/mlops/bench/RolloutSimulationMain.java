package dev.mlops.bench;

import dev.mlops.rollout.RolloutPolicy;
import dev.mlops.rollout.RolloutSimulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The guarded-rollout simulation of docs/rollouts.md: for each standard scenario, {@code runs}
 * seeded runs of the simulation policy with a look after every request, one line per run with
 * its seed (so any run can be replayed with {@code RolloutSimulation.run(policy, scenario, seed)}),
 * then a Markdown table. The standard scenarios run with {@code RolloutSimulation.simulationPolicy()},
 * the prediction scenarios with {@code RolloutSimulation.predictionPolicy()} (seven guardrails). Not a
 * JMH benchmark: run with
 * {@code java -cp mlops-bench/target/benchmarks.jar dev.mlops.bench.RolloutSimulationMain [runs] [maxRequests] [firstSeed] [all|standard|predictions]}.
 */
public final class RolloutSimulationMain {

    private RolloutSimulationMain() {
    }

    /**
     * @param args optional runs per scenario (default 1000), horizon in requests (default
     *     100000), first seed (default 1; run i of every scenario uses seed firstSeed + i) and which
     *     scenarios (default all)
     */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long maxRequests = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
        long firstSeed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        String which = args.length > 3 ? args[3] : "all";
        if (!List.of("all", "standard", "predictions").contains(which)) {
            throw new IllegalArgumentException("scenarios must be all, standard or predictions, was " + which);
        }
        List<Map.Entry<RolloutPolicy, RolloutSimulation.Scenario>> plan = new ArrayList<>();
        if (!which.equals("predictions")) {
            RolloutSimulation.standardScenarios(maxRequests)
                    .forEach(s -> plan.add(Map.entry(RolloutSimulation.simulationPolicy(), s)));
        }
        if (!which.equals("standard")) {
            RolloutSimulation.predictionScenarios(maxRequests)
                    .forEach(s -> plan.add(Map.entry(RolloutSimulation.predictionPolicy(), s)));
        }
        List<RolloutSimulation.Summary> summaries = new ArrayList<>();
        System.out.println("scenario\tseed\toutcome\trequests\tcandidate_requests\tseconds\tstep\tfixed_horizon_fired\tfired_by");
        for (Map.Entry<RolloutPolicy, RolloutSimulation.Scenario> e : plan) {
            RolloutPolicy policy = e.getKey();
            RolloutSimulation.Scenario scenario = e.getValue();
            List<RolloutSimulation.RunResult> results = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                RolloutSimulation.RunResult r = RolloutSimulation.run(policy, scenario, firstSeed + i);
                results.add(r);
                System.out.printf(Locale.ROOT, "%s\t%d\t%s\t%d\t%d\t%.1f\t%d\t%b\t%s%n", scenario.name(), r.seed(),
                        r.outcome(), r.requests(), r.candidateRequests(), r.seconds(), r.finalStep() + 1,
                        r.fixedHorizonFired(), r.firedBy());
            }
            summaries.add(RolloutSimulation.summarize(scenario, results));
        }
        System.out.println();
        System.out.println("| scenario | runs | rolled back | promoted | undecided | fixed-horizon z-test fired"
                + " | median requests to roll back (candidate's) | median requests to promote | median time to promote |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (RolloutSimulation.Summary s : summaries) {
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %s | %s | %s |%n", s.scenario(),
                    s.runs(), 100 * s.rolledBack(), 100 * s.promoted(), 100 * s.undecided(), 100 * s.fixedHorizonFired(),
                    Double.isNaN(s.medianRequestsToRollBack()) ? "—" : String.format(Locale.ROOT, "%,.0f (%,.0f)",
                            s.medianRequestsToRollBack(), s.medianCandidateRequestsToRollBack()),
                    Double.isNaN(s.medianRequestsToPromote()) ? "—" : String.format(Locale.ROOT, "%,.0f",
                            s.medianRequestsToPromote()),
                    Double.isNaN(s.medianSecondsToPromote()) ? "—" : String.format(Locale.ROOT, "%.0f s",
                            s.medianSecondsToPromote()));
        }
    }
}
