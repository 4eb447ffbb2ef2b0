package dev.mlops.quality;

import dev.mlops.api.Frame;
import dev.mlops.api.quality.ConstraintResult;
import dev.mlops.api.quality.SuggestionOptions;
import dev.mlops.api.quality.SuggestionResult;
import dev.mlops.api.quality.ValidationResult;
import dev.mlops.api.quality.ValidationSuite;
import dev.mlops.api.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Data validation: runs a {@link ValidationSuite} on a {@link Frame}, suggests a suite from a
 * reference frame as Deequ's {@code ConstraintSuggestionRunner} does, and writes and reads suites
 * as JSON (with {@code schemaVersion}) to store with a dataset version. See docs/quality.md.
 */
public final class DataValidation {
    private DataValidation() {
    }

    /**
     * Runs every constraint (none stops the others).
     *
     * @param suite the constraints
     * @param frame the data
     * @return every constraint's observed value and verdict
     */
    public static ValidationResult validate(ValidationSuite suite, Frame frame) {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(frame, "frame");
        // the same mergeable counts Spark partitions are summarised into, over all rows at once
        ValidationPlan plan = ValidationPlan.of(suite, frame.schema());
        ValidationCounter counter = plan.counter();
        ValidationState first = counter.newState();
        first.addRows(frame.rowCount());
        count(plan, counter, first, frame);
        ValidationState second = null;
        if (counter.needsSecondPass()) {
            second = counter.secondPass(first);
            count(plan, counter, second, frame);
        }
        Map<String, DistinctCounts> distinct = new HashMap<>();
        for (String column : plan.distinctColumns()) {
            distinct.put(column, ConstraintChecks.distinct(frame, frame.schema().field(column).orElseThrow()));
        }
        List<ConstraintResult> results = plan.results(first, second, distinct, c -> ConstraintChecks.custom(c, frame));
        return new ValidationResult(suite.name(), frame.rowCount(), results);
    }

    /** Counts every cell of the plan's columns that the state's pass reads. */
    static void count(ValidationPlan plan, ValidationCounter counter, ValidationState state, Frame frame) {
        List<Field> columns = plan.columns();
        for (int c = 0; c < columns.size(); c++) {
            if (!counter.reads(state, c)) {
                continue;
            }
            String name = columns.get(c).name();
            if (counter.isNumeric(c)) {
                for (double v : frame.numeric(name)) {
                    counter.acceptNumber(state, c, v);
                }
            } else {
                for (String v : frame.strings(name)) {
                    counter.acceptText(state, c, v);
                }
            }
        }
    }

    /**
     * Suggests constraints with the default options.
     *
     * @param reference a frame the data is expected to resemble
     * @param suiteName the name of the suggested suite
     * @return the suite and the rule behind each constraint
     */
    public static SuggestionResult suggest(Frame reference, String suiteName) {
        return suggest(reference, suiteName, SuggestionOptions.defaults());
    }

    /**
     * Suggests constraints: per column its type, completeness (exactly complete, or a binomial
     * lower bound of the observed share), its categories (all of them, or those covering 90% with
     * a tolerated share outside), non-negativity, uniqueness, and by option the observed range
     * and mean / standard deviation. Every suggested constraint holds on the reference frame.
     *
     * @param reference a frame the data is expected to resemble
     * @param suiteName the name of the suggested suite
     * @param options which optional rules run
     * @return the suite and the rule behind each constraint
     */
    public static SuggestionResult suggest(Frame reference, String suiteName, SuggestionOptions options) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(suiteName, "suiteName");
        Objects.requireNonNull(options, "options");
        return ConstraintSuggester.suggest(reference, suiteName, options);
    }

    /**
     * @param suite a suite without custom constraints
     * @return its JSON document: {@code {"schemaVersion":1,"kind":"validation-suite","name":...,"constraints":[...]}}
     * @throws dev.mlops.api.ValidationException if the suite holds a custom predicate (code
     *     cannot be stored), naming it
     */
    public static String toJson(ValidationSuite suite) {
        return QualityJson.suite(Objects.requireNonNull(suite, "suite"));
    }

    /**
     * @param json a document written by {@link #toJson}
     * @return the suite
     * @throws dev.mlops.api.ValidationException if the document is malformed, of another
     *     schemaVersion, or holds an unknown or invalid constraint (the message names it)
     */
    public static ValidationSuite fromJson(String json) {
        return QualityJson.readSuite(Objects.requireNonNull(json, "json"));
    }

    /**
     * @param result a validation result
     * @return its JSON document (observed NaN as null), for the record of a decision
     */
    public static String toJson(ValidationResult result) {
        return QualityJson.result(Objects.requireNonNull(result, "result"));
    }
}
