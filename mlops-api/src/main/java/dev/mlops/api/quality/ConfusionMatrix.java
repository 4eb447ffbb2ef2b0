package dev.mlops.api.quality;

import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import java.util.List;
import java.util.Objects;

/**
 * Counts of (true class, predicted class) pairs; rows are true classes and columns predicted
 * classes, both in {@link #classes()} order (scikit-learn's layout).
 */
public final class ConfusionMatrix {
    private final List<String> classes;
    private final long[][] counts;

    /**
     * @param classes class names
     * @param counts a square matrix of non-negative counts, one row and column per class; copied
     */
    public ConfusionMatrix(List<String> classes, long[][] counts) {
        this.classes = List.copyOf(classes);
        Objects.requireNonNull(counts, "counts");
        if (counts.length != this.classes.size()) {
            throw new IllegalArgumentException("counts has " + counts.length + " rows, expected " + this.classes.size());
        }
        this.counts = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != this.classes.size()) {
                throw new IllegalArgumentException("counts row " + i + " has " + counts[i].length + " columns, expected "
                        + this.classes.size());
            }
            for (long c : counts[i]) {
                if (c < 0) {
                    throw new IllegalArgumentException("counts row " + i + " has a negative count " + c);
                }
            }
            this.counts[i] = counts[i].clone();
        }
    }

    /** @return the class names, in row and column order */
    public List<String> classes() {
        return classes;
    }

    /** @return a copy of the counts: {@code [actual][predicted]} */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /**
     * @param actual a true class
     * @param predicted a predicted class
     * @return how many rows of that true class were predicted as that class
     * @throws NotFoundException if a class is unknown
     */
    public long count(String actual, String predicted) {
        return counts[index(actual)][index(predicted)];
    }

    private int index(String cls) {
        int i = classes.indexOf(Objects.requireNonNull(cls, "class"));
        if (i < 0) {
            throw new NotFoundException("no class " + Names.quote(cls) + "; the classes are " + classes);
        }
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && classes.equals(m.classes) && java.util.Arrays.deepEquals(counts, m.counts);
    }

    @Override
    public int hashCode() {
        return 31 * classes.hashCode() + java.util.Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ConfusionMatrix" + classes + "[");
        for (int i = 0; i < counts.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(java.util.Arrays.toString(counts[i]));
        }
        return sb.append(']').toString();
    }
}
