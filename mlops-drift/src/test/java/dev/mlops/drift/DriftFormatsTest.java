package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.core.InMemoryStore;
import dev.mlops.json.StrictJson;
import dev.mlops.json.testing.JsonEdits;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every drift format is read strictly: a repeated key, an unknown field, a mistyped value, a
 * too long number or string and too deep nesting are refused with a ValidationException naming
 * the field's path. The profile's text (so its SHA-256, which windows and stores refer to) is
 * what it was before the strict JSON layer.
 */
class DriftFormatsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Duration HOUR = Duration.ofHours(1);
    static final ReferenceProfile PROFILE = ReferenceProfile.of(ReferenceProfileTest.mixedFrame(400, 1, 0),
            ProfileOptions.builder().topK(3).sketchK(32).gridCells(16).build());

    @Test
    @DisplayName("a profile's JSON, and so its sha256, is byte for byte what the writer before StrictJson gave")
    void profileBytesUnchanged() {
        ReferenceProfile p = ReferenceProfile.of(SeattleWeather.year(2013),
                ProfileOptions.builder().binEdges("precipitation", new double[] {0, 1, 5, 20}).topK(3).build());
        // computed at commit 6d141ff, with drift's own ObjectMapper
        assertThat(p.sha256()).isEqualTo("14cd62c2b2dd9acada65acf5f93ef03f3e88cf8228ae1dabde1ff8fb8fce04b9");
        assertThat(p.toJson()).hasSize(15748);
    }

    /** Each hostile edit of a valid document, refused with the path the message must start with. */
    private static void assertStrict(String valid, Function<String, ?> read, String what) {
        read.apply(valid);
        for (int choice = 0; choice < JsonEdits.fieldPaths(valid).size(); choice += 7) {
            JsonEdits.Duplicate d = JsonEdits.duplicateField(valid, choice);
            assertThatThrownBy(() -> read.apply(d.json())).as("repeated %s", d.path()).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith(what + ": " + d.path() + ": the field appears twice");
        }
        ObjectNode unknown = (ObjectNode) JsonEdits.lenientTree(valid);
        unknown.put("surplus", 1);
        assertThatThrownBy(() -> read.apply(StrictJson.writeString(unknown))).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith(what + ": surplus: unknown field; expected only [");
        String firstField = JsonEdits.fieldPaths(valid).get(0);
        ObjectNode nested = (ObjectNode) JsonEdits.lenientTree(valid);
        String deep = StrictJson.writeString(nested).replaceFirst("\"" + firstField + "\":",
                "\"" + firstField + "\":" + JsonEdits.nestedArrays(StrictJson.MAX_NESTING_DEPTH) + ",\"x" + firstField + "\":");
        assertThatThrownBy(() -> read.apply(deep)).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith(what + ": " + firstField + "[0]")
                .hasMessageEndingWith("nested too deeply; expected at most 64 levels of objects and arrays");
        String longNumber = StrictJson.writeString(nested).replaceFirst("\"" + firstField + "\":",
                "\"" + firstField + "\":" + JsonEdits.tooLongNumber() + ",\"x" + firstField + "\":");
        assertThatThrownBy(() -> read.apply(longNumber)).isInstanceOf(ValidationException.class)
                .hasMessage(what + ": " + firstField + ": a number too long; expected at most 100 digits");
        String longString = StrictJson.writeString(nested).replaceFirst("\"" + firstField + "\":",
                "\"" + firstField + "\":" + JsonEdits.tooLongString() + ",\"x" + firstField + "\":");
        assertThatThrownBy(() -> read.apply(longString)).isInstanceOf(ValidationException.class)
                .hasMessage(what + ": " + firstField + ": a string too long; expected at most 16777216 characters");
    }

    @Nested
    @DisplayName("the reference profile")
    class Profile {
        @Test
        @DisplayName("refuses repeated keys, unknown fields, limits passed")
        void strict() {
            assertStrict(PROFILE.toJson(), ReferenceProfile::fromJson, "drift profile");
        }

        @Test
        @DisplayName("refuses a mistyped or misplaced field, naming its path")
        void types() {
            ObjectNode t = (ObjectNode) JsonEdits.lenientTree(PROFILE.toJson());
            ((ObjectNode) t.get("columns").get(0)).put("count", "400");
            assertThatThrownBy(() -> ReferenceProfile.fromJson(StrictJson.writeString(t))).isInstanceOf(ValidationException.class)
                    .hasMessage("drift profile: columns[0].count: expected an integer, got the string '400'");
            ObjectNode u = (ObjectNode) JsonEdits.lenientTree(PROFILE.toJson());
            ((ObjectNode) u.get("columns").get(0).get("bins")).put("egdes", 1);
            assertThatThrownBy(() -> ReferenceProfile.fromJson(StrictJson.writeString(u))).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("drift profile: columns[0].bins.egdes: unknown field");
            ObjectNode v = (ObjectNode) JsonEdits.lenientTree(PROFILE.toJson());
            ((ObjectNode) v.get("options")).put("top_k", 3.0);
            assertThatThrownBy(() -> ReferenceProfile.fromJson(StrictJson.writeString(v))).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("drift profile: options.top_k: expected an integer");
        }
    }

    @Nested
    @DisplayName("the window state")
    class Window {
        private final WindowState state = WindowState.of(PROFILE, ReferenceProfileTest.mixedFrame(50, 2, 0.5),
                new DriftReport.Window(Instant.parse("2026-03-01T09:00:00Z"), Instant.parse("2026-03-01T10:00:00Z"), 3));

        @Test
        @DisplayName("refuses repeated keys, unknown fields, limits passed")
        void strict() {
            assertStrict(state.toJson(), json -> WindowState.fromJson(json, PROFILE), "drift window");
        }

        @Test
        @DisplayName("refuses a mistyped field, naming its path")
        void types() {
            ObjectNode t = (ObjectNode) JsonEdits.lenientTree(state.toJson());
            ((ObjectNode) t.get("columns").get(1)).putArray("cells").add(1).add("2");
            assertThatThrownBy(() -> WindowState.fromJson(StrictJson.writeString(t), PROFILE)).isInstanceOf(ValidationException.class)
                    .hasMessage("drift window: columns[1].cells[1]: expected an integer, got the string '2'");
        }
    }

    @Nested
    @DisplayName("the drift report")
    class Report {
        private final DriftReport report = PROFILE.compare(ReferenceProfileTest.mixedFrame(200, 3, 0.3), MonitorPolicy.defaults(), CLOCK);

        @Test
        @DisplayName("refuses repeated keys, unknown fields, limits passed")
        void strict() {
            assertStrict(DriftReportJson.toJson(report), DriftReportJson::fromJson, "drift report");
        }
    }

    @Nested
    @DisplayName("the fleet drift documents")
    class Fleet {
        private final InMemoryStore store = new InMemoryStore();
        private final FleetDrift fleet = FleetDrift.builder(store, "rain-inputs", PROFILE).instanceId("web-1").clock(CLOCK).build();
        private final long seq = Instant.parse("2026-03-01T09:00:00Z").toEpochMilli() / HOUR.toMillis();
        private final WindowState state = WindowState.of(PROFILE, ReferenceProfileTest.mixedFrame(50, 2, 0.5),
                new DriftReport.Window(Instant.parse("2026-03-01T09:00:00Z"), Instant.parse("2026-03-01T10:00:00Z"), seq));
        private final DocumentKey key = DocumentKey.of("fleet", "rain-inputs", "windows", FleetDrift.segment(seq), "web-1");

        @BeforeEach
        void publish() {
            fleet.publish(DriftMonitor.builder(PROFILE).timeWindow(HOUR).clock(CLOCK).build(), state);
        }

        private WindowState replaced(String json) {
            Document d = store.read(key).orElseThrow();
            store.replace(key, d.revision(), json.getBytes(StandardCharsets.UTF_8));
            try {
                return fleet.mergedState(seq);
            } finally {
                Document now = store.read(key).orElseThrow();
                store.replace(key, now.revision(), d.content());
            }
        }

        @Test
        @DisplayName("an instance's window reads back as published")
        void roundTrip() {
            assertThat(fleet.mergedState(seq)).isEqualTo(state);
        }

        @Test
        @DisplayName("refuses repeated keys, unknown fields, limits passed, naming the document and the path")
        void strict() {
            String valid = new String(store.read(key).orElseThrow().content(), StandardCharsets.UTF_8);
            assertStrict(valid, this::replaced, "fleet drift document " + key);
            ObjectNode t = (ObjectNode) JsonEdits.lenientTree(valid);
            ((ObjectNode) t.get("window")).put("rows", -1.5);
            assertThatThrownBy(() -> replaced(StrictJson.writeString(t))).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("fleet drift document " + key + ": window.rows: expected an integer, got the number -1.5");
            ObjectNode u = (ObjectNode) JsonEdits.lenientTree(valid);
            ((ObjectNode) u.get("window").get("columns").get(0)).put("surplus", 1);
            assertThatThrownBy(() -> replaced(StrictJson.writeString(u))).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("fleet drift document " + key + ": window.columns[0].surplus: unknown field");
        }

        @Test
        @DisplayName("a window marker is read strictly too, by prune")
        void marker() {
            DocumentKey slot = key.parent();
            Document m = store.read(slot).orElseThrow();
            ObjectNode t = (ObjectNode) JsonEdits.lenientTree(new String(m.content(), StandardCharsets.UTF_8));
            t.put("ned", "2026-03-01T10:00:00Z");
            store.replace(slot, m.revision(), StrictJson.write(t));
            assertThatThrownBy(() -> fleet.prune(Instant.parse("2027-01-01T00:00:00Z"))).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("fleet drift marker " + slot + ": ned: unknown field");
        }
    }
}
