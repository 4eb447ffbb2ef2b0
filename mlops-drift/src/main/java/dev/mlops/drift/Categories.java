package dev.mlops.drift;

import java.util.TreeMap;

/** Category counting shared by the categorical methods. Package-private. */
final class Categories {

    private Categories() {
    }

    /** Counts per category of the union, in natural String order: {reference count, current count}. */
    static TreeMap<String, long[]> count(String[] reference, String[] current) {
        TreeMap<String, long[]> counts = new TreeMap<>();
        for (String v : reference) {
            counts.computeIfAbsent(v, k -> new long[2])[0]++;
        }
        for (String v : current) {
            counts.computeIfAbsent(v, k -> new long[2])[1]++;
        }
        return counts;
    }
}
