package dev.mlops.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Progress of long operations on stderr, as git shows it: one line per task, redrawn in place
 * with a carriage return at most every {@value #REDRAW_INTERVAL_MILLIS} ms, and ended with
 * {@code , done} and a newline. Tasks are sequential: a task that draws while another's line is
 * open ends that line as done (a phase whose end cannot be observed ends when the next begins).
 * A disabled reporter ({@link #off()}) prints nothing and its tasks ignore every call.
 *
 * <p>Lines: {@code storing model.onnx  48.0 MiB / 256.0 MiB (18%)}, {@code comparing columns
 * 12 / 100 (12%)}, a phase without a measure just its label ({@code verifying store}).
 */
final class Progress {
    /** Redraws are at least this far apart, so a fast loop costs a time check, not output. */
    static final long REDRAW_INTERVAL_MILLIS = 100;
    private static final long REDRAW_INTERVAL_NANOS = REDRAW_INTERVAL_MILLIS * 1_000_000L;
    /** Labels (file names) are cut so a line stays on one row of a common terminal. */
    private static final int MAX_LABEL = 60;
    private static final Progress OFF = new Progress(null, () -> 0L);

    private final PrintWriter err;
    private final LongSupplier nanoTime;
    private Task open;

    private Progress(PrintWriter err, LongSupplier nanoTime) {
        this.err = err;
        this.nanoTime = nanoTime;
    }

    /** @return a reporter that prints nothing */
    static Progress off() {
        return OFF;
    }

    /** @return a reporter writing to {@code err}, throttled by {@link System#nanoTime()} */
    static Progress to(PrintWriter err) {
        return to(err, System::nanoTime);
    }

    /** @return a reporter writing to {@code err}, throttled by the given clock (tests) */
    static Progress to(PrintWriter err, LongSupplier nanoTime) {
        return new Progress(Objects.requireNonNull(err, "err"), Objects.requireNonNull(nanoTime, "nanoTime"));
    }

    /** @return false for {@link #off()}: callers may skip work done only to measure progress */
    boolean enabled() {
        return err != null;
    }

    /**
     * A task measured in bytes; its line appears with the first update.
     *
     * @param total the expected number of bytes, or -1 if unknown
     */
    Task bytes(String label, long total) {
        return new Task(label, Unit.BYTES, total, false);
    }

    /**
     * A task counted in items (rows, columns); its line appears with the first update.
     *
     * @param total the expected count, or -1 if unknown
     */
    Task count(String label, long total) {
        return new Task(label, Unit.ITEMS, total, false);
    }

    /** A phase without a measure: its label is shown at once, {@code , done} added at the end. */
    Task phase(String label) {
        return new Task(label, Unit.NONE, -1, true);
    }

    private enum Unit { BYTES, ITEMS, NONE }

    /**
     * One operation's line. Thread-safe: columns compared on a pool advance one task. Calls after
     * {@link #done()} are ignored; {@link #close()} ends a line left open by a failure.
     */
    final class Task implements AutoCloseable {
        private final Unit unit;
        private String label;
        private long total;
        private long done;
        private long lastDraw;
        private int width;
        private boolean drawn;
        private boolean finished;

        private Task(String label, Unit unit, long total, boolean drawNow) {
            this.label = shown(label);
            this.unit = unit;
            this.total = total;
            if (drawNow && enabled()) {
                synchronized (Progress.this) {
                    draw(nanoTime.getAsLong());
                }
            }
        }

        /** Renames the task, as when a second pass over a file begins. */
        Task label(String text) {
            if (enabled()) {
                synchronized (Progress.this) {
                    label = shown(text);
                    update();
                }
            }
            return this;
        }

        /** Sets the expected total, -1 if unknown; shown with the next update. */
        Task total(long n) {
            if (enabled()) {
                synchronized (Progress.this) {
                    total = n;
                }
            }
            return this;
        }

        /** Sets how much is done. */
        Task set(long n) {
            if (enabled()) {
                synchronized (Progress.this) {
                    done = n;
                    update();
                }
            }
            return this;
        }

        /** Adds to what is done. */
        Task advance(long n) {
            if (enabled()) {
                synchronized (Progress.this) {
                    done += n;
                    update();
                }
            }
            return this;
        }

        /** Draws the final line: the current one with {@code , done}. */
        void done() {
            done(null);
        }

        /** Sets what is done and the total to {@code n} and draws the final line, at once for every thread. */
        void done(long n) {
            if (enabled()) {
                synchronized (Progress.this) {
                    total = n;
                    done = n;
                    done(null);
                }
            }
        }

        /**
         * Draws the final line with {@code , done} and a newline.
         *
         * @param summary replaces the current text, or null to keep it
         */
        void done(String summary) {
            if (!enabled()) {
                return;
            }
            synchronized (Progress.this) {
                if (finished) {
                    return;
                }
                if (open != null && open != this) {
                    open.endLine(true);
                }
                String text = (summary == null ? text() : Text.printable(summary)) + ", done";
                err.print("\r" + padded(text) + System.lineSeparator());
                err.flush();
                finished = true;
                if (open == this) {
                    open = null;
                }
            }
        }

        /** Ends the line if this task drew one and did not finish (a failure): the error follows on its own line. */
        @Override
        public void close() {
            if (enabled()) {
                synchronized (Progress.this) {
                    if (open == this) {
                        endLine(false);
                    }
                    finished = true;
                }
            }
        }

        private void update() {
            if (finished) {
                return;
            }
            long now = nanoTime.getAsLong();
            if (!drawn || now - lastDraw >= REDRAW_INTERVAL_NANOS) {
                draw(now);
            }
        }

        private void draw(long now) {
            if (open != null && open != this) {
                open.endLine(true);
            }
            err.print("\r" + padded(text()));
            err.flush();
            open = this;
            drawn = true;
            lastDraw = now;
        }

        private void endLine(boolean asDone) {
            err.print((asDone ? ", done" : "") + System.lineSeparator());
            err.flush();
            open = null;
            finished = true;
        }

        /** Spaces after a shorter text erase what the previous, longer one left on the line. */
        private String padded(String text) {
            int w = text.length();
            String s = w < width ? text + " ".repeat(width - w) : text;
            width = w;
            return s;
        }

        private String text() {
            return switch (unit) {
                case NONE -> label;
                case BYTES -> label + "  " + Text.bytes(done) + (total >= 0 ? " / " + Text.bytes(total) + percent() : "");
                case ITEMS -> label + "  " + count(done) + (total >= 0 ? " / " + count(total) + percent() : "");
            };
        }

        private String percent() {
            long p = total == 0 ? 100 : Math.min(100, done * 100 / total);
            return " (" + p + "%)";
        }

        private static String shown(String text) {
            return Text.cut(Text.printable(Objects.requireNonNull(text, "label")), MAX_LABEL);
        }
    }

    /** @return {@code 120,000} */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
