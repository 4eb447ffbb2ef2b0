package dev.mlops.serving;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recent predictions that can still receive ground truth, by prediction id. Bounded:
 * the oldest entry goes when a new one would exceed the capacity. Only predictions whose id the
 * caller can know (detailed predictions and logged ones) are kept.
 */
final class FeedbackWindow {
    /** A remembered prediction: the counters to credit, and what was predicted. */
    record Entry(VersionStats stats, Object output) {
    }

    private final LinkedHashMap<String, Entry> entries;

    FeedbackWindow(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void put(String id, VersionStats stats, Object output) {
        entries.put(id, new Entry(stats, output));
    }

    /** @return the entry, removed (ground truth joins once), or null if unknown or evicted */
    synchronized Entry take(String id) {
        return entries.remove(id);
    }
}
