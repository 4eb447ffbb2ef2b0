package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Reference profiles on the shared reference vectors: KS from the profile (sketch against exact
 * current values, and grid against window counts) is within its stated bound of the exact KS;
 * binned distances over reference-fixed bins equal the exact binned values; the JSON round trip
 * is lossless.
 */
class ReferenceProfileTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final DriftReport.Window W = new DriftReport.Window(Instant.EPOCH, Instant.EPOCH.plusSeconds(60), 1);
    private static final String[] BINNED = {"psi", "kl_div", "jensenshannon", "hellinger", "tvd"};

    static Frame numericFrame(double[] v) {
        return Frame.ofColumns(Schema.of(new Field("x", FieldType.DOUBLE)), List.of(v));
    }

    static Frame categoricalFrame(String[] v) {
        return Frame.ofColumns(Schema.of(new Field("x", FieldType.STRING)), List.<Object>of((Object) v));
    }

    private static ColumnDrift compareFrame(ReferenceProfile p, Frame current, DriftMethod m) {
        MonitorPolicy policy = MonitorPolicy.builder().method("x", m).build();
        return p.compare(current, policy, CLOCK).column("x").orElseThrow();
    }

    private static ColumnDrift compareWindow(ReferenceProfile p, Frame current, DriftMethod m) {
        MonitorPolicy policy = MonitorPolicy.builder().method("x", m).build();
        WindowState w = WindowState.of(p, current, W);
        return p.compare(w, policy, CLOCK).column("x").orElseThrow();
    }

    private static void assertRelative(String what, double expected, double actual, double rtol) {
        double err = expected == actual ? 0 : Math.abs(expected - actual) / Math.max(Math.abs(expected), 1e-300);
        assertThat(err).as(what + ": expected " + expected + ", got " + actual).isLessThanOrEqualTo(rtol);
    }

    @TestFactory
    List<DynamicTest> referenceVectors() throws IOException {
        JsonNode root = ReferenceVectorsTest.load("/reference-vectors.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            String id = c.get("id").asText();
            JsonNode exp = c.get("expected");
            if ("numerical".equals(c.get("kind").asText())) {
                double[] ref = ReferenceVectorsTest.doubles(c.get("reference"));
                double[] cur = ReferenceVectorsTest.doubles(c.get("current"));
                tests.add(dynamicTest(id + ": KS from the sketch is within its bound of the exact KS", () -> {
                    ReferenceProfile p = ReferenceProfile.of(numericFrame(ref));
                    double exact = NumericalTests.kolmogorovSmirnov(ref, cur).statistic();
                    assertThat(exact).isEqualTo(exp.get("ks").get("statistic").asDouble(), org.assertj.core.api.Assertions.within(1e-12));
                    ColumnDrift d = compareFrame(p, numericFrame(cur), DriftMethod.KS);
                    assertThat(d.errorBound()).isPresent();
                    assertThat(Math.abs(d.statistic() - exact)).isLessThanOrEqualTo(d.errorBound().getAsDouble() + 1e-12);
                    if (ref.length <= 200) { // the sketch is exact: so is the statistic and its p-value
                        assertThat(d.errorBound().getAsDouble()).isZero();
                        assertRelative(id + " ks p", exp.get("ks").get("pvalue").asDouble(), d.pValue().getAsDouble(), 1e-6);
                    }
                }));
                tests.add(dynamicTest(id + ": KS from the grid is within its bound of the exact KS", () -> {
                    ReferenceProfile p = ReferenceProfile.of(numericFrame(ref));
                    double exact = NumericalTests.kolmogorovSmirnov(ref, cur).statistic();
                    ColumnDrift d = compareWindow(p, numericFrame(cur), DriftMethod.KS);
                    assertThat(Math.abs(d.statistic() - exact)).isLessThanOrEqualTo(d.errorBound().getAsDouble() + 1e-12);
                    assertThat(d.errorBound().getAsDouble()).isLessThan(0.05);
                }));
                tests.add(dynamicTest(id + ": Wasserstein from sketch and grid within their bounds", () -> {
                    ReferenceProfile p = ReferenceProfile.of(numericFrame(ref));
                    double exact = exp.get("wasserstein_norm").asDouble();
                    for (ColumnDrift d : List.of(compareFrame(p, numericFrame(cur), DriftMethod.WASSERSTEIN_NORM),
                            compareWindow(p, numericFrame(cur), DriftMethod.WASSERSTEIN_NORM))) {
                        assertThat(Math.abs(d.statistic() - exact)).isLessThanOrEqualTo(d.errorBound().getAsDouble() + 1e-9);
                    }
                    if (ref.length <= 200) {
                        ColumnDrift d = compareFrame(p, numericFrame(cur), DriftMethod.WASSERSTEIN_NORM);
                        assertRelative(id + " wasserstein_norm", exact, d.statistic(), 1e-9);
                    }
                }));
                tests.add(dynamicTest(id + ": binned distances on reference-fixed bins equal the exact binned values", () -> {
                    ProfileOptions.Builder o = ProfileOptions.builder();
                    if (exp.has("bin_edges")) {
                        o.binEdges("x", ReferenceVectorsTest.doubles(exp.get("bin_edges")));
                    }
                    ReferenceProfile p = ReferenceProfile.of(numericFrame(ref), o.build());
                    boolean lumped = !exp.has("bin_edges") && countUnseen(ref, cur) > 1;
                    for (String m : BINNED) {
                        DriftMethod method = DriftMethod.parse(m);
                        double expected = lumped && (m.equals("psi") || m.equals("kl_div"))
                                ? exactOnSameBins(p, ref, cur, method) : exp.get(m).asDouble();
                        for (ColumnDrift d : List.of(compareFrame(p, numericFrame(cur), method),
                                compareWindow(p, numericFrame(cur), method))) {
                            assertRelative(id + " " + m, expected, d.statistic(), 1e-12);
                            assertThat(d.errorBound().getAsDouble()).isZero();
                        }
                    }
                }));
                tests.add(dynamicTest(id + ": default reference-only bins equal the exact binned values on those bins", () -> {
                    ReferenceProfile p = ReferenceProfile.of(numericFrame(ref));
                    for (String m : BINNED) {
                        DriftMethod method = DriftMethod.parse(m);
                        double expected = exactOnSameBins(p, ref, cur, method);
                        assertRelative(id + " " + m, expected, compareWindow(p, numericFrame(cur), method).statistic(), 1e-12);
                    }
                }));
            } else {
                String[] ref = ReferenceVectorsTest.strings(c.get("reference"));
                String[] cur = ReferenceVectorsTest.strings(c.get("current"));
                tests.add(dynamicTest(id + ": categorical methods from counts equal the reference values", () -> {
                    ReferenceProfile p = ReferenceProfile.of(categoricalFrame(ref));
                    for (String m : BINNED) {
                        assertRelative(id + " " + m, exp.get(m).asDouble(),
                                compareWindow(p, categoricalFrame(cur), DriftMethod.parse(m)).statistic(), 1e-12);
                    }
                    if (exp.has("chisquare")) {
                        ColumnDrift d = compareWindow(p, categoricalFrame(cur), DriftMethod.CHISQUARE);
                        assertRelative(id + " chisquare", exp.get("chisquare").get("statistic").asDouble(), d.statistic(), 1e-9);
                        assertPValue(id + " chisquare", exp.get("chisquare").get("pvalue").asDouble(), d.pValue().getAsDouble());
                    } else {
                        ColumnDrift d = compareWindow(p, categoricalFrame(cur), DriftMethod.CHISQUARE);
                        assertThat(d.statistic()).isInfinite();
                        assertThat(d.pValue().getAsDouble()).isZero();
                        assertThat(d.drifted()).isTrue();
                    }
                    ColumnDrift ci = compareWindow(p, categoricalFrame(cur), DriftMethod.CHI2_CONTINGENCY);
                    assertRelative(id + " chi2", exp.get("chi2_contingency").get("statistic").asDouble(), ci.statistic(), 1e-9);
                    assertPValue(id + " chi2", exp.get("chi2_contingency").get("pvalue").asDouble(), ci.pValue().getAsDouble());
                    if (exp.has("z_proportions")) {
                        ColumnDrift z = compareWindow(p, categoricalFrame(cur), DriftMethod.Z);
                        assertThat(z.method()).isEqualTo("z");
                        assertRelative(id + " z", exp.get("z_proportions").get("statistic").asDouble(), z.statistic(), 1e-9);
                        assertPValue(id + " z", exp.get("z_proportions").get("pvalue").asDouble(), z.pValue().getAsDouble());
                    }
                }));
            }
        }
        return tests;
    }

    /**
     * Issue 14's tests on category counts, from a profile (exact current frame and window
     * counters), equal the same tests on the samples: the G-test on every categorical vector
     * (an unseen category included), Fisher's exact test on the binary one.
     */
    @TestFactory
    List<DynamicTest> gTestAndFisherFromAProfileEqualTheSampleTests() throws IOException {
        JsonNode root = ReferenceVectorsTest.load("/reference-vectors.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            if ("numerical".equals(c.get("kind").asText())) {
                continue;
            }
            String id = c.get("id").asText();
            String[] ref = ReferenceVectorsTest.strings(c.get("reference"));
            String[] cur = ReferenceVectorsTest.strings(c.get("current"));
            tests.add(dynamicTest(id + ": g_test and fisher_exact from counts equal the sample tests", () -> {
                ReferenceProfile p = ReferenceProfile.of(categoricalFrame(ref));
                List<DriftMethod> methods = new ArrayList<>(List.of(DriftMethod.G_TEST));
                if (Categories.count(ref, cur).size() == 2) {
                    methods.add(DriftMethod.FISHER_EXACT);
                }
                for (DriftMethod m : methods) {
                    StatResult expected = m.apply(ref, cur);
                    for (ColumnDrift d : List.of(compareFrame(p, categoricalFrame(cur), m),
                            compareWindow(p, categoricalFrame(cur), m))) {
                        assertThat(d.method()).isEqualTo(m.id());
                        assertSameResult(id + " " + m, expected, d);
                    }
                }
            }));
        }
        return tests;
    }

    @Test
    void gTestAndFisherOnFewValuedNumbersFromAProfile() {
        ReferenceProfile p = ReferenceProfile.of(mixedFrame(300, 1, 0));
        Frame current = mixedFrame(200, 2, 0);
        ColumnDrift g = p.compare(current, MonitorPolicy.builder().method("b", DriftMethod.G_TEST).build(), CLOCK)
                .column("b").orElseThrow();
        assertSameResult("g_test on b", DriftMethod.G_TEST.apply(mixedFrame(300, 1, 0).numeric("b"), current.numeric("b")), g);
        double[] ref = new double[120];
        double[] cur = new double[90];
        Random r = new Random(7);
        Arrays.setAll(ref, i -> r.nextDouble() < 0.3 ? 1.0 : 0.0);
        Arrays.setAll(cur, i -> r.nextDouble() < 0.5 ? 1.0 : 0.0);
        ReferenceProfile binary = ReferenceProfile.of(numericFrame(ref));
        StatResult expected = DriftMethod.FISHER_EXACT.apply(ref, cur);
        assertSameResult("fisher_exact frame", expected, compareFrame(binary, numericFrame(cur), DriftMethod.FISHER_EXACT));
        assertSameResult("fisher_exact window", expected, compareWindow(binary, numericFrame(cur), DriftMethod.FISHER_EXACT));
        // a third value in a window: Fisher's exact test cannot run, chisquare is used and noted
        double[] three = Arrays.copyOf(cur, cur.length + 1);
        three[cur.length] = 2.0;
        ColumnDrift fallback = compareWindow(binary, numericFrame(three), DriftMethod.FISHER_EXACT);
        assertThat(fallback.method()).isEqualTo("chisquare");
        assertThat(fallback.note()).hasValue("Fisher's exact test needs two categories; this window has more: chisquare used");
    }

    @Test
    void eppsSingletonNeedsTheRawReference() {
        assertThat(MonitorPolicy.SUPPORTED).contains(DriftMethod.FISHER_EXACT, DriftMethod.G_TEST)
                .doesNotContain(DriftMethod.EPPS_SINGLETON);
        assertThatThrownBy(() -> MonitorPolicy.builder().method("a", DriftMethod.EPPS_SINGLETON))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("method es for column 'a' needs the raw reference sample");
    }

    private static void assertSameResult(String what, StatResult expected, ColumnDrift actual) {
        if (Double.isInfinite(expected.statistic())) {
            assertThat(actual.statistic()).as(what).isEqualTo(expected.statistic());
        } else {
            assertRelative(what, expected.statistic(), actual.statistic(), 1e-12);
        }
        double p = expected.pValue().getAsDouble();
        assertThat(actual.pValue().getAsDouble()).as(what).isCloseTo(p,
                org.assertj.core.api.Assertions.within(1e-12 * Math.max(p, 1e-6)));
    }

    private static void assertPValue(String what, double expected, double actual) {
        if (expected < 1e-6) {
            assertThat(Math.abs(expected - actual)).as(what).isLessThanOrEqualTo(1e-12);
        } else {
            assertRelative(what, expected, actual, 1e-6);
        }
    }

    private static long countUnseen(double[] ref, double[] cur) {
        java.util.Set<Double> r = new java.util.HashSet<>();
        for (double v : ref) {
            r.add(v);
        }
        return Arrays.stream(cur).filter(v -> !r.contains(v)).distinct().count();
    }

    /**
     * The distance computed independently from the raw samples on the profile's bins: counts per
     * bin by a linear scan, shares = count / n, then {@link BinnedDistances} on those shares.
     */
    private static double exactOnSameBins(ReferenceProfile p, double[] ref, double[] cur, DriftMethod m) {
        ReferenceProfile.NumericalColumn col = (ReferenceProfile.NumericalColumn) p.column("x").orElseThrow();
        double[] edges = col.binEdges();
        double[] values = col.binValues();
        int bins = edges.length > 0 ? edges.length - 1 : values.length + 1;
        double[] rs = new double[bins];
        double[] cs = new double[bins];
        for (int s = 0; s < 2; s++) {
            double[] sample = s == 0 ? ref : cur;
            double[] out = s == 0 ? rs : cs;
            for (double v : sample) {
                int b;
                if (edges.length > 0) {
                    b = 0;
                    while (b < bins - 1 && v >= edges[b + 1]) {
                        b++;
                    }
                } else {
                    b = bins - 1;
                    for (int i = 0; i < values.length; i++) {
                        if (values[i] == v) {
                            b = i;
                        }
                    }
                }
                out[b]++;
            }
            for (int i = 0; i < bins; i++) {
                out[i] /= sample.length;
            }
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            labels.add("b" + i);
        }
        if (edges.length == 0 && cs[bins - 1] == 0) {
            labels.remove(bins - 1);
            rs = Arrays.copyOf(rs, bins - 1);
            cs = Arrays.copyOf(cs, bins - 1);
        }
        BinnedShares s = BinnedShares.of(labels, new double[0], rs, cs);
        return switch (m) {
            case PSI -> BinnedDistances.psi(s);
            case KL_DIV -> BinnedDistances.klDivergence(s);
            case JENSENSHANNON -> BinnedDistances.jensenShannon(s);
            case HELLINGER -> BinnedDistances.hellinger(s);
            default -> BinnedDistances.totalVariation(s);
        };
    }

    // ------------------------------------------------------------------ JSON and special cases

    static Frame mixedFrame(int rows, long seed, double shift) {
        Random r = new Random(seed);
        double[] a = new double[rows];
        double[] b = new double[rows];
        String[] c = new String[rows];
        String[] d = new String[rows];
        for (int i = 0; i < rows; i++) {
            a[i] = i % 17 == 0 ? Double.NaN : r.nextGaussian() + shift;
            b[i] = r.nextInt(4);
            c[i] = i % 23 == 0 ? null : "c" + (int) Math.floor(Math.abs(r.nextGaussian() * 4));
            d[i] = r.nextBoolean() ? "yes" : "no";
        }
        return Frame.ofColumns(Schema.of(new Field("a", FieldType.DOUBLE), new Field("b", FieldType.INTEGER),
                new Field("c", FieldType.STRING), new Field("d", FieldType.BOOLEAN)), List.of(a, b, c, d));
    }

    @Test
    void tableLookupFindsTheSameCellAsBinarySearch() {
        Random r = new Random(17);
        for (Frame f : List.of(mixedFrame(5000, 3, 0), numericFrame(new double[] {1, 1, 1}), numericFrame(new double[] {5, 7}),
                numericFrame(new double[] {-1e300, 1e300, 0, 3}), numericFrame(new double[] {Double.MIN_VALUE, 2 * Double.MIN_VALUE}))) {
            ProfileLayout layout = ReferenceProfile.of(f).layout();
            for (ProfileLayout.Num n : layout.numerical) {
                List<Double> probes = new ArrayList<>();
                for (double cut : n.cuts) {
                    probes.add(cut);
                    probes.add(Math.nextUp(cut));
                    probes.add(Math.nextDown(cut));
                }
                for (int i = 0; i < 20_000; i++) {
                    probes.add(r.nextGaussian() * 3);
                }
                for (double v : probes) {
                    if (v >= n.first && v < n.last) {
                        assertThat(n.cell(v)).as("cell of " + v).isEqualTo(n.searchCell(v));
                    }
                }
            }
        }
    }

    @Test
    void jsonRoundTripIsLossless() {
        ReferenceProfile p = ReferenceProfile.of(mixedFrame(3000, 1, 0), ProfileOptions.builder().topK(3).sketchK(64).build());
        String json = p.toJson();
        ReferenceProfile back = ReferenceProfile.fromJson(p.toJsonBytes());
        assertThat(back).isEqualTo(p);
        assertThat(back.toJson()).isEqualTo(json);
        assertThat(back.sha256()).isEqualTo(p.sha256()).hasSize(64);
        assertThat(json).contains("\"schema_version\":1", "\"kind\":\"mlops-drift-profile\"", "\"other_count\"");
        Frame current = mixedFrame(2000, 2, 0.3);
        assertThat(back.compare(current, MonitorPolicy.defaults(), CLOCK)).isEqualTo(p.compare(current, MonitorPolicy.defaults(), CLOCK));
        ReferenceProfile.CategoricalColumn c = (ReferenceProfile.CategoricalColumn) p.column("c").orElseThrow();
        assertThat(c.categories()).hasSize(3);
        assertThat(c.otherCount()).isPositive();
        assertThat(c.missing()).isPositive();
        assertThat(ReferenceProfile.of(mixedFrame(3000, 1, 0), ProfileOptions.builder().topK(3).sketchK(64).build()).toJson())
                .as("deterministic").isEqualTo(json);
    }

    @Test
    void defaultsFollowTheReferenceSize() {
        DriftReport small = ReferenceProfile.of(mixedFrame(800, 1, 0)).compare(mixedFrame(500, 2, 0), MonitorPolicy.defaults(), CLOCK);
        assertThat(small.column("a").orElseThrow().method()).isEqualTo("ks");
        assertThat(small.column("b").orElseThrow().method()).isEqualTo("chisquare");
        assertThat(small.column("c").orElseThrow().method()).isEqualTo("chisquare");
        assertThat(small.column("d").orElseThrow().method()).isEqualTo("z");
        DriftReport large = ReferenceProfile.of(mixedFrame(3000, 1, 0)).compare(mixedFrame(500, 2, 1.0), MonitorPolicy.defaults(), CLOCK);
        assertThat(large.column("a").orElseThrow().method()).isEqualTo("wasserstein_norm");
        assertThat(large.column("a").orElseThrow().drifted()).isTrue();
        assertThat(large.column("b").orElseThrow().method()).isEqualTo("jensenshannon");
        assertThat(large.column("d").orElseThrow().method()).as("Evidently: z only for small references")
                .isEqualTo("jensenshannon");
        assertThat(large.columns().get(0).drifted()).as("drifted columns first").isTrue();
        ColumnDrift a = large.column("a").orElseThrow();
        assertThat(a.missingShareReference()).isCloseTo(1.0 / 17, org.assertj.core.api.Assertions.within(0.01));
    }

    @Test
    void specialColumnsGiveDefinedResults() {
        double[] refA = new double[7];
        Arrays.fill(refA, Double.NaN);
        double[] refB = {1, 2, 3, Double.POSITIVE_INFINITY, 5, 6, 7};
        Frame ref = Frame.ofColumns(Schema.of(new Field("a", FieldType.DOUBLE), new Field("b", FieldType.DOUBLE)),
                List.of(refA, refB));
        ReferenceProfile p = ReferenceProfile.fromJson(ReferenceProfile.of(ref).toJson());
        Frame cur = Frame.ofColumns(Schema.of(new Field("a", FieldType.DOUBLE), new Field("b", FieldType.DOUBLE)),
                List.of(new double[] {1, 2, Double.NaN}, new double[] {Double.NaN, Double.NEGATIVE_INFINITY, 3}));
        DriftReport r = p.compare(cur, MonitorPolicy.builder().method("b", DriftMethod.WASSERSTEIN).build(), CLOCK);
        ColumnDrift a = r.column("a").orElseThrow();
        assertThat(a.note()).hasValueSatisfying(n -> assertThat(n).contains("reference column has no values"));
        assertThat(a.drifted()).isFalse();
        ColumnDrift b = r.column("b").orElseThrow();
        assertThat(b.statistic()).isInfinite();
        assertThat(b.note()).isPresent();
        assertThat(b.missingShareCurrent()).isEqualTo(1.0 / 3);
        DriftReport ks = p.compare(cur, MonitorPolicy.defaults(), CLOCK);
        assertThat(ks.column("b").orElseThrow().method()).isEqualTo("ks");
        Frame empty = Frame.ofColumns(Schema.of(new Field("a", FieldType.DOUBLE), new Field("b", FieldType.DOUBLE)),
                List.of(new double[0], new double[0]));
        DriftReport e = p.compare(empty, MonitorPolicy.defaults(), CLOCK);
        assertThat(e.datasetDrift()).isFalse();
        assertThat(e.column("b").orElseThrow().note()).hasValueSatisfying(n -> assertThat(n).contains("no values"));
    }

    @Test
    void rejectsWhatAProfileCannotDo() {
        ReferenceProfile p = ReferenceProfile.of(mixedFrame(300, 1, 0));
        assertThatThrownBy(() -> MonitorPolicy.builder().method("a", DriftMethod.T_TEST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raw reference sample");
        assertThatThrownBy(() -> p.compare(mixedFrame(10, 1, 0), MonitorPolicy.builder().method("a", DriftMethod.CHISQUARE).build(), CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct reference values");
        assertThatThrownBy(() -> p.compare(mixedFrame(10, 1, 0), MonitorPolicy.builder().method("c", DriftMethod.KS).build(), CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("categorical");
        assertThatThrownBy(() -> p.compare(mixedFrame(10, 1, 0), MonitorPolicy.builder().method("nope", DriftMethod.KS).build(), CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> p.compare(numericFrame(new double[] {1}))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("no column");
        assertThatThrownBy(() -> ReferenceProfile.fromJson("{\"schema_version\": 2}")).isInstanceOf(ValidationException.class)
                .hasMessage("drift profile: schema_version: version 2 is not supported; expected 1");
        assertThatThrownBy(() -> ReferenceProfile.fromJson("[1")).isInstanceOf(ValidationException.class);
        String tampered = p.toJson().replaceFirst("\"count\":300", "\"count\":301");
        assertThatThrownBy(() -> ReferenceProfile.fromJson(tampered)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> ProfileOptions.builder().binEdges("a", new double[] {1, 1})).isInstanceOf(IllegalArgumentException.class);
    }
}
