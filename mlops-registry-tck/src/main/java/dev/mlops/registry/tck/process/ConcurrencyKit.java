package dev.mlops.registry.tck.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.AliasMove;
import dev.mlops.api.Artifact;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.RegisteredModel;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four JVM processes ({@link RegistrationWorker}), each with its own connection to the store,
 * register 100 versions each into one model and move its aliases at the same time: the versions
 * are distinct and gap-free, each is the registration one child reported, the alias histories
 * are consistent with what the children saw return, and each version and move has one audit
 * entry. A backend runs it with a subclass that only implements
 * {@link #createStore(Path)}.
 */
public abstract class ConcurrencyKit extends ProcessKit {
    /** Child JVMs writing at once. */
    protected static final int PROCESSES = 4;
    /** The largest artifact a child registers, in bytes. */
    protected static final int MAX_SIZE = 4096;
    /** The one model every child writes. */
    protected static final String MODEL = "shared";

    /** For subclasses. */
    protected ConcurrencyKit() {
    }

    /** @return registrations per child; {@code -Dmlops.process.registrations} overrides the 100 */
    protected int registrationsPerProcess() {
        return Integer.getInteger("mlops.process.registrations", 100);
    }

    @Test
    @DisplayName("gives 400 distinct gap-free versions, a consistent alias history and one audit entry per version")
    void fourProcessesShareOneModel(@TempDir Path tmp) throws Exception {
        StoreConfig store = createStore(Files.createDirectories(tmp.resolve("store")));
        int perProcess = registrationsPerProcess();
        List<ChildJvm> children = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            children.add(ChildJvm.start(RegistrationWorker.class, tmp.resolve("worker-" + p + ".err"),
                    forChild(store, "concurrency-" + p).args(MODEL, Long.toString(7000 + p), Integer.toString(perProcess),
                            Integer.toString(MAX_SIZE))));
        }
        Reported reported = new Reported();
        for (ChildJvm c : children) {
            int exit = c.awaitExit(600_000);
            List<String> lines = c.lines();
            assertThat(exit).as("worker %d exit code; stderr in %s; last lines %s", c.pid(), c.stderr(),
                    lines.subList(Math.max(0, lines.size() - 5), lines.size())).isZero();
            assertThat(lines).as("worker %d finished", c.pid()).endsWith("DONE");
            assertThat(lines.stream().filter(l -> l.startsWith("CREATED"))).hasSize(perProcess);
            reported.add(lines);
        }
        assertThat(reported.errors()).isEmpty();
        int total = PROCESSES * perProcess;

        try (Mlops mlops = Mlops.builder().store(store.open()).build()) {
            List<ModelVersion> versions = RegistryChecks.allVersions(mlops.models(), MODEL);
            Set<Integer> listed = versions.stream().map(ModelVersion::number).collect(Collectors.toCollection(TreeSet::new));
            assertThat(versions).hasSize(total);
            assertThat(listed).as("distinct versions 1..%d", total)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, total).boxed().toList());

            Map<Integer, Reported.Created> byVersion = new HashMap<>();
            for (Reported.Created c : reported.created()) {
                assertThat(byVersion.put(c.version(), c)).as("version %d reported by one process only", c.version()).isNull();
            }
            assertThat(byVersion.keySet()).as("the union of what the children reported is the listing")
                    .containsExactlyInAnyOrderElementsOf(listed);
            for (ModelVersion v : versions) {
                Reported.Created c = byVersion.get(v.number());
                assertThat(v.artifact().digest()).isEqualTo(c.sha256());
                assertThat(v.params()).containsEntry("seed", Long.toString(c.seed()))
                        .containsEntry("iteration", Integer.toString(c.iteration()));
                RegistryChecks.assertComplete(mlops.models(), v);
            }

            RegisteredModel model = mlops.models().model(MODEL);
            List<AuditEntry> entries = RegistryChecks.allEntries(mlops.audit());
            int setMoves = 0;
            int rollbacks = 0;
            for (String alias : RegistrationWorker.ALIASES) {
                List<AliasMove> history = mlops.models().aliasHistory(MODEL, alias);
                RegistryChecks.assertChained(MODEL, alias, history, model.alias(alias));
                long reportedSets = reported.moves().stream().filter(m -> m.alias().equals(alias) && m.kind().equals("ALIAS"))
                        .count();
                long reportedRollbacks = reported.moves().stream()
                        .filter(m -> m.alias().equals(alias) && m.kind().equals("ROLLBACK")).count();
                long historySets = history.stream().filter(m -> m.kind() == AliasMove.Kind.SET).count();
                long historyRollbacks = history.stream().filter(m -> m.kind() == AliasMove.Kind.ROLLBACK).count();
                // a setAlias to the version the alias already points at returns and records
                // nothing, so a returned call is a SET move or such a no-op
                assertThat(historySets).as("SET moves of %s: at most one per setAlias that returned", alias)
                        .isLessThanOrEqualTo(reportedSets);
                for (int v = 1; v <= total; v++) {
                    int version = v;
                    long reportedTo = reported.moves().stream()
                            .filter(m -> m.alias().equals(alias) && m.kind().equals("ALIAS") && m.version() == version).count();
                    assertThat(RegistryChecks.count(history, AliasMove.Kind.SET, version))
                            .as("SET moves of %s to %d, reported %d times", alias, version, reportedTo)
                            .isLessThanOrEqualTo(reportedTo);
                }
                assertThat(historyRollbacks).as("ROLLBACK moves of %s", alias).isEqualTo(reportedRollbacks);
                for (Reported.Move m : reported.moves()) {
                    if (m.alias().equals(alias)) {
                        AliasMove.Kind kind = m.kind().equals("ALIAS") ? AliasMove.Kind.SET : AliasMove.Kind.ROLLBACK;
                        assertThat(RegistryChecks.count(history, kind, m.version())).as("%s in history", m).isPositive();
                    }
                }
                String target = MODEL + "@" + alias;
                assertThat(entries.stream().filter(e -> e.action().equals("alias.set") && e.target().equals(target)))
                        .as("alias.set audit entries of %s", target).hasSize((int) historySets);
                assertThat(entries.stream().filter(e -> e.action().equals("alias.rollback") && e.target().equals(target)))
                        .as("alias.rollback audit entries of %s", target).hasSize((int) historyRollbacks);
                setMoves += (int) historySets;
                rollbacks += (int) historyRollbacks;
            }
            assertThat(setMoves).as("the children did move aliases").isPositive();

            AuditVerification audit = mlops.audit().verify();
            assertThat(audit.ok()).as("audit chain: %s", audit).isTrue();
            List<String> registerTargets = entries.stream().filter(e -> e.action().equals("version.register"))
                    .map(AuditEntry::target).toList();
            assertThat(registerTargets).as("one version.register entry per version").hasSize(total)
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, total).mapToObj(i -> MODEL + "/" + i).toList());

            IntegrityReport report = mlops.verify(VerifyOptions.check());
            assertThat(report.problems()).isEmpty();
            System.out.printf("concurrency test (%s): %d versions, %d alias sets, %d rollbacks, %d audit entries%n",
                    store.provider(), versions.size(), setMoves, rollbacks, entries.size());
        }
    }

    @Test
    @DisplayName("3 processes registering beside a 4th collecting garbage with no grace period lose no blob of an"
            + " acknowledged version")
    void collectionBesideRegistrations(@TempDir Path tmp) throws Exception {
        StoreConfig store = createStore(Files.createDirectories(tmp.resolve("store")));
        int writers = 3;
        int perProcess = Math.max(4, registrationsPerProcess() / 5);
        // garbage whose content the registrations store again: a collection that chose to delete
        // such a blob must not do so once a registration relies on it
        try (Mlops mlops = Mlops.builder().store(store.open()).build()) {
            for (int w = 0; w < writers; w++) {
                for (int i = 0; i < perProcess; i++) {
                    ModelVersion v = mlops.models().register("garbage", NewModelVersion.builder().artifact(
                            Artifact.bytes("old.bin", CollectionRaceWorker.recycled(8000 + w, i))).build());
                    mlops.models().deleteVersion(v.ref());
                }
            }
        }
        Path stop = tmp.resolve("stop");
        ChildJvm collector = ChildJvm.start(CollectionRaceWorker.class, tmp.resolve("collector.err"),
                forChild(store, "collector").args("collect", stop.toString()));
        List<ChildJvm> registrars = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Path work = Files.createDirectories(tmp.resolve("work-" + w));
            registrars.add(ChildJvm.start(CollectionRaceWorker.class, tmp.resolve("registrar-" + w + ".err"),
                    forChild(store, "registrar-" + w).args("register", "model-" + w, Integer.toString(8000 + w),
                            Integer.toString(perProcess), work.toString())));
        }
        List<String> created = new ArrayList<>();
        for (ChildJvm c : registrars) {
            int exit = c.awaitExit(600_000);
            assertThat(exit).as("registrar %d; stderr in %s; lines %s", c.pid(), c.stderr(), c.lines()).isZero();
            c.lines().stream().filter(l -> l.startsWith("CREATED")).forEach(created::add);
        }
        Files.createFile(stop);
        assertThat(collector.awaitExit(600_000)).as("collector; lines %s", collector.lines()).isZero();
        String[] collected = collector.lines().stream().filter(l -> l.startsWith("COLLECTED")).findFirst()
                .orElseThrow().split(" ");
        assertThat(Long.parseLong(collected[1])).as("collections run").isGreaterThanOrEqualTo(3);
        assertThat(created).hasSize(writers * perProcess);

        try (Mlops mlops = Mlops.builder().store(store.open()).build()) {
            int checked = 0;
            for (String line : created) {
                String[] f = line.split(" ");
                ModelVersion v = mlops.models().version(f[1], Integer.parseInt(f[2]));
                for (var e : v.artifact().entries()) {
                    try (java.io.InputStream in = mlops.models().openArtifact(v.ref(), e.path())) {
                        assertThat(in.readAllBytes()).as("%s %s", v.ref(), e.path()).hasSize((int) e.size());
                    }
                }
                assertThat(mlops.models().attachment(v.ref(), "notes")).isNotEmpty();
                checked++;
            }
            assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(java.time.Duration.ZERO)).problems()).isEmpty();
            long deleted = Long.parseLong(collected[2]);
            System.out.printf("collection race (%s): %d acknowledged versions checked, %s collections deleted %d"
                    + " blobs%n", store.provider(), checked, collected[1], deleted);
        }
    }
}
