package dev.mlops.spark;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Names;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.Constraint;
import dev.mlops.api.quality.ValidationResult;
import dev.mlops.api.quality.ValidationSuite;
import dev.mlops.quality.DistinctCounts;
import dev.mlops.quality.ValidationCounter;
import dev.mlops.quality.ValidationPlan;
import dev.mlops.quality.ValidationState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Data validation of a Spark dataset: a {@link ValidationSuite} evaluated from mlops-quality's
 * mergeable {@link ValidationState}s, which each partition fills inside a typed Spark
 * {@code Aggregator} and Spark merges, so only the states reach the driver. The result equals
 * {@code DataValidation.validate(suite, frame)} on a frame of the same rows, to the last bit:
 * verdicts, observed values (means and standard deviations from exact sums) and messages.
 *
 * <pre>{@code
 * ValidationResult r = SparkValidation.validate(suite, spark.table("scoring_today"));
 * }</pre>
 *
 * <p>Jobs: one aggregation; a second one if the suite has a standard deviation constraint (the
 * squared deviations from the first pass's mean); one group-by per column with a uniqueness
 * constraint (the number of distinct values and of those occurring once). A custom predicate
 * ({@link Constraint.Custom}) is refused before any job runs. Columns read as in
 * {@link SparkDrift}: whole numbers are {@code INTEGER}, float, double and decimal
 * {@code DOUBLE} (null missing, as NaN is), strings {@code STRING}, booleans {@code BOOLEAN};
 * a constrained column of another type is refused by name. See docs/spark.md.
 */
public final class SparkValidation {

    private SparkValidation() {
    }

    /**
     * Runs every constraint of the suite on the rows.
     *
     * @param suite the constraints, none of them custom
     * @param data the rows
     * @return every constraint's observed value and verdict, as in process
     * @throws ValidationException if the suite holds a custom predicate (naming it and why), or a
     *     constrained column has a Spark type the library does not read
     */
    public static ValidationResult validate(ValidationSuite suite, Dataset<Row> data) {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(data, "data");
        for (Constraint c : suite.constraints()) {
            if (c instanceof Constraint.Custom custom) {
                throw new ValidationException("constraint " + Names.quote(custom.name()) + " on column "
                        + Names.quote(custom.column()) + " is a custom predicate, which SparkValidation refuses: its"
                        + " Java code would have to run on every executor and its first error depends on row order;"
                        + " express it as a pattern, range or category constraint, or validate it on a frame of a"
                        + " sample with DataValidation.validate");
            }
        }
        StructType struct = data.schema();
        ValidationPlan plan = ValidationPlan.of(suite, schema(struct, suite));
        ValidationCounter counter = plan.counter();
        int[] indices = SparkColumns.indices(struct, plan.columns().stream().map(Field::name).toList());
        ValidationState first = ValidationState.fromBytes(
                data.select(new ValidationCounting(counter, indices, null).toColumn()).first());
        ValidationState second = null;
        if (counter.needsSecondPass()) {
            second = ValidationState.fromBytes(data.select(new ValidationCounting(counter, indices, first).toColumn()).first());
        }
        Map<String, DistinctCounts> distinct = distinct(data, plan);
        return plan.result(first, second, distinct);
    }

    /**
     * The library's schema of the data: constrained columns typed as a frame would hold them
     * (refusing other Spark types by name), the rest named only, as {@link FieldType#OTHER}.
     */
    static Schema schema(StructType struct, ValidationSuite suite) {
        Set<String> constrained = new HashSet<>();
        suite.constraints().forEach(c -> c.checkedColumn().ifPresent(constrained::add));
        List<Field> fields = new ArrayList<>();
        for (StructField f : struct.fields()) {
            if (constrained.contains(f.name())) {
                fields.add(new Field(f.name(), SparkColumns.type(f)));
            } else {
                fields.add(new Field(f.name(), FieldType.OTHER));
            }
        }
        return new Schema(fields);
    }

    /**
     * Per uniqueness column, its distinct non-missing values and those occurring once: one
     * group-by of (column, value) over all such columns, then a count per column, on the
     * cluster; one row per column reaches the driver.
     */
    private static Map<String, DistinctCounts> distinct(Dataset<Row> data, ValidationPlan plan) {
        List<String> columns = plan.distinctColumns();
        Map<String, DistinctCounts> out = new LinkedHashMap<>();
        if (columns.isEmpty()) {
            return out;
        }
        // one scan: each row becomes one (column, value) cell per uniqueness column
        Column[] perColumn = new Column[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            boolean numeric = plan.columns().stream().filter(f -> f.name().equals(column)).findFirst().orElseThrow()
                    .type().isNumeric();
            Column cell = functions.col("`" + column.replace("`", "``") + "`");
            // as a frame holds the cell: a double (-0.0 one value with 0.0, NaN missing), or text
            Column number = numeric ? cell.cast("double").plus(functions.lit(0.0)) : functions.lit(null).cast("double");
            Column text = numeric ? functions.lit(null).cast("string") : cell.cast("string");
            perColumn[i] = functions.struct(functions.lit(i).as("c"), number.as("num"), text.as("txt"));
        }
        Dataset<Row> cells = data.select(functions.explode(functions.array(perColumn)).as("cell"))
                .select("cell.c", "cell.num", "cell.txt")
                .where(functions.col("txt").isNotNull()
                        .or(functions.col("num").isNotNull().and(functions.not(functions.isnan(functions.col("num"))))));
        List<Row> counts = cells.groupBy("c", "num", "txt").count()
                .groupBy("c").agg(functions.count(functions.lit(1)),
                        functions.sum(functions.when(functions.col("count").equalTo(1), 1).otherwise(0)))
                .collectAsList();
        long[] distinct = new long[columns.size()];
        long[] once = new long[columns.size()];
        for (Row r : counts) {
            int c = r.getInt(0);
            distinct[c] = r.getLong(1);
            once[c] = r.isNullAt(2) ? 0 : r.getLong(2);
        }
        for (int i = 0; i < columns.size(); i++) {
            out.put(columns.get(i), new DistinctCounts(distinct[i], once[i]));
        }
        return out;
    }
}
