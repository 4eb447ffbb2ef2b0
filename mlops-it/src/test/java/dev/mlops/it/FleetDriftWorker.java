package dev.mlops.it;

import dev.mlops.api.store.Store;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.FleetDrift;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.registry.fs.FileSystemStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * One application instance of {@link FleetDriftProcessesTest}, in its own JVM: reads the profile
 * the test wrote, opens the shared filesystem store, and feeds its part of the Seattle stream to a
 * 28-day time-window monitor whose windows {@link FleetDrift} publishes. Prints
 * {@code ROWS <n>}, {@code PUBLISHED <n> <failures>} and {@code DONE}.
 *
 * <p>Arguments: {@code <storeDir> <profileFile> <instance> <instances>}.
 */
public final class FleetDriftWorker {
    static final String MONITOR = "seattle-weather";
    static final Duration WINDOW = Duration.ofDays(28);
    /** After the last live day: every window has closed by then. */
    static final long END = LocalDate.of(2016, 3, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();

    private FleetDriftWorker() {
    }

    /**
     * @param args store directory, profile file, instance number, number of instances
     * @throws Exception on any failure (the test reads the exit code and stderr)
     */
    public static void main(String[] args) throws Exception {
        Path storeDir = Path.of(args[0]);
        ReferenceProfile profile = ReferenceProfile.fromJson(Files.readAllBytes(Path.of(args[1])));
        int instance = Integer.parseInt(args[2]);
        int instances = Integer.parseInt(args[3]);
        List<SeattleStream.Day> live = SeattleStream.live(SeattleStream.days());
        int[] routes = SeattleStream.routes(live.size(), instances);
        SeattleStream.ManualClock clock = new SeattleStream.ManualClock(live.get(0).noonMillis());
        long failures;
        try (Store store = FileSystemStore.open(storeDir)) {
            FleetDrift fleet = FleetDrift.builder(store, MONITOR, profile).instanceId("jvm-" + instance).clock(clock).build();
            DriftMonitor monitor = fleet.monitor(DriftMonitor.builder(profile).timeWindow(WINDOW).clock(clock));
            int rows = 0;
            for (int i = 0; i < live.size(); i++) {
                if (routes[i] == instance) {
                    SeattleStream.observe(monitor, clock, live.get(i));
                    rows++;
                }
            }
            clock.set(END);
            monitor.tick();
            System.out.println("ROWS " + rows);
            System.out.println("PUBLISHED " + fleet.published() + " " + fleet.publishFailures());
            fleet.lastPublishFailure().ifPresent(e -> e.printStackTrace());
            failures = fleet.publishFailures();
        }
        System.out.println("DONE");
        System.exit(failures == 0 ? 0 : 1);
    }
}
