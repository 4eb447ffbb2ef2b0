package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Must-show 1: every expected value of the shared reference vectors (computed with scipy 1.17.1
 * and numpy 2.4.6, copied into the test resources) is reproduced: statistics to a relative error
 * of 1e-9, p-values to a relative error of 1e-6 (absolute 1e-12 when p &lt; 1e-6). One dynamic
 * test per case and expected key; a key this test does not know fails, so nothing is skipped.
 */
class ReferenceVectorsTest {

    static final double STAT_RTOL = 1e-9;
    static final double P_RTOL = 1e-6;
    static final double P_ATOL_SMALL = 1e-12;

    /** Largest relative error seen per method (statistics and p-values), written to target/. */
    private static final Map<String, Double> MAX_ERRORS = new ConcurrentHashMap<>();

    static JsonNode load(String resource) throws IOException {
        try (InputStream in = ReferenceVectorsTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            return new ObjectMapper().readTree(in);
        }
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static String[] strings(JsonNode array) {
        String[] out = new String[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asText();
        }
        return out;
    }

    static void assertStatistic(String what, double expected, double actual) {
        double err = relativeError(expected, actual);
        MAX_ERRORS.merge(what + " statistic", err, Math::max);
        assertTrue(err <= STAT_RTOL, () -> what + " statistic: expected " + expected + ", got " + actual
                + " (relative error " + err + " > " + STAT_RTOL + ")");
    }

    static void assertPValue(String what, double expected, double actual) {
        if (expected < 1e-6) {
            double err = Math.abs(expected - actual);
            MAX_ERRORS.merge(what + " p-value (abs, p<1e-6)", err, Math::max);
            MAX_ERRORS.merge(what + " p-value (rel, p<1e-6, informative)", relativeError(expected, actual), Math::max);
            assertTrue(err <= P_ATOL_SMALL, () -> what + " p-value: expected " + expected + ", got " + actual
                    + " (absolute error " + err + " > " + P_ATOL_SMALL + ")");
        } else {
            double err = relativeError(expected, actual);
            MAX_ERRORS.merge(what + " p-value", err, Math::max);
            assertTrue(err <= P_RTOL, () -> what + " p-value: expected " + expected + ", got " + actual
                    + " (relative error " + err + " > " + P_RTOL + ")");
        }
    }

    static double relativeError(double expected, double actual) {
        if (expected == actual) {
            return 0.0;
        }
        if (expected == 0.0) {
            return Math.abs(actual);
        }
        return Math.abs(actual - expected) / Math.abs(expected);
    }

    @TestFactory
    List<DynamicTest> everyExpectedValueIsReproduced() throws IOException {
        JsonNode root = load("/reference-vectors.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            String id = c.get("id").asText();
            boolean numerical = c.get("kind").asText().equals("numerical");
            JsonNode expected = c.get("expected");
            Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String key = f.getKey();
                JsonNode value = f.getValue();
                tests.add(dynamicTest(id + " / " + key, () -> {
                    if (numerical) {
                        checkNumerical(key, value, doubles(c.get("reference")), doubles(c.get("current")));
                    } else {
                        checkCategorical(key, value, strings(c.get("reference")), strings(c.get("current")));
                    }
                }));
            }
        }
        assertTrue(tests.size() >= 14 * 5, "too few expected values found: " + tests.size());
        return tests;
    }

    private static void checkNumerical(String key, JsonNode value, double[] ref, double[] cur) {
        switch (key) {
            case "ks" -> test("ks", value, () -> NumericalTests.kolmogorovSmirnov(ref, cur));
            case "cramer_von_mises" -> test("cvm", value, () -> NumericalTests.cramerVonMises(ref, cur));
            case "mann_whitney" -> test("mann_whitney", value, () -> NumericalTests.mannWhitneyU(ref, cur));
            case "welch_t" -> test("t_test", value, () -> NumericalTests.welchT(ref, cur));
            case "anderson_darling" -> test("anderson", value, () -> NumericalTests.andersonDarling(ref, cur));
            case "wasserstein" -> distance("wasserstein", value, NumericalTests.wasserstein(ref, cur));
            case "wasserstein_norm" -> distance("wasserstein_norm", value, NumericalTests.normalizedWasserstein(ref, cur));
            case "energy" -> distance("energy", value, NumericalTests.energyDistance(ref, cur));
            case "psi" -> distance("psi", value, BinnedDistances.psi(ref, cur));
            case "kl_div" -> distance("kl_div", value, BinnedDistances.klDivergence(ref, cur));
            case "jensenshannon" -> distance("jensenshannon", value, BinnedDistances.jensenShannon(ref, cur));
            case "hellinger" -> distance("hellinger", value, BinnedDistances.hellinger(ref, cur));
            case "tvd" -> distance("tvd", value, BinnedDistances.totalVariation(ref, cur));
            case "bin_edges" -> {
                double[] expected = doubles(value);
                double[] actual = BinnedDistances.shares(ref, cur).edges();
                assertEquals(expected.length, actual.length, "number of bin edges");
                for (int i = 0; i < expected.length; i++) {
                    assertStatistic("bin_edges", expected[i], actual[i]);
                }
            }
            default -> throw new AssertionError("expected key " + key + " is not checked by this test");
        }
        // the same number through the DriftMethod dispatch
        DriftMethod.byId(methodId(key)).ifPresent(m -> assertEquals(direct(key, ref, cur), m.apply(ref, cur)));
    }

    private static void checkCategorical(String key, JsonNode value, String[] ref, String[] cur) {
        switch (key) {
            case "chisquare" -> test("chisquare", value, () -> CategoricalTests.chiSquareGoodnessOfFit(ref, cur));
            case "chi2_contingency" -> {
                test("chi2_contingency", value, () -> CategoricalTests.chiSquareIndependence(ref, cur));
                assertEquals(value.get("dof").asInt(), BinnedDistances.shares(ref, cur).labels().size() - 1, "dof");
            }
            case "z_proportions" -> test("z", value, () -> CategoricalTests.twoProportionZ(ref, cur));
            case "psi" -> distance("psi", value, BinnedDistances.psi(ref, cur));
            case "kl_div" -> distance("kl_div", value, BinnedDistances.klDivergence(ref, cur));
            case "jensenshannon" -> distance("jensenshannon", value, BinnedDistances.jensenShannon(ref, cur));
            case "hellinger" -> distance("hellinger", value, BinnedDistances.hellinger(ref, cur));
            case "tvd" -> distance("tvd", value, BinnedDistances.totalVariation(ref, cur));
            default -> throw new AssertionError("expected key " + key + " is not checked by this test");
        }
        String id = key.equals("z_proportions") ? "z" : key;
        DriftMethod m = DriftMethod.parse(id);
        assertTrue(m.acceptsCategorical());
    }

    private static String methodId(String key) {
        return switch (key) {
            case "cramer_von_mises" -> "cvm";
            case "welch_t" -> "t_test";
            case "anderson_darling" -> "anderson";
            default -> key;
        };
    }

    private static StatResult direct(String key, double[] ref, double[] cur) {
        return switch (key) {
            case "ks" -> NumericalTests.kolmogorovSmirnov(ref, cur);
            case "cramer_von_mises" -> NumericalTests.cramerVonMises(ref, cur);
            case "mann_whitney" -> NumericalTests.mannWhitneyU(ref, cur);
            case "welch_t" -> NumericalTests.welchT(ref, cur);
            case "anderson_darling" -> NumericalTests.andersonDarling(ref, cur);
            case "wasserstein" -> NumericalTests.wasserstein(ref, cur);
            case "wasserstein_norm" -> NumericalTests.normalizedWasserstein(ref, cur);
            case "energy" -> NumericalTests.energyDistance(ref, cur);
            case "psi" -> BinnedDistances.psi(ref, cur);
            case "kl_div" -> BinnedDistances.klDivergence(ref, cur);
            case "jensenshannon" -> BinnedDistances.jensenShannon(ref, cur);
            case "hellinger" -> BinnedDistances.hellinger(ref, cur);
            case "tvd" -> BinnedDistances.totalVariation(ref, cur);
            default -> throw new AssertionError(key);
        };
    }

    private static void test(String method, JsonNode expected, Supplier<StatResult> run) {
        StatResult r = run.get();
        assertStatistic(method, expected.get("statistic").asDouble(), r.statistic());
        if (expected.has("pvalue")) {
            assertTrue(r.pValue().isPresent(), method + " must give a p-value");
            assertPValue(method, expected.get("pvalue").asDouble(), r.pValue().getAsDouble());
        }
        for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            assertTrue(List.of("statistic", "pvalue", "dof").contains(field), "unchecked expected field " + field);
        }
    }

    private static void distance(String method, JsonNode expected, StatResult r) {
        assertTrue(r.pValue().isEmpty(), method + " is a distance");
        assertStatistic(method, expected.asDouble(), r.statistic());
    }

    @AfterAll
    static void writeMaxErrors() throws IOException {
        StringBuilder sb = new StringBuilder("# largest error per method against reference-vectors.json\n");
        new TreeMap<>(MAX_ERRORS).forEach((k, v) -> sb.append(k).append('\t').append(v).append('\n'));
        Path out = Path.of("target", "reference-vector-errors.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString());
    }
}
