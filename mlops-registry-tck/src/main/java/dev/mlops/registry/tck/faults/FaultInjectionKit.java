package dev.mlops.registry.tck.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.MlopsException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.store.Store;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import dev.mlops.registry.tck.TestClock;
import dev.mlops.registry.tck.faults.FaultInjectingStore.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry call's answer is the truth, at every write point: the SQLite way of testing. For
 * each operation (registrations, alias moves, archive, delete, attachments, dataset changes,
 * garbage collection) the kit counts the store writes the operation makes, then runs it again
 * once per write point and per {@link Fault} (the write refused, its answer lost, the disk full
 * from there on). After each run the fault is healed and {@code verify(VerifyOptions.repair())} repairs what it
 * may; then the visible state ({@link RegistrySnapshot}) must be exactly the state of a clean
 * success if the call returned, or exactly the state before the call if it threw a
 * {@link MlopsException}; and verification must find nothing left to repair.
 *
 * <p>A backend runs it with a subclass that implements {@link #createStore}; each store it
 * returns must be new and empty.
 */
@DisplayName("Fault injection: every write point of every operation")
public abstract class FaultInjectionKit {
    private static final Instant START = Instant.parse("2026-02-01T09:00:00Z");

    @TempDir
    Path work;

    private final AtomicInteger stores = new AtomicInteger();

    /** For subclasses. */
    protected FaultInjectionKit() {
    }

    /**
     * @param dir an empty directory the store may use
     * @param clock the time the store must use for blob times
     * @return a new, empty store
     */
    protected abstract Store createStore(Path dir, Clock clock);

    /**
     * A way to fail an operation at one of its points: a store write, or for a backend's own
     * kit a statement or a connection.
     */
    public interface Injection {
        /** @return what fails, for messages, such as {@code REFUSED} */
        String name();

        /**
         * @param store the store under test (from {@link #createStore}); do not close it
         * @param failAt the point that fails, 1 for the first; 0 for none (a clean run that counts them)
         * @return the store the operation runs on
         */
        Store arm(Store store, int failAt);

        /** @return how many points the last armed store reached */
        int points();

        /** @return the points reached, in order, for messages */
        List<String> log();

        /** Ends the failure: later calls succeed, so that verification can repair. */
        void heal();
    }

    /**
     * @return the injections to sweep; by default the store-write faults of
     *     {@link FaultInjectingStore} (refused, answer lost, disk full)
     */
    protected List<Injection> injections() {
        return java.util.Arrays.stream(Fault.values()).map(StoreWriteInjection::new).map(i -> (Injection) i).toList();
    }

    /** The store-write faults, one {@link Fault} each. */
    private static final class StoreWriteInjection implements Injection {
        private final Fault fault;
        private FaultInjectingStore armed;

        StoreWriteInjection(Fault fault) {
            this.fault = fault;
        }

        @Override
        public String name() {
            return fault.name();
        }

        @Override
        public Store arm(Store store, int failAt) {
            armed = new FaultInjectingStore(new KeepOpen(store), failAt, fault);
            return armed;
        }

        @Override
        public int points() {
            return armed.writes();
        }

        @Override
        public List<String> log() {
            return armed.log();
        }

        @Override
        public void heal() {
            armed.heal();
        }
    }

    /** One operation under test, with what exists before it. */
    private record Scenario(String name, Step setup, Step operation) {
    }

    /** A step run against an instance. */
    private interface Step {
        void run(Mlops mlops, Inputs in, TestClock clock) throws IOException;
    }

    /** Files the operations read. */
    private record Inputs(Path modelDir, Path csv1, Path csv2, Path csv3) {
    }

    private static NewModelVersion.Builder spec(String content) {
        return NewModelVersion.builder().artifact(Artifact.bytes("model.bin", content.getBytes(StandardCharsets.UTF_8)));
    }

    /** rain/1 (production, with notes), rain/2, rain/3 archived; production moved 2 then 1; weather/1; snow/1 deleted. */
    private static void baseline(Mlops m, Inputs in, TestClock clock) {
        m.models().register("rain", spec("rain one").tag("stage", "qa").param("lr", "0.1").metric("auc", 0.91)
                .attachment("notes", new byte[] {1, 2, 3}).build());
        m.models().register("rain", spec("rain two").build());
        m.models().register("rain", spec("rain three").build());
        m.models().archive(ModelRef.version("rain", 3));
        m.models().setAlias("rain", "production", 2);
        m.models().setAlias("rain", "production", 1);
        m.datasets().register("weather", DatasetSource.csv(in.csv1()));
        m.models().register("snow", spec("snow garbage").build());
        m.models().deleteVersion(ModelRef.version("snow", 1));
    }

    private static List<Scenario> scenarios() {
        Step base = FaultInjectionKit::baseline;
        ModelRef.Version r1 = ModelRef.version("rain", 1);
        ModelRef.Version r2 = ModelRef.version("rain", 2);
        ModelRef.Version r3 = ModelRef.version("rain", 3);
        return List.of(
                new Scenario("register the first version of a new model", base, (m, in, c) -> m.models().register("hail",
                        spec("hail one").tag("team", "ops").param("depth", "3").metric("rmse", 1.5)
                                .attachment("drift-profile", new byte[] {9, 9}).build())),
                new Scenario("register a version with an idempotency key", base, (m, in, c) -> m.models().register("rain",
                        spec("rain four").idempotencyKey("job-7:attempt-1").build())),
                new Scenario("register a directory artifact", base, (m, in, c) -> m.models().register("rain",
                        NewModelVersion.builder().artifact(Artifact.directory(in.modelDir())).format("onnx").build())),
                new Scenario("create a model", base, (m, in, c) -> m.models().createModel("fog", "dense",
                        Map.of("team", "ops"))),
                new Scenario("set a new alias", base, (m, in, c) -> m.models().setAlias("rain", "staging", 2)),
                new Scenario("move an alias", base, (m, in, c) -> m.models().setAlias("rain", "production", 2)),
                new Scenario("roll an alias back", base, (m, in, c) -> m.models().rollback("rain", "production")),
                new Scenario("remove an alias", base, (m, in, c) -> m.models().removeAlias("rain", "production")),
                new Scenario("archive a version", base, (m, in, c) -> m.models().archive(r2)),
                new Scenario("restore a version", base, (m, in, c) -> m.models().restore(r3)),
                new Scenario("delete a version", base, (m, in, c) -> m.models().deleteVersion(r3)),
                new Scenario("add an attachment", base, (m, in, c) -> m.models().addAttachment(r2, "report",
                        "a report".getBytes(StandardCharsets.UTF_8))),
                new Scenario("tag a version", base, (m, in, c) -> m.models().setVersionTag(r1, "stage", "prod")),
                new Scenario("describe a model", base, (m, in, c) -> m.models().setModelDescription("rain", "rain model")),
                new Scenario("register a new dataset", base, (m, in, c) -> m.datasets().register("clouds",
                        DatasetSource.csv(in.csv2()))),
                new Scenario("register a dataset version", base, (m, in, c) -> m.datasets().register("weather",
                        DatasetSource.csv(in.csv3()))),
                new Scenario("tag a dataset version", base, (m, in, c) -> m.datasets().setVersionTag(DatasetRef.parse("weather/1"),
                        "split", "train")),
                new Scenario("collect garbage", base, (m, in, c) -> {
                    c.advance(Duration.ofHours(2));
                    m.collectGarbage(Duration.ofHours(1));
                }));
    }

    @TestFactory
    @DisplayName("each operation, failed at each of its write points in each way, answers the truth")
    Stream<DynamicTest> everyWritePoint() throws IOException {
        Inputs in = inputs();
        return scenarios().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> sweep(s, in)));
    }

    private void sweep(Scenario s, Inputs in) throws Exception {
        // a clean run: how many write points, and the state a success leaves
        List<Injection> injections = injections();
        Run clean = run(s, in, 0, injections.get(0));
        assertThat(clean.failure()).as("%s without faults", s.name()).isNull();
        assertThat(clean.writes()).as("write points of %s", s.name()).isPositive();
        List<String> violations = new ArrayList<>();
        int runs = 0;
        for (Injection fault : injections) {
            for (int n = 1; n <= clean.writes(); n++) {
                Run r = run(s, in, n, fault);
                runs++;
                String expected = r.failure() == null ? clean.after() : r.before();
                String where = s.name() + ", " + fault.name() + " at point " + n + " (" + r.failedWrite() + "): ";
                if (r.failure() != null && !(r.failure() instanceof MlopsException)) {
                    violations.add(where + "threw " + r.failure() + ", not an MlopsException");
                }
                if (!r.after().equals(expected)) {
                    violations.add(where + (r.failure() == null ? "answered success" : "answered " + r.failure())
                            + " but the state after repair is not the state of " + (r.failure() == null
                            ? "a success" : "before the call") + ":\n" + diff(expected, r.after()));
                }
                if (!r.leftOver().isEmpty()) {
                    violations.add(where + "verification after the repair still finds " + r.leftOver());
                }
            }
        }
        System.out.println("fault injection: " + s.name() + ": " + clean.writes() + " points x "
                + injections.size() + " faults = " + runs + " runs, " + violations.size() + " violations");
        assertThat(violations).as("violations of '%s' in %d runs", s.name(), runs).isEmpty();
    }

    /** The outcome of one run. */
    private record Run(int writes, String failedWrite, Throwable failure, String before, String after,
                       List<IntegrityProblem> leftOver) {
    }

    private Run run(Scenario s, Inputs in, int failAt, Injection fault) throws IOException {
        TestClock clock = TestClock.fixed(START);
        Path dir = Files.createDirectories(work.resolve("store-" + stores.incrementAndGet()));
        Store raw = createStore(dir, clock);
        try (Mlops healthy = Mlops.builder().store(new KeepOpen(raw)).clock(clock).actor("alice")
                .lockWait(Duration.ofSeconds(30)).build()) {
            s.setup().run(healthy, in, clock);
            String before = RegistrySnapshot.of(healthy);
            Store faulty = fault.arm(raw, failAt);
            Throwable failure = null;
            try (Mlops m = Mlops.builder().store(faulty).clock(clock).actor("alice").lockWait(Duration.ofSeconds(30))
                    .build()) {
                s.operation().run(m, in, clock);
            } catch (RuntimeException | IOException e) {
                failure = e;
            }
            fault.heal();
            List<String> log = fault.log();
            String failedWrite = failAt >= 1 && failAt <= log.size() ? log.get(failAt - 1) : "none";
            healthy.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO));
            String after = RegistrySnapshot.of(healthy);
            IntegrityReport check = healthy.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO));
            return new Run(fault.points(), failedWrite, failure, before, after, check.problems());
        } finally {
            raw.close();
        }
    }

    private Inputs inputs() throws IOException {
        Path dir = Files.createDirectories(work.resolve("inputs"));
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("model.onnx"), "weights");
        Files.createDirectories(model.resolve("tokenizer"));
        Files.writeString(model.resolve("tokenizer").resolve("vocab.txt"), "a\nb\n");
        Files.writeString(model.resolve("config.json"), "{}");
        Path csv1 = Files.writeString(dir.resolve("weather.csv"), "temp,rain\n1.5,true\n2.0,false\n");
        Path csv2 = Files.writeString(dir.resolve("clouds.csv"), "cover,kind\n0.5,cirrus\n0.9,nimbus\n");
        Path csv3 = Files.writeString(dir.resolve("weather2.csv"), "temp,rain\n3.5,true\n0.5,true\n");
        return new Inputs(model, csv1, csv2, csv3);
    }

    /** A failure is reported as it is, and two snapshots as the lines that differ. */
    private static String diff(String expected, String actual) {
        List<String> e = List.of(expected.split("\n"));
        List<String> a = List.of(actual.split("\n"));
        StringBuilder sb = new StringBuilder();
        e.stream().filter(l -> !a.contains(l)).forEach(l -> sb.append("  missing: ").append(l).append('\n'));
        a.stream().filter(l -> !e.contains(l)).forEach(l -> sb.append("  unexpected: ").append(l).append('\n'));
        return sb.length() == 0 ? "  (same lines, other order or count)" : sb.toString();
    }

    /** One store shared by two instances: closing an instance must not close it. */
    public static final class KeepOpen extends dev.mlops.api.store.ForwardingStore {
        /** @param store the store to keep open */
        public KeepOpen(Store store) {
            super(store);
        }

        @Override
        public void close() {
            // the run closes the store once, at its end
        }
    }

}
