package dev.mlops.examples;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The base of every class {@link DocsSnippetsTest} generates around a Java block of the docs: the
 * block (with the context it needs) becomes the body of {@link #run}; what the context opens
 * through {@link #track} is closed afterwards, newest first.
 */
public abstract class DocSnippet {
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /** For the generated subclasses. */
    protected DocSnippet() {
    }

    /**
     * The block, after its context.
     *
     * @param tmp a fresh directory for whatever the block or its context writes
     * @throws Exception whatever the block throws
     */
    protected abstract void run(Path tmp) throws Exception;

    /**
     * Closes {@code resource} after the block.
     *
     * @param resource something the context opened
     * @param <T> its type
     * @return {@code resource}
     */
    protected final <T extends AutoCloseable> T track(T resource) {
        opened.push(resource);
        return resource;
    }

    /**
     * Runs the block, then closes what the context opened.
     *
     * @param tmp a fresh directory
     * @throws Exception whatever the block or a close throws
     */
    public final void execute(Path tmp) throws Exception {
        Throwable primary = null;
        try {
            run(tmp);
        } catch (Throwable t) {
            primary = t;
            throw t;
        } finally {
            Exception failure = null;
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                if (primary == null) {
                    throw failure;
                }
                primary.addSuppressed(failure);
            }
        }
    }
}
