package dev.mlops.spark;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Names;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How Spark columns map onto the library's field types, and how a row's cell is read as a
 * frame would hold it: whole-number types are {@link FieldType#INTEGER}, float, double and
 * decimal are {@link FieldType#DOUBLE} (null is NaN, missing), strings are
 * {@link FieldType#STRING} and booleans {@link FieldType#BOOLEAN} ("true"/"false", null missing).
 * Other types are refused by name. Package-private.
 */
final class SparkColumns {
    private SparkColumns() {
    }

    /** The library's schema of a Spark schema. */
    static Schema schema(StructType struct) {
        List<Field> fields = new ArrayList<>();
        for (StructField f : struct.fields()) {
            fields.add(new Field(f.name(), type(f)));
        }
        return new Schema(fields);
    }

    static FieldType type(StructField f) {
        DataType t = f.dataType();
        if (t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType || t instanceof LongType) {
            return FieldType.INTEGER;
        }
        if (t instanceof FloatType || t instanceof DoubleType || t instanceof DecimalType) {
            return FieldType.DOUBLE;
        }
        if (t instanceof StringType) {
            return FieldType.STRING;
        }
        if (t instanceof BooleanType) {
            return FieldType.BOOLEAN;
        }
        throw new ValidationException("column " + Names.quote(f.name()) + " has Spark type " + t.simpleString()
                + "; profiles and reports take numbers, strings and booleans (cast or drop it first)");
    }

    /** The index of each name in the Spark schema, refusing a missing one. */
    static int[] indices(StructType struct, List<String> names) {
        int[] out = new int[names.size()];
        for (int i = 0; i < out.length; i++) {
            String name = names.get(i);
            int at = -1;
            StructField[] fs = struct.fields();
            for (int j = 0; j < fs.length; j++) {
                if (fs[j].name().equals(name)) {
                    at = j;
                    break;
                }
            }
            if (at < 0) {
                throw new ValidationException("the Spark data has no column " + Names.quote(name) + "; it has "
                        + List.of(struct.fieldNames()));
            }
            out[i] = at;
        }
        return out;
    }

    /** A column of a dataset by its exact name (quoted, so that dots and spaces are not parsed). */
    static org.apache.spark.sql.Column column(String name) {
        return org.apache.spark.sql.functions.col("`" + name.replace("`", "``") + "`");
    }

    /** A numeric cell as a frame holds it: NaN for null. */
    static double number(Row row, int i) {
        return row.isNullAt(i) ? Double.NaN : ((Number) row.get(i)).doubleValue();
    }

    /** A categorical cell as a frame holds it: null for null. */
    static String text(Row row, int i) {
        if (row.isNullAt(i)) {
            return null;
        }
        Object v = row.get(i);
        return v instanceof String s ? s : String.valueOf(v);
    }
}
