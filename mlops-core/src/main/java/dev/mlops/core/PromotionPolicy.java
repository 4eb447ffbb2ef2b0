package dev.mlops.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.BootstrapOptions;
import dev.mlops.api.quality.Metric;
import dev.mlops.api.quality.ValidationSuite;
import dev.mlops.api.store.Digests;
import dev.mlops.json.JsonFields;
import dev.mlops.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The rules a candidate version must satisfy before a {@link PromotionGate} moves an alias to it.
 * Immutable; built with {@link #builder(String)}, which fails fast at the wrong call
 * ({@link IllegalArgumentException} for a bad value, {@link IllegalStateException} for a rule
 * given twice); stored as JSON with {@link #toJson()} / {@link #fromJson(String)}.
 *
 * <pre>{@code
 * PromotionPolicy policy = PromotionPolicy.builder("credit-production")
 *         .minimum("roc_auc", 0.70)                     // min:roc_auc, candidate >= 0.70
 *         .maximum("log_loss", 0.60)                    // max:log_loss, candidate <= 0.60
 *         .relative("roc_auc", true, 0.01, 0.0)         // as MLflow's MetricThreshold
 *         .nonInferiority("log_loss", false, 0.02)      // no more than 0.02 worse than the champion
 *         .significance("roc_auc", 0.05)                // paired bootstrap, one-sided p < 0.05
 *         .maxLatencyP99(Duration.ofMillis(20))
 *         .dataValidation(suite)
 *         .fairnessMax("personal_status", "demographic_parity_difference", 0.10)
 *         .build();
 * }</pre>
 *
 * Rules that compare with the champion (the version holding the alias) are skipped, passing
 * with a note, when no version holds the alias, unless {@link Builder#requireChampion(boolean)}.
 */
public final class PromotionPolicy {
    /**
     * The JSON document's schema version: 2, with snake_case field names. Version 1 documents,
     * written with camelCase names ({@code schemaVersion}, {@code greaterIsBetter}), are still read.
     */
    public static final int SCHEMA_VERSION = QualityJson.SCHEMA_VERSION;
    /** The JSON document's kind. */
    public static final String KIND = "promotion-policy";
    /** Fairness gaps a policy can bound, as {@code FairnessReport.metrics()} names them. */
    public static final Set<String> FAIRNESS_METRICS = Set.of("demographic_parity_difference",
            "demographic_parity_ratio", "equalized_odds_difference", "equal_opportunity_difference");

    /**
     * An absolute bound on one metric of the candidate: check {@code min:METRIC} (candidate
     * {@code >= bound}) or {@code max:METRIC} (candidate {@code <= bound}).
     *
     * @param metric metric name, such as {@code roc_auc}
     * @param minimum true for a lower bound, false for an upper bound
     * @param bound the bound, finite
     */
    public record Threshold(String metric, boolean minimum, double bound) {
        /** Checks arguments. */
        public Threshold {
            requireMetricName(metric);
            requireFinite("bound of " + metric, bound);
        }

        /** @return the check's name, {@code min:METRIC} or {@code max:METRIC} */
        public String checkName() {
            return (minimum ? "min:" : "max:") + metric;
        }
    }

    /**
     * A comparison with the champion, as MLflow's {@code MetricThreshold}: with greater is
     * better, the candidate needs {@code value >= champion + minAbsoluteChange} and
     * {@code (value - champion) / |champion| >= minRelativeChange}; with smaller is better,
     * {@code value <= champion - minAbsoluteChange} and {@code (champion - value) / |champion|
     * >= minRelativeChange}. A champion value of 0 makes the relative check "strictly better by
     * 1e-10", as MLflow's fallback.
     *
     * @param metric metric name
     * @param greaterIsBetter direction of the metric
     * @param minAbsoluteChange required improvement in the metric's units, at least 0, if any
     * @param minRelativeChange required improvement as a fraction of the champion's value, in
     *     [0, 1], if any
     */
    public record RelativeThreshold(String metric, boolean greaterIsBetter, OptionalDouble minAbsoluteChange,
                                    OptionalDouble minRelativeChange) {
        /** Checks arguments. */
        public RelativeThreshold {
            requireMetricName(metric);
            Objects.requireNonNull(minAbsoluteChange, "minAbsoluteChange");
            Objects.requireNonNull(minRelativeChange, "minRelativeChange");
            if (minAbsoluteChange.isEmpty() && minRelativeChange.isEmpty()) {
                throw new IllegalArgumentException("relative threshold on " + Names.quote(metric)
                        + " needs minAbsoluteChange or minRelativeChange (or both)");
            }
            minAbsoluteChange.ifPresent(v -> {
                if (!(v >= 0.0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("minAbsoluteChange of " + Names.quote(metric) + " is " + v
                            + ", expected a finite number >= 0");
                }
            });
            minRelativeChange.ifPresent(v -> {
                if (!(v >= 0.0 && v <= 1.0)) {
                    throw new IllegalArgumentException("minRelativeChange of " + Names.quote(metric) + " is " + v
                            + ", expected a fraction in [0, 1] (0.05 = 5%), as MLflow's MetricThreshold");
                }
            });
            checkDirection(metric, greaterIsBetter);
        }
    }

    /**
     * A non-inferiority margin: the candidate may be worse than the champion, but by no more
     * than {@code maxLoss}. Absolute (check {@code non_inferiority:METRIC}): with greater is
     * better the candidate needs {@code value >= champion - maxLoss}, with smaller is better
     * {@code value <= champion + maxLoss} (the bound is computed first, as for
     * {@link RelativeThreshold}'s absolute change; this is that check with the sign of the
     * change reversed). Relative (check {@code relative_non_inferiority:METRIC}): the oriented
     * change divided by {@code |champion|} must be at least {@code -maxLoss}; a champion value
     * of 0 leaves no room, so the candidate must then not be worse at all.
     *
     * @param metric metric name
     * @param greaterIsBetter direction of the metric
     * @param relative false: {@code maxLoss} is in the metric's units, finite and at least 0;
     *     true: it is a fraction of the champion's value in [0, 1]
     * @param maxLoss the largest loss tolerated; 0 means "not worse than the champion"
     */
    public record NonInferiority(String metric, boolean greaterIsBetter, boolean relative, double maxLoss) {
        /** Checks arguments. */
        public NonInferiority {
            requireMetricName(metric);
            if (relative) {
                if (!(maxLoss >= 0.0 && maxLoss <= 1.0)) {
                    throw new IllegalArgumentException("maxRelativeLoss of " + Names.quote(metric) + " is " + maxLoss
                            + ", expected a fraction of the champion's value in [0, 1] (0.02 = 2%)");
                }
            } else if (!(maxLoss >= 0.0) || Double.isInfinite(maxLoss)) {
                throw new IllegalArgumentException("maxAbsoluteLoss of " + Names.quote(metric) + " is " + maxLoss
                        + ", expected a finite number >= 0 in the metric's units");
            }
            checkDirection(metric, greaterIsBetter);
        }

        /** @return the check's name, {@code non_inferiority:METRIC} or {@code relative_non_inferiority:METRIC} */
        public String checkName() {
            return (relative ? "relative_non_inferiority:" : "non_inferiority:") + metric;
        }
    }

    /** How a significance requirement is tested. */
    public enum Test {
        /** Paired bootstrap of candidate vs champion on the same rows (any standard metric). */
        PAIRED_BOOTSTRAP,
        /** McNemar's test on the same rows (accuracy only). */
        MCNEMAR
    }

    /**
     * The candidate must be significantly better than the champion on the same rows: the
     * one-sided p-value of "the candidate is not better" must be below {@code alpha}. Check
     * {@code significance:METRIC} (paired bootstrap) or {@code mcnemar:accuracy}.
     *
     * @param metric a standard metric name ({@code Metrics.classification} or
     *     {@code Metrics.regression}); {@code accuracy} for McNemar
     * @param test the test
     * @param alpha significance level in (0, 1)
     * @param bootstrap resampling options (paired bootstrap only; McNemar ignores them)
     */
    public record Significance(String metric, Test test, double alpha, BootstrapOptions bootstrap) {
        /** Checks arguments. */
        public Significance {
            requireMetricName(metric);
            Objects.requireNonNull(test, "test");
            Objects.requireNonNull(bootstrap, "bootstrap");
            if (!(alpha > 0.0 && alpha < 1.0)) {
                throw new IllegalArgumentException("alpha of " + Names.quote(metric) + " is " + alpha
                        + ", expected a level in (0, 1), such as 0.05");
            }
            if (test == Test.MCNEMAR && !metric.equals("accuracy")) {
                throw new IllegalArgumentException("McNemar's test compares accuracy, not " + Names.quote(metric)
                        + "; use the paired bootstrap for other metrics");
            }
            if (test == Test.PAIRED_BOOTSTRAP && standardMetric(metric).isEmpty()) {
                throw new IllegalArgumentException("significance needs a standard metric the gate can recompute on"
                        + " resamples; " + Names.quote(metric) + " is not one (see Metrics.classification/regression)");
            }
        }

        /** @return the check's name */
        public String checkName() {
            return (test == Test.MCNEMAR ? "mcnemar:" : "significance:") + metric;
        }
    }

    /**
     * A bound on a fairness gap between slices of a sensitive column. Check
     * {@code fairness:METRIC(COLUMN)}.
     *
     * @param column the sensitive column of the evaluation frame
     * @param metric one of {@link #FAIRNESS_METRICS}
     * @param maximum true for a ceiling (gap {@code <= bound}), false for a floor (ratio {@code >= bound})
     * @param bound the bound, finite and at least 0
     */
    public record FairnessThreshold(String column, String metric, boolean maximum, double bound) {
        /** Checks arguments. */
        public FairnessThreshold {
            Objects.requireNonNull(column, "column");
            if (column.isBlank()) {
                throw new IllegalArgumentException("fairness column is blank");
            }
            Objects.requireNonNull(metric, "metric");
            if (!FAIRNESS_METRICS.contains(metric)) {
                throw new IllegalArgumentException("fairness metric " + Names.quote(metric) + " is unknown; expected one of "
                        + new java.util.TreeSet<>(FAIRNESS_METRICS));
            }
            if (!(bound >= 0.0) || Double.isInfinite(bound)) {
                throw new IllegalArgumentException("fairness bound of " + Names.quote(metric) + " is " + bound
                        + ", expected a finite number >= 0");
            }
        }

        /** @return the check's name */
        public String checkName() {
            return "fairness:" + metric + "(" + column + ")";
        }
    }

    /**
     * Where the evaluation frame holds predictions made elsewhere (so the gate, or the CLI, can
     * evaluate without running a model): the true label, the candidate's predicted label and
     * optionally the champion's.
     *
     * @param label column with the true label
     * @param prediction column with the candidate's predicted label
     * @param championPrediction column with the champion's predicted label, if any
     * @param positiveClass the favourable outcome for binary metrics and fairness, if not the
     *     greater label
     */
    public record PredictionColumns(String label, String prediction, Optional<String> championPrediction,
                                    Optional<String> positiveClass) {
        /** Checks arguments. */
        public PredictionColumns {
            requireColumn("label", label);
            requireColumn("prediction", prediction);
            Objects.requireNonNull(championPrediction, "championPrediction");
            championPrediction.ifPresent(c -> requireColumn("championPrediction", c));
            Objects.requireNonNull(positiveClass, "positiveClass");
        }
    }

    private final String name;
    private final boolean requireChampion;
    private final List<Threshold> thresholds;
    private final List<RelativeThreshold> relative;
    private final List<NonInferiority> nonInferiority;
    private final List<Significance> significance;
    private final OptionalDouble maxLatencyP99Millis;
    private final Optional<ValidationSuite> dataValidation;
    private final List<FairnessThreshold> fairness;
    private final Optional<PredictionColumns> predictions;

    private PromotionPolicy(Builder b) {
        this.name = b.name;
        this.requireChampion = b.requireChampion;
        this.thresholds = List.copyOf(b.thresholds.values());
        this.relative = List.copyOf(b.relative.values());
        this.nonInferiority = List.copyOf(b.nonInferiority.values());
        this.significance = List.copyOf(b.significance.values());
        this.maxLatencyP99Millis = b.maxLatencyP99Millis;
        this.dataValidation = b.dataValidation;
        this.fairness = List.copyOf(b.fairness.values());
        this.predictions = b.predictions;
    }

    /**
     * @param name the policy's name, recorded in every decision (for example {@code credit-production})
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return a builder holding this policy's rules, to edit a copy */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.requireChampion = requireChampion;
        thresholds.forEach(t -> b.thresholds.put(t.checkName(), t));
        relative.forEach(r -> b.relative.put(r.metric(), r));
        nonInferiority.forEach(n -> b.nonInferiority.put(n.checkName(), n));
        significance.forEach(s -> b.significance.put(s.checkName(), s));
        b.maxLatencyP99Millis = maxLatencyP99Millis;
        b.dataValidation = dataValidation;
        fairness.forEach(f -> b.fairness.put(f.checkName(), f));
        b.predictions = predictions;
        return b;
    }

    /** @return the policy's name */
    public String name() {
        return name;
    }

    /** @return true if champion comparisons fail (instead of being skipped) when no version holds the alias */
    public boolean requireChampion() {
        return requireChampion;
    }

    /** @return absolute bounds, in the order given */
    public List<Threshold> thresholds() {
        return thresholds;
    }

    /** @return comparisons with the champion, in the order given */
    public List<RelativeThreshold> relativeThresholds() {
        return relative;
    }

    /** @return non-inferiority margins, in the order given */
    public List<NonInferiority> nonInferiority() {
        return nonInferiority;
    }

    /** @return significance requirements, in the order given */
    public List<Significance> significance() {
        return significance;
    }

    /** @return the ceiling on the 99th percentile latency in milliseconds, if any */
    public OptionalDouble maxLatencyP99Millis() {
        return maxLatencyP99Millis;
    }

    /** @return the suite the evaluation data must pass, if any */
    public Optional<ValidationSuite> dataValidation() {
        return dataValidation;
    }

    /** @return fairness bounds, in the order given */
    public List<FairnessThreshold> fairness() {
        return fairness;
    }

    /** @return where the evaluation frame holds predictions, if it does */
    public Optional<PredictionColumns> predictions() {
        return predictions;
    }

    /** @return true if the policy has no rule at all (a gate with it never promotes) */
    public boolean isEmpty() {
        return thresholds.isEmpty() && relative.isEmpty() && nonInferiority.isEmpty() && significance.isEmpty()
                && maxLatencyP99Millis.isEmpty()
                && dataValidation.isEmpty() && fairness.isEmpty();
    }

    /**
     * @return {@code NAME@sha256:HEX} of this policy's JSON, recorded in each decision; a policy
     *     whose suite has custom predicates (which cannot be stored) gives {@code NAME@unstored}
     */
    public String id() {
        return storableJson().map(j -> name + "@sha256:" + Digests.sha256Hex(j.getBytes(StandardCharsets.UTF_8)))
                .orElse(name + "@unstored");
    }

    private Optional<String> storableJson() {
        try {
            return Optional.of(toJson());
        } catch (ValidationException customPredicates) {
            return Optional.empty();
        }
    }

    // ---- JSON ---------------------------------------------------------------------------------

    /**
     * Writes the policy (deterministically: equal policies give identical text).
     *
     * @return the policy as JSON with {@code schema_version} and {@code kind}
     */
    public String toJson() {
        ObjectNode root = StrictJson.objectNode();
        root.put("schema_version", SCHEMA_VERSION).put("kind", KIND).put("name", name)
                .put("require_champion", requireChampion);
        ArrayNode t = root.putArray("thresholds");
        for (Threshold x : thresholds) {
            t.addObject().put("metric", x.metric()).put(x.minimum() ? "min" : "max", x.bound());
        }
        ArrayNode r = root.putArray("relative");
        for (RelativeThreshold x : relative) {
            ObjectNode o = r.addObject().put("metric", x.metric()).put("greater_is_better", x.greaterIsBetter());
            x.minAbsoluteChange().ifPresent(v -> o.put("min_absolute_change", v));
            x.minRelativeChange().ifPresent(v -> o.put("min_relative_change", v));
        }
        // written only when present, so the JSON (and so the id) of a policy without margins is
        // what it was before margins existed
        if (!nonInferiority.isEmpty()) {
            ArrayNode n = root.putArray("non_inferiority");
            for (NonInferiority x : nonInferiority) {
                n.addObject().put("metric", x.metric()).put("greater_is_better", x.greaterIsBetter())
                        .put(x.relative() ? "max_relative_loss" : "max_absolute_loss", x.maxLoss());
            }
        }
        ArrayNode s = root.putArray("significance");
        for (Significance x : significance) {
            ObjectNode o = s.addObject().put("metric", x.metric())
                    .put("test", x.test().name().toLowerCase(java.util.Locale.ROOT)).put("alpha", x.alpha());
            if (x.test() == Test.PAIRED_BOOTSTRAP) {
                o.put("resamples", x.bootstrap().resamples()).put("confidence", x.bootstrap().confidence())
                        .put("seed", x.bootstrap().seed());
            }
        }
        maxLatencyP99Millis.ifPresent(v -> root.putObject("latency").put("max_p99_millis", v));
        dataValidation.ifPresent(suite -> root.set("data_validation", StrictJson.readTree(DataValidation.toJson(suite),
                "validation suite")));
        ArrayNode f = root.putArray("fairness");
        for (FairnessThreshold x : fairness) {
            f.addObject().put("column", x.column()).put("metric", x.metric()).put(x.maximum() ? "max" : "min", x.bound());
        }
        predictions.ifPresent(p -> {
            ObjectNode o = root.putObject("predictions").put("label", p.label()).put("prediction", p.prediction());
            p.championPrediction().ifPresent(c -> o.put("champion_prediction", c));
            p.positiveClass().ifPresent(c -> o.put("positive_class", c));
        });
        return QualityJson.write(root);
    }

    /**
     * Reads a policy written by {@link #toJson()} or by hand. Strict: a repeated key, an unknown
     * field, a missing or mistyped one, another schema_version or an invalid value is refused with
     * its place ({@code promotion policy: thresholds[1].min: ...}), so a typo cannot silently drop
     * a rule. Version 1 documents (camelCase names) are read too.
     *
     * @param json the document
     * @return the policy
     * @throws ValidationException naming what is wrong
     */
    public static PromotionPolicy fromJson(String json) {
        Objects.requireNonNull(json, "json");
        JsonFields root = QualityJson.parse(json, KIND);
        try {
            Builder b = builder(root.text("name"));
            root.optionalBool("require_champion").ifPresent(b::requireChampion);
            for (JsonFields o : root.optionalObjects("thresholds")) {
                String metric = o.text("metric");
                boolean hasMin = oneOf(o, "min", "max").equals("min");
                double bound = o.number(hasMin ? "min" : "max");
                guard(o, () -> {
                    if (hasMin) {
                        b.minimum(metric, bound);
                    } else {
                        b.maximum(metric, bound);
                    }
                });
            }
            for (JsonFields o : root.optionalObjects("relative")) {
                String metric = o.text("metric");
                boolean gib = o.bool("greater_is_better");
                OptionalDouble abs = o.optionalNumber("min_absolute_change");
                OptionalDouble rel = o.optionalNumber("min_relative_change");
                o.end();
                guard(o, () -> b.relative(new RelativeThreshold(metric, gib, abs, rel)));
            }
            for (JsonFields o : root.optionalObjects("non_inferiority")) {
                String metric = o.text("metric");
                boolean gib = o.bool("greater_is_better");
                boolean relative = oneOf(o, "max_absolute_loss", "max_relative_loss").equals("max_relative_loss");
                double loss = o.number(relative ? "max_relative_loss" : "max_absolute_loss");
                guard(o, () -> b.nonInferiority(new NonInferiority(metric, gib, relative, loss)));
            }
            for (JsonFields o : root.optionalObjects("significance")) {
                String metric = o.text("metric");
                String test = o.optionalText("test").orElse("paired_bootstrap");
                double alpha = o.number("alpha");
                if (test.equals("mcnemar")) {
                    o.end();
                    guard(o, () -> b.mcnemar(alpha));
                } else if (test.equals("paired_bootstrap")) {
                    BootstrapOptions d = BootstrapOptions.defaults();
                    int resamples = o.has("resamples") ? o.intValue("resamples") : d.resamples();
                    double confidence = o.optionalNumber("confidence").orElse(d.confidence());
                    long seed = o.optionalInteger("seed").orElse(d.seed());
                    o.end();
                    guard(o, () -> b.significance(metric, alpha, new BootstrapOptions(resamples, confidence, seed)));
                } else {
                    throw o.invalid("test", "unknown test " + Names.quote(test) + "; expected 'paired_bootstrap' or 'mcnemar'");
                }
            }
            Optional<JsonFields> lat = root.optionalObject("latency");
            if (lat.isPresent()) {
                lat.get().has("max_p99_millis");
                lat.get().end(); // a misspelt name is an unknown field rather than a missing one
                double ms = lat.get().number("max_p99_millis");
                guard(lat.get(), () -> b.maxLatencyP99Millis(ms));
            }
            Optional<JsonFields> dv = root.optionalObject("data_validation");
            if (dv.isPresent()) {
                ValidationSuite suite = QualityJson.readSuite(QualityJson.readHeader(dv.get(), "validation-suite"));
                guard(dv.get(), () -> b.dataValidation(suite));
            }
            for (JsonFields o : root.optionalObjects("fairness")) {
                String column = o.text("column");
                String metric = o.text("metric");
                boolean hasMax = oneOf(o, "max", "min").equals("max");
                double bound = o.number(hasMax ? "max" : "min");
                guard(o, () -> {
                    if (hasMax) {
                        b.fairnessMax(column, metric, bound);
                    } else {
                        b.fairnessMin(column, metric, bound);
                    }
                });
            }
            Optional<JsonFields> p = root.optionalObject("predictions");
            if (p.isPresent()) {
                JsonFields o = p.get();
                String label = o.text("label");
                String prediction = o.text("prediction");
                Optional<String> champion = o.optionalText("champion_prediction");
                Optional<String> positive = o.optionalText("positive_class");
                o.end();
                b.predictions(guardGet(o, () -> new PredictionColumns(label, prediction, champion, positive)));
            }
            root.end();
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw root.invalid(e.getMessage());
        }
    }

    /**
     * Ends a rule's object (no field beyond those read and these two) and names the one of two
     * alternative fields it has: exactly one must be present.
     */
    private static String oneOf(JsonFields o, String first, String second) {
        boolean hasFirst = o.has(first);
        boolean hasSecond = o.has(second);
        o.end();
        if (hasFirst == hasSecond) {
            throw o.invalid("needs exactly one of '" + first + "' and '" + second + "'");
        }
        return hasFirst ? first : second;
    }

    private static void guard(JsonFields at, Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw at.invalid(e.getMessage());
        }
    }

    private static <T> T guardGet(JsonFields at, java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw at.invalid(e.getMessage());
        }
    }

    // ---- equality -----------------------------------------------------------------------------

    /** Policies are equal when their JSON is; a policy that cannot be stored equals only itself. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PromotionPolicy p)) {
            return false;
        }
        Optional<String> mine = storableJson();
        return mine.isPresent() && mine.equals(p.storableJson());
    }

    @Override
    public int hashCode() {
        return storableJson().map(String::hashCode).orElse(System.identityHashCode(this));
    }

    @Override
    public String toString() {
        return "PromotionPolicy[" + name + ", " + (thresholds.size() + relative.size() + nonInferiority.size()
                + significance.size()
                + fairness.size() + (maxLatencyP99Millis.isPresent() ? 1 : 0) + (dataValidation.isPresent() ? 1 : 0))
                + " rules]";
    }

    // ---- helpers ------------------------------------------------------------------------------

    static Optional<Metric<?>> standardMetric(String name) {
        Optional<? extends Metric<?>> c = Metrics.classification(name);
        if (c.isPresent()) {
            return Optional.of(c.get());
        }
        return Metrics.regression(name).map(m -> m);
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

    private static void requireMetricName(String metric) {
        Objects.requireNonNull(metric, "metric");
        if (metric.isBlank()) {
            throw new IllegalArgumentException("metric name is blank");
        }
    }

    private static void requireColumn(String what, String column) {
        Objects.requireNonNull(column, what);
        if (column.isBlank()) {
            throw new IllegalArgumentException(what + " column is blank");
        }
    }

    private static void requireFinite(String what, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " is " + v + ", expected a finite number");
        }
    }

    /** Builds a {@link PromotionPolicy}; each method fails at once on a bad value or a repeated rule. */
    public static final class Builder {
        private final String name;
        private boolean requireChampion;
        private final Map<String, Threshold> thresholds = new LinkedHashMap<>();
        private final Map<String, RelativeThreshold> relative = new LinkedHashMap<>();
        private final Map<String, NonInferiority> nonInferiority = new LinkedHashMap<>();
        private final Map<String, Significance> significance = new LinkedHashMap<>();
        private OptionalDouble maxLatencyP99Millis = OptionalDouble.empty();
        private Optional<ValidationSuite> dataValidation = Optional.empty();
        private final Map<String, FairnessThreshold> fairness = new LinkedHashMap<>();
        private Optional<PredictionColumns> predictions = Optional.empty();

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("policy name is blank");
            }
            this.name = name;
        }

        /**
         * @param require true: comparisons with the champion fail when no version holds the
         *     alias (MLflow's behaviour when a baseline metric is missing); false (default): they
         *     are skipped and pass with a note, so a first version can be promoted
         * @return this
         */
        public Builder requireChampion(boolean require) {
            this.requireChampion = require;
            return this;
        }

        /**
         * @param metric metric name
         * @param bound the candidate's value must be at least this (check {@code min:METRIC})
         * @return this
         */
        public Builder minimum(String metric, double bound) {
            return threshold(new Threshold(metric, true, bound));
        }

        /**
         * @param metric metric name
         * @param bound the candidate's value must be at most this (check {@code max:METRIC})
         * @return this
         */
        public Builder maximum(String metric, double bound) {
            return threshold(new Threshold(metric, false, bound));
        }

        private Builder threshold(Threshold t) {
            if (thresholds.putIfAbsent(t.checkName(), t) != null) {
                throw new IllegalStateException("the policy already has " + t.checkName());
            }
            return this;
        }

        /**
         * A comparison with the champion, as MLflow's {@code MetricThreshold}.
         *
         * @param metric metric name
         * @param greaterIsBetter direction (checked against the standard metric of that name, if any)
         * @param minAbsoluteChange required absolute improvement, at least 0 (0: not worse); NaN for none
         * @param minRelativeChange required relative improvement in [0, 1]; NaN for none
         * @return this
         */
        public Builder relative(String metric, boolean greaterIsBetter, double minAbsoluteChange,
                                double minRelativeChange) {
            return relative(new RelativeThreshold(metric, greaterIsBetter,
                    Double.isNaN(minAbsoluteChange) ? OptionalDouble.empty() : OptionalDouble.of(minAbsoluteChange),
                    Double.isNaN(minRelativeChange) ? OptionalDouble.empty() : OptionalDouble.of(minRelativeChange)));
        }

        /**
         * @param threshold a comparison with the champion
         * @return this
         */
        public Builder relative(RelativeThreshold threshold) {
            Objects.requireNonNull(threshold, "threshold");
            if (relative.containsKey(threshold.metric())) {
                throw new IllegalStateException("the policy already compares " + Names.quote(threshold.metric())
                        + " with the champion");
            }
            requireSameDirection(threshold.metric(), threshold.greaterIsBetter());
            relative.put(threshold.metric(), threshold);
            return this;
        }

        /**
         * A non-inferiority margin in the metric's units: the candidate may be worse than the
         * champion by at most {@code maxAbsoluteLoss} (check {@code non_inferiority:METRIC}).
         *
         * @param metric metric name
         * @param greaterIsBetter direction (checked against the standard metric of that name, if any)
         * @param maxAbsoluteLoss the largest loss tolerated, finite and at least 0 (0: not worse)
         * @return this
         */
        public Builder nonInferiority(String metric, boolean greaterIsBetter, double maxAbsoluteLoss) {
            return nonInferiority(new NonInferiority(metric, greaterIsBetter, false, maxAbsoluteLoss));
        }

        /**
         * A non-inferiority margin relative to the champion's value: the candidate may be worse
         * by at most {@code maxRelativeLoss * |champion|} (check
         * {@code relative_non_inferiority:METRIC}).
         *
         * @param metric metric name
         * @param greaterIsBetter direction (checked against the standard metric of that name, if any)
         * @param maxRelativeLoss the largest loss tolerated as a fraction in [0, 1] (0.02 = 2%)
         * @return this
         */
        public Builder relativeNonInferiority(String metric, boolean greaterIsBetter, double maxRelativeLoss) {
            return nonInferiority(new NonInferiority(metric, greaterIsBetter, true, maxRelativeLoss));
        }

        /**
         * @param margin a non-inferiority margin
         * @return this
         */
        public Builder nonInferiority(NonInferiority margin) {
            Objects.requireNonNull(margin, "margin");
            if (nonInferiority.containsKey(margin.checkName())) {
                throw new IllegalStateException("the policy already has " + margin.checkName());
            }
            requireSameDirection(margin.metric(), margin.greaterIsBetter());
            nonInferiority.put(margin.checkName(), margin);
            return this;
        }

        /** Two comparisons with the champion on one metric must agree on its direction (a custom metric has no other check). */
        private void requireSameDirection(String metric, boolean greaterIsBetter) {
            Optional<Boolean> other = relative.containsKey(metric) ? Optional.of(relative.get(metric).greaterIsBetter())
                    : nonInferiority.values().stream().filter(n -> n.metric().equals(metric))
                            .map(NonInferiority::greaterIsBetter).findFirst();
            if (other.isPresent() && other.get() != greaterIsBetter) {
                throw new IllegalStateException("the policy already compares " + Names.quote(metric) + " with the"
                        + " champion as " + (other.get() ? "greater" : "smaller") + "-is-better, but greaterIsBetter"
                        + " was given as " + greaterIsBetter);
            }
        }

        /**
         * Requires a significant improvement by paired bootstrap with default options (1,000
         * resamples, seed 42).
         *
         * @param metric a standard metric
         * @param alpha significance level
         * @return this
         */
        public Builder significance(String metric, double alpha) {
            return significance(metric, alpha, BootstrapOptions.defaults());
        }

        /**
         * @param metric a standard metric
         * @param alpha significance level
         * @param options resampling options
         * @return this
         */
        public Builder significance(String metric, double alpha, BootstrapOptions options) {
            return significance(new Significance(metric, Test.PAIRED_BOOTSTRAP, alpha, options));
        }

        /**
         * Requires the candidate to be significantly more accurate by McNemar's test.
         *
         * @param alpha significance level
         * @return this
         */
        public Builder mcnemar(double alpha) {
            return significance(new Significance("accuracy", Test.MCNEMAR, alpha, BootstrapOptions.defaults()));
        }

        private Builder significance(Significance s) {
            if (significance.putIfAbsent(s.checkName(), s) != null) {
                throw new IllegalStateException("the policy already has " + s.checkName());
            }
            return this;
        }

        /**
         * @param ceiling the 99th percentile latency must not exceed this (check {@code latency:p99})
         * @return this
         */
        public Builder maxLatencyP99(Duration ceiling) {
            Objects.requireNonNull(ceiling, "ceiling");
            return maxLatencyP99Millis(ceiling.toNanos() / 1e6);
        }

        /**
         * @param millis the 99th percentile latency must not exceed this many milliseconds
         * @return this
         */
        public Builder maxLatencyP99Millis(double millis) {
            if (!(millis > 0.0) || Double.isInfinite(millis)) {
                throw new IllegalArgumentException("latency ceiling is " + millis + " ms, expected a finite number > 0");
            }
            if (maxLatencyP99Millis.isPresent()) {
                throw new IllegalStateException("the policy already has a latency ceiling");
            }
            maxLatencyP99Millis = OptionalDouble.of(millis);
            return this;
        }

        /**
         * @param suite constraints the evaluation frame must satisfy (one check {@code data:NAME}
         *     per constraint); custom predicates work in code but cannot be stored as JSON
         * @return this
         */
        public Builder dataValidation(ValidationSuite suite) {
            Objects.requireNonNull(suite, "suite");
            if (suite.constraints().isEmpty()) {
                throw new IllegalArgumentException("validation suite " + Names.quote(suite.name())
                        + " has no constraints; a data check must check something");
            }
            if (dataValidation.isPresent()) {
                throw new IllegalStateException("the policy already has a data-validation suite");
            }
            dataValidation = Optional.of(suite);
            return this;
        }

        /**
         * @param column sensitive column
         * @param metric a fairness gap, such as {@code demographic_parity_difference}
         * @param max the gap must not exceed this
         * @return this
         */
        public Builder fairnessMax(String column, String metric, double max) {
            return fairness(new FairnessThreshold(column, metric, true, max));
        }

        /**
         * @param column sensitive column
         * @param metric a fairness measure, usually {@code demographic_parity_ratio}
         * @param min the measure must be at least this
         * @return this
         */
        public Builder fairnessMin(String column, String metric, double min) {
            return fairness(new FairnessThreshold(column, metric, false, min));
        }

        private Builder fairness(FairnessThreshold f) {
            if (fairness.putIfAbsent(f.checkName(), f) != null) {
                throw new IllegalStateException("the policy already has " + f.checkName());
            }
            return this;
        }

        /**
         * @param columns where the evaluation frame holds labels and predictions
         * @return this
         */
        public Builder predictions(PredictionColumns columns) {
            Objects.requireNonNull(columns, "columns");
            if (predictions.isPresent()) {
                throw new IllegalStateException("the policy already names its prediction columns");
            }
            predictions = Optional.of(columns);
            return this;
        }

        /**
         * @param label column with the true label
         * @param prediction column with the candidate's predicted label
         * @return this
         */
        public Builder predictions(String label, String prediction) {
            return predictions(new PredictionColumns(label, prediction, Optional.empty(), Optional.empty()));
        }

        /** @return the policy */
        public PromotionPolicy build() {
            return new PromotionPolicy(this);
        }
    }
}
