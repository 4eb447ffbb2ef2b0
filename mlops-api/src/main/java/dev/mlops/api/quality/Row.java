package dev.mlops.api.quality;

/**
 * A read-only view of one row of a {@link dev.mlops.api.Frame}, handed to functions that build
 * a model's input from a row. Valid only during the call it is passed to.
 */
public interface Row {
    /** @return the row's position in its frame, from 0 */
    int index();

    /**
     * @param column a numeric column
     * @return its value in this row, NaN when missing
     * @throws dev.mlops.api.NotFoundException if there is no such column
     * @throws dev.mlops.api.ValidationException if the column is not numeric
     */
    double number(String column);

    /**
     * @param column a non-numeric column
     * @return its value in this row, null when missing
     * @throws dev.mlops.api.NotFoundException if there is no such column
     * @throws dev.mlops.api.ValidationException if the column is numeric
     */
    String text(String column);
}
