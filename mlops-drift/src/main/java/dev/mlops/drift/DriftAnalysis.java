package dev.mlops.drift;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Names;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.ColumnStats;
import dev.mlops.api.drift.DriftReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Batch drift analysis: compares a current {@link Frame} with a reference frame column by
 * column and decides dataset drift, as Evidently's {@code DataDriftPreset} does.
 *
 * <pre>{@code
 * DriftReport report = DriftAnalysis.builder()
 *         .columnMethod("weather", DriftMethod.PSI)
 *         .correction(Correction.BENJAMINI_HOCHBERG)
 *         .parallelism(2)
 *         .build()
 *         .compare(reference, current);
 * }</pre>
 *
 * <p><b>Columns.</b> By default every column of the two frames except {@code DATE} and
 * {@code OTHER} columns (Evidently leaves the datetime column out of drift too); the two frames
 * must then have the same column names, else a {@link ValidationException} names the columns
 * present on one side only. With {@link Builder#columns(List)} exactly the named columns are
 * compared and other columns are ignored. Numeric columns ({@code INTEGER}, {@code DOUBLE}) are
 * numerical; every other type is categorical, and {@link Builder#categorical(String...)} makes a
 * numeric column categorical (its values become categories: {@code 3.0} is {@code "3"}). A column
 * numeric on one side and not on the other is an error unless it is made categorical, or one
 * side has no value in it at all (no rows, or only missing values, which a CSV reader types as
 * {@code STRING}): such a side cannot contradict the other's type, and the column gets no
 * verdict. {@link #check(Schema, Schema)} makes these checks on the schemas alone, before any
 * value is read.
 *
 * <p><b>Categorical columns</b> are counted through their dictionary
 * ({@link dev.mlops.api.CategoryColumn}): one count per distinct value, no string per row. A side
 * with more than {@link Builder#maxCategories} distinct values (default
 * {@value #DEFAULT_MAX_CATEGORIES}), or a column read with a limit that it exceeded, is not
 * compared: an identifier or free-text column has no category distribution worth testing (every
 * current value would be a category the reference never had), and keeping its values is what
 * makes it expensive. Evidently does not compare such a column as categories either: it types a
 * text column whose values are mostly distinct as text, which its categorical tests leave out.
 * The column gets no verdict and a note naming the limit.
 *
 * <p><b>Default method</b> ({@link #defaultMethod}): Evidently's {@code _get_default_stattest}
 * ({@code src/evidently/legacy/calculations/stattests/registry.py}), applied to the values left
 * after missing and infinite values are removed (as Evidently's {@code get_one_column_drift}
 * removes them before choosing), with the distinct values counted over reference and current
 * together ({@code pd.concat([reference, current]).nunique()}):
 * <ul>
 *   <li>reference ≤ 1,000 values: numerical with more than 5 distinct values: {@code ks};
 *       categorical, or numerical with at most 5: {@code chisquare} when there are more than 2
 *       distinct values, else {@code z};</li>
 *   <li>reference &gt; 1,000 values: numerical with more than 5 distinct values:
 *       {@code wasserstein_norm}; otherwise {@code jensenshannon}.</li>
 * </ul>
 * The threshold is the method's {@link DriftMethod#defaultThreshold()} (0.05 for these tests,
 * 0.1 for these distances) unless {@link Builder#threshold} or {@link Builder#columnThreshold}
 * sets one. Tests drift when p &lt; threshold, distances when the statistic ≥ threshold.
 *
 * <p><b>Missing values</b> (NaN, null) are counted per column ({@code missingShareReference},
 * {@code missingShareCurrent}, over all rows; 0 for a frame without rows) and removed before the
 * method runs. <b>±Infinity</b> is not missing: methods that accept it
 * ({@link DriftMethod#acceptsInfinity()}: the rank-based tests and the categorical tests on
 * numbers) get it as the most extreme values; for the others it is left out; either way a note
 * counts it. (Evidently turns infinities into missing values, but only in a column that also
 * has a missing value.) The chart distribution always uses the finite values.
 *
 * <p><b>Results without a verdict.</b> A column that cannot be tested is reported with
 * {@code drifted = false}, a NaN statistic, no p-value and a note saying why; it does not count
 * in the drift share. This happens when a side has no values (no rows, all missing, or only
 * infinities for a method that needs finite values) or when the method rejects the samples (too
 * few values for {@code cvm}, {@code anderson}, {@code t_test}; more than two categories for
 * {@code z}). Evidently raises an error for an empty column instead. Other special cases have a
 * verdict: a constant column is compared like any other (a note when {@code wasserstein_norm}
 * divides by 0.001 because the reference's standard deviation is below that); a category the
 * reference never had is its own bin with reference share 0 (a note lists such categories; it
 * makes {@code chisquare} infinite, p = 0).
 *
 * <p><b>Dataset drift</b>: drift share = drifted columns / columns with a verdict (0 when
 * none); dataset drift when the share ≥ {@link Builder#driftShare} (default 0.5, as Evidently).
 * With a {@link Correction}, the p-values of tested columns are adjusted together and drift is
 * decided on the adjusted p-value.
 *
 * <p><b>Report.</b> Columns are sorted drifted first, then by name; each carries a
 * {@link dev.mlops.api.drift.Distribution} for charts: for numerical columns the bins the binned
 * methods use ({@link BinnedDistances#shares(double[], double[])}), for categorical columns one
 * bar per category (statistics always use every category; charts keep the 20 largest and merge
 * the rest into one "other" bar). {@code createdAt} comes from the clock.
 *
 * <p>Columns are independent and are compared in parallel with {@link Builder#parallelism} or
 * {@link Builder#executor}; the report is the same either way. Instances are immutable and
 * thread-safe.
 */
public final class DriftAnalysis {

    /** Distinct values a side of a categorical column may have by default: {@value}. */
    public static final int DEFAULT_MAX_CATEGORIES = 10_000;

    private final DriftMethod method;
    private final Map<String, DriftMethod> columnMethods;
    private final Double threshold;
    private final Map<String, Double> columnThresholds;
    private final double driftShare;
    private final Correction correction;
    private final List<String> columns;
    private final Set<String> categorical;
    private final int maxCategories;
    private final int parallelism;
    private final ExecutorService executor;
    private final Clock clock;

    private DriftAnalysis(Builder b) {
        this.method = b.method;
        this.columnMethods = Map.copyOf(b.columnMethods);
        this.threshold = b.threshold;
        this.columnThresholds = Map.copyOf(b.columnThresholds);
        this.driftShare = b.driftShare == null ? 0.5 : b.driftShare;
        this.correction = b.correction == null ? Correction.NONE : b.correction;
        this.columns = b.columns;
        this.categorical = Set.copyOf(b.categorical);
        this.maxCategories = b.maxCategories == null ? DEFAULT_MAX_CATEGORIES : b.maxCategories;
        this.parallelism = b.parallelism == null ? 1 : b.parallelism;
        this.executor = b.executor;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    }

    /** @return a builder; {@code builder().build()} gives Evidently's defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Evidently's default method for a column (see the class comment).
     *
     * @param kind numerical or categorical
     * @param referenceValues reference values left after removing missing and infinite values
     * @param distinctValues distinct values of reference and current together (any number
     *     above 5 gives the same answer)
     * @return the method
     */
    public static DriftMethod defaultMethod(ColumnKind kind, long referenceValues, long distinctValues) {
        Objects.requireNonNull(kind, "kind");
        if (referenceValues < 0 || distinctValues < 0) {
            throw new IllegalArgumentException("counts must be >= 0, got " + referenceValues + " and " + distinctValues);
        }
        boolean manyValues = kind == ColumnKind.NUMERICAL && distinctValues > 5;
        if (referenceValues <= 1000) {
            if (manyValues) {
                return DriftMethod.KS;
            }
            return distinctValues > 2 ? DriftMethod.CHISQUARE : DriftMethod.Z;
        }
        return manyValues ? DriftMethod.WASSERSTEIN_NORM : DriftMethod.JENSENSHANNON;
    }

    /**
     * Compares the current data with the reference.
     *
     * @param reference the reference (training data, a baseline)
     * @param current the data to check
     * @return the report
     * @throws ValidationException if the columns do not match (a column on one side only, a
     *     column numeric on one side only, a named column that is not compared), a configured
     *     method does not accept its column's kind, or a test's threshold is above 1
     */
    public DriftReport compare(Frame reference, Frame current) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        List<ColumnComparison.Spec> specs = specs(reference.schema(), current.schema(),
                name -> reference.missing(name) == reference.rowCount(), name -> current.missing(name) == current.rowCount());
        List<ColumnComparison.Outcome> outcomes = run(specs, reference, current);
        DriftReport r = report(outcomes, reference.rowCount(), current.rowCount());
        Map<String, ColumnComparison.Outcome> byName = new HashMap<>();
        for (ColumnComparison.Outcome o : outcomes) {
            byName.put(o.name(), o);
        }
        List<ColumnDrift> withStats = new ArrayList<>(r.columns().size());
        for (ColumnDrift c : r.columns()) {
            // a numerical column's summaries were taken from its sorted copy in the column's task
            ColumnComparison.Outcome o = byName.get(c.column());
            ColumnStats refStats = o != null && o.referenceStats() != null ? o.referenceStats() : stats(reference, c);
            ColumnStats curStats = o != null && o.currentStats() != null ? o.currentStats() : stats(current, c);
            withStats.add(c.withStats(Optional.of(refStats), Optional.of(curStats)));
        }
        return new DriftReport(r.createdAt(), r.referenceRows(), r.currentRows(), withStats, r.driftShare(),
                r.driftShareThreshold(), r.datasetDrift(), r.correction(), r.window(), r.inputs(), r.datasetVerdict(),
                r.driftShareInterval());
    }

    /** One side's summary of a compared column, exact: from all its values. */
    private static ColumnStats stats(Frame frame, ColumnDrift c) {
        String name = c.column();
        if (frame.isNumeric(name)) {
            double[] values = frame.numeric(name);
            if (c.kind() == ColumnKind.NUMERICAL) {
                return Summaries.numeric(values);
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            long missing = 0;
            for (double v : values) {
                if (Double.isNaN(v)) {
                    missing++;
                } else {
                    counts.merge(ColumnComparison.category(v), 1L, Long::sum);
                }
            }
            return Summaries.categories(List.copyOf(counts.keySet()), counts.values().stream().mapToLong(Long::longValue)
                    .toArray(), missing);
        }
        dev.mlops.api.CategoryColumn cc = frame.categories(name);
        int[] counts = cc.counts();
        List<String> labels = new ArrayList<>(cc.dictionary());
        long[] longs = new long[counts.length + (cc.notKept() > 0 ? 1 : 0)];
        for (int i = 0; i < counts.length; i++) {
            longs[i] = counts[i];
        }
        if (cc.notKept() > 0) {
            labels.add("(values beyond the category limit)");
            longs[counts.length] = cc.notKept();
        }
        return Summaries.categories(labels, longs, cc.missing());
    }

    /**
     * Makes every check {@link #compare} makes before it looks at a value, on the two sides'
     * schemas alone, so a caller reading large files can refuse a mismatch before it reads their
     * values, with compare's own messages.
     *
     * <p>One check needs the data: a column without any value (all missing, or no rows) on one
     * side cannot contradict the other side's type, so {@code compare} lets it stand for that
     * type (the column gets no verdict: "the current data has only missing values"). Here,
     * give such a column the other side's type (a CSV reader knows which columns have no value:
     * {@code Frames.summarizeCsv}), else it is a type mismatch.
     *
     * @param reference the reference's columns
     * @param current the current data's columns
     * @return the names of the columns {@code compare} would compare, in reference order (or in
     *     the order of {@link Builder#columns}): a reader needs to read only these
     * @throws ValidationException as {@link #compare}: a column on one side only, a column
     *     numeric on one side only, a named column that is not compared, a method that does not
     *     accept its column's kind, a test's threshold above 1
     */
    public List<String> check(Schema reference, Schema current) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        return specs(reference, current, name -> false, name -> false).stream().map(ColumnComparison.Spec::name).toList();
    }

    /**
     * Makes the checks {@link #compare} makes on column names alone: what a caller reading two
     * large files can check from their header rows, before anything else. Without
     * {@link Builder#columns} the two sides must have the same columns; with it, each named
     * column must be on both sides.
     *
     * @param reference the reference's column names
     * @param current the current data's column names
     * @throws ValidationException naming the columns present on one side only, with compare's
     *     message
     */
    public void checkColumns(List<String> reference, List<String> current) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        if (columns != null) {
            for (String name : columns) {
                requirePresent(name, reference, "reference");
                requirePresent(name, current, "current data");
            }
            return;
        }
        Set<String> refNames = new LinkedHashSet<>(reference);
        Set<String> curNames = new LinkedHashSet<>(current);
        List<String> onlyRef = refNames.stream().filter(n -> !curNames.contains(n)).toList();
        List<String> onlyCur = curNames.stream().filter(n -> !refNames.contains(n)).toList();
        if (!onlyRef.isEmpty() || !onlyCur.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!onlyRef.isEmpty()) {
                parts.add("only in the reference: " + quoted(onlyRef));
            }
            if (!onlyCur.isEmpty()) {
                parts.add("only in the current data: " + quoted(onlyCur));
            }
            throw new ValidationException("the reference and the current data have different columns ("
                    + String.join("; ", parts) + "); name the columns to compare to ignore the others");
        }
    }

    /** @return the distinct values a side of a categorical column may have (see the class comment) */
    public int maxCategories() {
        return maxCategories;
    }

    // ------------------------------------------------------------------ columns

    /**
     * @param refEmpty whether a reference column has no value at all
     * @param curEmpty whether a current column has no value at all
     */
    private List<ColumnComparison.Spec> specs(Schema ref, Schema cur, Predicate<String> refEmpty,
            Predicate<String> curEmpty) {
        checkColumns(names(ref), names(cur));
        List<String> names;
        if (columns != null) {
            names = columns;
        } else {
            names = ref.fields().stream()
                    .filter(f -> !(skippedByDefault(f) && skippedByDefault(cur.field(f.name()).orElseThrow())))
                    .map(Field::name).toList();
        }
        Set<String> compared = new HashSet<>(names);
        requireCompared("categorical", categorical, compared);
        requireCompared("columnMethod", columnMethods.keySet(), compared);
        requireCompared("columnThreshold", columnThresholds.keySet(), compared);
        List<ColumnComparison.Spec> specs = new ArrayList<>(names.size());
        for (String name : names) {
            FieldType refType = ref.field(name).orElseThrow().type();
            FieldType curType = cur.field(name).orElseThrow().type();
            ColumnKind kind;
            if (categorical.contains(name)) {
                kind = ColumnKind.CATEGORICAL;
            } else if (refType.isNumeric() != curType.isNumeric()) {
                // a side without any value cannot contradict the other's type: it stands for it
                if (curEmpty.test(name)) {
                    kind = refType.isNumeric() ? ColumnKind.NUMERICAL : ColumnKind.CATEGORICAL;
                } else if (refEmpty.test(name)) {
                    kind = curType.isNumeric() ? ColumnKind.NUMERICAL : ColumnKind.CATEGORICAL;
                } else {
                    throw new ValidationException("column " + Names.quote(name) + " is " + refType + " in the reference but "
                            + curType + " in the current data; read both with one schema, or compare it as categorical");
                }
            } else {
                kind = refType.isNumeric() ? ColumnKind.NUMERICAL : ColumnKind.CATEGORICAL;
            }
            DriftMethod m = columnMethods.getOrDefault(name, method);
            if (m != null) {
                requireAccepts(m, kind, name);
            }
            Double t = columnThresholds.getOrDefault(name, threshold);
            if (m != null && t != null) {
                requireThresholdFits(m, t, name);
            }
            specs.add(new ColumnComparison.Spec(name, kind, m, t));
        }
        return specs;
    }

    private static boolean skippedByDefault(Field f) {
        return f.type() == FieldType.DATE || f.type() == FieldType.OTHER;
    }

    private static List<String> names(Schema schema) {
        return schema.fields().stream().map(Field::name).toList();
    }

    private static void requirePresent(String name, List<String> columns, String side) {
        if (!columns.contains(name)) {
            throw new ValidationException("column " + Names.quote(name) + " is not in the " + side + "; its columns are "
                    + quoted(columns));
        }
    }

    private static void requireCompared(String setting, Collection<String> named, Set<String> compared) {
        for (String n : named) {
            if (!compared.contains(n)) {
                throw new ValidationException(setting + " names column " + Names.quote(n)
                        + ", which is not compared (it is missing, or a date column left out by default: "
                        + "name it in columns(...) to compare it)");
            }
        }
    }

    static void requireAccepts(DriftMethod m, ColumnKind kind, String column) {
        boolean ok = kind == ColumnKind.NUMERICAL ? m.acceptsNumerical() : m.acceptsCategorical();
        if (!ok) {
            String kindName = kind == ColumnKind.NUMERICAL ? "numerical" : "categorical";
            String fits = Arrays.stream(DriftMethod.values())
                    .filter(x -> kind == ColumnKind.NUMERICAL ? x.acceptsNumerical() : x.acceptsCategorical())
                    .map(DriftMethod::id).collect(Collectors.joining(", "));
            throw new ValidationException("method " + m.id() + " does not accept " + kindName + " column "
                    + Names.quote(column) + "; set a method for that column, one of: " + fits);
        }
    }

    static void requireThresholdFits(DriftMethod m, double t, String column) {
        if (m.yieldsPValue() && t > 1.0) {
            throw new ValidationException("threshold " + t + " for column " + Names.quote(column) + " is above 1, but "
                    + m.id() + " is a test whose p-value is compared with it: expected a threshold in (0, 1]");
        }
    }

    private static String quoted(List<String> names) {
        return names.stream().map(Names::quote).collect(Collectors.joining(", "));
    }

    // ------------------------------------------------------------------ running

    private List<ColumnComparison.Outcome> run(List<ColumnComparison.Spec> specs, Frame reference, Frame current) {
        List<Callable<ColumnComparison.Outcome>> tasks = new ArrayList<>(specs.size());
        for (ColumnComparison.Spec spec : specs) {
            // columns in parallel already use the threads given: a column's sorts stay on its thread
            tasks.add(() -> DoubleSort.alone(() -> ColumnComparison.run(spec, reference, current, maxCategories)));
        }
        if (executor == null && (parallelism == 1 || tasks.size() <= 1)) {
            List<ColumnComparison.Outcome> out = new ArrayList<>(tasks.size());
            for (ColumnComparison.Spec spec : specs) {
                out.add(ColumnComparison.run(spec, reference, current, maxCategories));
            }
            return out;
        }
        if (executor != null) {
            return invokeAll(executor, tasks);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, tasks.size()), new Threads());
        try {
            return invokeAll(pool, tasks);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<ColumnComparison.Outcome> invokeAll(ExecutorService pool,
            List<Callable<ColumnComparison.Outcome>> tasks) {
        List<Future<ColumnComparison.Outcome>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<ColumnComparison.Outcome> t : tasks) {
                futures.add(pool.submit(t));
            }
            List<ColumnComparison.Outcome> out = new ArrayList<>(tasks.size());
            for (Future<ColumnComparison.Outcome> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("drift comparison interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            for (Future<ColumnComparison.Outcome> f : futures) {
                f.cancel(true);
            }
        }
    }

    /** Daemon threads named mlops-drift-N, so a forgotten pool never keeps the JVM alive. */
    private static final class Threads implements ThreadFactory {
        private static final AtomicInteger COUNT = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "mlops-drift-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    // ------------------------------------------------------------------ report

    private DriftReport report(List<ColumnComparison.Outcome> outcomes, long referenceRows, long currentRows) {
        int n = outcomes.size();
        double[] adjusted = new double[n];
        Arrays.fill(adjusted, Double.NaN);
        if (correction != Correction.NONE) {
            List<Integer> tested = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ColumnComparison.Outcome o = outcomes.get(i);
                if (o.verdict() && o.pValue().isPresent()) {
                    tested.add(i);
                }
            }
            double[] p = new double[tested.size()];
            for (int k = 0; k < p.length; k++) {
                p[k] = outcomes.get(tested.get(k)).pValue().getAsDouble();
            }
            double[] adj = correction.adjust(p);
            for (int k = 0; k < p.length; k++) {
                adjusted[tested.get(k)] = adj[k];
            }
        }
        List<ColumnDrift> columnsOut = new ArrayList<>(n);
        int withVerdict = 0;
        int drifted = 0;
        for (int i = 0; i < n; i++) {
            ColumnComparison.Outcome o = outcomes.get(i);
            OptionalDouble adj = Double.isNaN(adjusted[i]) ? OptionalDouble.empty() : OptionalDouble.of(adjusted[i]);
            boolean drift = false;
            if (o.verdict()) {
                withVerdict++;
                if (o.method().yieldsPValue()) {
                    double p = adj.isPresent() ? adj.getAsDouble() : o.pValue().getAsDouble();
                    drift = p < o.threshold();
                } else {
                    drift = o.statistic() >= o.threshold();
                }
                if (drift) {
                    drifted++;
                }
            }
            Optional<String> note = o.notes().isEmpty() ? Optional.empty() : Optional.of(String.join("; ", o.notes()));
            columnsOut.add(new ColumnDrift(o.name(), o.kind(), o.method().id(), o.statistic(), o.pValue(), adj,
                    o.threshold(), drift, o.missingShareReference(), o.missingShareCurrent(), o.referenceCount(),
                    o.currentCount(), OptionalDouble.empty(), note, o.distribution()));
        }
        columnsOut.sort(Comparator.comparing((ColumnDrift c) -> !c.drifted()).thenComparing(ColumnDrift::column));
        double share = withVerdict == 0 ? 0.0 : (double) drifted / withVerdict;
        boolean datasetDrift = withVerdict > 0 && share >= driftShare;
        return new DriftReport(clock.instant(), referenceRows, currentRows, columnsOut, share, driftShare, datasetDrift,
                correction.id(), Optional.empty());
    }

    @Override
    public String toString() {
        return "DriftAnalysis[method=" + (method == null ? "default" : method.id()) + ", columnMethods=" + columnMethods
                + ", threshold=" + (threshold == null ? "default" : threshold) + ", columnThresholds=" + columnThresholds
                + ", driftShare=" + driftShare + ", correction=" + correction.id() + ", columns="
                + (columns == null ? "all" : columns) + ", categorical=" + categorical + ", maxCategories=" + maxCategories
                + ", parallelism="
                + (executor != null ? "executor" : parallelism) + "]";
    }

    /**
     * Configures a {@link DriftAnalysis}. Every setter checks its argument at once
     * ({@link IllegalArgumentException}) and may be called only once per option
     * ({@link IllegalStateException}), as Caffeine's builder does; {@link #build()} checks the
     * combination.
     */
    public static final class Builder {
        private DriftMethod method;
        private final Map<String, DriftMethod> columnMethods = new LinkedHashMap<>();
        private Double threshold;
        private final Map<String, Double> columnThresholds = new LinkedHashMap<>();
        private Double driftShare;
        private Correction correction;
        private List<String> columns;
        private final Set<String> categorical = new LinkedHashSet<>();
        private Integer maxCategories;
        private Integer parallelism;
        private ExecutorService executor;
        private Clock clock;

        private Builder() {
        }

        /**
         * One method for every column, instead of the defaults; a column whose kind it does not
         * accept makes {@link DriftAnalysis#compare} fail unless {@link #columnMethod} sets one
         * for that column.
         *
         * @param method the method
         * @return this
         */
        public Builder method(DriftMethod method) {
            Objects.requireNonNull(method, "method");
            requireUnset(this.method, "method");
            this.method = method;
            return this;
        }

        /**
         * The method for one column, over {@link #method} and the defaults.
         *
         * @param column a column name
         * @param method the method
         * @return this
         */
        public Builder columnMethod(String column, DriftMethod method) {
            requireColumn(column);
            Objects.requireNonNull(method, "method");
            if (columnMethods.putIfAbsent(column, method) != null) {
                throw new IllegalStateException("a method for column " + Names.quote(column) + " was already set");
            }
            return this;
        }

        /**
         * One threshold for every column, instead of each method's default.
         *
         * @param threshold a finite number &gt; 0 (tests: at most 1)
         * @return this
         */
        public Builder threshold(double threshold) {
            requireThreshold(threshold);
            requireUnset(this.threshold, "threshold");
            this.threshold = threshold;
            return this;
        }

        /**
         * The threshold for one column, over {@link #threshold} and the method's default.
         *
         * @param column a column name
         * @param threshold a finite number &gt; 0 (tests: at most 1)
         * @return this
         */
        public Builder columnThreshold(String column, double threshold) {
            requireColumn(column);
            requireThreshold(threshold);
            if (columnThresholds.putIfAbsent(column, threshold) != null) {
                throw new IllegalStateException("a threshold for column " + Names.quote(column) + " was already set");
            }
            return this;
        }

        /**
         * The share of drifted columns at which the dataset drifts (default 0.5).
         *
         * @param share in (0, 1]
         * @return this
         */
        public Builder driftShare(double share) {
            if (!(share > 0.0 && share <= 1.0)) {
                throw new IllegalArgumentException("drift share must be in (0, 1], got " + share);
            }
            requireUnset(this.driftShare, "driftShare");
            this.driftShare = share;
            return this;
        }

        /**
         * Multiple-testing correction of the tested columns' p-values (default none).
         *
         * @param correction the correction
         * @return this
         */
        public Builder correction(Correction correction) {
            Objects.requireNonNull(correction, "correction");
            requireUnset(this.correction, "correction");
            this.correction = correction;
            return this;
        }

        /**
         * Compare exactly these columns (each must be in both frames); others are ignored.
         *
         * @param columns column names, at least one, no repeats
         * @return this
         */
        public Builder columns(List<String> columns) {
            Objects.requireNonNull(columns, "columns");
            requireUnset(this.columns, "columns");
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("columns must name at least one column");
            }
            Set<String> seen = new HashSet<>();
            for (String c : columns) {
                requireColumn(c);
                if (!seen.add(c)) {
                    throw new IllegalArgumentException("columns names " + Names.quote(c) + " twice");
                }
            }
            this.columns = List.copyOf(columns);
            return this;
        }

        /**
         * Compare these columns as categorical even if they are numeric (codes, ratings, ids).
         *
         * @param columns column names
         * @return this
         */
        public Builder categorical(String... columns) {
            Objects.requireNonNull(columns, "columns");
            for (String c : columns) {
                requireColumn(c);
                categorical.add(c);
            }
            return this;
        }

        /**
         * The most distinct values a side of a categorical column may have (default
         * {@value DriftAnalysis#DEFAULT_MAX_CATEGORIES}); a column with more gets no verdict and
         * a note (see the class comment). Read large CSV files with the same limit
         * ({@code Frames.readCsv(in, delimiter, source, Frame.builder(schema).maxCategories(max))}) so such a
         * column never takes more than four bytes a row.
         *
         * @param max at least 1
         * @return this
         */
        public Builder maxCategories(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxCategories must be at least 1, got " + max);
            }
            requireUnset(this.maxCategories, "maxCategories");
            this.maxCategories = max;
            return this;
        }

        /**
         * Compare up to this many columns at once on threads of a pool created and shut down
         * by each {@link DriftAnalysis#compare} call (default 1: in the calling thread).
         *
         * @param threads at least 1
         * @return this
         */
        public Builder parallelism(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1, got " + threads);
            }
            requireUnset(this.parallelism, "parallelism");
            if (executor != null) {
                throw new IllegalStateException("an executor was already set; parallelism and executor exclude each other");
            }
            this.parallelism = threads;
            return this;
        }

        /**
         * Compare columns as tasks of this executor (owned by the caller, never shut down here).
         *
         * @param executor the executor
         * @return this
         */
        public Builder executor(ExecutorService executor) {
            Objects.requireNonNull(executor, "executor");
            requireUnset(this.executor, "executor");
            if (parallelism != null) {
                throw new IllegalStateException("parallelism was already set; parallelism and executor exclude each other");
            }
            this.executor = executor;
            return this;
        }

        /**
         * The clock for {@link DriftReport#createdAt()} (default the UTC system clock).
         *
         * @param clock the clock
         * @return this
         */
        public Builder clock(Clock clock) {
            Objects.requireNonNull(clock, "clock");
            requireUnset(this.clock, "clock");
            this.clock = clock;
            return this;
        }

        /**
         * @return the analysis
         * @throws IllegalStateException if the settings conflict: a correction with no test to
         *     correct (every configured method a distance), a per-column setting for a column
         *     outside {@link #columns}, a numerical-only method for a column made categorical,
         *     or a test's threshold above 1
         */
        public DriftAnalysis build() {
            if (correction != null && correction != Correction.NONE && method != null && !method.yieldsPValue()
                    && columnMethods.values().stream().noneMatch(DriftMethod::yieldsPValue)) {
                throw new IllegalStateException("correction " + correction.id() + " adjusts p-values, but method "
                        + method.id() + " is a distance and no column has a test");
            }
            if (columns != null) {
                requireListed("columnMethod", columnMethods.keySet());
                requireListed("columnThreshold", columnThresholds.keySet());
                requireListed("categorical", categorical);
            }
            for (String c : categorical) {
                DriftMethod m = columnMethods.getOrDefault(c, method);
                if (m != null && !m.acceptsCategorical()) {
                    throw new IllegalStateException("column " + Names.quote(c) + " is categorical, but its method "
                            + m.id() + " is for numerical columns only");
                }
            }
            try {
                for (Map.Entry<String, DriftMethod> e : columnMethods.entrySet()) {
                    Double t = columnThresholds.getOrDefault(e.getKey(), threshold);
                    if (t != null) {
                        requireThresholdFits(e.getValue(), t, e.getKey());
                    }
                }
                if (method != null) {
                    for (Map.Entry<String, Double> e : columnThresholds.entrySet()) {
                        requireThresholdFits(columnMethods.getOrDefault(e.getKey(), method), e.getValue(), e.getKey());
                    }
                    if (threshold != null && method.yieldsPValue() && threshold > 1.0) {
                        throw new IllegalStateException("threshold " + threshold + " is above 1, but method "
                                + method.id() + " is a test: expected a threshold in (0, 1]");
                    }
                }
            } catch (ValidationException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            return new DriftAnalysis(this);
        }

        private void requireListed(String setting, Collection<String> named) {
            for (String c : named) {
                if (!columns.contains(c)) {
                    throw new IllegalStateException(setting + " names column " + Names.quote(c)
                            + ", which is not in columns " + columns);
                }
            }
        }

        private static void requireUnset(Object current, String option) {
            if (current != null) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        private static void requireColumn(String column) {
            Objects.requireNonNull(column, "column");
            if (column.isEmpty()) {
                throw new IllegalArgumentException("column name must not be empty");
            }
        }

        private static void requireThreshold(double threshold) {
            if (!(threshold > 0.0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("threshold must be a finite number > 0, got " + threshold);
            }
        }
    }
}
