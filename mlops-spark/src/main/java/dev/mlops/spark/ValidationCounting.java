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
 * deviations from the first pass's means) when given the merged first state. States travel as
 * {@link ValidationState#toBytes}: inside a {@link Buffer} between tasks, as the result to the
 * driver, and (the first pass's) with the second pass's aggregator. Package-private.
 */
final class ValidationCounting extends Aggregator<Row, ValidationCounting.Buffer, byte[]> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final ValidationCounter counter;
    /** Per column of the plan, its index in the Spark rows. */
    private final int[] indices;
    /** The merged first-pass state's bytes for a second pass, else null. */
    private final byte[] first;
    /** {@link #first} read back, once per executor's copy of this aggregator. */
    private transient ValidationState firstState;

    ValidationCounting(ValidationCounter counter, int[] indices, ValidationState first) {
        this.counter = counter;
        this.indices = indices.clone();
        this.first = first == null ? null : first.toBytes();
    }

    /**
     * Public only because Spark's bean encoder requires it: the aggregation buffer, whose one
     * property is its state's bytes ({@link ValidationState#toBytes}), so Spark ships those and
     * nothing else.
     */
    public static final class Buffer {
        ValidationState state;

        /** An empty buffer, for Spark's encoder, which then sets its bytes. */
        public Buffer() {
        }

        Buffer(ValidationState state) {
            this.state = state;
        }

        /** @return the state's bytes */
        public byte[] getBytes() {
            return state.toBytes();
        }

        /** @param bytes a state's bytes, as {@link #getBytes} gave them */
        public void setBytes(byte[] bytes) {
            state = ValidationState.fromBytes(bytes);
        }
    }

    @Override
    public Buffer zero() {
        if (first == null) {
            return new Buffer(counter.newState());
        }
        if (firstState == null) {
            firstState = ValidationState.fromBytes(first);
        }
        return new Buffer(counter.secondPass(firstState));
    }

    @Override
    public Buffer reduce(Buffer buffer, Row row) {
        ValidationState state = buffer.state;
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
        return buffer;
    }

    @Override
    public Buffer merge(Buffer a, Buffer b) {
        a.state.merge(b.state);
        return a;
    }

    /** The merged state's bytes: the driver reads them with {@link ValidationState#fromBytes}. */
    @Override
    public byte[] finish(Buffer buffer) {
        return buffer.state.toBytes();
    }

    @Override
    public Encoder<Buffer> bufferEncoder() {
        return Encoders.bean(Buffer.class);
    }

    @Override
    public Encoder<byte[]> outputEncoder() {
        return Encoders.BINARY();
    }
}
