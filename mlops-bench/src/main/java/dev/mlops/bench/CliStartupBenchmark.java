package dev.mlops.bench;

import dev.mlops.core.Mlops;
import dev.mlops.registry.fs.FileSystemStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole CLI process, from exec to exit, as a user starts it: {@code mlops-cli/bin/mlops
 * --help} and {@code models list} on an empty store, against {@code java -version} started the
 * same way in the same run (the baseline: a JVM that does nothing). <b>Target: within 3x of
 * {@code java -version}.</b> {@code java -jar mlops-cli.jar} without the launcher is measured too,
 * to show what the launcher (class-data archive, client compiler) buys.
 *
 * <p>Run from the repository root after {@code mvn -B -q -pl mlops-cli -am package -DskipTests}
 * (the launcher finds the jar and its archive in {@code mlops-cli/target}); another root with
 * {@code -Dmlops.root=DIR}. The output of the process is discarded; an exit code other than 0
 * fails the run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 4)
@Fork(1)
@State(Scope.Benchmark)
public class CliStartupBenchmark {
    /** What is started: the baseline JVM, or a CLI command through the launcher or the bare jar. */
    @Param({"java -version", "mlops --help", "mlops models list", "java -jar --help", "java -jar models list"})
    public String command;

    private Path store;
    private List<String> commandLine;

    /** Creates the empty store and checks that the command runs. */
    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath().normalize();
        Path launcher = root.resolve("mlops-cli/bin/mlops");
        Path jar = root.resolve("mlops-cli/target/mlops-cli.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn -B -q -pl mlops-cli -am package -DskipTests"
                    + " in the repository root, or give it with -Dmlops.root=DIR");
        }
        store = Files.createTempDirectory("mlops-startup");
        Mlops.builder().store(FileSystemStore.open(store)).build().close();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        commandLine = new ArrayList<>();
        if (command.startsWith("mlops")) {
            commandLine.add(launcher.toString());
        } else {
            commandLine.add(java);
            if (command.startsWith("java -jar")) {
                commandLine.addAll(List.of("-jar", jar.toString()));
            }
        }
        String rest = command.replaceFirst("^(mlops|java -jar|java)\\s*", "");
        if (rest.startsWith("models")) {
            commandLine.addAll(List.of("--store", store.toString()));
        }
        commandLine.addAll(List.of(rest.split(" ")));
        run();
    }

    /** One process, started and waited for. */
    @Benchmark
    public int run() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(commandLine).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // the launcher uses the JDK this benchmark runs on
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        int code = pb.start().waitFor();
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", commandLine) + " exited with " + code);
        }
        return code;
    }

    /** Deletes the store. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(store)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
