package dev.mlops.gates;

import dev.mlops.quality.Fairness;
import dev.mlops.quality.McNemar;
import dev.mlops.quality.Metrics;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.AuditEntry;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Schema;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.LatencyMeasurement;
import dev.mlops.api.quality.MetricValue;
import dev.mlops.api.quality.ValidationSuite;
import dev.mlops.api.quality.Verdict;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Must-show 3: over random policies and random check outcomes (metric values, missing or NaN
 * metrics, evaluations that throw, empty or damaged or absent data, no champion, a champion
 * that cannot be evaluated, latency over or under the ceiling), the gate promotes exactly when
 * an independent oracle says every rule holds, and a refusal never moves the alias: the alias
 * and the audit trail are read back after every try. Bounded by try counts.
 */
class PromotionGatePropertiesTest {
    private static final List<String> METRICS = List.of("accuracy", "f1_macro", "log_loss");
    private static final int ROWS = 40;

    enum Source { EXPLICIT, EVALUATED }

    enum Champion { NONE, PRESENT, UNLOADABLE }

    enum Data { FULL, DAMAGED, EMPTY, ABSENT }

    record Bound(String metric, boolean min, double bound) {
    }

    record Rel(String metric, boolean gib, OptionalDouble abs, OptionalDouble rel) {
    }

    /** A non-inferiority margin: absolute ({@code non_inferiority:m}) or relative ({@code relative_non_inferiority:m}). */
    record Margin(String metric, boolean gib, boolean relative, double loss) {
        String check() {
            return (relative ? "relative_non_inferiority:" : "non_inferiority:") + metric;
        }
    }

    record Rules(List<Bound> bounds, List<Rel> relative, List<Margin> margins, OptionalDouble mcnemarAlpha,
                 OptionalDouble latencyMaxMs, boolean suite, OptionalDouble fairnessMax, boolean requireChampion) {
    }

    record World(Source source, Champion champion, Data data, boolean candidateThrows,
                 Map<String, Double> candidateMetrics, Map<String, Double> championMetrics,
                 long candidateSeed, long championSeed, OptionalDouble latencyMs) {
    }

    // ---- generators -----------------------------------------------------------------------------

    private static Arbitrary<OptionalDouble> maybe(Arbitrary<Double> values) {
        return Arbitraries.oneOf(Arbitraries.just(OptionalDouble.empty()), values.map(OptionalDouble::of));
    }

    /**
     * A metric value: NaN now and then, else in [0, 1] on a coarse grid so ties with bounds
     * happen, with extra zeros (a champion's 0 is an edge case of the relative checks).
     */
    private static Arbitrary<Double> metricValue() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Double.NaN)),
                Tuple.of(2, Arbitraries.just(0.0)),
                Tuple.of(20, Arbitraries.integers().between(0, 20).map(i -> i / 20.0)));
    }

    /** Metric values by name; a name is missing now and then. */
    private static Arbitrary<Map<String, Double>> metricMap() {
        Arbitrary<Double> maybeMissing = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just((Double) null)),
                Tuple.of(12, metricValue()));
        return maybeMissing.list().ofSize(METRICS.size()).map(values -> {
            Map<String, Double> m = new HashMap<>();
            for (int i = 0; i < METRICS.size(); i++) {
                if (values.get(i) != null) {
                    m.put(METRICS.get(i), values.get(i));
                }
            }
            return m;
        });
    }

    @Provide
    Arbitrary<Rules> rules() {
        Arbitrary<List<Bound>> bounds = Combinators.combine(Arbitraries.of(METRICS), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 20).map(i -> i / 20.0)).as(Bound::new)
                .list().ofMaxSize(2).uniqueElements(b -> (b.min() ? "min:" : "max:") + b.metric());
        Arbitrary<List<Rel>> rel = Combinators.combine(Arbitraries.of(METRICS), Arbitraries.of(true, false),
                        maybe(Arbitraries.integers().between(0, 4).map(i -> i / 20.0)),
                        maybe(Arbitraries.integers().between(0, 5).map(i -> i / 10.0)))
                .as(Rel::new)
                .filter(r -> r.abs().isPresent() || r.rel().isPresent())
                .filter(r -> !r.metric().equals("log_loss") ? r.gib() : !r.gib()) // standard directions
                .list().ofMaxSize(2).uniqueElements(Rel::metric);
        Arbitrary<List<Margin>> margins = Combinators.combine(Arbitraries.of(METRICS), Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 4))
                .as((m, relative, i) -> new Margin(m, !m.equals("log_loss"), relative, relative ? i / 10.0 : i / 20.0))
                .list().ofMaxSize(2).uniqueElements(Margin::check);
        return Combinators.combine(bounds, rel, margins, maybe(Arbitraries.of(0.01, 0.05, 0.5)),
                maybe(Arbitraries.integers().between(1, 10).map(i -> i * 10.0)), Arbitraries.of(true, false),
                maybe(Arbitraries.integers().between(0, 10).map(i -> i / 10.0)), Arbitraries.of(true, false))
                .as(Rules::new);
    }

    @Provide
    Arbitrary<World> worlds() {
        return Combinators.combine(Arbitraries.of(Source.class),
                        Arbitraries.frequency(Tuple.of(4, Champion.PRESENT), Tuple.of(2, Champion.NONE),
                                Tuple.of(1, Champion.UNLOADABLE)),
                        Arbitraries.frequency(Tuple.of(6, Data.FULL), Tuple.of(1, Data.DAMAGED), Tuple.of(1, Data.EMPTY),
                                Tuple.of(1, Data.ABSENT)),
                        Arbitraries.frequency(Tuple.of(1, true), Tuple.of(8, false)),
                        candidateAndChampionMetrics(), Arbitraries.longs(),
                        Combinators.combine(Arbitraries.longs(), maybe(Arbitraries.integers().between(0, 15)
                                .map(i -> i * 10.0))).as(Tuple::of))
                .as((s, c, d, t, m, cs, rest) -> new World(s, c, d, t, m.get1(), m.get2(), cs, rest.get1(), rest.get2()));
    }

    /** Now and then the champion scores exactly what the candidate does: a tie at a margin of 0 or a change of 0. */
    private static Arbitrary<Tuple.Tuple2<Map<String, Double>, Map<String, Double>>> candidateAndChampionMetrics() {
        return Combinators.combine(metricMap(), metricMap(), Arbitraries.frequency(Tuple.of(1, true), Tuple.of(4, false)))
                .as((candidate, champion, tie) -> Tuple.of(candidate, tie ? candidate : champion));
    }

    // ---- the property ---------------------------------------------------------------------------

    @Property(tries = 400)
    void promotesExactlyWhenEveryRulePassesAndNeverMovesTheAliasOnARefusal(@ForAll("rules") Rules rules,
                                                                           @ForAll("worlds") World world) {
        try (GateFixture fx = new GateFixture()) {
            Frame full = frame(world, Data.FULL);
            Frame frame = frame(world, world.data());
            ModelVersion v1 = fx.register("credit", Map.of());
            if (world.champion() != Champion.NONE) {
                fx.mlops.models().setAlias("credit", "production", 1);
            }
            ModelVersion candidate = fx.register("credit", Map.of());
            PromotionPolicy policy = policy(rules);

            // what each model predicts (on the rows of the frame it is given)
            Map<Integer, Long> seeds = Map.of(candidate.number(), world.candidateSeed(), v1.number(), world.championSeed());
            PromotionGate.Inputs.Builder in = PromotionGate.inputs();
            if (world.source() == Source.EXPLICIT) {
                in.candidateMetrics(world.candidateMetrics());
                if (world.champion() == Champion.PRESENT) {
                    in.championMetrics(world.championMetrics());
                }
                if (frame != null) {
                    in.frame(frame);
                }
            } else {
                in.frame(frame == null ? full : frame).classifier(version -> {
                    if (version.number() == candidate.number() && world.candidateThrows()) {
                        throw new IllegalStateException("candidate evaluation blew up");
                    }
                    if (version.number() != candidate.number() && world.champion() == Champion.UNLOADABLE) {
                        throw new java.io.IOException("champion artifact unreadable");
                    }
                    long seed = seeds.get(version.number());
                    return f -> predictions(f, seed);
                });
            }
            world.latencyMs().ifPresent(ms -> in.latency(new LatencyMeasurement(10, 100, 1, (long) (ms * 1e6), 1, 1)));

            List<String> auditBefore = fx.actions();
            Optional<Integer> aliasBefore = fx.alias("credit", "production");
            PromotionGate.Promotion p = PromotionGate.of(fx.mlops, policy).promote(candidate.ref(), "production", in.build());
            PromotionDecision d = p.decision();

            Map<String, Boolean> expected = oracle(rules, world, frame == null && world.source() == Source.EVALUATED
                    ? full : frame);
            boolean expectPass = !expected.isEmpty() && !expected.containsValue(false);

            // every named check has the verdict the oracle computed independently
            for (Map.Entry<String, Boolean> e : expected.entrySet()) {
                if (e.getKey().equals("data:*")) {
                    boolean dataOk = d.checks().stream().filter(c -> c.name().startsWith("data")).allMatch(CheckResult::passed);
                    assertThat(dataOk).as("data checks in %s", d.checks()).isEqualTo(e.getValue());
                } else {
                    assertThat(verdict(d, e.getKey())).as("%s in %s", e.getKey(), d.checks())
                            .isEqualTo(e.getValue() ? Verdict.PASS : Verdict.FAIL);
                }
            }
            assertThat(d.passed()).as("decision %s", d.checks()).isEqualTo(expectPass);
            Statistics.label("outcome").collect(expectPass ? "promoted" : "refused");
            Statistics.label("world").collect(world.source(), world.champion(), world.data());
            // margins must be seen both holding and broken against a real champion, not only skipped
            for (Margin m : rules.margins()) {
                boolean compared = world.champion() != Champion.NONE && d.checks().stream()
                        .anyMatch(c -> c.name().equals(m.check()) && c.observed().isPresent());
                Statistics.label("margin").collect(world.champion() == Champion.NONE ? "no champion"
                        : !compared ? "not computable" : expected.get(m.check()) ? "holds" : "broken");
            }
            Statistics.label("margin").coverage(c -> {
                c.check("holds").count(n -> n >= 10);
                c.check("broken").count(n -> n >= 10);
            });
            Statistics.label("outcome").coverage(c -> {
                c.check("promoted").percentage(x -> x >= 1);
                c.check("refused").percentage(x -> x >= 10);
            });
            assertThat(p.promoted()).isEqualTo(expectPass);

            // the decision is recorded either way
            assertThat(PromotionGate.recordedDecisions(fx.mlops.models(), candidate.ref()).values()).containsExactly(d);
            List<String> added = fx.actions().subList(auditBefore.size(), fx.actions().size());
            if (expectPass) {
                assertThat(fx.alias("credit", "production")).contains(candidate.number());
                assertThat(added).containsExactly("version.attach", "alias.promote");
                AuditEntry move = last(fx);
                assertThat(move.after()).containsEntry("decision", p.recordedAs().orElseThrow())
                        .containsEntry("version", String.valueOf(candidate.number()));
            } else {
                assertThat(fx.alias("credit", "production")).isEqualTo(aliasBefore);
                assertThat(added).containsExactly("version.attach", "promotion.refused");
                assertThat(added).noneMatch(a -> a.startsWith("alias."));
                Set<String> failed = new TreeSet<>(List.of(last(fx).after().get("failed").split(", ")));
                Set<String> failures = new TreeSet<>(d.failures().stream().map(CheckResult::name).toList());
                assertThat(failed).isEqualTo(failures.isEmpty() ? Set.of("(no checks)") : failures);
            }
            assertThat(fx.mlops.audit().verify().ok()).isTrue();
        }
    }

    // ---- a passing world, and the same world with one failure injected ------------------------

    /** What can go wrong, each applicable only to policies with a rule it breaks. */
    enum Injection {
        CANDIDATE_EVALUATION_THROWS, CHAMPION_CANNOT_BE_LOADED, NO_CHAMPION_BUT_REQUIRED, EMPTY_DATA,
        DAMAGED_DATA, LATENCY_OVER_CEILING, NO_LATENCY_MEASUREMENT, EMPTY_POLICY;

        boolean appliesTo(PassingRules r) {
            boolean needsChampion = r.relative().isPresent() || r.margin().isPresent() || r.mcnemar();
            return switch (this) {
                case NO_CHAMPION_BUT_REQUIRED -> needsChampion;
                // the gate evaluates both models whenever it is given a factory: a throw refuses
                case CANDIDATE_EVALUATION_THROWS, CHAMPION_CANNOT_BE_LOADED, EMPTY_DATA, EMPTY_POLICY -> true;
                case DAMAGED_DATA -> r.suite();
                case LATENCY_OVER_CEILING, NO_LATENCY_MEASUREMENT -> r.latency();
            };
        }
    }

    /**
     * Rules a perfect candidate passes against a weaker champion: accuracy at least a bound
     * up to 1, an improvement of at most 0.2 (the champion scores 0.675), McNemar at 5%, p99 under the ceiling, the
     * suite on complete data, and a demographic parity gap of at most x (perfect predictions
     * on these rows have a gap of 0). At least one rule.
     */
    record PassingRules(OptionalDouble minAccuracy, Optional<Rel> relative, Optional<Margin> margin, boolean mcnemar,
                        boolean latency, boolean suite, boolean fairness) {
        boolean isEmpty() {
            return minAccuracy.isEmpty() && relative.isEmpty() && margin.isEmpty() && !mcnemar && !latency && !suite
                    && !fairness;
        }
    }

    @Provide
    Arbitrary<PassingRules> passingRules() {
        Arbitrary<Optional<Rel>> rel = Combinators.combine(maybe(Arbitraries.integers().between(0, 4).map(i -> i / 20.0)),
                        maybe(Arbitraries.integers().between(0, 2).map(i -> i / 10.0)))
                .as((a, r) -> a.isEmpty() && r.isEmpty() ? Optional.<Rel>empty()
                        : Optional.of(new Rel("accuracy", true, a, r)));
        // a perfect candidate is better than the champion, so any margin holds (0: "not worse")
        Arbitrary<Optional<Margin>> margin = Arbitraries.oneOf(Arbitraries.just(Optional.<Margin>empty()),
                Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 4))
                        .as((relative, i) -> Optional.of(new Margin("accuracy", true, relative, i / 20.0))));
        return Combinators.combine(maybe(Arbitraries.integers().between(0, 20).map(i -> i / 20.0)), rel, margin,
                        Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.of(true, false))
                .as(PassingRules::new).filter(r -> !r.isEmpty());
    }

    @Property(tries = 200)
    void aPassingWorldPromotesAndAnyInjectedFailureRefusesWithoutMovingTheAlias(
            @ForAll("passingRules") PassingRules rules, @ForAll Injection injection, @ForAll boolean withChampion,
            @ForAll long seed) {
        net.jqwik.api.Assume.that(injection.appliesTo(rules));
        boolean champion = injection != Injection.NO_CHAMPION_BUT_REQUIRED
                && (withChampion || injection == Injection.CHAMPION_CANNOT_BE_LOADED);
        try (GateFixture fx = new GateFixture()) {
            fx.register("credit", Map.of());
            if (champion) {
                fx.mlops.models().setAlias("credit", "production", 1);
            }
            ModelVersion candidate = fx.register("credit", Map.of());
            Optional<Integer> aliasBefore = fx.alias("credit", "production");

            // the injected world: refused, alias untouched, the refusal recorded
            List<String> before = fx.actions();
            PromotionGate.Promotion refused = PromotionGate.of(fx.mlops, passingPolicy(rules, injection))
                    .promote(candidate.ref(), "production", passingInputs(rules, injection, candidate.number(), seed));
            assertThat(refused.promoted()).as("%s with %s: %s", injection, rules, refused.decision().checks()).isFalse();
            assertThat(refused.decision().passed()).isFalse();
            assertThat(fx.alias("credit", "production")).isEqualTo(aliasBefore);
            assertThat(fx.actions().subList(before.size(), fx.actions().size()))
                    .containsExactly("version.attach", "promotion.refused");
            assertThat(refused.decision().failures()).isNotEmpty();
            Statistics.label("injection").collect(injection);

            // the same candidate in the passing world: promoted
            before = fx.actions();
            PromotionGate.Promotion passed = PromotionGate.of(fx.mlops, passingPolicy(rules, null))
                    .promote(candidate.ref(), "production", passingInputs(rules, null, candidate.number(), seed));
            assertThat(passed.decision().failures()).as("%s", rules).isEmpty();
            assertThat(passed.promoted()).isTrue();
            assertThat(fx.alias("credit", "production")).contains(candidate.number());
            assertThat(fx.actions().subList(before.size(), fx.actions().size()))
                    .containsExactly("version.attach", "alias.promote");
            assertThat(passed.recordedAs()).contains("promotion-decision-2");
            assertThat(fx.mlops.audit().verify().ok()).isTrue();
        }
    }

    /** MLflow's MetricThreshold with both changes is two rules: the absolute and the relative improvement. */
    private static void addRelative(PromotionPolicy.Builder b, Rel x) {
        x.abs().ifPresent(m -> b.improvement(x.metric(), x.gib(), m));
        x.rel().ifPresent(m -> b.relativeImprovement(x.metric(), x.gib(), m));
    }

    private static PromotionPolicy passingPolicy(PassingRules r, Injection injection) {
        PromotionPolicy.Builder b = PromotionPolicy.builder("passing")
                .requireChampion(injection == Injection.NO_CHAMPION_BUT_REQUIRED);
        if (injection == Injection.EMPTY_POLICY) {
            return b.build();
        }
        r.minAccuracy().ifPresent(m -> b.minimum("accuracy", m));
        r.relative().ifPresent(x -> addRelative(b, x));
        r.margin().ifPresent(x -> b.rule(x.relative() ? new PromotionRule.RelativeNonInferiority(x.metric(), x.gib(), x.loss())
                : new PromotionRule.NonInferiority(x.metric(), x.gib(), x.loss())));
        if (r.mcnemar()) {
            b.mcnemar(0.05);
        }
        if (r.latency()) {
            b.maxLatencyP99Millis(50);
        }
        if (r.suite()) {
            b.dataValidation(suite());
        }
        if (r.fairness()) {
            b.fairnessMax("group", "demographic_parity_difference", 0.0);
        }
        return b.build();
    }

    private static PromotionGate.Inputs passingInputs(PassingRules r, Injection injection, int candidateVersion, long seed) {
        World w = new World(Source.EVALUATED, Champion.PRESENT, Data.FULL, false, Map.of(), Map.of(), seed, seed,
                OptionalDouble.empty());
        Data data = injection == Injection.EMPTY_DATA ? Data.EMPTY
                : injection == Injection.DAMAGED_DATA ? Data.DAMAGED : Data.FULL;
        PromotionGate.Inputs.Builder in = PromotionGate.inputs().frame(frame(w, data)).classifier(version -> {
            if (version.number() == candidateVersion) {
                if (injection == Injection.CANDIDATE_EVALUATION_THROWS) {
                    return f -> {
                        throw new dev.mlops.api.ValidationException("model output has 3 values, expected 2");
                    };
                }
                return f -> ClassificationData.ofLabels(List.of("bad", "good"), f.strings("label"), f.strings("label"));
            }
            if (injection == Injection.CHAMPION_CANNOT_BE_LOADED) {
                throw new java.io.IOException("cannot read the champion's artifact");
            }
            return PromotionGatePropertiesTest::weaker;
        });
        if (injection == Injection.LATENCY_OVER_CEILING) {
            in.latency(new LatencyMeasurement(50, 200, 1_000_000, 80_000_000, 2e6, 90_000_000));
        } else if (injection != Injection.NO_LATENCY_MEASUREMENT) {
            in.latency(new LatencyMeasurement(50, 200, 1_000_000, 20_000_000, 2e6, 30_000_000));
        }
        return in.build();
    }

    /** A weaker champion: wrong on every third row (accuracy 0.675 on 40 rows). */
    private static ClassificationData weaker(Frame f) {
        String[] actual = f.strings("label");
        String[] predicted = new String[actual.length];
        for (int i = 0; i < actual.length; i++) {
            predicted[i] = i % 3 != 1 ? actual[i] : actual[i].equals("good") ? "bad" : "good";
        }
        return ClassificationData.ofLabels(List.of("bad", "good"), actual, predicted);
    }

    private static AuditEntry last(GateFixture fx) {
        List<AuditEntry> all = fx.mlops.audit().entries(1, 10_000);
        return all.get(all.size() - 1);
    }

    private static Verdict verdict(PromotionDecision d, String name) {
        return d.checks().stream().filter(c -> c.name().equals(name)).findFirst().map(CheckResult::verdict)
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + d.checks()));
    }

    // ---- the world ------------------------------------------------------------------------------

    private static PromotionPolicy policy(Rules r) {
        PromotionPolicy.Builder b = PromotionPolicy.builder("random").requireChampion(r.requireChampion());
        r.bounds().forEach(x -> {
            if (x.min()) {
                b.minimum(x.metric(), x.bound());
            } else {
                b.maximum(x.metric(), x.bound());
            }
        });
        r.relative().forEach(x -> addRelative(b, x));
        r.margins().forEach(x -> {
            if (x.relative()) {
                b.relativeNonInferiority(x.metric(), x.gib(), x.loss());
            } else {
                b.nonInferiority(x.metric(), x.gib(), x.loss());
            }
        });
        r.mcnemarAlpha().ifPresent(b::mcnemar);
        r.latencyMaxMs().ifPresent(b::maxLatencyP99Millis);
        if (r.suite()) {
            b.dataValidation(suite());
        }
        r.fairnessMax().ifPresent(m -> b.fairnessMax("group", "demographic_parity_difference", m));
        return b.build();
    }

    private static ValidationSuite suite() {
        return ValidationSuite.builder("eval").rowCount(1, 1_000_000).completeness("x", 1.0).build();
    }

    /** Rows: a feature x (missing in a damaged frame), a group a/b and a label bad/good. */
    private static Frame frame(World w, Data data) {
        if (data == Data.ABSENT) {
            return null;
        }
        int n = data == Data.EMPTY ? 0 : ROWS;
        double[] x = new double[n];
        String[] group = new String[n];
        String[] label = new String[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(w.candidateSeed() ^ 0x5DEECE66DL);
        for (int i = 0; i < n; i++) {
            x[i] = data == Data.DAMAGED && i % 7 == 0 ? Double.NaN : r.nextDouble();
            group[i] = i % 3 == 0 ? "a" : "b";
            label[i] = i % 2 == 0 ? "good" : "bad";
        }
        return Frame.ofColumns(Schema.of(new Field("x", FieldType.DOUBLE), new Field("group", FieldType.STRING),
                new Field("label", FieldType.STRING)), List.of(x, group, label));
    }

    /** A model's predictions on a frame: each label kept with a seed-dependent probability. */
    private static ClassificationData predictions(Frame f, long seed) {
        String[] actual = f.strings("label");
        String[] predicted = new String[actual.length];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double keep = 0.3 + 0.7 * r.nextDouble();
        for (int i = 0; i < actual.length; i++) {
            boolean right = r.nextDouble() < keep;
            predicted[i] = right ? actual[i] : actual[i].equals("good") ? "bad" : "good";
        }
        return ClassificationData.ofLabels(List.of("bad", "good"), actual, predicted);
    }

    // ---- the oracle: what each rule should conclude, computed without the gate -----------------

    private static Map<String, Boolean> oracle(Rules r, World w, Frame frame) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        boolean anyRule = !r.bounds().isEmpty() || !r.relative().isEmpty() || !r.margins().isEmpty()
                || r.mcnemarAlpha().isPresent()
                || r.latencyMaxMs().isPresent() || r.suite() || r.fairnessMax().isPresent();
        if (!anyRule) {
            out.put("policy", false);
        }
        boolean evaluated = w.source() == Source.EVALUATED;
        boolean empty = frame != null && frame.rowCount() == 0;
        if (empty) {
            out.put("data:rows", false);
        }
        // the models' evaluation data (null when it cannot be had)
        ClassificationData cand = null;
        ClassificationData champ = null;
        if (evaluated && !empty) {
            cand = w.candidateThrows() ? null : predictions(frame, w.candidateSeed());
            champ = w.champion() == Champion.PRESENT ? predictions(frame, w.championSeed()) : null;
        }
        if (evaluated) {
            out.put("evaluation:candidate", cand != null);
            if (w.champion() != Champion.NONE) {
                out.put("evaluation:champion", champ != null);
            }
        }
        Map<String, Double> candM;
        Map<String, Double> champM;
        if (evaluated) {
            candM = cand == null ? null : report(cand);
            champM = champ == null ? null : report(champ);
        } else {
            candM = w.candidateMetrics();
            champM = w.champion() == Champion.PRESENT ? w.championMetrics() : null;
        }
        for (Bound b : r.bounds()) {
            Double v = candM == null ? null : candM.get(b.metric());
            out.put((b.min() ? "min:" : "max:") + b.metric(), v != null && Double.isFinite(v)
                    && (b.min() ? v >= b.bound() : v <= b.bound()));
        }
        boolean noChampion = w.champion() == Champion.NONE;
        for (Rel x : r.relative()) {
            Double c = candM == null ? null : candM.get(x.metric());
            Double h = champM == null ? null : champM.get(x.metric());
            x.abs().ifPresent(a -> out.put("improvement:" + x.metric(), noChampion ? !r.requireChampion()
                    : ok(c) && ok(h) && (x.gib() ? c >= h + a : c <= h - a)));
            x.rel().ifPresent(a -> {
                boolean v;
                if (noChampion) {
                    v = !r.requireChampion();
                } else if (!ok(c) || !ok(h)) {
                    v = false;
                } else if (h == 0.0) {
                    v = x.gib() ? c >= 1e-10 : c <= -1e-10;
                } else {
                    v = (x.gib() ? c - h : h - c) / Math.abs(h) >= a;
                }
                out.put("relative_improvement:" + x.metric(), v);
            });
        }
        for (Margin x : r.margins()) {
            Double c = candM == null ? null : candM.get(x.metric());
            Double h = champM == null ? null : champM.get(x.metric());
            boolean v;
            if (noChampion) {
                v = !r.requireChampion();
            } else if (!ok(c) || !ok(h)) {
                v = false;
            } else if (!x.relative()) {
                // worse by at most the margin, the bound computed first
                v = x.gib() ? c >= h - x.loss() : c <= h + x.loss();
            } else if (h == 0.0) {
                v = x.gib() ? c >= 0.0 : c <= 0.0; // a fraction of 0 tolerates no loss
            } else {
                v = (x.gib() ? c - h : h - c) / Math.abs(h) >= -x.loss();
            }
            out.put(x.check(), v);
        }
        r.mcnemarAlpha().ifPresent(alpha -> {
            boolean v;
            if (noChampion) {
                v = !r.requireChampion();
            } else {
                v = evaluated && mcnemarPasses(alpha, frame, w);
            }
            out.put("mcnemar:accuracy", v);
        });
        r.latencyMaxMs().ifPresent(max -> out.put("latency:p99", w.latencyMs().isPresent()
                && w.latencyMs().getAsDouble() <= max));
        if (r.suite()) {
            out.put("data:*", frame != null && frame.rowCount() > 0 && w.data() != Data.DAMAGED);
        } else if (empty) {
            out.put("data:*", false);
        }
        final ClassificationData fc = cand;
        r.fairnessMax().ifPresent(max -> {
            boolean v = false;
            if (fc != null) {
                double gap = Fairness.assess(fc, frame, "group").demographicParityDifference();
                v = gap <= max;
            }
            out.put("fairness:demographic_parity_difference(group)", v);
        });
        return out;
    }

    /** Both models evaluated on a non-empty frame and the candidate significantly more accurate. */
    private static boolean mcnemarPasses(double alpha, Frame frame, World w) {
        if (w.candidateThrows() || w.champion() != Champion.PRESENT || frame.rowCount() == 0) {
            return false;
        }
        return McNemar.test(predictions(frame, w.candidateSeed()), predictions(frame, w.championSeed()))
                .pValueImprovement() < alpha;
    }

    private static boolean ok(Double v) {
        return v != null && Double.isFinite(v);
    }

    private static Map<String, Double> report(ClassificationData d) {
        Map<String, Double> m = new HashMap<>();
        for (MetricValue v : Metrics.report(d).metrics()) {
            m.put(v.name(), v.value());
        }
        return m;
    }
}
