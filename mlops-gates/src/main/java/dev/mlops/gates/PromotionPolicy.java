package dev.mlops.gates;

import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.BootstrapOptions;
import dev.mlops.api.quality.ValidationSuite;
import dev.mlops.api.Digests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules a candidate version must satisfy before a {@link PromotionGate} moves an alias to it:
 * a list of {@link PromotionRule}s, checked in the order given. Immutable; built with
 * {@link #builder(String)}, which fails fast at the wrong call ({@link IllegalArgumentException}
 * for a bad value, {@link IllegalStateException} for a rule given twice); stored as JSON with
 * {@link #toJson()} / {@link #fromJson(String)}.
 *
 * <pre>{@code
 * PromotionPolicy policy = PromotionPolicy.builder("credit-production")
 *         .minimum("roc_auc", 0.70)                     // min:roc_auc, candidate >= 0.70
 *         .maximum("log_loss", 0.60)                    // max:log_loss, candidate <= 0.60
 *         .improvement("roc_auc", true, 0.01)           // at least 0.01 above the champion
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
    /** The schema version this library writes; it still reads version 1. */
    public static final int SCHEMA_VERSION = PolicyJson.SCHEMA_VERSION;
    /** The JSON document's kind. */
    public static final String KIND = "promotion-policy";

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
    private final List<PromotionRule> rules;
    private final Optional<PredictionColumns> predictions;

    private PromotionPolicy(Builder b) {
        this.name = b.name;
        this.requireChampion = b.requireChampion;
        this.rules = List.copyOf(b.rules.values());
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
        rules.forEach(b::rule);
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

    /** @return the rules, in the order given */
    public List<PromotionRule> rules() {
        return rules;
    }

    /**
     * @param type a kind of rule, such as {@code PromotionRule.Minimum.class}
     * @param <R> the kind
     * @return the rules of that kind, in the order given
     */
    public <R extends PromotionRule> List<R> rules(Class<R> type) {
        Objects.requireNonNull(type, "type");
        return rules.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** @return where the evaluation frame holds predictions, if it does */
    public Optional<PredictionColumns> predictions() {
        return predictions;
    }

    /** @return true if the policy has no rule at all (a gate with it never promotes) */
    public boolean isEmpty() {
        return rules.isEmpty();
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

    /**
     * Writes the policy (deterministically: equal policies give identical text), in schema
     * version {@value #SCHEMA_VERSION}: {@code {"schema_version", "kind", "name",
     * "require_champion", "rules": [{"type": ..., ...}], "predictions"}}.
     *
     * @return the policy as JSON
     * @throws ValidationException if a data-validation suite has custom predicates, which cannot be stored
     */
    public String toJson() {
        return PolicyJson.write(this);
    }

    /**
     * Reads a policy written by {@link #toJson()}, by an older version of this library (schema
     * version 1, with a section per kind of rule), or by hand. Strict: an unknown field or rule
     * type, a missing or mistyped field, another schema version or an invalid value is refused
     * with its place ({@code rules[1]: ...}), so a typo cannot silently drop a rule.
     *
     * @param json the document
     * @return the policy
     * @throws ValidationException naming what is wrong
     */
    public static PromotionPolicy fromJson(String json) {
        Objects.requireNonNull(json, "json");
        return PolicyJson.read(json);
    }

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
        return "PromotionPolicy[" + name + ", " + rules.size() + " rules]";
    }

    private static void requireColumn(String what, String column) {
        Objects.requireNonNull(column, what);
        if (column.isBlank()) {
            throw new IllegalArgumentException(what + " column is blank");
        }
    }

    /** Builds a {@link PromotionPolicy}; each method fails at once on a bad value or a repeated rule. */
    public static final class Builder {
        private final String name;
        private boolean requireChampion;
        /** By {@link PromotionRule#key()}: one rule per check. */
        private final Map<String, PromotionRule> rules = new LinkedHashMap<>();
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
         * Adds a rule; every other rule method is a shorthand for this.
         *
         * @param rule the rule
         * @return this
         * @throws IllegalStateException if the policy already has a rule with the same
         *     {@link PromotionRule#key() key}, or compares the same metric with the champion in
         *     the other direction
         */
        public Builder rule(PromotionRule rule) {
            Objects.requireNonNull(rule, "rule");
            if (rules.containsKey(rule.key())) {
                throw new IllegalStateException("the policy already has " + rule.key());
            }
            if (rule instanceof PromotionRule.ChampionComparison c) {
                requireSameDirection(c);
            }
            rules.put(rule.key(), rule);
            return this;
        }

        /** Two comparisons with the champion on one metric must agree on its direction (a custom metric has no other check). */
        private void requireSameDirection(PromotionRule.ChampionComparison c) {
            for (PromotionRule r : rules.values()) {
                if (r instanceof PromotionRule.ChampionComparison o && o.metric().equals(c.metric())
                        && o.greaterIsBetter() != c.greaterIsBetter()) {
                    throw new IllegalStateException("the policy already compares " + Names.quote(c.metric())
                            + " with the champion as " + (o.greaterIsBetter() ? "greater" : "smaller")
                            + "-is-better, but greaterIsBetter was given as " + c.greaterIsBetter());
                }
            }
        }

        /**
         * @param metric metric name
         * @param bound the candidate's value must be at least this (check {@code min:METRIC})
         * @return this
         */
        public Builder minimum(String metric, double bound) {
            return rule(new PromotionRule.Minimum(metric, bound));
        }

        /**
         * @param metric metric name
         * @param bound the candidate's value must be at most this (check {@code max:METRIC})
         * @return this
         */
        public Builder maximum(String metric, double bound) {
            return rule(new PromotionRule.Maximum(metric, bound));
        }

        /**
         * The candidate must beat the champion by at least {@code minChange} in the metric's
         * units, as MLflow's {@code min_absolute_change} (check {@code improvement:METRIC}).
         *
         * @param metric metric name
         * @param greaterIsBetter direction (checked against the standard metric of that name, if any)
         * @param minChange required improvement, finite and at least 0 (0: not worse)
         * @return this
         */
        public Builder improvement(String metric, boolean greaterIsBetter, double minChange) {
            return rule(new PromotionRule.Improvement(metric, greaterIsBetter, minChange));
        }

        /**
         * The candidate must beat the champion by at least {@code minFraction} of the champion's
         * value, as MLflow's {@code min_relative_change} (check {@code relative_improvement:METRIC}).
         *
         * @param metric metric name
         * @param greaterIsBetter direction (checked against the standard metric of that name, if any)
         * @param minFraction required improvement as a fraction in [0, 1] (0.05 = 5%)
         * @return this
         */
        public Builder relativeImprovement(String metric, boolean greaterIsBetter, double minFraction) {
            return rule(new PromotionRule.RelativeImprovement(metric, greaterIsBetter, minFraction));
        }

        /**
         * A non-inferiority margin in the metric's units: the candidate may be worse than the
         * champion by at most {@code maxLoss} (check {@code non_inferiority:METRIC}).
         *
         * @param metric metric name
         * @param greaterIsBetter direction (checked against the standard metric of that name, if any)
         * @param maxLoss the largest loss tolerated, finite and at least 0 (0: not worse)
         * @return this
         */
        public Builder nonInferiority(String metric, boolean greaterIsBetter, double maxLoss) {
            return rule(new PromotionRule.NonInferiority(metric, greaterIsBetter, maxLoss));
        }

        /**
         * A non-inferiority margin relative to the champion's value: the candidate may be worse
         * by at most {@code maxLossFraction * |champion|} (check
         * {@code relative_non_inferiority:METRIC}).
         *
         * @param metric metric name
         * @param greaterIsBetter direction (checked against the standard metric of that name, if any)
         * @param maxLossFraction the largest loss tolerated as a fraction in [0, 1] (0.02 = 2%)
         * @return this
         */
        public Builder relativeNonInferiority(String metric, boolean greaterIsBetter, double maxLossFraction) {
            return rule(new PromotionRule.RelativeNonInferiority(metric, greaterIsBetter, maxLossFraction));
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
            return rule(new PromotionRule.Significance(metric, alpha, options));
        }

        /**
         * Requires the candidate to be significantly more accurate by McNemar's test.
         *
         * @param alpha significance level
         * @return this
         */
        public Builder mcnemar(double alpha) {
            return rule(new PromotionRule.McNemarTest(alpha));
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
            return rule(new PromotionRule.LatencyP99(millis));
        }

        /**
         * @param suite constraints the evaluation frame must satisfy (one check {@code data:NAME}
         *     per constraint); custom predicates work in code but cannot be stored as JSON
         * @return this
         */
        public Builder dataValidation(ValidationSuite suite) {
            return rule(new PromotionRule.DataValidationRule(suite));
        }

        /**
         * @param column sensitive column
         * @param metric a fairness gap, such as {@code demographic_parity_difference}
         * @param max the gap must not exceed this
         * @return this
         */
        public Builder fairnessMax(String column, String metric, double max) {
            return rule(new PromotionRule.FairnessMax(column, metric, max));
        }

        /**
         * @param column sensitive column
         * @param metric a fairness measure, usually {@code demographic_parity_ratio}
         * @param min the measure must be at least this
         * @return this
         */
        public Builder fairnessMin(String column, String metric, double min) {
            return rule(new PromotionRule.FairnessMin(column, metric, min));
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
