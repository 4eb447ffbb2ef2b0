package dev.mlops.estimation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The estimates for every chunk of one data set, by result column.
 *
 * @param chunks the chunks, in order
 * @param estimates per result column name (such as {@code roc_auc}), one estimate per chunk in chunk order
 */
public record EstimationResult(List<Chunk> chunks, Map<String, List<ChunkEstimate>> estimates) {
    /** Copies the values. */
    public EstimationResult {
        chunks = List.copyOf(chunks);
        Map<String, List<ChunkEstimate>> copy = new LinkedHashMap<>();
        estimates.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        estimates = java.util.Collections.unmodifiableMap(copy);
    }

    /** @return the result column names, in the order the metrics were asked for */
    public List<String> metricNames() {
        return new ArrayList<>(estimates.keySet());
    }

    /**
     * @param name a result column name, such as {@code roc_auc}
     * @return its estimate per chunk
     * @throws IllegalArgumentException if no metric gives that column
     */
    public List<ChunkEstimate> metric(String name) {
        Objects.requireNonNull(name, "name");
        List<ChunkEstimate> list = estimates.get(name);
        if (list == null) {
            throw new IllegalArgumentException("no estimates named '" + name + "'; expected one of " + estimates.keySet());
        }
        return list;
    }

    /**
     * @param name a result column name
     * @return the chunks whose estimate of that column raised an alert
     */
    public List<Chunk> alerts(String name) {
        List<Chunk> out = new ArrayList<>();
        for (ChunkEstimate e : metric(name)) {
            if (e.alert()) {
                out.add(e.chunk());
            }
        }
        return out;
    }
}
