package dev.mlops.it;

import dev.mlops.registry.tck.process.RegistryChecks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.AliasMove;
import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.RegisteredModel;
import dev.mlops.api.Digests;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Must-show 1 (second half): random sequences of registry operations applied to the registry
 * over the filesystem store, to the registry over {@link InMemoryStore}, and to
 * {@link RegistryModel}, a plain model of the rules; after every step the outcome (result or
 * exception class) and the whole observable state must be identical.
 */
class RegistryPropertyTest {
    static final List<String> MODELS = List.of("m1", "m2");
    static final List<String> ALIASES = List.of("prod", "champ");
    static final List<String> TAG_KEYS = List.of("k1", "k2");

    // ---- operations ---------------------------------------------------------------------------

    /**
     * One registry operation, applicable to the real registry and to the model. Version numbers
     * are generated as picks and bound to a concrete number from the model's state just before
     * the step (see {@link #pickVersion(RegistryModel, String, int)}), so that most steps address a
     * version that exists and the alias and delete rules are exercised, not only not-found paths.
     */
    interface Op {
        int apply(ModelRegistry r);

        int apply(RegistryModel m);

        /** @return this operation with its version pick replaced by a version number */
        default Op bind(RegistryModel m) {
            return this;
        }
    }

    /**
     * @return for one pick in ten the number after the model's latest (never registered),
     *     otherwise one of 1 .. latest (deleted numbers included); 1 + pick % 3 when the model
     *     does not exist
     */
    static int pickVersion(RegistryModel m, String model, int pick) {
        RegistryModel.Model state = m.models.get(model);
        if (state == null || state.latest == 0) {
            return 1 + pick % 3;
        }
        return pick % 10 == 0 ? state.latest + 1 : 1 + (pick / 10) % state.latest;
    }

    record Register(String model, String fileName, byte[] content, Map<String, String> tags) implements Op {
        public int apply(ModelRegistry r) {
            NewModelVersion.Builder b = NewModelVersion.builder().artifact(Artifact.bytes(fileName, content));
            tags.forEach(b::tag);
            return r.register(model, b.build()).number();
        }

        public int apply(RegistryModel m) {
            return m.register(model, content, tags);
        }

        @Override
        public String toString() {
            return "register " + model + " " + fileName + " (" + content.length + " bytes, "
                    + Digests.sha256Hex(content).substring(0, 8) + ") tags " + tags;
        }
    }

    record SetAlias(String model, String alias, int version) implements Op {
        public Op bind(RegistryModel m) {
            return new SetAlias(model, alias, pickVersion(m, model, version));
        }

        public int apply(ModelRegistry r) {
            return r.setAlias(model, alias, version).number();
        }

        public int apply(RegistryModel m) {
            return m.setAlias(model, alias, version);
        }
    }

    record Rollback(String model, String alias) implements Op {
        public int apply(ModelRegistry r) {
            return r.rollback(model, alias).number();
        }

        public int apply(RegistryModel m) {
            return m.rollback(model, alias);
        }
    }

    record RemoveAlias(String model, String alias) implements Op {
        public int apply(ModelRegistry r) {
            r.removeAlias(model, alias);
            return 0;
        }

        public int apply(RegistryModel m) {
            m.removeAlias(model, alias);
            return 0;
        }
    }

    record Archive(String model, int version) implements Op {
        public Op bind(RegistryModel m) {
            return new Archive(model, pickVersion(m, model, version));
        }

        public int apply(ModelRegistry r) {
            return r.archive(ModelRef.version(model, version)).number();
        }

        public int apply(RegistryModel m) {
            return m.archive(model, version);
        }
    }

    record Restore(String model, int version) implements Op {
        public Op bind(RegistryModel m) {
            return new Restore(model, pickVersion(m, model, version));
        }

        public int apply(ModelRegistry r) {
            return r.restore(ModelRef.version(model, version)).number();
        }

        public int apply(RegistryModel m) {
            return m.restore(model, version);
        }
    }

    record Delete(String model, int version) implements Op {
        public Op bind(RegistryModel m) {
            return new Delete(model, pickVersion(m, model, version));
        }

        public int apply(ModelRegistry r) {
            r.deleteVersion(ModelRef.version(model, version));
            return 0;
        }

        public int apply(RegistryModel m) {
            m.delete(model, version);
            return 0;
        }
    }

    record SetTag(String model, int version, String key, String value) implements Op {
        public Op bind(RegistryModel m) {
            return new SetTag(model, pickVersion(m, model, version), key, value);
        }

        public int apply(ModelRegistry r) {
            return r.setVersionTag(ModelRef.version(model, version), key, value).number();
        }

        public int apply(RegistryModel m) {
            return m.setTag(model, version, key, value);
        }
    }

    record RemoveTag(String model, int version, String key) implements Op {
        public Op bind(RegistryModel m) {
            return new RemoveTag(model, pickVersion(m, model, version), key);
        }

        public int apply(ModelRegistry r) {
            return r.removeVersionTag(ModelRef.version(model, version), key).number();
        }

        public int apply(RegistryModel m) {
            return m.removeTag(model, version, key);
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        // mostly one model, so that its versions and aliases interact
        Arbitrary<String> model = Arbitraries.frequency(Tuple.of(6, MODELS.get(0)), Tuple.of(1, MODELS.get(1)));
        Arbitrary<String> alias = Arbitraries.of(ALIASES);
        Arbitrary<Integer> version = Arbitraries.integers().between(0, 1000).withoutEdgeCases();
        Arbitrary<String> key = Arbitraries.of(TAG_KEYS);
        Arbitrary<String> value = Arbitraries.of("a", "b", "");
        // a few fixed contents so that identical artifacts (deduplicated blobs) occur often
        Arbitrary<byte[]> content = Arbitraries.oneOf(
                Arbitraries.of(new byte[0], new byte[] {1}, new byte[] {1, 2, 3}),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
        Arbitrary<Map<String, String>> tags = Arbitraries.maps(key, value).ofMaxSize(2);
        Arbitrary<Op> register = Combinators.combine(model, Arbitraries.of("model.bin", "w.onnx"), content, tags)
                .as(Register::new);
        Arbitrary<Op> setAlias = Combinators.combine(model, alias, version).as(SetAlias::new);
        Arbitrary<Op> rollback = Combinators.combine(model, alias).as(Rollback::new);
        Arbitrary<Op> removeAlias = Combinators.combine(model, alias).as(RemoveAlias::new);
        Arbitrary<Op> archive = Combinators.combine(model, version).as(Archive::new);
        Arbitrary<Op> restore = Combinators.combine(model, version).as(Restore::new);
        Arbitrary<Op> delete = Combinators.combine(model, version).as(Delete::new);
        Arbitrary<Op> setTag = Combinators.combine(model, version, key, value).as(SetTag::new);
        Arbitrary<Op> removeTag = Combinators.combine(model, version, key).as(RemoveTag::new);
        @SuppressWarnings("unchecked")
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(4, register), Tuple.of(6, setAlias), Tuple.of(4, rollback), Tuple.of(2, removeAlias),
                Tuple.of(2, archive), Tuple.of(2, restore), Tuple.of(3, delete), Tuple.of(2, setTag),
                Tuple.of(1, removeTag)).withoutEdgeCases();
        return op.list().ofMinSize(10).ofMaxSize(40).withSizeDistribution(RandomDistribution.uniform());
    }

    // ---- observation --------------------------------------------------------------------------

    /** Everything a user can see of the registry's models, as comparable text. */
    record Observed(Map<String, String> models, List<String> audit) {
    }

    static Observed observe(Mlops mlops) {
        ModelRegistry r = mlops.models();
        Map<String, String> models = new TreeMap<>();
        for (String name : MODELS) {
            Optional<RegisteredModel> m = r.findModel(name);
            if (m.isEmpty()) {
                models.put(name, "absent");
                continue;
            }
            StringBuilder sb = new StringBuilder();
            sb.append("latest=").append(m.get().latestVersion()).append(" aliases=").append(new TreeMap<>(m.get().aliases()));
            for (ModelVersion v : RegistryChecks.allVersions(r, name)) {
                sb.append("\n  v").append(v.number()).append(' ').append(v.status()).append(" tags=")
                        .append(new TreeMap<>(v.tags())).append(" sha=").append(v.artifact().digest())
                        .append(" aliases=").append(v.aliases().stream().sorted().toList());
            }
            sb.append("\n  active=").append(r.listVersions(name, dev.mlops.api.VersionQuery.all()).items().stream()
                    .map(ModelVersion::number).toList());
            for (String alias : ALIASES) {
                sb.append("\n  ").append(alias).append(": ").append(outcome(() -> r.resolve(ModelRef.alias(name, alias)).number()))
                        .append(" history=").append(r.aliasHistory(name, alias).stream().map(RegistryPropertyTest::move).toList());
            }
            models.put(name, sb.toString());
        }
        List<String> audit = RegistryChecks.allEntries(mlops.audit()).stream()
                .map(e -> e.action() + " " + e.target()).toList();
        return new Observed(models, audit);
    }

    static Observed observe(RegistryModel model) {
        Map<String, String> models = new TreeMap<>();
        for (String name : MODELS) {
            RegistryModel.Model m = model.models.get(name);
            if (m == null) {
                models.put(name, "absent");
                continue;
            }
            StringBuilder sb = new StringBuilder();
            sb.append("latest=").append(m.latest).append(" aliases=").append(m.aliases);
            List<Integer> active = new ArrayList<>();
            for (RegistryModel.Version v : m.versions.values()) {
                if (v.deleted) {
                    continue;
                }
                if (!v.archived) {
                    active.add(v.number);
                }
                List<String> pointing = m.aliases.entrySet().stream().filter(e -> e.getValue() == v.number)
                        .map(Map.Entry::getKey).sorted().toList();
                sb.append("\n  v").append(v.number).append(' ').append(v.archived ? "ARCHIVED" : "ACTIVE").append(" tags=")
                        .append(v.tags).append(" sha=").append(v.sha256).append(" aliases=").append(pointing);
            }
            sb.append("\n  active=").append(active);
            for (String alias : ALIASES) {
                sb.append("\n  ").append(alias).append(": ").append(outcome(() -> model.resolve(name, alias)))
                        .append(" history=").append(m.history.getOrDefault(alias, List.of()));
            }
            models.put(name, sb.toString());
        }
        return new Observed(models, List.copyOf(model.audit));
    }

    static String move(AliasMove m) {
        return RegistryModel.move(m.kind().name(), m.from().orElse(null), m.to().orElse(null));
    }

    interface Step {
        int run();
    }

    static String outcome(Step step) {
        try {
            return "ok " + step.run();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    // ---- the property -------------------------------------------------------------------------

    @Property(tries = 50, seed = "20240611")
    @Label("registry over fs and in-memory stores behaves like the model after every step")
    void behavesLikeTheModel(@ForAll("operations") List<Op> ops) throws IOException {
        run(ops, true);
    }

    // Scenarios the random sequences reach only rarely, run through the same comparison.

    @Example
    @Label("rollback skips versions deleted since, then has nothing left")
    void rollbackSkipsDeletedVersions() throws IOException {
        run(List.of(reg("m1"), reg("m1"), reg("m1"), exact(new SetAlias("m1", "prod", 1)), exact(new SetAlias("m1", "prod", 2)),
                exact(new SetAlias("m1", "prod", 3)), exact(new Delete("m1", 2)), new Rollback("m1", "prod"),
                new Rollback("m1", "prod"), exact(new Delete("m1", 3))), false);
    }

    @Example
    @Label("rolling back a removed alias restores it, then walks back further")
    void rollbackRestoresRemovedAlias() throws IOException {
        run(List.of(reg("m1"), reg("m1"), exact(new SetAlias("m1", "prod", 1)), exact(new SetAlias("m1", "prod", 2)),
                new RemoveAlias("m1", "prod"), new Rollback("m1", "prod"), new Rollback("m1", "prod"),
                new Rollback("m1", "prod"), new RemoveAlias("m1", "prod"), new RemoveAlias("m1", "prod")), false);
    }

    @Example
    @Label("setting an alias to where it points records nothing")
    void settingAnAliasToItsVersionIsANoOp() throws IOException {
        run(List.of(reg("m1"), exact(new SetAlias("m1", "prod", 1)), exact(new SetAlias("m1", "prod", 1)),
                new Rollback("m1", "prod"), exact(new SetAlias("m1", "champ", 1))), false);
    }

    @Example
    @Label("deleted version numbers are never reused")
    void deletedNumbersAreNeverReused() throws IOException {
        run(List.of(reg("m1"), reg("m1"), exact(new Delete("m1", 2)), reg("m1"), exact(new Delete("m1", 3)),
                exact(new Delete("m1", 1)), exact(new Delete("m1", 1)), reg("m1"), exact(new SetAlias("m1", "prod", 3))), false);
    }

    @Example
    @Label("archived versions take aliases; a version with an alias cannot be deleted")
    void archivedAndAliasedVersions() throws IOException {
        run(List.of(reg("m1"), exact(new Archive("m1", 1)), exact(new Archive("m1", 1)), exact(new SetAlias("m1", "prod", 1)),
                exact(new Delete("m1", 1)), new RemoveAlias("m1", "prod"), exact(new Delete("m1", 1)),
                exact(new Restore("m1", 1)), exact(new SetTag("m1", 1, "k1", "a")), reg("m2"),
                exact(new SetTag("m2", 1, "k1", "a")), exact(new SetTag("m2", 1, "k1", "a")), exact(new RemoveTag("m2", 1, "k1")),
                exact(new RemoveTag("m2", 1, "k1")), exact(new Restore("m2", 1))), false);
    }

    private static Op reg(String model) {
        return new Register(model, "model.bin", model.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
    }

    private static Op exact(Op op) {
        return new Exact(op);
    }

    /** An operation whose version is meant literally, not as a pick. */
    record Exact(Op op) implements Op {
        public int apply(ModelRegistry r) {
            return op.apply(r);
        }

        public int apply(RegistryModel m) {
            return op.apply(m);
        }

        @Override
        public String toString() {
            return op.toString();
        }
    }

    private static void run(List<Op> ops, boolean statistics) throws IOException {
        Path dir = Files.createTempDirectory("mlops-it-property-");
        try (Mlops fs = Mlops.open(dir);
             Mlops memory = Mlops.builder().store(new InMemoryStore()).actor("property").build()) {
            RegistryModel model = new RegistryModel();
            List<String> done = new ArrayList<>();
            for (Op generated : ops) {
                Op op = generated.bind(model);
                String expected = outcome(() -> op.apply(model));
                String onFs = outcome(() -> op.apply(fs.models()));
                String inMemory = outcome(() -> op.apply(memory.models()));
                done.add(op + " -> " + expected);
                if (statistics) {
                    Statistics.label("operation outcomes").collect(op.getClass().getSimpleName(),
                            expected.startsWith("ok") ? "ok" : expected);
                }
                assertThat(onFs).as("outcome on fs of %s", done).isEqualTo(expected);
                assertThat(inMemory).as("outcome in memory of %s", done).isEqualTo(expected);
                Observed want = observe(model);
                assertThat(observe(fs)).as("state on fs after %s", done).isEqualTo(want);
                assertThat(observe(memory)).as("state in memory after %s", done).isEqualTo(want);
            }
            assertThat(fs.verify(VerifyOptions.check()).problems()).as("fs store verifies after %s", done).isEmpty();
            assertThat(memory.verify(VerifyOptions.check()).problems()).isEmpty();
            assertThat(fs.audit().verify().ok()).isTrue();
        } finally {
            deleteRecursively(dir);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
