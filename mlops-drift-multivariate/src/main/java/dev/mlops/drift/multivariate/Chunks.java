package dev.mlops.drift.multivariate;

import dev.mlops.api.ValidationException;
import dev.mlops.estimation.Chunk;
import dev.mlops.estimation.Chunking;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Splits rows into chunks by size or number, with the rules of mlops-estimation's chunker (NannyML's
 * {@code SizeBasedChunker} and {@code CountBasedChunker}). mlops-estimation keeps its splitter
 * package-private, so this is the same rule written again for the row-position chunkings; chunking
 * by period needs timestamps, which a {@link dev.mlops.api.Frame} of features does not carry, and is refused.
 */
final class Chunks {
    private Chunks() {
    }

    /** Builders' check: chunking by size or number; by period needs timestamps, which the data does not have. */
    static Chunking requireRowChunking(Chunking chunking) {
        Objects.requireNonNull(chunking, "chunking");
        if (chunking instanceof Chunking.ByPeriod) {
            throw new IllegalArgumentException("chunking " + chunking + " needs timestamps; expected "
                    + "Chunking.bySize or Chunking.byNumber over rows in time order");
        }
        return chunking;
    }

    static List<Chunk> split(Chunking chunking, int rows, String what) {
        if (rows == 0) {
            throw new ValidationException("the " + what + " data has no rows; expected at least one");
        }
        if (chunking instanceof Chunking.BySize s) {
            return bySize(s.size(), s.incomplete(), rows, what);
        }
        if (chunking instanceof Chunking.ByNumber c) {
            int size = rows / c.number();
            if (size == 0) {
                throw new ValidationException("cannot split the " + rows + " rows of the " + what + " data into "
                        + c.number() + " chunks; expected at least as many rows as chunks");
            }
            return bySize(size, c.incomplete(), rows, what);
        }
        throw new ValidationException("chunking " + chunking + " needs timestamps, which multivariate drift does not "
                + "take; expected Chunking.bySize or Chunking.byNumber over rows in time order");
    }

    private static List<Chunk> bySize(int size, Chunking.Incomplete incomplete, int rows, String what) {
        List<Chunk> chunks = new ArrayList<>();
        int full = rows / size;
        for (int c = 0; c < full; c++) {
            chunks.add(chunk(c * size, c * size + size - 1, c));
        }
        int rest = rows % size;
        if (rest != 0) {
            int start = full * size;
            switch (incomplete) {
                case KEEP -> chunks.add(chunk(start, rows - 1, chunks.size()));
                case APPEND -> {
                    if (chunks.isEmpty()) {
                        throw new ValidationException("cannot append the last " + rest + " rows of the " + what
                                + " data to a previous chunk: there is none (" + rows + " rows, chunks of " + size
                                + "); expected at least one full chunk");
                    }
                    Chunk last = chunks.remove(chunks.size() - 1);
                    chunks.add(chunk(last.startIndex(), rows - 1, last.index()));
                }
                case DROP -> {
                    // the last rows are left out, as NannyML's 'drop'
                }
            }
        }
        if (chunks.isEmpty()) {
            throw new ValidationException("the " + what + " data (" + rows + " rows) gives no chunk of " + size
                    + " rows when the incomplete last chunk is dropped; expected at least " + size + " rows");
        }
        return chunks;
    }

    private static Chunk chunk(int start, int end, int index) {
        return new Chunk("[" + start + ":" + end + "]", index, start, end, Optional.empty(), Optional.empty());
    }
}
