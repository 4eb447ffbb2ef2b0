package dev.mlops.registry.tck.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a main class of the test class path in a child JVM whose home directory,
 * {@code java.io.tmpdir} and working directory are fresh and empty, then lists what it left in
 * each: how a test checks that a program writes only where it was told to.
 *
 * @param exitCode the child's exit code
 * @param output its stdout and stderr, interleaved
 * @param home the directory the child had as its home ({@code HOME} and {@code user.home})
 * @param tmp its {@code java.io.tmpdir}
 * @param work its working directory
 */
public record FootprintRun(int exitCode, String output, Path home, Path tmp, Path work) {

    /** Checks arguments. */
    public FootprintRun {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(tmp, "tmp");
        Objects.requireNonNull(work, "work");
    }

    /**
     * Runs {@code mainClass} to completion. Environment variables that would send files
     * elsewhere ({@code XDG_CACHE_HOME}, {@code XDG_CONFIG_HOME}, {@code XDG_DATA_HOME}) and
     * {@code ORT_DISABLE_TELEMETRY} are removed, so the child behaves as on a user's machine.
     *
     * @param mainClass the class to run
     * @param root an empty directory; {@code home}, {@code tmp}, {@code work} and the output file
     *     are created in it
     * @param timeoutSeconds how long the child may run before it is killed and this fails
     * @param args the child's arguments
     * @return the finished run
     */
    public static FootprintRun of(Class<?> mainClass, Path root, long timeoutSeconds, String... args) {
        try {
            Path home = Files.createDirectories(root.resolve("home"));
            Path tmp = Files.createDirectories(root.resolve("tmp"));
            Path work = Files.createDirectories(root.resolve("work"));
            Path log = root.resolve("output.log");
            ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "-Djava.io.tmpdir=" + tmp, "-Duser.home=" + home, mainClass.getName()), Stream.of(args)).toList())
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("HOME", home.toString());
            for (String v : List.of("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "ORT_DISABLE_TELEMETRY")) {
                pb.environment().remove(v);
            }
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(mainClass.getName() + " did not finish within " + timeoutSeconds
                        + " s; output so far in " + log);
            }
            return new FootprintRun(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), home, tmp, work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + mainClass.getName(), e);
        }
    }

    /**
     * @param dir one of {@link #home()}, {@link #tmp()}, {@link #work()}
     * @return every file and directory under it, relative and sorted
     */
    public static List<String> left(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> !f.equals(dir)).map(f -> dir.relativize(f).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
