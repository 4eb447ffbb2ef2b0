package dev.mlops.quality;

import dev.mlops.api.Frame;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.Row;
import java.util.HashMap;
import java.util.Map;

/** A movable row cursor over a frame; each column is copied out of the frame once, on first use. */
final class FrameRow implements Row {
    private final Frame frame;
    private final Map<String, double[]> numbers = new HashMap<>();
    private final Map<String, String[]> texts = new HashMap<>();
    private int index;

    FrameRow(Frame frame) {
        this.frame = frame;
    }

    FrameRow at(int row) {
        this.index = row;
        return this;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public double number(String column) {
        return numbers.computeIfAbsent(column, frame::numeric)[index];
    }

    @Override
    public String text(String column) {
        return texts.computeIfAbsent(column, frame::strings)[index];
    }

    /** The label of every row as text (numbers in their shortest form); a missing label is an error. */
    static String[] labels(Frame frame, String column) {
        String[] out;
        if (frame.isNumeric(column)) {
            double[] d = frame.numeric(column);
            out = new String[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = Double.isNaN(d[i]) ? null : ConstraintChecks.formatNumber(d[i]);
            }
        } else {
            out = frame.strings(column);
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                throw new ValidationException("row " + i + " has no value in label column " + Names.quote(column)
                        + "; every evaluated row needs a label");
            }
        }
        return out;
    }
}
