package dev.mlops.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Which page of a listing to return.
 *
 * @param size items per page, 1 to 1,000
 * @param pageToken the token of the previous page, or empty for the first page
 */
public record PageRequest(int size, Optional<String> pageToken) {
    /** Largest page. */
    public static final int MAX_SIZE = 1000;

    /** Checks arguments. */
    public PageRequest {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("page size must be 1 to " + MAX_SIZE + ", was " + size);
        }
        Objects.requireNonNull(pageToken, "pageToken");
    }

    /**
     * @param size items per page
     * @return the first page
     */
    public static PageRequest first(int size) {
        return new PageRequest(size, Optional.empty());
    }

    /**
     * @param token a token returned with the previous page
     * @param size items per page
     * @return the page after that token
     */
    public static PageRequest after(String token, int size) {
        return new PageRequest(size, Optional.of(token));
    }
}
