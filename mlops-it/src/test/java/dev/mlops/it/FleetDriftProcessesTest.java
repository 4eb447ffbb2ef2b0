package dev.mlops.it;

import dev.mlops.registry.tck.process.ChildJvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.store.Store;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.FleetDrift;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.registry.fs.FileSystemStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, must-show 3: four monitors in four JVMs, each fed a disjoint part of one stream
 * (Seattle's 2013-2015 weather against a 2012 profile, 28-day windows), publish their windows to
 * one filesystem store; the merged report of every window equals the report of one monitor fed
 * the whole stream in this JVM.
 */
@DisplayName("fleet drift from 4 JVMs")
class FleetDriftProcessesTest {
    static final int INSTANCES = 4;

    @Test
    @DisplayName("merges to the single-process report, window by window, bit for bit")
    void fourJvmsMergeToTheSingleProcessReport(@TempDir Path tmp) throws Exception {
        List<SeattleStream.Day> days = SeattleStream.days();
        List<SeattleStream.Day> live = SeattleStream.live(days);
        ReferenceProfile profile = ReferenceProfile.of(SeattleStream.frame(SeattleStream.reference(days)));
        Path profileFile = tmp.resolve("profile.json");
        Files.write(profileFile, profile.toJsonBytes());
        Path storeDir = Files.createDirectories(tmp.resolve("store"));

        List<ChildJvm> children = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            children.add(ChildJvm.start(FleetDriftWorker.class, tmp.resolve("fleet-" + i + ".err"), storeDir.toString(),
                    profileFile.toString(), Integer.toString(i), Integer.toString(INSTANCES)));
        }

        // meanwhile, the single-process monitor over the whole stream
        SeattleStream.ManualClock clock = new SeattleStream.ManualClock(live.get(0).noonMillis());
        List<DriftReport> single = new ArrayList<>();
        DriftMonitor one = DriftMonitor.builder(profile).timeWindow(FleetDriftWorker.WINDOW).clock(clock)
                .listener((r, s) -> single.add(r)).build();
        for (SeattleStream.Day d : live) {
            SeattleStream.observe(one, clock, d);
        }
        clock.set(FleetDriftWorker.END);
        one.tick();

        long rows = 0;
        for (ChildJvm c : children) {
            int exit = c.awaitExit(600_000);
            List<String> lines = c.lines();
            assertThat(exit).as("worker %d exit code; stderr in %s; lines %s", c.pid(), c.stderr(), lines).isZero();
            assertThat(lines).endsWith("DONE");
            String rowLine = lines.stream().filter(l -> l.startsWith("ROWS ")).findFirst().orElseThrow();
            long mine = Long.parseLong(rowLine.substring(5));
            assertThat(mine).as("every instance gets a part of the stream").isPositive();
            rows += mine;
        }
        assertThat(rows).as("the parts are disjoint and cover the stream").isEqualTo(live.size());

        try (Store store = FileSystemStore.open(storeDir)) {
            FleetDrift reader = FleetDrift.builder(store, FleetDriftWorker.MONITOR, profile).clock(clock).build();
            List<Long> expectedSequences = single.stream()
                    .map(r -> FleetDrift.windowSequence(one, r.window().orElseThrow())).toList();
            assertThat(reader.windows()).containsExactlyElementsOf(expectedSequences);
            StringBuilder table = new StringBuilder("window start | rows | instances | drifted columns (merged = single)\n");
            int driftedWindows = 0;
            int fourInstanceWindows = 0;
            for (int i = 0; i < single.size(); i++) {
                DriftReport s = single.get(i);
                long seq = expectedSequences.get(i);
                DriftReport merged = reader.merge(seq);
                // every column: method, statistic, p-value, error bound, verdict, distribution; the
                // dataset verdict and drift share; the window's start and end
                assertThat(merged).as("window %d", seq).isEqualTo(asMerged(s, seq, clock.instant()));
                for (ColumnDrift c : merged.columns()) {
                    ColumnDrift sc = s.column(c.column()).orElseThrow();
                    assertThat(Double.doubleToRawLongBits(c.statistic())).isEqualTo(Double.doubleToRawLongBits(sc.statistic()));
                }
                List<String> instances = reader.instances(seq);
                fourInstanceWindows += instances.size() == INSTANCES ? 1 : 0;
                driftedWindows += merged.driftedColumns().isEmpty() ? 0 : 1;
                table.append(merged.window().orElseThrow().start()).append(" | ").append(merged.currentRows()).append(" | ")
                        .append(instances.size()).append(" | ").append(merged.driftedColumns()).append('\n');
            }
            Files.writeString(Path.of("target", "fleet-drift-4-jvms.txt"), table);
            assertThat(single).as("3 years of 28-day windows").hasSizeBetween(39, 41);
            assertThat(fourInstanceWindows).as(table.toString()).isGreaterThanOrEqualTo(single.size() - 2);
            assertThat(driftedWindows).as("seasonal drift shows: %s", table).isGreaterThan(single.size() / 2);
            assertThat(reader.instances(expectedSequences.get(0)).stream().collect(Collectors.toSet()))
                    .isSubsetOf("jvm-0", "jvm-1", "jvm-2", "jvm-3");
        }
    }

    /** The single-process report as the merge states it: the fleet's sequence and the merge's time. */
    static DriftReport asMerged(DriftReport r, long sequence, Instant createdAt) {
        DriftReport.Window w = r.window().orElseThrow();
        return new DriftReport(createdAt, r.referenceRows(), r.currentRows(), r.columns(), r.driftShare(),
                r.driftShareThreshold(), r.datasetDrift(), r.correction(),
                Optional.of(new DriftReport.Window(w.start(), w.end(), sequence)), r.inputs(), r.datasetVerdict(),
                r.driftShareInterval());
    }
}
