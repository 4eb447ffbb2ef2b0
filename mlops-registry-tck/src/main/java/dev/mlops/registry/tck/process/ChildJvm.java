package dev.mlops.registry.tck.process;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running a main class of this module's test class path. Its stdout is collected as
 * whole lines only (text after the last newline at death is kept apart as {@link #partial()}),
 * its stderr goes to a file for diagnosis.
 */
public final class ChildJvm {
    private final Process process;
    private final Thread reader;
    private final List<String> lines = new ArrayList<>();
    private final Path stderr;
    private String partial = "";

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(this::readLoop, "child-" + process.pid() + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param mainClass the class to run
     * @param stderr where the child's stderr goes
     * @param args its arguments
     * @return the started child
     */
    public static ChildJvm start(Class<?> mainClass, Path stderr, String... args) {
        return start(mainClass, "128m", stderr, args);
    }

    /**
     * @param mainClass the class to run
     * @param maxHeap the child's {@code -Xmx}, such as {@code 32m}
     * @param stderr where the child's stderr goes
     * @param args its arguments
     * @return the started child
     */
    public static ChildJvm start(Class<?> mainClass, String maxHeap, Path stderr, String... args) {
        return start(List.of(), mainClass, maxHeap, stderr, args);
    }

    /**
     * Starts the child through a launcher, such as {@code unshare -p -f --kill-child} for a child
     * in its own PID namespace: the JVM's command line is appended to {@code launcher}. The
     * launcher must pass stdout through and make the JVM die with it, as {@link #kill()} kills the
     * launcher's process; {@link #pid()} is the launcher's.
     *
     * @param launcher the command before the JVM's, empty for none
     * @param mainClass the class to run
     * @param maxHeap the child's {@code -Xmx}, such as {@code 32m}
     * @param stderr where the child's stderr goes
     * @param args its arguments
     * @return the started child
     */
    public static ChildJvm start(List<String> launcher, Class<?> mainClass, String maxHeap, Path stderr, String... args) {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // small, quick-starting children: the machine has two cores shared by everything
        cmd.add("-Xmx" + maxHeap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            return new ChildJvm(pb.start(), stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readLoop() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        String l = line.toString(StandardCharsets.UTF_8);
                        line.reset();
                        synchronized (this) {
                            lines.add(l);
                            notifyAll();
                        }
                    } else {
                        line.write(buf[i]);
                    }
                }
            }
        } catch (IOException e) {
            // the pipe broke because the child died: whatever was whole is already recorded
        }
        synchronized (this) {
            partial = line.toString(StandardCharsets.UTF_8);
            notifyAll();
        }
    }

    /** @return the process id */
    public long pid() {
        return process.pid();
    }

    /** @return true while the process runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until a line after index {@code from} matches, or the child's stdout ends.
     *
     * @param from how many lines to skip
     * @param match the line wanted
     * @param timeoutMillis a safety net against a hung child, not a timing assertion
     * @return the index of the matching line, or -1 if the child ended or the time passed first
     */
    public synchronized int awaitLine(int from, Predicate<String> match, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int i = from;
        while (true) {
            for (; i < lines.size(); i++) {
                if (match.test(lines.get(i))) {
                    return i;
                }
            }
            long left = deadline - System.nanoTime();
            if (!reader.isAlive() || left <= 0) {
                return -1;
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    /** @return the number of whole lines read so far */
    public synchronized int lineCount() {
        return lines.size();
    }

    /**
     * Sends SIGKILL (on Linux {@link Process#destroyForcibly()} does) and waits until the process
     * is gone and its stdout is read to the end.
     *
     * @return true if the child was still running when it was killed
     */
    public boolean kill() throws InterruptedException {
        boolean wasAlive = process.isAlive();
        process.destroyForcibly();
        process.waitFor();
        reader.join();
        return wasAlive;
    }

    /**
     * Waits for the child to exit by itself.
     *
     * @param timeoutMillis safety net; the child is killed if it takes longer
     * @return the exit code
     */
    public int awaitExit(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("child " + pid() + " did not finish in " + timeoutMillis + " ms; stderr in " + stderr);
        }
        reader.join();
        return process.exitValue();
    }

    /** @return every whole line, in order */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** @return text after the last newline when stdout ended */
    public synchronized String partial() {
        return partial;
    }

    /** @return where stderr went */
    public Path stderr() {
        return stderr;
    }
}
