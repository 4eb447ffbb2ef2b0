package dev.mlops.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a listing.
 *
 * @param items the items of this page, in listing order
 * @param nextPageToken present when more items follow; pass it to get the next page
 * @param <T> item type
 */
public record Page<T>(List<T> items, Optional<String> nextPageToken) {
    /** Copies the list. */
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(nextPageToken, "nextPageToken");
    }

    /**
     * @param items the items
     * @param <T> item type
     * @return a last page
     */
    public static <T> Page<T> last(List<T> items) {
        return new Page<>(items, Optional.empty());
    }

    /** @return true when another page follows */
    public boolean hasNext() {
        return nextPageToken.isPresent();
    }

    /**
     * @param f a mapping
     * @param <R> new item type
     * @return a page of the mapped items with the same token
     */
    public <R> Page<R> map(Function<? super T, ? extends R> f) {
        return new Page<>(items.stream().<R>map(f).toList(), nextPageToken);
    }
}
