package dev.mlops.rollout;

import dev.mlops.api.ModelRef;
import dev.mlops.core.Mlops;
import dev.mlops.registry.fs.FileSystemStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;

/**
 * One instance of a fleet in its own JVM (RolloutFleetProcessesTest): joins the rollout on a
 * filesystem store, serves synthetic requests at the rollout's current share, ticks after every
 * 50, prints each state change, and after the rollout has finished ticks {@code afterTicks} more
 * times and prints {@code FINAL <status> <step> <alias holder>}.
 */
public final class RolloutFleetChild {

    private RolloutFleetChild() {
    }

    /**
     * @param args store directory, instance id, seed, candidate error rate, max ticks
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String instance = args[1];
        long seed = Long.parseLong(args[2]);
        double candidateErrors = Double.parseDouble(args[3]);
        int maxTicks = Integer.parseInt(args[4]);
        try (FileSystemStore store = FileSystemStore.open(dir)) {
            Mlops mlops = Mlops.builder().store(store).clock(Clock.systemUTC()).actor(instance).build();
            Rollout r = Rollout.builder(mlops, store, "rain-v2").candidate(new ModelRef.Version("rain", 2))
                    .alias("production").policy(RolloutFleetProcessesTest.POLICY)
                    .gate(RolloutTest.gate(mlops)).instanceId(instance).build();
            RolloutState s = r.start();
            System.out.println("STARTED " + s.step());
            SplittableRandom random = new SplittableRandom(seed);
            String last = "";
            int after = 0;
            for (int tick = 0; tick < maxTicks && after < 5; tick++) {
                double share = s.candidateShare(RolloutFleetProcessesTest.POLICY);
                for (int i = 0; i < 50; i++) {
                    boolean cand = random.nextDouble() < share;
                    boolean failed = random.nextDouble() < (cand ? candidateErrors : 0.05);
                    r.recorder().record(cand ? Arm.CANDIDATE : Arm.CONTROL, failed, 1_000_000);
                }
                s = r.tick();
                String now = s.status() + " " + s.step();
                if (!now.equals(last)) {
                    System.out.println("STATE " + now);
                    System.out.flush();
                    last = now;
                }
                if (s.status().finished() && (s.status() != RolloutState.Status.PROMOTED || s.aliasMoved())) {
                    after++;
                }
            }
            System.out.println("FINAL " + s.status() + " " + s.step() + " "
                    + mlops.models().model("rain").alias("production").orElse(-1));
        }
    }
}
