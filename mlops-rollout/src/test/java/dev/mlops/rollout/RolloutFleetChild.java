package dev.mlops.rollout;

import dev.mlops.api.ModelRef;
import dev.mlops.core.Mlops;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One instance of a fleet in its own JVM (RolloutFleetKit): joins the rollout on a shared store
 * (a filesystem directory or a PostgreSQL schema), waits until every instance has joined (a file per instance in the barrier
 * directory), serves synthetic requests at the rollout's current share, ticks after every 50,
 * prints each state change, and after the rollout has finished ticks 5 more times and prints
 * {@code FINAL <status> <step> <alias holder>}.
 *
 * <p>Role {@code victim}: on reaching the second step it creates {@code victim-paused} in the
 * barrier directory, then prints {@code PAUSED} and hangs until it is killed. Role
 * {@code waiter}: on reaching the second step it sends no requests until that file exists, so
 * the victim is certainly killed mid-step (the step cannot pass without new requests). A waiter
 * that waited {@value #MAX_HOLDS} times in vain prints {@code GAVE UP} and exits with status 3.
 *
 * <p>Before {@code FINAL} every instance prints a {@code FLEET} line: the fleet-wide counts it
 * last saw, the step's progress and each guardrail's verdict, so a run that ends undecided says
 * why.
 */
public final class RolloutFleetChild {

    /** How many times a waiter sleeps 10 ms for {@code victim-paused} before it gives up. */
    static final int MAX_HOLDS = 6_000;

    private RolloutFleetChild() {
    }

    /**
     * @param args store ({@link #openStore}), instance id, seed, candidate error rate, max ticks, barrier
     *     directory, instance count, role ({@code plain}, {@code victim} or {@code waiter})
     * @throws Exception if waiting is interrupted or a file cannot be written
     */
    public static void main(String[] args) throws Exception {
        String storeSpec = args[0];
        String instance = args[1];
        long seed = Long.parseLong(args[2]);
        double candidateErrors = Double.parseDouble(args[3]);
        int maxTicks = Integer.parseInt(args[4]);
        Path barrier = Path.of(args[5]);
        int instances = Integer.parseInt(args[6]);
        String role = args[7];
        try (Store store = openStore(storeSpec)) {
            Mlops mlops = Mlops.builder().store(store).clock(Clock.systemUTC()).actor(instance).build();
            Rollout r = Rollout.builder(mlops, store, "rain-v2").candidate(new ModelRef.Version("rain", 2))
                    .alias("production").policy(RolloutFleetKit.POLICY)
                    .gate(RolloutTest.gate(mlops)).instanceId(instance).build();
            RolloutState s = r.start();
            System.out.println("STARTED " + s.step());
            Files.createFile(barrier.resolve(instance));
            for (int wait = 0; wait < 12_000 && countFiles(barrier) < instances; wait++) {
                Thread.sleep(10);
            }
            SplittableRandom random = new SplittableRandom(seed);
            String last = "";
            int after = 0;
            int held = 0;
            int tick = 0;
            for (; tick < maxTicks && after < 5; tick++) {
                boolean secondStep = s.status() == RolloutState.Status.RUNNING && s.step() == 1;
                if (secondStep && role.equals("victim")) {
                    // the file before the line: the test kills this process as soon as it reads the
                    // line, and a kill between the two would leave the waiters waiting for a file
                    // that never comes (they then sent nothing at the second step and ended
                    // "FINAL RUNNING 1 1")
                    Files.createFile(barrier.resolve("victim-paused"));
                    System.out.println("PAUSED");
                    System.out.flush();
                    Thread.sleep(Long.MAX_VALUE);
                }
                boolean hold = secondStep && role.equals("waiter") && !Files.exists(barrier.resolve("victim-paused"));
                if (hold) {
                    if (held++ >= MAX_HOLDS) {
                        // without the victim paused the scenario is not the one under test: say so
                        // rather than spend the tick budget sending nothing
                        System.out.println("GAVE UP no victim-paused after " + MAX_HOLDS + " waits of 10 ms");
                        System.out.println(fleetLine(store, r, s, tick, held));
                        System.out.flush();
                        System.exit(3);
                    }
                    // waiting for the victim is not a look of its own: do not spend the tick budget on it
                    Thread.sleep(10);
                    tick--;
                }
                double share = s.candidateShare(RolloutFleetKit.POLICY);
                for (int i = 0; i < (hold ? 0 : 50); i++) {
                    boolean cand = random.nextDouble() < share;
                    boolean failed = random.nextDouble() < (cand ? candidateErrors : 0.05);
                    r.recorder().record(cand ? Arm.CANDIDATE : Arm.CONTROL, failed, 1_000_000);
                }
                s = r.tick();
                String now = s.status() + " " + s.step();
                if (!now.equals(last)) {
                    System.out.println("STATE " + now + " at tick " + tick);
                    System.out.flush();
                    last = now;
                }
                if (s.status().finished() && (s.status() != RolloutState.Status.PROMOTED || s.aliasMoved())) {
                    after++;
                }
            }
            System.out.println(fleetLine(store, r, s, tick, held));
            System.out.println("FINAL " + s.status() + " " + s.step() + " "
                    + mlops.models().model("rain").alias("production").orElse(-1));
        }
    }

    /**
     * @return {@code FLEET ...}: the ticks used and waits for the victim, the instances that
     *     published, each arm's fleet-wide requests and errors, the current step's candidate
     *     requests against its minimum, and each guardrail's verdict with its "not worse" evidence
     *     against the threshold (what a promotion needs), now and at the decision if there was one
     */
    static String fleetLine(Store store, Rollout r, RolloutState s, int ticks, int held) {
        Rollout.Fleet f = Rollout.fleet(store, r.name());
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "FLEET ticks %d held %d instances %d control %d/%d candidate %d/%d step %d candidate requests %d of %d",
                ticks, held, f.instances(), f.control().requests(), f.control().errors(), f.candidate().requests(),
                f.candidate().errors(), s.step(), f.candidate().requests() - s.candidateRequestsAtStepStart(),
                r.policy().steps().get(s.step()).minCandidateRequests()));
        b.append(" now");
        guardrails(b, SequentialComparison.compare(f.control(), f.candidate(), r.policy().guardrails(),
                r.policy().alpha()));
        if (!s.evidence().isEmpty()) {
            // the instances go on counting after the decision: its own evidence is in the state
            b.append(" at the decision");
            guardrails(b, s.evidence());
        }
        return b.toString();
    }

    private static void guardrails(StringBuilder b, List<GuardrailResult> results) {
        for (GuardrailResult g : results) {
            b.append(String.format(Locale.ROOT, " %s %s n %d/%d (not worse %.3g, worse %.3g, threshold %.3g)",
                    g.guardrail().jsonName(), g.verdict(), g.controlCount(), g.candidateCount(), g.logRatioNotWorse(),
                    g.logRatioWorse(), g.logThreshold()));
        }
    }

    /**
     * @param spec {@code fs:DIRECTORY} or {@code postgres:JDBC-URL} (the URL carrying the schema and user)
     * @return the open store, through the backends' providers as an application would open them
     */
    static Store openStore(String spec) {
        int colon = spec.indexOf(':');
        String backend = spec.substring(0, colon);
        String location = spec.substring(colon + 1);
        return switch (backend) {
            case "fs" -> Stores.open("fs", Map.of("path", location));
            case "postgres" -> Stores.open("postgres", Map.of("url", location));
            default -> throw new IllegalArgumentException("store spec must start with fs: or postgres:, was " + spec);
        };
    }

    private static long countFiles(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().equals("victim-paused")).count();
        }
    }
}
