package dev.mlops.api.store;

import dev.mlops.api.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A hierarchical key of a small document, such as {@code models/rain/versions/0000000003}.
 * Every segment obeys {@link Names#requireValid} (kind {@link Names.Kind#KEY_SEGMENT}), so a key
 * maps to a safe relative path in any store. The empty key is the root: it can be listed, not
 * read or written.
 *
 * @param segments the segments, outermost first
 */
public record DocumentKey(List<String> segments) implements Comparable<DocumentKey> {

    /** The root key, parent of every top-level document. */
    public static final DocumentKey ROOT = new DocumentKey(List.of());

    /** Validates every segment. */
    public DocumentKey {
        Objects.requireNonNull(segments, "segments");
        segments = List.copyOf(segments);
        for (String s : segments) {
            Names.requireValid(Names.Kind.KEY_SEGMENT, s);
        }
    }

    /**
     * @param segments one or more segments
     * @return the key
     */
    public static DocumentKey of(String... segments) {
        return new DocumentKey(Arrays.asList(segments));
    }

    /**
     * @param path segments joined with {@code /}, e.g. {@code models/rain}
     * @return the key; the empty string is {@link #ROOT}
     */
    public static DocumentKey parse(String path) {
        Objects.requireNonNull(path, "path");
        return path.isEmpty() ? ROOT : new DocumentKey(Arrays.asList(path.split("/", -1)));
    }

    /**
     * @param segment a child segment
     * @return this key with {@code segment} appended
     */
    public DocumentKey child(String segment) {
        List<String> s = new ArrayList<>(segments);
        s.add(segment);
        return new DocumentKey(s);
    }

    /** @return the key one level up; the parent of a one-segment key is {@link #ROOT} */
    public DocumentKey parent() {
        if (segments.isEmpty()) {
            throw new IllegalStateException("the root key has no parent");
        }
        return new DocumentKey(segments.subList(0, segments.size() - 1));
    }

    /** @return the last segment */
    public String name() {
        if (segments.isEmpty()) {
            throw new IllegalStateException("the root key has no name");
        }
        return segments.get(segments.size() - 1);
    }

    /** @return true for {@link #ROOT} */
    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** @return the segments joined with {@code /} */
    @Override
    public String toString() {
        return String.join("/", segments);
    }

    @Override
    public List<String> segments() {
        return Collections.unmodifiableList(segments);
    }

    /** Orders by segments, lexicographically, segment by segment. */
    @Override
    public int compareTo(DocumentKey other) {
        int n = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < n; i++) {
            int c = segments.get(i).compareTo(other.segments.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(segments.size(), other.segments.size());
    }
}
