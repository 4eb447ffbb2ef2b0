package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.json.testing.JsonEdits;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Each drift format, over random data: written, then read, is equal to what was written (and
 * writes the same text again), and the same document with any one key repeated is refused,
 * naming that key's path. Bounded by try counts.
 */
class DriftFormatsPropertiesTest {
    private static final int TRIES = 40;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    private static ReferenceProfile profile(int rows, long seed, int topK, int sketchK) {
        return ReferenceProfile.of(ReferenceProfileTest.mixedFrame(rows, seed, 0),
                ProfileOptions.builder().topK(topK).sketchK(sketchK).gridCells(8).build());
    }

    @Property(tries = TRIES)
    void profileRoundTripsAndRefusesARepeatedKey(@ForAll @IntRange(min = 20, max = 400) int rows, @ForAll long seed,
                                                @ForAll @IntRange(min = 1, max = 6) int topK,
                                                @ForAll @IntRange(min = 8, max = 64) int sketchK, @ForAll int choice) {
        ReferenceProfile p = profile(rows, seed, topK, sketchK);
        ReferenceProfile back = ReferenceProfile.fromJson(p.toJson());
        assertThat(back).isEqualTo(p);
        assertThat(back.toJson()).isEqualTo(p.toJson());
        assertRepeatedKeyRefused(p.toJson(), choice, ReferenceProfile::fromJson, "drift profile");
    }

    @Property(tries = TRIES)
    void windowRoundTripsAndRefusesARepeatedKey(@ForAll @IntRange(min = 1, max = 200) int rows, @ForAll long seed,
                                               @ForAll @DoubleRange(min = -2, max = 2) double shift,
                                               @ForAll @LongRange(min = 0, max = 1_000_000) long sequence, @ForAll int choice) {
        ReferenceProfile p = DriftFormatsTest.PROFILE;
        Instant start = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(sequence);
        WindowState w = WindowState.of(p, ReferenceProfileTest.mixedFrame(rows, seed, shift),
                new DriftReport.Window(start, start.plusSeconds(3600), sequence));
        WindowState back = WindowState.fromJson(w.toJson(), p);
        assertThat(back).isEqualTo(w);
        assertThat(back.toJson()).isEqualTo(w.toJson());
        assertRepeatedKeyRefused(w.toJson(), choice, json -> WindowState.fromJson(json, p), "drift window");
    }

    @Property(tries = TRIES)
    void reportRoundTripsAndRefusesARepeatedKey(@ForAll @IntRange(min = 5, max = 300) int rows, @ForAll long seed,
                                               @ForAll @DoubleRange(min = -2, max = 2) double shift, @ForAll int choice) {
        DriftReport r = DriftFormatsTest.PROFILE.compare(ReferenceProfileTest.mixedFrame(rows, seed, shift),
                MonitorPolicy.defaults(), CLOCK);
        String json = DriftReportJson.toJson(r);
        assertThat(DriftReportJson.fromJson(json)).isEqualTo(r);
        assertRepeatedKeyRefused(json, choice, DriftReportJson::fromJson, "drift report");
    }

    @Property(tries = TRIES)
    void fleetDocumentRoundTripsAndRefusesARepeatedKey(@ForAll @IntRange(min = 1, max = 200) int rows, @ForAll long seed,
                                                      @ForAll @LongRange(min = 0, max = 1_000_000) long hour,
                                                      @ForAll int choice) {
        ReferenceProfile p = DriftFormatsTest.PROFILE;
        java.time.Duration length = java.time.Duration.ofHours(1);
        Instant start = Instant.EPOCH.plus(length.multipliedBy(hour));
        WindowState w = WindowState.of(p, ReferenceProfileTest.mixedFrame(rows, seed, 0.5),
                new DriftReport.Window(start, start.plus(length), hour));
        dev.mlops.core.InMemoryStore store = new dev.mlops.core.InMemoryStore();
        FleetDrift fleet = FleetDrift.builder(store, "m", p).instanceId("i").clock(CLOCK).build();
        assertThat(fleet.publish(DriftMonitor.builder(p).timeWindow(length).clock(CLOCK).build(), w)).isTrue();
        assertThat(fleet.mergedState(hour)).isEqualTo(w);
        dev.mlops.api.store.DocumentKey key = dev.mlops.api.store.DocumentKey.of("fleet", "m", "windows", FleetDrift.segment(hour), "i");
        dev.mlops.api.store.Document d = store.read(key).orElseThrow();
        JsonEdits.Duplicate dup = JsonEdits.duplicateField(new String(d.content(), java.nio.charset.StandardCharsets.UTF_8), choice);
        store.replace(key, d.revision(), dup.json().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> fleet.mergedState(hour)).isInstanceOf(ValidationException.class)
                .hasMessage("fleet drift document " + key + ": " + dup.path()
                        + ": the field appears twice; expected each field once in an object");
    }

    private static void assertRepeatedKeyRefused(String json, int choice, java.util.function.Function<String, ?> read,
                                                 String what) {
        JsonEdits.Duplicate d = JsonEdits.duplicateField(json, choice);
        assertThatThrownBy(() -> read.apply(d.json())).isInstanceOf(ValidationException.class)
                .hasMessage(what + ": " + d.path() + ": the field appears twice; expected each field once in an object");
    }
}
