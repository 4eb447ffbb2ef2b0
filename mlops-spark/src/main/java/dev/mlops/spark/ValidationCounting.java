package dev.mlops.spark;

import dev.mlops.quality.ValidationCounter;
import dev.mlops.quality.ValidationState;
import java.io.Serial;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * Counts rows into mlops-quality's {@link ValidationState}, partition by partition; Spark merges
 * the partitions' states ({@link ValidationState#merge}, exact), and the merged state is what
 * the in-process count of all rows gives. The same class runs the second pass (squared
 * deviations from the first pass's means) when given the merged first state. Package-private.
 */
final class ValidationCounting extends Aggregator<Row, ValidationState, ValidationState> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final ValidationCounter counter;
    /** Per column of the plan, its index in the Spark rows. */
    private final int[] indices;
    /** The merged first-pass state for a second pass, else null. */
    private final ValidationState first;

    ValidationCounting(ValidationCounter counter, int[] indices, ValidationState first) {
        this.counter = counter;
        this.indices = indices.clone();
        this.first = first;
    }

    @Override
    public ValidationState zero() {
        return first == null ? counter.newState() : counter.secondPass(first);
    }

    @Override
    public ValidationState reduce(ValidationState state, Row row) {
        if (first == null) {
            state.addRows(1);
        }
        for (int c = 0; c < indices.length; c++) {
            if (!counter.reads(state, c)) {
                continue;
            }
            if (counter.isNumeric(c)) {
                counter.acceptNumber(state, c, SparkColumns.number(row, indices[c]));
            } else {
                counter.acceptText(state, c, SparkColumns.text(row, indices[c]));
            }
        }
        return state;
    }

    @Override
    public ValidationState merge(ValidationState a, ValidationState b) {
        return a.merge(b);
    }

    @Override
    public ValidationState finish(ValidationState state) {
        return state;
    }

    @Override
    public Encoder<ValidationState> bufferEncoder() {
        return Encoders.javaSerialization(ValidationState.class);
    }

    @Override
    public Encoder<ValidationState> outputEncoder() {
        return Encoders.javaSerialization(ValidationState.class);
    }
}
