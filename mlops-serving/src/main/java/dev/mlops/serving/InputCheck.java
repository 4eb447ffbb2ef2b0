package dev.mlops.serving;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Checks one input's columns against a version's input signature: every declared column
 * present and non-null, of its type, and not NaN where the type is numeric. Columns the
 * signature does not declare are ignored. Built once per loaded version.
 */
final class InputCheck {
    private static final InputCheck NONE = new InputCheck(null, new Field[0]);

    private final ModelRef.Version version;
    private final Field[] fields;

    private InputCheck(ModelRef.Version version, Field[] fields) {
        this.version = version;
        this.fields = fields;
    }

    static InputCheck of(ModelRef.Version version, Schema inputs) {
        return inputs.size() == 0 ? NONE : new InputCheck(version, inputs.fields().toArray(new Field[0]));
    }

    /** @return false when the signature declares no input column (nothing to check) */
    boolean active() {
        return fields.length > 0;
    }

    /** @throws ValidationException naming the column, the version and what was expected */
    void check(Map<String, ?> columns) {
        if (fields.length == 0) {
            return;
        }
        if (columns == null) {
            throw new ValidationException("the input check function returned null instead of the columns of version "
                    + version + " " + names());
        }
        for (Field f : fields) {
            Object value = columns.get(f.name());
            if (value == null) {
                throw new ValidationException("input column " + Names.quote(f.name()) + " is missing; version "
                        + version + " expects " + f.type() + " columns " + names());
            }
            if (!hasType(value, f.type())) {
                throw new ValidationException("input column " + Names.quote(f.name()) + " is a "
                        + value.getClass().getSimpleName() + "; version " + version + " expects " + expected(f.type()));
            }
            if (f.type().isNumeric() && isNaN(value)) {
                throw new ValidationException("input column " + Names.quote(f.name()) + " is NaN; version " + version
                        + " expects a number");
            }
        }
    }

    private String names() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < fields.length; i++) {
            b.append(i == 0 ? "" : ", ").append(fields[i].name());
        }
        return b.append(']').toString();
    }

    private static boolean hasType(Object v, FieldType type) {
        return switch (type) {
            case INTEGER -> v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                    || v instanceof BigInteger;
            case DOUBLE -> v instanceof Number;
            case BOOLEAN -> v instanceof Boolean;
            case STRING -> v instanceof CharSequence;
            case DATE -> v instanceof LocalDate || v instanceof CharSequence s && isIsoDate(s);
            case OTHER -> true;
        };
    }

    private static boolean isNaN(Object v) {
        return v instanceof Double d && d.isNaN() || v instanceof Float f && f.isNaN();
    }

    private static boolean isIsoDate(CharSequence s) {
        try {
            LocalDate.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String expected(FieldType type) {
        return switch (type) {
            case INTEGER -> "INTEGER (Long, Integer, Short, Byte or BigInteger)";
            case DOUBLE -> "DOUBLE (a Number)";
            case BOOLEAN -> "BOOLEAN (a Boolean)";
            case STRING -> "STRING (a CharSequence)";
            case DATE -> "DATE (a LocalDate or yyyy-MM-dd text)";
            case OTHER -> "any value";
        };
    }
}
