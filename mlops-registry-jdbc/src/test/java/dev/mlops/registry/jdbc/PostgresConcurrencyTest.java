package dev.mlops.registry.jdbc;

import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.process.ChildJvm;
import dev.mlops.registry.tck.process.RegistryChecks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.AliasMove;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.RegisteredModel;
import dev.mlops.core.Mlops;
import java.nio.file.Path;
import java.time.Clock;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * mlops-it's {@code ConcurrencyTest} against PostgreSQL: four JVM processes, each with its own
 * connections, register 100 versions each into one model in one schema and move its aliases at
 * the same time.
 */
@ExtendWith(PostgresAvailable.class)
@DisplayName("PostgreSQL: 4 processes x 100 registrations into one model")
class PostgresConcurrencyTest {
    static final int PROCESSES = 4;
    static final int PER_PROCESS = Integer.getInteger("mlops.jdbc.concurrency.registrations", 100);
    static final int MAX_SIZE = 4096;
    static final String MODEL = "shared";

    @Test
    @DisplayName("gives 400 distinct gap-free versions, a consistent alias history and one audit entry per version")
    void fourProcessesShareOneModel(@TempDir Path tmp) throws Exception {
        PostgresCluster cluster = PostgresCluster.require();
        String schema = cluster.newSchema();
        ClusterStores.open(cluster, schema, Clock.systemUTC()).close(); // migrate once, so the children start alike
        List<ChildJvm> children = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            children.add(ChildJvm.start(RegistrationWorker.class, tmp.resolve("worker-" + p + ".err"),
                    cluster.url(schema), MODEL, Long.toString(7000 + p), Integer.toString(PER_PROCESS), Integer.toString(MAX_SIZE)));
        }
        Reported reported = new Reported();
        for (ChildJvm c : children) {
            int exit = c.awaitExit(600_000);
            List<String> lines = c.lines();
            assertThat(exit).as("worker %d exit code; stderr in %s; last lines %s", c.pid(), c.stderr(),
                    lines.subList(Math.max(0, lines.size() - 5), lines.size())).isZero();
            assertThat(lines).as("worker %d finished", c.pid()).endsWith("DONE");
            assertThat(lines.stream().filter(l -> l.startsWith("CREATED"))).hasSize(PER_PROCESS);
            reported.add(lines);
        }
        assertThat(reported.errors).isEmpty();
        int total = PROCESSES * PER_PROCESS;

        try (Mlops mlops = Mlops.builder().store(ClusterStores.open(cluster, schema, Clock.systemUTC())).build()) {
            List<ModelVersion> versions = RegistryChecks.allVersions(mlops.models(), MODEL);
            Set<Integer> listed = versions.stream().map(ModelVersion::version).collect(Collectors.toCollection(TreeSet::new));
            assertThat(versions).hasSize(total);
            assertThat(listed).as("distinct versions 1..%d", total)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, total).boxed().toList());

            Map<Integer, Reported.Created> byVersion = new HashMap<>();
            for (Reported.Created c : reported.created) {
                assertThat(byVersion.put(c.version(), c)).as("version %d reported by one process only", c.version()).isNull();
            }
            assertThat(byVersion.keySet()).as("the union of what the children reported is the listing")
                    .containsExactlyInAnyOrderElementsOf(listed);
            for (ModelVersion v : versions) {
                Reported.Created c = byVersion.get(v.version());
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
                long reportedSets = reported.moves.stream().filter(m -> m.alias().equals(alias) && m.kind().equals("ALIAS")).count();
                long reportedRollbacks = reported.moves.stream()
                        .filter(m -> m.alias().equals(alias) && m.kind().equals("ROLLBACK")).count();
                long historySets = history.stream().filter(m -> m.kind() == AliasMove.Kind.SET).count();
                long historyRollbacks = history.stream().filter(m -> m.kind() == AliasMove.Kind.ROLLBACK).count();
                // a setAlias to the version the alias already points at returns and records
                // nothing, so a returned call is a SET move or such a no-op
                assertThat(historySets).as("SET moves of %s: at most one per setAlias that returned", alias)
                        .isLessThanOrEqualTo(reportedSets);
                for (int v = 1; v <= total; v++) {
                    int version = v;
                    long reportedTo = reported.moves.stream()
                            .filter(m -> m.alias().equals(alias) && m.kind().equals("ALIAS") && m.version() == version).count();
                    assertThat(RegistryChecks.count(history, AliasMove.Kind.SET, version))
                            .as("SET moves of %s to %d, reported %d times", alias, version, reportedTo)
                            .isLessThanOrEqualTo(reportedTo);
                }
                assertThat(historyRollbacks).as("ROLLBACK moves of %s", alias).isEqualTo(reportedRollbacks);
                for (Reported.Move m : reported.moves) {
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

            IntegrityReport report = mlops.verify(false);
            assertThat(report.problems()).isEmpty();
            System.out.printf("postgres concurrency test: %d versions, %d alias sets, %d rollbacks, %d audit entries%n",
                    versions.size(), setMoves, rollbacks, entries.size());
        }
    }
}
