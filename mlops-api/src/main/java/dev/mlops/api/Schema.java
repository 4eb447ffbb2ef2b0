package dev.mlops.api;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An ordered list of uniquely named columns.
 *
 * @param fields the columns in order
 */
public record Schema(List<Field> fields) {
    /** The schema with no columns. */
    public static final Schema EMPTY = new Schema(List.of());

    /** Copies and checks that names are unique. */
    public Schema {
        fields = List.copyOf(fields);
        Set<String> seen = new HashSet<>();
        for (Field f : fields) {
            if (!seen.add(f.name())) {
                throw new ValidationException("column " + Names.quote(f.name()) + " appears twice in the schema");
            }
        }
    }

    /**
     * @param fields columns in order
     * @return the schema
     */
    public static Schema of(Field... fields) {
        return new Schema(List.of(fields));
    }

    /**
     * @param name a column name
     * @return the column, if present
     */
    public Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** @return the number of columns */
    public int size() {
        return fields.size();
    }
}
