package dev.mlops.gates;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.quality.BootstrapOptions;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.ConstraintResult;
import dev.mlops.api.quality.McNemarResult;
import dev.mlops.api.quality.Metric;
import dev.mlops.api.quality.PairedComparison;
import dev.mlops.api.quality.RegressionData;
import dev.mlops.api.quality.ValidationResult;
import dev.mlops.api.quality.ValidationSuite;
import dev.mlops.api.quality.Verdict;
import dev.mlops.json.JsonFields;
import dev.mlops.json.StrictJson;
import dev.mlops.quality.Bootstrap;
import dev.mlops.quality.DataValidation;
import dev.mlops.quality.McNemar;
import dev.mlops.quality.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

import static dev.mlops.gates.GateContext.fail;
import static dev.mlops.gates.GateContext.num;
import static dev.mlops.gates.GateContext.result;

/**
 * One rule of a {@link PromotionPolicy}. Each rule is a record that carries its parameters
 * (checked when it is made), its check, and its JSON form ({@code {"type": "...", ...}}).
 * Adding a rule means adding a record here and one line to the type registry in
 * {@code RuleJson}; the policy, the gate and the CLI need no change.
 *
 * <p>Rules that compare with the champion (the version holding the alias) implement
 * {@link ChampionComparison}; they are skipped, passing with a note, when no version holds the
 * alias, unless the policy requires a champion.
 */
public sealed interface PromotionRule {
    /** Fairness gaps a rule can bound, as {@code FairnessReport.metrics()} names them. */
    Set<String> FAIRNESS_METRICS = Set.of("demographic_parity_difference", "demographic_parity_ratio",
            "equalized_odds_difference", "equal_opportunity_difference");

    /** @return the rule's {@code type} in JSON, such as {@code minimum} */
    String type();

    /**
     * @return what identifies the rule within a policy: its check name, such as
     *     {@code min:roc_auc}; a policy refuses a second rule with the same key
     */
    String key();

    /**
     * Evaluates the rule; called by the gate. Never throws for a failed check: whatever goes
     * wrong fails the check, with the reason in its detail.
     *
     * @param context the gate's evaluation, which computes shared inputs at most once
     * @return one result per check (one, except for data validation: one per constraint)
     */
    List<CheckResult> check(GateContext context);

    /**
     * Writes the rule's parameters (the policy writes {@code type}); read back by the rule's
     * reader in {@code RuleJson}.
     *
     * @param node the rule's JSON object
     */
    void writeJson(ObjectNode node);

    /** A rule comparing the candidate with the champion on one metric. */
    sealed interface ChampionComparison extends PromotionRule {
        /** @return the metric compared */
        String metric();

        /** @return the metric's direction */
        boolean greaterIsBetter();
    }

    /**
     * The candidate's metric must be at least {@code bound}: check {@code min:METRIC}.
     *
     * @param metric metric name, such as {@code roc_auc}
     * @param bound the bound, finite
     */
    record Minimum(String metric, double bound) implements PromotionRule {
        static final String TYPE = "minimum";

        /** Checks arguments. */
        public Minimum {
            requireMetricName(metric);
            requireFinite("bound of " + metric, bound);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String key() {
            return "min:" + metric;
        }

        @Override
        public List<CheckResult> check(GateContext context) {
            return List.of(context.bound(key(), metric, bound, ">= " + num(bound), x -> x >= bound));
        }

        @Override
        public void writeJson(ObjectNode node) {
            node.put("metric", metric).put("bound", bound);
        }

        static Minimum read(JsonFields f) {
            return new Minimum(f.text("metric"), f.number("bound"));
        }
    }

    /**
     * The candidate's metric must be at most {@code bound}: check {@code max:METRIC}.
     *
     * @param metric metric name, such as {@code log_loss}
     * @param bound the bound, finite
     */
    record Maximum(String metric, double bound) implements PromotionRule {
        static final String TYPE = "maximum";

        /** Checks arguments. */
        public Maximum {
            requireMetricName(metric);
            requireFinite("bound of " + metric, bound);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String key() {
            return "max:" + metric;
        }

        @Override
        public List<CheckResult> check(GateContext context) {
            return List.of(context.bound(key(), metric, bound, "<= " + num(bound), x -> x <= bound));
        }

        @Override
        public void writeJson(ObjectNode node) {
            node.put("metric", metric).put("bound", bound);
        }

        static Maximum read(JsonFields f) {
            return new Maximum(f.text("metric"), f.number("bound"));
        }
    }

    /**
     * The candidate must beat the champion by at least {@code minChange} in the metric's units,
     * as MLflow's {@code MetricThreshold(min_absolute_change)}: with greater is better
     * {@code candidate >= champion + minChange}, with smaller is better
     * {@code candidate <= champion - minChange}. Check {@code improvement:METRIC}.
     *
     * @param metric metric name
     * @param greaterIsBetter direction of the metric (checked against the standard metric of that name)
     * @param minChange required improvement, finite and at least 0 (0: not worse)
     */
    record Improvement(String metric, boolean greaterIsBetter, double minChange) implements ChampionComparison {
        static final String TYPE = "improvement";

        /** Checks arguments. */
        public Improvement {
            requireMetricName(metric);
            if (!(minChange >= 0.0) || Double.isInfinite(minChange)) {
                throw new IllegalArgumentException("minChange of " + Names.quote(metric) + " is " + minChange
                        + ", expected a finite number >= 0 in the metric's units");
            }
            checkDirection(metric, greaterIsBetter);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String key() {
            return "improvement:" + metric;
        }

        @Override
        public List<CheckResult> check(GateContext context) {
            // in the terms of the observed value: the oriented change (candidate - champion, or
            // champion - candidate when smaller is better)
            String required = "improvement >= " + num(minChange);
            return List.of(GateContext.guarded(key(), required, () -> context.absoluteChange(key(), metric,
                    greaterIsBetter, minChange, required, "improvement", "")));
        }

        @Override
        public void writeJson(ObjectNode node) {
            node.put("metric", metric).put("greater_is_better", greaterIsBetter).put("min_change", minChange);
        }

        static Improvement read(JsonFields f) {
            return new Improvement(f.text("metric"), f.bool("greater_is_better"), f.number("min_change"));
        }
    }

    /**
     * The candidate must beat the champion by at least {@code minFraction} of the champion's
     * value, as MLflow's {@code MetricThreshold(min_relative_change)}: the oriented change
     * divided by {@code |champion|} must be at least {@code minFraction}. A champion value of 0
     * makes it "strictly better by 1e-10", as MLflow's fallback. Check
     * {@code relative_improvement:METRIC}.
     *
     * @param metric metric name
     * @param greaterIsBetter direction of the metric (checked against the standard metric of that name)
     * @param minFraction required improvement as a fraction in [0, 1] (0.05 = 5%)
     */
    record RelativeImprovement(String metric, boolean greaterIsBetter, double minFraction)
            implements ChampionComparison {
        static final String TYPE = "relative_improvement";

        /** Checks arguments. */
        public RelativeImprovement {
            requireMetricName(metric);
            if (!(minFraction >= 0.0 && minFraction <= 1.0)) {
                throw new IllegalArgumentException("minFraction of " + Names.quote(metric) + " is " + minFraction
                        + ", expected a fraction in [0, 1] (0.05 = 5%), as MLflow's min_relative_change");
            }
            checkDirection(metric, greaterIsBetter);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String key() {
            return "relative_improvement:" + metric;
        }

        @Override
        public List<CheckResult> check(GateContext context) {
            String required = "relative improvement >= " + num(minFraction);
            return List.of(GateContext.guarded(key(), required, () -> context.relativeChange(key(), metric,
                    greaterIsBetter, minFraction, required, true, "relative improvement", "")));
        }

        @Override
        public void writeJson(ObjectNode node) {
            node.put("metric", metric).put("greater_is_better", greaterIsBetter).put("min_fraction", minFraction);
        }

        static RelativeImprovement read(JsonFields f) {
            return new RelativeImprovement(f.text("metric"), f.bool("greater_is_better"), f.number("min_fraction"));
        }
    }

    /**
     * A non-inferiority margin in the metric's units: the candidate may be worse than the
     * champion by at most {@code maxLoss}. With greater is better the candidate needs
     * {@code candidate >= champion - maxLoss}, with smaller is better
     * {@code candidate <= champion + maxLoss} ({@link Improvement} with the sign of the change
     * reversed). Check {@code non_inferiority:METRIC}.
     *
     * @param metric metric name
     * @param greaterIsBetter direction of the metric (checked against the standard metric of that name)
     * @param maxLoss the largest loss tolerated, finite and at least 0 (0: not worse)
     */
    record NonInferiority(String metric, boolean greaterIsBetter, double maxLoss) implements ChampionComparison {
        static final String TYPE = "non_inferiority";

        /** Checks arguments. */
        public NonInferiority {
            requireMetricName(metric);
            if (!(maxLoss >= 0.0) || Double.isInfinite(maxLoss)) {
                throw new IllegalArgumentException("maxLoss of " + Names.quote(metric) + " is " + maxLoss
                        + ", expected a finite number >= 0 in the metric's units");
            }
            checkDirection(metric, greaterIsBetter);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String key() {
            return "non_inferiority:" + metric;
        }

        @Override
        public List<CheckResult> check(GateContext context) {
            String required = "change >= " + num(-maxLoss);
            return List.of(GateContext.guarded(key(), required, () -> context.absoluteChange(key(), metric,
                    greaterIsBetter, -maxLoss, required, "change", "; a loss of up to " + num(maxLoss)
                            + " is tolerated")));
        }

        @Override
        public void writeJson(ObjectNode node) {
            node.put("metric", metric).put("greater_is_better", greaterIsBetter).put("max_loss", maxLoss);
        }

        static NonInferiority read(JsonFields f) {
            return new NonInferiority(f.text("metric"), f.bool("greater_is_better"), f.number("max_loss"));
        }
    }

    /**
     * A non-inferiority margin relative to the champion's value: the oriented change divided by
     * {@code |champion|} must be at least {@code -maxLossFraction}; a champion value of 0 leaves
     * no room, so the candidate must then not be worse at all. Check
     * {@code relative_non_inferiority:METRIC}.
     *
     * @param metric metric name
     * @param greaterIsBetter direction of the metric (checked against the standard metric of that name)
     * @param maxLossFraction the largest loss tolerated as a fraction in [0, 1] (0.02 = 2%)
     */
    record RelativeNonInferiority(String metric, boolean greaterIsBetter, double maxLossFraction)
            implements ChampionComparison {
        static final String TYPE = "relative_non_inferiority";

        /** Checks arguments. */
        public RelativeNonInferiority {
            requireMetricName(metric);
            if (!(maxLossFraction >= 0.0 && maxLossFraction <= 1.0)) {
                throw new IllegalArgumentException("maxLossFraction of " + Names.quote(metric) + " is "
                        + maxLossFraction + ", expected a fraction of the champion's value in [0, 1] (0.02 = 2%)");
            }
            checkDirection(metric, greaterIsBetter);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String key() {
            return "relative_non_inferiority:" + metric;
        }

        @Override
        public List<CheckResult> check(GateContext context) {
            String required = "relative change >= " + num(-maxLossFraction);
            return List.of(GateContext.guarded(key(), required, () -> context.relativeChange(key(), metric,
                    greaterIsBetter, -maxLossFraction, required, false, "relative change", "; a loss of up to "
                            + num(maxLossFraction) + " of |champion| is tolerated")));
        }

        @Override
        public void writeJson(ObjectNode node) {
            node.put("metric", metric).put("greater_is_better", greaterIsBetter)
                    .put("max_loss_fraction", maxLossFraction);
        }

        static RelativeNonInferiority read(JsonFields f) {
            return new RelativeNonInferiority(f.text("metric"), f.bool("greater_is_better"),
                    f.number("max_loss_fraction"));
        }
    }

    /**
     * The candidate must be significantly better than the champion on the same rows by a paired
     * bootstrap: the one-sided p-value of "the candidate is not better" must be below
     * {@code alpha}. Check {@code significance:METRIC}.
     *
     * @param metric a standard metric name ({@code Metrics.classification} or {@code Metrics.regression})
     * @param alpha significance level in (0, 1)
     * @param bootstrap resampling options
     */
    record Significance(String metric, double alpha, BootstrapOptions bootstrap) implements PromotionRule {
        static final String TYPE = "significance";

        /** Checks arguments. */
        public Significance {
            requireMetricName(metric);
            Objects.requireNonNull(bootstrap, "bootstrap");
            requireAlpha(metric, alpha);
            if (standardMetric(metric).isEmpty()) {
                throw new IllegalArgumentException("significance needs a standard metric the gate can recompute on"
                        + " resamples; " + Names.quote(metric) + " is not one (see Metrics.classification/regression)");
            }
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String key() {
            return "significance:" + metric;
        }

        @Override
        public List<CheckResult> check(GateContext context) {
            String required = "p < " + num(alpha);
            return List.of(GateContext.guarded(key(), required, () -> {
                GateContext.Both both = context.bothData(key(), required);
                if (both.settled() != null) {
                    return both.settled();
                }
                Object c = both.candidate();
                Object h = both.champion();
                PairedComparison pc;
                if (c instanceof ClassificationData cc && h instanceof ClassificationData hc) {
                    Optional<Metric<ClassificationData>> m = Metrics.classification(metric);
                    if (m.isEmpty()) {
                        return fail(key(), required, "metric " + Names.quote(metric) + " is not a classification metric");
                    }
                    pc = Bootstrap.paired(cc, hc, m.get(), bootstrap);
                } else if (c instanceof RegressionData cr && h instanceof RegressionData hr) {
                    Optional<Metric<RegressionData>> m = Metrics.regression(metric);
                    if (m.isEmpty()) {
                        return fail(key(), required, "metric " + Names.quote(metric) + " is not a regression metric");
                    }
                    pc = Bootstrap.paired(cr, hr, m.get(), bootstrap);
                } else {
                    return fail(key(), required, "candidate and champion evaluation data are of different kinds");
                }
                return result(key(), pc.pValue(), required, pc.significantImprovement(alpha), String.format(Locale.ROOT,
                        "paired bootstrap of %s: candidate %s, champion %s, improvement %s, %s%% interval [%s, %s];"
                                + " %d resamples (%d skipped), seed %d", metric, num(pc.candidate()),
                        num(pc.champion()), num(pc.improvement()), num(pc.confidence() * 100), num(pc.lower()),
                        num(pc.upper()), pc.resamples(), pc.skipped(), pc.seed()));
            }));
        }

        @Override
        public void writeJson(ObjectNode node) {
            node.put("metric", metric).put("alpha", alpha).put("resamples", bootstrap.resamples())
                    .put("confidence", bootstrap.confidence()).put("seed", bootstrap.seed());
        }

        static Significance read(JsonFields f) {
            BootstrapOptions d = BootstrapOptions.defaults();
            String metric = f.text("metric");
            double alpha = f.number("alpha");
            int resamples = f.has("resamples") ? f.intValue("resamples") : d.resamples();
            double confidence = f.has("confidence") ? f.number("confidence") : d.confidence();
            long seed = f.has("seed") ? f.integer("seed") : d.seed();
            return new Significance(metric, alpha, new BootstrapOptions(resamples, confidence, seed));
        }
    }

    /**
     * The candidate must be significantly more accurate than the champion on the same rows by
     * McNemar's test: the one-sided p-value must be below {@code alpha}. Check
     * {@code mcnemar:accuracy}.
     *
     * @param alpha significance level in (0, 1)
     */
    record McNemarTest(double alpha) implements PromotionRule {
        static final String TYPE = "mcnemar";

        /** Checks arguments. */
        public McNemarTest {
            requireAlpha("accuracy", alpha);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String key() {
            return "mcnemar:accuracy";
        }

        @Override
        public List<CheckResult> check(GateContext context) {
            String required = "p < " + num(alpha);
            return List.of(GateContext.guarded(key(), required, () -> {
                GateContext.Both both = context.bothData(key(), required);
                if (both.settled() != null) {
                    return both.settled();
                }
                if (!(both.candidate() instanceof ClassificationData cc
                        && both.champion() instanceof ClassificationData hc)) {
                    return fail(key(), required, "McNemar's test needs classification data for both models");
                }
                McNemarResult m = McNemar.test(cc, hc);
                double p = m.pValueImprovement();
                return result(key(), p, required, p < alpha, String.format(Locale.ROOT,
                        "one-sided McNemar (%s) on %d rows: only the candidate right on %d, only the champion on %d;"
                                + " two-sided p = %s", m.method().name().toLowerCase(Locale.ROOT), m.rows(),
                        m.candidateOnlyCorrect(), m.championOnlyCorrect(), num(m.pValue())));
            }));
        }

        @Override
        public void writeJson(ObjectNode node) {
            node.put("alpha", alpha);
        }

        static McNemarTest read(JsonFields f) {
            return new McNemarTest(f.number("alpha"));
        }
    }

    /**
     * The 99th percentile latency must not exceed {@code maxMillis}: check {@code latency:p99}.
     *
     * @param maxMillis the ceiling in milliseconds, finite and above 0
     */
    record LatencyP99(double maxMillis) implements PromotionRule {
        static final String TYPE = "latency_p99";

        /** Checks arguments. */
        public LatencyP99 {
            if (!(maxMillis > 0.0) || Double.isInfinite(maxMillis)) {
                throw new IllegalArgumentException("latency ceiling is " + maxMillis
                        + " ms, expected a finite number > 0");
            }
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String key() {
            return "latency:p99";
        }

        @Override
        public List<CheckResult> check(GateContext context) {
            String required = "<= " + num(maxMillis) + " ms";
            return List.of(GateContext.guarded(key(), required, () -> {
                if (context.latency().isEmpty()) {
                    return fail(key(), required, "no latency measurement was given (Inputs.latency)");
                }
                var l = context.latency().get();
                double p99 = l.p99Nanos() / 1e6;
                String detail = l.count() == 0
                        ? "p99 " + num(p99) + " ms" + (l.p50Nanos() > 0 ? ", p50 " + num(l.p50Nanos() / 1e6) + " ms" : "")
                                + " (no call count recorded)"
                        : String.format(Locale.ROOT, "p99 %s ms, p50 %s ms over %d calls after %d warm-up calls",
                                num(p99), num(l.p50Nanos() / 1e6), l.count(), l.warmup());
                return result(key(), p99, required, p99 <= maxMillis, detail);
            }));
        }

        @Override
        public void writeJson(ObjectNode node) {
            node.put("max_millis", maxMillis);
        }

        static LatencyP99 read(JsonFields f) {
            return new LatencyP99(f.number("max_millis"));
        }
    }

    /**
     * The evaluation frame must pass a validation suite: one check {@code data:NAME} per
     * constraint. Custom predicates work in code but cannot be stored as JSON.
     *
     * @param suite the constraints, at least one
     */
    record DataValidationRule(ValidationSuite suite) implements PromotionRule {
        static final String TYPE = "data_validation";

        /** Checks arguments. */
        public DataValidationRule {
            Objects.requireNonNull(suite, "suite");
            if (suite.constraints().isEmpty()) {
                throw new IllegalArgumentException("validation suite " + Names.quote(suite.name())
                        + " has no constraints; a data check must check something");
            }
        }

        @Override
        public String type() {
            return TYPE;
        }

        /** One suite per policy. */
        @Override
        public String key() {
            return "data";
        }

        @Override
        public List<CheckResult> check(GateContext context) {
            String required = "suite " + Names.quote(suite.name()) + " passes";
            if (context.frame().isEmpty()) {
                return List.of(fail("data", required, "no evaluation frame was given (Inputs.frame)"));
            }
            ValidationResult r;
            try {
                r = DataValidation.validate(suite, context.frame().get());
            } catch (RuntimeException e) {
                return List.of(fail("data", required, "validation threw: " + GateContext.describe(e)));
            }
            List<CheckResult> out = new ArrayList<>();
            for (ConstraintResult c : r.results()) {
                out.add(new CheckResult("data:" + c.name(), Double.isFinite(c.observed())
                        ? OptionalDouble.of(c.observed()) : OptionalDouble.empty(), c.constraint().describe(),
                        c.passed() ? Verdict.PASS : Verdict.FAIL, c.message()));
            }
            return out;
        }

        @Override
        public void writeJson(ObjectNode node) {
            // DataValidation's own document, nested; throws ValidationException for custom predicates
            node.set("suite", StrictJson.readTree(DataValidation.toJson(suite), "validation suite"));
        }

        static DataValidationRule read(JsonFields f) {
            JsonFields suite = f.object("suite");
            try {
                return new DataValidationRule(DataValidation.fromJson(StrictJson.writeString(suite.node())));
            } catch (ValidationException e) {
                throw f.invalid("suite", e.getMessage());
            }
        }
    }

    /**
     * A ceiling on a fairness gap between slices of a sensitive column: check
     * {@code fairness:METRIC(COLUMN)}.
     *
     * @param column the sensitive column of the evaluation frame
     * @param metric one of {@link #FAIRNESS_METRICS}
     * @param bound the gap must not exceed this, finite and at least 0
     */
    record FairnessMax(String column, String metric, double bound) implements PromotionRule {
        static final String TYPE = "fairness_max";

        /** Checks arguments. */
        public FairnessMax {
            requireFairness(column, metric, bound);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String key() {
            return "fairness:" + metric + "(" + column + ")";
        }

        @Override
        public List<CheckResult> check(GateContext context) {
            return List.of(context.fairness(key(), column, metric, "<= " + num(bound), v -> v <= bound));
        }

        @Override
        public void writeJson(ObjectNode node) {
            node.put("column", column).put("metric", metric).put("bound", bound);
        }

        static FairnessMax read(JsonFields f) {
            return new FairnessMax(f.text("column"), f.text("metric"), f.number("bound"));
        }
    }

    /**
     * A floor on a fairness measure, usually {@code demographic_parity_ratio}: check
     * {@code fairness:METRIC(COLUMN)}.
     *
     * @param column the sensitive column of the evaluation frame
     * @param metric one of {@link #FAIRNESS_METRICS}
     * @param bound the measure must be at least this, finite and at least 0
     */
    record FairnessMin(String column, String metric, double bound) implements PromotionRule {
        static final String TYPE = "fairness_min";

        /** Checks arguments. */
        public FairnessMin {
            requireFairness(column, metric, bound);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String key() {
            return "fairness:" + metric + "(" + column + ")";
        }

        @Override
        public List<CheckResult> check(GateContext context) {
            return List.of(context.fairness(key(), column, metric, ">= " + num(bound), v -> v >= bound));
        }

        @Override
        public void writeJson(ObjectNode node) {
            node.put("column", column).put("metric", metric).put("bound", bound);
        }

        static FairnessMin read(JsonFields f) {
            return new FairnessMin(f.text("column"), f.text("metric"), f.number("bound"));
        }
    }

    // ---- argument checks shared by the records (interface methods are public, so these live in a holder)

    private static void requireMetricName(String metric) {
        Objects.requireNonNull(metric, "metric");
        if (metric.isBlank()) {
            throw new IllegalArgumentException("metric name is blank");
        }
    }

    private static void requireFinite(String what, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " is " + v + ", expected a finite number");
        }
    }

    private static void requireAlpha(String metric, double alpha) {
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha of " + Names.quote(metric) + " is " + alpha
                    + ", expected a level in (0, 1), such as 0.05");
        }
    }

    private static void requireFairness(String column, String metric, double bound) {
        Objects.requireNonNull(column, "column");
        if (column.isBlank()) {
            throw new IllegalArgumentException("fairness column is blank");
        }
        Objects.requireNonNull(metric, "metric");
        if (!FAIRNESS_METRICS.contains(metric)) {
            throw new IllegalArgumentException("fairness metric " + Names.quote(metric) + " is unknown; expected one of "
                    + new TreeSet<>(FAIRNESS_METRICS));
        }
        if (!(bound >= 0.0) || Double.isInfinite(bound)) {
            throw new IllegalArgumentException("fairness bound of " + Names.quote(metric) + " is " + bound
                    + ", expected a finite number >= 0");
        }
    }

    private static void checkDirection(String metric, boolean greaterIsBetter) {
        standardMetric(metric).ifPresent(m -> {
            if (m.greaterIsBetter() != greaterIsBetter) {
                throw new IllegalArgumentException("metric " + Names.quote(metric) + " is "
                        + (m.greaterIsBetter() ? "greater" : "smaller") + "-is-better, but greaterIsBetter was given as "
                        + greaterIsBetter);
            }
        });
    }

    private static Optional<Metric<?>> standardMetric(String name) {
        Optional<? extends Metric<?>> c = Metrics.classification(name);
        if (c.isPresent()) {
            return Optional.of(c.get());
        }
        return Metrics.regression(name).map(m -> m);
    }
}
