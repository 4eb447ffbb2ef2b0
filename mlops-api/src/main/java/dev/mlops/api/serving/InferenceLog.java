package dev.mlops.api.serving;

/**
 * Where a {@link ModelService} sends (a sample of) its predictions. Must never block or slow a
 * request: a full queue or a failing write drops the record and counts it.
 */
public interface InferenceLog extends AutoCloseable {

    /**
     * Hands a record over without blocking.
     *
     * @param record the prediction
     * @return false if it was dropped
     */
    boolean offer(InferenceRecord record);

    /** @return records dropped so far (full queue, failed or impossible writes) */
    long dropped();

    /** @return records written so far */
    long written();

    /** Writes what is queued, then releases the file or connection. */
    @Override
    void close();
}
