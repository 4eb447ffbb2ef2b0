package dev.mlops.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Advances a progress task by every byte read (or skipped) through it. */
final class ProgressInputStream extends FilterInputStream {
    private final Progress.Task task;

    ProgressInputStream(InputStream in, Progress.Task task) {
        super(in);
        this.task = task;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            task.advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            task.advance(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        if (skipped > 0) {
            task.advance(skipped);
        }
        return skipped;
    }
}
