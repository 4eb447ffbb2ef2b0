package dev.mlops.core;

import dev.mlops.api.testing.ManualTestClock;
import dev.mlops.api.store.ForwardingStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Artifact;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.api.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The crash window between a commit and its audit entry, made deterministic: a second writer on
 * the same store whose journal appends fail commits a change and "dies" before its entry.
 */
@DisplayName("Lost audit entries")
class AuditRecoveryTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final String RECOVERED = "verify --repair";

    private final ManualTestClock clock = new ManualTestClock(START);
    private final InMemoryStore store = new InMemoryStore();
    private final Mlops mlops = Mlops.builder().store(store).clock(clock).actor("alice").build();
    /** Commits, then dies before appending the audit entry. */
    private final Mlops dying = writer(new ForwardingStore(store) {
        @Override
        public JournalEntry append(byte[] payload) {
            throw new Killed();
        }
    }, "bob");
    @TempDir
    Path dir;

    /** Stands for the SIGKILL that stops a writer between its commit and its audit entry. */
    static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Killed() {
            super("killed between commit and audit entry");
        }
    }

    private Mlops writer(Store s, String actor) {
        return Mlops.builder().store(s).clock(clock).actor(actor).build();
    }

    /** A step of a case, on a given writer. */
    interface Step {
        void run(Mlops m, Path dir) throws IOException;
    }

    /**
     * One kind of change.
     *
     * @param setup what exists before, written by a healthy writer
     * @param change the change whose entry is lost
     * @param target where the missing entry is reported
     * @param action the entry repair appends
     */
    record Case(String name, Step setup, Step change, String target, String action) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> changes() {
        Step none = (m, d) -> { };
        Step one = (m, d) -> register(m, "rain", 1);
        Step two = (m, d) -> {
            register(m, "rain", 1);
            register(m, "rain", 2);
        };
        Step described = (m, d) -> m.models().createModel("rain", "predicts rain", Map.of("team", "weather"));
        ModelRef.Version v1 = ModelRef.version("rain", 1);
        return Stream.of(
                new Case("createModel", none, described, "rain", "model.create"),
                new Case("register", one, (m, d) -> register(m, "rain", 2), "rain/2", "version.register"),
                new Case("setModelDescription", described,
                        (m, d) -> m.models().setModelDescription("rain", "predicts rain tomorrow"), "rain", "model.update"),
                new Case("setModelTag", described, (m, d) -> m.models().setModelTag("rain", "owner", "bob"), "rain",
                        "model.tag"),
                new Case("removeModelTag", described, (m, d) -> m.models().removeModelTag("rain", "team"), "rain",
                        "model.tag"),
                new Case("setVersionTag", one, (m, d) -> m.models().setVersionTag(v1, "stage", "prod"), "rain/1",
                        "version.tag"),
                new Case("removeVersionTag", (m, d) -> m.models().register("rain", tiny(1).tag("stage", "qa").build()),
                        (m, d) -> m.models().removeVersionTag(v1, "stage"), "rain/1", "version.tag"),
                new Case("archive", one, (m, d) -> m.models().archive(v1), "rain/1", "version.archive"),
                new Case("restore", (m, d) -> {
                    register(m, "rain", 1);
                    m.models().archive(v1);
                }, (m, d) -> m.models().restore(v1), "rain/1", "version.restore"),
                new Case("addAttachment", one, (m, d) -> m.models().addAttachment(v1, "notes", new byte[] {7}), "rain/1",
                        "version.attach"),
                new Case("deleteVersion", two, (m, d) -> m.models().deleteVersion(v1), "rain/1", "version.delete"),
                new Case("setAlias", (m, d) -> {
                    two.run(m, d);
                    m.models().setAlias("rain", "production", 1);
                }, (m, d) -> m.models().setAlias("rain", "production", 2), "rain@production", "alias.set"),
                // the decision's name is not in the store: a lost promotion comes back as alias.set
                new Case("a promotion", (m, d) -> {
                    two.run(m, d);
                    m.models().setAlias("rain", "production", 1);
                }, (m, d) -> m.models().setAliasIf("rain", "production", 2, java.util.OptionalInt.of(1),
                        Map.of("decision", "promotion-decision-1")), "rain@production", "alias.set"),
                new Case("rollback", (m, d) -> {
                    two.run(m, d);
                    m.models().setAlias("rain", "production", 1);
                    m.models().setAlias("rain", "production", 2);
                }, (m, d) -> m.models().rollback("rain", "production"), "rain@production", "alias.rollback"),
                new Case("removeAlias", (m, d) -> {
                    one.run(m, d);
                    m.models().setAlias("rain", "production", 1);
                }, (m, d) -> m.models().removeAlias("rain", "production"), "rain@production", "alias.remove"),
                new Case("a dataset registration", (m, d) -> dataset(m, d, "a"), (m, d) -> dataset(m, d, "b"),
                        "weather/2", "dataset.register"),
                new Case("a dataset tag", (m, d) -> dataset(m, d, "a"),
                        (m, d) -> m.datasets().setVersionTag(DatasetRef.parse("weather/1"), "split", "train"), "weather/1",
                        "dataset.tag"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    @DisplayName("a change whose writer died before its entry is reported after the grace period, recovered once,"
            + " and the chain stays whole")
    void lostEntryIsReportedAndRecoveredOnce(Case c) throws IOException {
        c.setup().run(mlops, dir);
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems()).as("a healthy trail").isEmpty();
        long length = mlops.audit().size();
        assertThatThrownBy(() -> c.change().run(dying, dir)).isInstanceOf(Killed.class);

        assertThat(mlops.verify(VerifyOptions.check()).problems()).as("within the grace period its writer may still append it")
                .isEmpty();
        clock.advance(VerifyOptions.DEFAULT_AUDIT_GRACE_PERIOD);
        IntegrityReport found = mlops.verify(VerifyOptions.check());
        assertThat(found.ok()).isFalse();
        assertThat(found.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.MISSING_AUDIT_ENTRY);
            assertThat(p.location()).isEqualTo(c.target());
            assertThat(p.detail()).startsWith(c.action() + " entry missing");
            assertThat(p.repaired()).isFalse();
        });
        assertThat(mlops.audit().size()).as("verify(VerifyOptions.check()) appends nothing").isEqualTo(length);

        IntegrityReport repaired = mlops.verify(VerifyOptions.repair());
        assertThat(repaired.ok()).isTrue();
        assertThat(repaired.problems()).singleElement().satisfies(p -> assertThat(p.repaired()).isTrue());
        assertThat(mlops.audit().size()).isEqualTo(length + 1);
        AuditEntry recovered = last();
        assertThat(recovered.action()).isEqualTo(c.action());
        assertThat(recovered.target()).isEqualTo(c.target());
        assertThat(recovered.after()).containsEntry("recovered_by", RECOVERED);

        assertThat(mlops.verify(VerifyOptions.repair()).problems()).as("a second repair finds nothing").isEmpty();
        assertThat(mlops.audit().size()).isEqualTo(length + 1);
        assertThat(mlops.audit().verify().ok()).isTrue();
    }

    @Test
    @DisplayName("a first registration that dies after its commit loses the model's creation entry and the version's;"
            + " both are recovered, creation first")
    void firstRegistrationLosesBothEntries() {
        assertThatThrownBy(() -> register(dying, "rain", 1)).isInstanceOf(Killed.class);
        assertThat(mlops.models().findModel("rain")).as("the version is committed, so the model exists").isPresent();
        clock.advance(VerifyOptions.DEFAULT_AUDIT_GRACE_PERIOD);
        IntegrityReport found = mlops.verify(VerifyOptions.check());
        assertThat(found.problems()).extracting(IntegrityProblem::location).contains("rain", "rain/1");
        assertThat(found.problems()).filteredOn(p -> p.kind() == IntegrityProblem.Kind.MISSING_AUDIT_ENTRY)
                .extracting(IntegrityProblem::location).containsExactly("rain", "rain/1");
        assertThat(mlops.verify(VerifyOptions.repair()).ok()).isTrue();
        assertThat(mlops.audit().entries(1, 10)).extracting(AuditEntry::action)
                .containsExactly("model.create", "version.register");
        assertThat(mlops.verify(VerifyOptions.repair()).problems()).as("a second repair finds nothing").isEmpty();
    }

    @Test
    @DisplayName("a recovered change records the lost change's before and after, and a recovered move its number")
    void recoveredEntriesSayWhatChanged() {
        register(mlops, "rain", 1);
        register(mlops, "rain", 2);
        mlops.models().setAlias("rain", "production", 1);
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> dying.models().setVersionTag(ModelRef.version("rain", 1), "stage", "prod"))
                .isInstanceOf(Killed.class);
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> dying.models().setAlias("rain", "production", 2)).isInstanceOf(Killed.class);
        mlops.models().setVersionTag(ModelRef.version("rain", 1), "stage", "live");

        assertThat(mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO)).problems()).hasSize(2).allMatch(IntegrityProblem::repaired);
        List<AuditEntry> recovered = mlops.audit().entries(mlops.audit().size() - 1, 2);
        assertThat(recovered.get(0).action()).isEqualTo("version.tag");
        assertThat(recovered.get(0).before()).isEmpty();
        assertThat(recovered.get(0).after()).containsOnly(Map.entry("tag.stage", "prod"),
                Map.entry("recovered_by", RECOVERED));
        assertThat(recovered.get(1).action()).isEqualTo("alias.set");
        assertThat(recovered.get(1).before()).containsOnly(Map.entry("version", "1"));
        assertThat(recovered.get(1).after()).containsEntry("version", "2").containsEntry("move", "2")
                .containsEntry("committed_by", "bob").containsEntry("committed_at", START.plusSeconds(2).toString());
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems()).isEmpty();
    }

    @Test
    @DisplayName("every alias entry carries its move's number, also past archived history chunks")
    void moveNumbersSpanArchivedChunks() {
        register(mlops, "rain", 1);
        register(mlops, "rain", 2);
        int moves = 2 * ModelDoc.HISTORY_CHUNK + 50;
        for (int i = 0; i < moves; i++) {
            mlops.models().setAlias("rain", "production", 1 + i % 2);
        }
        assertThat(mlops.audit().entriesFor("rain@production")).extracting(e -> e.after().get("move"))
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, moves).mapToObj(Integer::toString)
                        .toList());
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems()).isEmpty();

        assertThatThrownBy(() -> dying.models().rollback("rain", "production")).isInstanceOf(Killed.class);
        mlops.models().setAlias("rain", "production", 2);
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems()).singleElement()
                .satisfies(p -> assertThat(p.detail()).startsWith("alias.rollback entry missing: move " + (moves + 1)));
        assertThat(mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO)).ok()).isTrue();
        assertThat(last().after()).containsEntry("move", Integer.toString(moves + 1));
        assertThat(mlops.models().aliasHistory("rain", "production")).hasSize(moves + 2);
    }

    @Test
    @DisplayName("entries written before move numbers are paired with moves by kind, versions, actor and time;"
            + " a lost one among them is still found")
    void entriesWithoutMoveNumbers() {
        Mlops old = writer(previousFormat(store), "carol");
        Mlops oldDying = writer(previousFormat(new ForwardingStore(store) {
            @Override
            public JournalEntry append(byte[] payload) {
                throw new Killed();
            }
        }), "carol");
        register(old, "rain", 1);
        register(old, "rain", 2);
        old.models().setAlias("rain", "production", 1);
        step();
        assertThatThrownBy(() -> oldDying.models().setAlias("rain", "production", 2)).isInstanceOf(Killed.class);
        step();
        old.models().rollback("rain", "production");
        step();
        old.models().setAlias("rain", "production", 2); // the same kind, versions and actor as the lost move 2
        step();
        mlops.models().setAlias("rain", "production", 1);
        assertThat(mlops.audit().entriesFor("rain@production")).extracting(e -> e.after().get("move"))
                .containsExactly(null, null, null, "5");

        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems()).singleElement()
                .satisfies(p -> assertThat(p.detail()).startsWith("alias.set entry missing: move 2 (set from 1 to 2 at "
                        + START.plusSeconds(1)));
        assertThat(mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO)).ok()).isTrue();
        assertThat(last().after()).containsEntry("move", "2").containsEntry("committed_by", "carol");
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems()).isEmpty();
    }

    @Test
    @DisplayName("a creation entry written before creation entries listed tags leaves those tags unchecked;"
            + " status changes are still checked")
    void creationEntriesWithoutTags() {
        Mlops old = writer(previousFormat(store), "carol");
        old.models().createModel("rain", "predicts rain", Map.of("team", "weather"));
        old.models().register("rain", tiny(1).tag("stage", "qa").build());
        old.models().setVersionTag(ModelRef.version("rain", 1), "owner", "carol");
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems()).as("initial tags are not lost changes").isEmpty();

        assertThatThrownBy(() -> dying.models().archive(ModelRef.version("rain", 1))).isInstanceOf(Killed.class);
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems()).singleElement()
                .satisfies(p -> assertThat(p.detail()).startsWith("version.archive entry missing"));
    }

    @Test
    @DisplayName("entries appended in another order than their changes were committed are no loss")
    void entriesAppendedOutOfOrder() {
        register(mlops, "rain", 1);
        List<byte[]> held = new ArrayList<>();
        Mlops slow = holding(held);
        ModelRef.Version v1 = ModelRef.version("rain", 1);
        assertThatThrownBy(() -> slow.models().setVersionTag(v1, "stage", "qa")).isInstanceOf(Killed.class);
        mlops.models().setVersionTag(v1, "stage", "prod");
        store.append(held.get(0)); // the first change's entry arrives after the second's

        assertThat(mlops.audit().entriesFor("rain/1")).extracting(e -> e.after().get("tag.stage"))
                .containsExactly(null, "prod", "qa");
        assertThat(mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO)).problems()).isEmpty();
    }

    @Test
    @DisplayName("an entry its writer appends late, within the grace period, is not recovered a second time")
    void lateEntryWithinGracePeriod() {
        register(mlops, "rain", 1);
        List<byte[]> held = new ArrayList<>();
        Mlops paused = holding(held);
        assertThatThrownBy(() -> paused.models().setAlias("rain", "production", 1)).isInstanceOf(Killed.class);
        clock.advance(VerifyOptions.DEFAULT_AUDIT_GRACE_PERIOD.minusSeconds(1));
        assertThat(mlops.verify(VerifyOptions.repair()).problems()).isEmpty();
        store.append(held.get(0));
        clock.advance(Duration.ofHours(1));
        assertThat(mlops.verify(VerifyOptions.repair()).problems()).isEmpty();
        assertThat(mlops.audit().entriesFor("rain@production")).singleElement()
                .satisfies(e -> assertThat(e.after()).containsEntry("move", "1").doesNotContainKey("recovered_by"));
    }

    @Test
    @DisplayName("several lost changes of one tag whose order cannot be told are reported and not recovered")
    void severalLostChangesOfOneSlot() {
        register(mlops, "rain", 1);
        ModelRef.Version v1 = ModelRef.version("rain", 1);
        assertThatThrownBy(() -> dying.models().setVersionTag(v1, "stage", "a")).isInstanceOf(Killed.class);
        mlops.models().setVersionTag(v1, "stage", "b");
        assertThatThrownBy(() -> dying.models().setVersionTag(v1, "stage", "c")).isInstanceOf(Killed.class);

        long length = mlops.audit().size();
        IntegrityReport report = mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO));
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo("rain/1");
            assertThat(p.detail()).startsWith("version.tag entries missing: 2 changes of tag.stage");
            assertThat(p.repaired()).isFalse();
        });
        assertThat(mlops.audit().size()).isEqualTo(length);
    }

    @Test
    @DisplayName("over a broken chain, lost entries are reported but not recovered: that would hide the removal")
    void brokenChainIsNotPapered() {
        register(mlops, "rain", 1);
        register(mlops, "rain", 2);
        Store entryTwoRemoved = new ForwardingStore(store) {
            @Override
            public List<JournalEntry> readJournal(long from, int limit) {
                List<JournalEntry> all = new ArrayList<>(store.readJournal(1, 10_000));
                all.remove(1);
                return all.stream().skip(from - 1).limit(limit).toList();
            }
        };
        long length = store.journalLength();
        IntegrityReport report = writer(entryTwoRemoved, "alice").verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO));
        assertThat(report.problems()).extracting(IntegrityProblem::kind)
                .contains(IntegrityProblem.Kind.BROKEN_JOURNAL, IntegrityProblem.Kind.MISSING_AUDIT_ENTRY);
        assertThat(report.problems()).filteredOn(p -> p.kind() == IntegrityProblem.Kind.MISSING_AUDIT_ENTRY)
                .extracting(IntegrityProblem::location, IntegrityProblem::repaired)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("rain/1", false));
        assertThat(store.journalLength()).isEqualTo(length);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** A writer whose entries are held back, for the test to append later (or never). */
    private Mlops holding(List<byte[]> held) {
        return writer(new ForwardingStore(store) {
            @Override
            public JournalEntry append(byte[] payload) {
                held.add(payload);
                throw new Killed();
            }
        }, "bob");
    }

    private AuditEntry last() {
        return mlops.audit().entries(mlops.audit().size(), 1).get(0);
    }

    private void step() {
        clock.advance(Duration.ofSeconds(1));
    }

    private static NewModelVersion.Builder tiny(int i) {
        return NewModelVersion.builder().artifact(Artifact.bytes("m", new byte[] {(byte) i}));
    }

    private static void register(Mlops m, String model, int i) {
        m.models().register(model, tiny(i).build());
    }

    private static void dataset(Mlops m, Path dir, String content) throws IOException {
        Path csv = dir.resolve("weather-" + content + ".csv");
        Files.writeString(csv, "temp,rain\n1.5," + content + "\n", StandardCharsets.UTF_8);
        m.datasets().register("weather", DatasetSource.csv(csv));
    }

    /**
     * Writes entries as the code before move numbers did: schema 1, alias entries without
     * {@code move}, creation entries without tags and attachments.
     */
    private static Store previousFormat(Store s) {
        return new ForwardingStore(s) {
            @Override
            public JournalEntry append(byte[] payload) {
                ObjectNode r = (ObjectNode) dev.mlops.json.StrictJson.readTree(payload, "audit entry");
                // schema 1 was written camelCase: its version field is schemaVersion
                r.remove("schema_version");
                r.put("schemaVersion", 1);
                ObjectNode after = (ObjectNode) r.get("after");
                after.remove("move");
                String action = r.get("action").asText();
                if (action.endsWith(".register") || action.equals("model.create")) {
                    List<String> listed = new ArrayList<>();
                    after.fieldNames().forEachRemaining(k -> {
                        if (k.startsWith("tag.") || k.startsWith("attachment.")) {
                            listed.add(k);
                        }
                    });
                    after.remove(listed);
                }
                return super.append(dev.mlops.json.StrictJson.write(r));
            }
        };
    }
}
