package dev.mlops.drift;

import dev.mlops.api.Names;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.ColumnStats;
import dev.mlops.api.drift.DriftInputs;
import dev.mlops.api.drift.Interval;
import dev.mlops.api.drift.Verdict;
import dev.mlops.api.drift.Distribution;
import dev.mlops.api.drift.DriftReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The counters a window keeps for a profile, and the drift computed from them. Package-private:
 * {@link ReferenceProfile#compare}, {@link DriftMonitor} and {@link WindowState} use it.
 *
 * <p>Numerical column at offset o: {@code counts[o]} non-missing values (±Infinity included),
 * {@code [o+1]} missing, {@code [o+2]} −Infinity, {@code [o+3]} +Infinity, {@code [o+4 ...]} finite
 * values per grid cell (L cut points → L + 1 cells). Categorical column at offset o: {@code [o]}
 * non-missing, {@code [o+1]} missing, {@code [o+2]} values outside the profile's categories,
 * {@code [o+3 ...]} one count per profile category.
 */
final class ProfileLayout {

    final ReferenceProfile profile;
    final Num[] numerical;
    final Cat[] categorical;
    final int countsSize;

    private ProfileLayout(ReferenceProfile profile) {
        this.profile = profile;
        List<Num> nums = new ArrayList<>();
        List<Cat> cats = new ArrayList<>();
        int off = 0;
        for (ReferenceProfile.Column c : profile.columns()) {
            if (c instanceof ReferenceProfile.NumericalColumn n) {
                Num l = new Num(n, off, nums.size());
                nums.add(l);
                off += 4 + l.cuts.length + 1;
            } else {
                Cat l = new Cat((ReferenceProfile.CategoricalColumn) c, off);
                cats.add(l);
                off += 3 + l.col.categories.length;
            }
        }
        numerical = nums.toArray(new Num[0]);
        categorical = cats.toArray(new Cat[0]);
        countsSize = off;
    }

    static ProfileLayout of(ReferenceProfile profile) {
        return new ProfileLayout(profile);
    }

    WindowData newData() {
        return new WindowData(countsSize, numerical.length);
    }

    /**
     * Counts a frame into data; checks columns and types first.
     *
     * @return the numerical columns' values, in layout order
     */
    double[][] addFrame(WindowData data, dev.mlops.api.Frame current) {
        List<ReferenceProfile.Column> columns = profile.columns();
        for (ReferenceProfile.Column c : columns) {
            dev.mlops.api.Field f = current.schema().field(c.name()).orElseThrow(() -> new dev.mlops.api.ValidationException(
                    "the current data has no column " + Names.quote(c.name()) + "; the profile has "
                    + columns.stream().map(ReferenceProfile.Column::name).toList()));
            boolean numeric = c instanceof ReferenceProfile.NumericalColumn;
            if (f.type().isNumeric() != numeric) {
                throw new dev.mlops.api.ValidationException("column " + Names.quote(c.name()) + " is "
                        + (numeric ? "numerical" : "categorical") + " in the profile but " + f.type() + " in the current data");
            }
        }
        double[][] exact = new double[numerical.length][];
        for (int i = 0; i < numerical.length; i++) {
            exact[i] = current.numeric(numerical[i].col.name());
            numerical[i].addAll(data, exact[i]);
        }
        for (Cat c : categorical) {
            c.addAll(data, current.strings(c.col.name()));
        }
        data.rows += current.rowCount();
        return exact;
    }

    List<String> numericalNames() {
        return Arrays.stream(numerical).map(n -> n.col.name()).toList();
    }

    List<String> categoricalNames() {
        return Arrays.stream(categorical).map(c -> c.col.name()).toList();
    }

    // ------------------------------------------------------------------ per-column layout

    /** A numerical column: grid cut points, cell → bin map. */
    static final class Num {
        final ReferenceProfile.NumericalColumn col;
        final int off;
        final int mm;
        final double[] cuts;
        final int[] cellToBin;
        final int bins;
        final boolean valueBins;
        final int negInfBin;
        final int posInfBin;
        final List<String> labels;
        final double first;
        final double last;
        final double scale;
        final int[] table;

        Num(ReferenceProfile.NumericalColumn col, int off, int index) {
            this.col = col;
            this.off = off;
            this.mm = 2 * index;
            this.cuts = col.cuts;
            int cells = cuts.length + 1;
            cellToBin = new int[cells];
            List<String> ls = new ArrayList<>();
            if (col.edges.length > 0) {
                valueBins = false;
                double[] e = col.edges;
                bins = e.length - 1;
                for (int j = 0; j < cells; j++) {
                    cellToBin[j] = j == 0 ? 0 : ReferenceProfile.NumericalColumn.intervalBin(e, cuts[j - 1]);
                }
                String[] t = BinLabels.of(e);
                for (int i = 0; i < bins; i++) {
                    String lo = i == 0 ? "(-inf" : "[" + t[i];
                    String hi = i == bins - 1 ? "+inf)" : t[i + 1] + ")";
                    ls.add(lo + ", " + hi);
                }
                negInfBin = 0;
                posInfBin = bins - 1;
            } else {
                valueBins = true;
                double[] v = col.values;
                bins = v.length + 1; // + other
                int ni = bins - 1;
                int pi = bins - 1;
                String[] t = BinLabels.of(v);
                for (int i = 0; i < v.length; i++) {
                    ls.add(t[i]);
                    if (v[i] == Double.NEGATIVE_INFINITY) {
                        ni = i;
                    }
                    if (v[i] == Double.POSITIVE_INFINITY) {
                        pi = i;
                    }
                }
                ls.add(ReferenceProfile.OTHER);
                negInfBin = ni;
                posInfBin = pi;
                for (int j = 0; j < cells; j++) {
                    cellToBin[j] = bins - 1;
                    if (j > 0 && j < cells - 1 && cuts[j] == Math.nextUp(cuts[j - 1])) {
                        int i = Arrays.binarySearch(v, cuts[j - 1]);
                        if (i >= 0) {
                            cellToBin[j] = i;
                        }
                    }
                }
            }
            labels = List.copyOf(ls);
            // bucket table over [cuts[0], cuts[L-1]): the cell at each bucket's start
            if (cuts.length >= 2) {
                first = cuts[0];
                last = cuts[cuts.length - 1];
                int buckets = Math.min(8192, Integer.highestOneBit(cuts.length) * 4);
                double s = buckets / (last - first);
                if (!Double.isFinite(s) || s <= 0) { // cuts too close for double arithmetic: one bucket
                    buckets = 1;
                    s = 0.0;
                }
                scale = s;
                table = new int[buckets];
                for (int b = 0; b < buckets; b++) {
                    table[b] = Math.min(cuts.length - 1, searchCell(first + b / (s == 0.0 ? 1.0 : s)));
                }
            } else {
                first = Double.POSITIVE_INFINITY; // no fast path: every value is below or above
                last = Double.NEGATIVE_INFINITY;
                scale = 0.0;
                table = new int[1];
            }
        }

        /** Number of cut points ≤ v, for finite v (binary search; used to build the table and to check it). */
        int searchCell(double v) {
            double[] a = cuts;
            int lo = 0;
            int hi = a.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] <= v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** Number of cut points ≤ v for cuts[0] ≤ v &lt; cuts[L−1]: bucket table, then a short scan. */
        int cell(double v) {
            int b = (int) ((v - first) * scale);
            if (b >= table.length) {
                b = table.length - 1;
            }
            int j = table[b];
            double[] a = cuts;
            while (j > 0 && a[j - 1] > v) {
                j--;
            }
            while (a[j] <= v) {
                j++;
            }
            return j;
        }

        void add(long[] c, double[] minMax, double v) {
            if (v != v) {
                c[off + 1]++;
                return;
            }
            c[off]++;
            if (v < minMax[mm]) {
                minMax[mm] = v;
            }
            if (v > minMax[mm + 1]) {
                minMax[mm + 1] = v;
            }
            int cell;
            if (v >= first && v < last) {
                cell = cell(v);
            } else if (v == Double.NEGATIVE_INFINITY) {
                c[off + 2]++;
                return;
            } else if (v == Double.POSITIVE_INFINITY) {
                c[off + 3]++;
                return;
            } else {
                cell = searchCell(v);
            }
            c[off + 4 + cell]++;
        }

        void addAll(WindowData d, double[] values) {
            for (double v : values) {
                add(d.counts, d.minMax, v);
            }
        }
    }

    /** A categorical column: category → slot index. */
    static final class Cat {
        final ReferenceProfile.CategoricalColumn col;
        final int off;
        final HashMap<String, Integer> index;

        Cat(ReferenceProfile.CategoricalColumn col, int off) {
            this.col = col;
            this.off = off;
            index = new HashMap<>(Math.max(16, col.categories.length * 2));
            for (int i = 0; i < col.categories.length; i++) {
                index.put(col.categories[i], off + 3 + i);
            }
        }

        void add(long[] c, String v) {
            if (v == null) {
                c[off + 1]++;
                return;
            }
            c[off]++;
            Integer slot = index.get(v);
            c[slot == null ? off + 2 : slot]++;
        }

        void addAll(WindowData d, String[] values) {
            for (String v : values) {
                add(d.counts, v);
            }
        }
    }

    // ------------------------------------------------------------------ methods

    /** Method and threshold chosen for one column. */
    record Choice(DriftMethod method, double threshold) {
    }

    /**
     * Resolves and checks the method of every column (fail fast: before any data arrives).
     *
     * @return per column in profile order
     * @throws IllegalArgumentException if an override names an unknown column or does not fit it
     */
    Choice[] resolve(MonitorPolicy policy) {
        for (String c : policy.methods().keySet()) {
            if (profile.column(c).isEmpty()) {
                throw new IllegalArgumentException("a method was set for column " + Names.quote(c)
                        + ", which the profile does not have; it has " + profile.columns().stream().map(ReferenceProfile.Column::name).toList());
            }
        }
        for (String c : policy.thresholds().keySet()) {
            if (profile.column(c).isEmpty()) {
                throw new IllegalArgumentException("a threshold was set for column " + Names.quote(c)
                        + ", which the profile does not have");
            }
        }
        List<ReferenceProfile.Column> cols = profile.columns();
        Choice[] out = new Choice[cols.size()];
        int ni = 0;
        for (int i = 0; i < cols.size(); i++) {
            ReferenceProfile.Column c = cols.get(i);
            boolean numeric = c instanceof ReferenceProfile.NumericalColumn;
            boolean valueBins = numeric && numerical[ni].valueBins;
            DriftMethod m = policy.methodFor(c.name()).orElseGet(() -> defaultMethod(c, numeric, valueBins));
            if (!numeric && !m.acceptsCategorical()) {
                throw new IllegalArgumentException("method " + m.id() + " does not accept categorical column " + Names.quote(c.name()));
            }
            if (numeric && countsCategories(m) && !valueBins) {
                throw new IllegalArgumentException("method " + m.id() + " treats values as categories; numerical column "
                        + Names.quote(c.name()) + " has " + c.distinct() + " distinct reference values (at most "
                        + BinnedDistances.MAX_VALUE_BINS + " needed, and no explicit bin edges)");
            }
            out[i] = new Choice(m, policy.thresholdFor(c.name()).orElse(m.defaultThreshold()));
            if (numeric) {
                ni++;
            }
        }
        return out;
    }

    /** The tests that treat each value of a numerical column as a category (one bin per value). */
    private static boolean countsCategories(DriftMethod m) {
        return m == DriftMethod.CHISQUARE || m == DriftMethod.CHI2_CONTINGENCY || m == DriftMethod.Z
                || m == DriftMethod.FISHER_EXACT || m == DriftMethod.G_TEST;
    }

    /**
     * Evidently's rule, as {@link DriftAnalysis#defaultMethod} applies it to batch comparisons.
     * A profile cannot see the current data, so distinct values are counted in the reference
     * only; a numerical column without one bin per value cannot take a categorical test.
     */
    private static DriftMethod defaultMethod(ReferenceProfile.Column c, boolean numeric, boolean valueBins) {
        DriftMethod m = DriftAnalysis.defaultMethod(numeric ? ColumnKind.NUMERICAL : ColumnKind.CATEGORICAL, c.count(),
                c.distinct());
        boolean categoricalTest = m == DriftMethod.CHISQUARE || m == DriftMethod.Z;
        return numeric && categoricalTest && !valueBins ? DriftMethod.JENSENSHANNON : m;
    }

    // ------------------------------------------------------------------ reports

    /**
     * The drift report of a window.
     *
     * @param data         the window's counters
     * @param exactCurrent the raw current values per numerical column when available (batch
     *                     comparison), else null: KS and Wasserstein then use the sketch against
     *                     the exact values instead of the grid
     */
    DriftReport report(WindowData data, double[][] exactCurrent, Choice[] choices, double driftShareThreshold,
            Instant createdAt, Optional<DriftReport.Window> window) {
        List<ColumnDrift> out = new ArrayList<>();
        List<ReferenceProfile.Column> cols = profile.columns();
        int ni = 0;
        int ci = 0;
        int compared = 0;
        int drifted = 0;
        int uncertain = 0;
        for (int i = 0; i < cols.size(); i++) {
            ColumnDrift cd;
            if (cols.get(i) instanceof ReferenceProfile.NumericalColumn) {
                cd = numericalDrift(numerical[ni], data, exactCurrent == null ? null : exactCurrent[ni], choices[i]);
                ni++;
            } else {
                cd = categoricalDrift(categorical[ci], data, choices[i]);
                ci++;
            }
            if (cd.referenceCount() > 0 && cd.currentCount() > 0) {
                compared++;
                if (cd.drifted()) {
                    drifted++;
                } else if (cd.verdict() == Verdict.UNCERTAIN) {
                    uncertain++;
                }
            }
            out.add(cd);
        }
        out.sort(Comparator.comparing((ColumnDrift c) -> !c.drifted()).thenComparing(ColumnDrift::column));
        double share = compared == 0 ? 0.0 : (double) drifted / compared;
        Interval shares = Verdicts.shareInterval(drifted, uncertain, compared);
        Verdict verdict = Verdicts.dataset(shares, driftShareThreshold, compared);
        return new DriftReport(createdAt, profile.rows(), data.rows, out, share, driftShareThreshold,
                verdict == Verdict.DRIFT, "none", window, inputs(data, window), verdict, shares);
    }

    /**
     * The profile's digest, and the current side's time range: the event times the rows were
     * given with, else the window's processing time.
     */
    private DriftInputs inputs(WindowData data, Optional<DriftReport.Window> window) {
        DriftInputs.Side current = DriftInputs.Side.unnamed();
        if (data.firstMillis <= data.lastMillis) {
            current = current.withTime(new DriftInputs.TimeRange(Instant.ofEpochMilli(data.firstMillis),
                    Instant.ofEpochMilli(data.lastMillis), true, Optional.empty()));
        } else if (window.isPresent()) {
            current = current.withTime(new DriftInputs.TimeRange(window.get().start(), window.get().end(), false,
                    Optional.empty()));
        }
        return new DriftInputs(Optional.empty(), Optional.of("sha256:" + profile.sha256()), DriftInputs.Side.unnamed(),
                current);
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0.0 : (double) part / whole;
    }

    private ColumnDrift numericalDrift(Num l, WindowData d, double[] exact, Choice choice) {
        ReferenceProfile.NumericalColumn col = l.col;
        long[] c = d.counts;
        long nR = col.count();
        long nC = c[l.off];
        double msR = col.missingShare();
        double msC = share(c[l.off + 1], nC + c[l.off + 1]);
        // bins
        long[] refBins = new long[l.bins];
        long[] curBins = new long[l.bins];
        System.arraycopy(col.binCounts, 0, refBins, 0, col.binCounts.length);
        for (int j = 0; j < l.cuts.length + 1; j++) {
            curBins[l.cellToBin[j]] += c[l.off + 4 + j];
        }
        curBins[l.negInfBin] += c[l.off + 2];
        curBins[l.posInfBin] += c[l.off + 3];
        List<String> labels = l.labels;
        double[] edges = l.valueBins ? new double[0] : col.edges;
        if (l.valueBins && curBins[l.bins - 1] == 0) { // drop the empty "other" bin
            refBins = Arrays.copyOf(refBins, l.bins - 1);
            curBins = Arrays.copyOf(curBins, l.bins - 1);
            labels = labels.subList(0, l.bins - 1);
        }
        Distribution dist = distribution(labels, edges, refBins, nR, curBins, nC);
        DriftMethod m = choice.method();
        if (nR == 0 || nC == 0) {
            return special(col.name(), ColumnKind.NUMERICAL, m, choice.threshold(), msR, msC, nR, nC, dist,
                    nR == 0 ? "the reference column has no values" : "the current data has no values in this column")
                    .withStats(Optional.of(Summaries.profile(col)), Optional.of(Summaries.numeric(
                            exact != null ? exact : new double[0])));
        }
        Optional<ColumnStats> refStats = Optional.of(Summaries.profile(col));
        Optional<ColumnStats> curStats = Optional.of(exact != null ? Summaries.numeric(exact)
                : Summaries.grid(nC, c[l.off + 1], d.minMax[l.mm], d.minMax[l.mm + 1], l.cuts,
                        Arrays.copyOfRange(c, l.off + 4, l.off + 4 + l.cuts.length + 1), c[l.off + 2], c[l.off + 3]));
        double stat;
        OptionalDouble p = OptionalDouble.empty();
        OptionalDouble bound = OptionalDouble.empty();
        Optional<Interval> statInterval = Optional.empty();
        Optional<Interval> pInterval = Optional.empty();
        Optional<String> note = Optional.empty();
        switch (m) {
            case KS -> {
                double[] db = exact != null ? ksSketch(col, exact) : ksGrid(l, c, nR, nC);
                double[] sp = CountTests.ksPValue(db[0], nR, nC);
                stat = sp[0];
                p = OptionalDouble.of(sp[1]);
                bound = OptionalDouble.of(db[1]);
                if (db[1] > 0) {
                    // the grid's D is a lower bound of the exact D; the sketch's is within ±bound
                    double lo = exact != null ? Math.max(0.0, db[0] - db[1]) : db[0];
                    double hi = Math.min(1.0, db[0] + db[1]);
                    // the reported D is rounded as scipy reports it: keep it inside its interval
                    lo = Math.min(lo, stat);
                    hi = Math.max(hi, stat);
                    statInterval = Optional.of(new Interval(lo, hi));
                    double pLo = CountTests.ksPValue(hi, nR, nC)[1];
                    double pHi = CountTests.ksPValue(lo, nR, nC)[1];
                    pInterval = Optional.of(new Interval(Math.min(pLo, pHi), Math.max(pLo, pHi)));
                }
            }
            case WASSERSTEIN, WASSERSTEIN_NORM -> {
                double curMin = d.minMax[l.mm];
                double curMax = d.minMax[l.mm + 1];
                if (!Double.isFinite(col.min()) || !Double.isFinite(col.max()) || !Double.isFinite(curMin) || !Double.isFinite(curMax)) {
                    stat = Double.POSITIVE_INFINITY;
                    bound = OptionalDouble.of(0.0);
                    note = Optional.of("infinite values: the Wasserstein distance is infinite");
                } else {
                    double[] wb = exact != null ? wassersteinSketch(col, exact) : wassersteinGrid(l, c, nR, nC, curMin, curMax);
                    double scale = m == DriftMethod.WASSERSTEIN_NORM ? Math.max(col.std(), 0.001) : 1.0;
                    stat = wb[0] / scale;
                    bound = OptionalDouble.of(wb[1] / scale);
                    if (wb[1] > 0) {
                        statInterval = Optional.of(new Interval(Math.max(0.0, wb[0] - wb[1]) / scale, (wb[0] + wb[1]) / scale));
                    }
                }
            }
            case PSI, KL_DIV, JENSENSHANNON, HELLINGER, TVD -> {
                BinnedShares s = BinnedShares.of(labels, edges.length == labels.size() + 1 ? edges : new double[0],
                        shares(refBins, nR), shares(curBins, nC));
                stat = binned(m, s);
                bound = OptionalDouble.of(0.0);
            }
            case CHISQUARE, CHI2_CONTINGENCY, Z, FISHER_EXACT, G_TEST -> {
                double[] valuesForZ = col.values;
                StatResult r;
                DriftMethod used = m;
                if (m == DriftMethod.FISHER_EXACT && nonEmptyBins(refBins, curBins) == 1) {
                    r = StatResult.test(1.0, 1.0);
                } else if (m == DriftMethod.Z || m == DriftMethod.FISHER_EXACT) {
                    int[] two = twoBins(refBins, curBins);
                    if (two == null || (l.valueBins && two[1] == l.bins - 1 && curBins.length == l.bins)) {
                        used = DriftMethod.CHISQUARE;
                        note = Optional.of(binaryName(m) + " needs two categories; this window has more: chisquare used");
                        r = CountTests.chiSquareGoodnessOfFit(refBins, curBins);
                    } else {
                        int greater = valuesForZ[two[0]] > valuesForZ[two[1]] ? two[0] : two[1];
                        r = binary(m, refBins, curBins, nR, nC, greater == two[0] ? two[1] : two[0], greater);
                    }
                } else {
                    r = counted(m, refBins, curBins);
                }
                return verdict(col.name(), ColumnKind.NUMERICAL, used, r, choice.threshold(), msR, msC, nR, nC,
                        OptionalDouble.of(0.0), note, dist, Optional.empty(), Optional.empty(), refStats, curStats);
            }
            default -> throw new IllegalArgumentException("method " + m.id() + " cannot be computed from a profile");
        }
        StatResult r = p.isPresent() ? StatResult.test(stat, p.getAsDouble()) : StatResult.distance(stat);
        return verdict(col.name(), ColumnKind.NUMERICAL, m, r, choice.threshold(), msR, msC, nR, nC, bound, note, dist,
                statInterval, pInterval, refStats, curStats);
    }

    private ColumnDrift categoricalDrift(Cat l, WindowData d, Choice choice) {
        ReferenceProfile.CategoricalColumn col = l.col;
        long[] c = d.counts;
        long nR = col.count();
        long nC = c[l.off];
        double msR = col.missingShare();
        double msC = share(c[l.off + 1], nC + c[l.off + 1]);
        int k = col.categories.length;
        boolean other = col.otherCount() > 0 || c[l.off + 2] > 0;
        int bins = k + (other ? 1 : 0);
        long[] refBins = new long[bins];
        long[] curBins = new long[bins];
        List<String> labels = new ArrayList<>(bins);
        for (int i = 0; i < k; i++) {
            refBins[i] = col.counts[i];
            curBins[i] = c[l.off + 3 + i];
            labels.add(col.categories[i]);
        }
        if (other) {
            refBins[k] = col.otherCount();
            curBins[k] = c[l.off + 2];
            labels.add(ReferenceProfile.OTHER);
        }
        Distribution dist = distribution(labels, new double[0], refBins, nR, curBins, nC);
        Optional<ColumnStats> refStats = Optional.of(Summaries.categories(labels, refBins, col.missing()));
        Optional<ColumnStats> curStats = Optional.of(Summaries.categories(labels, curBins, c[l.off + 1]));
        DriftMethod m = choice.method();
        if (nR == 0 || nC == 0) {
            return special(col.name(), ColumnKind.CATEGORICAL, m, choice.threshold(), msR, msC, nR, nC, dist,
                    nR == 0 ? "the reference column has no values" : "the current data has no values in this column")
                    .withStats(refStats, curStats);
        }
        StatResult r;
        DriftMethod used = m;
        Optional<String> note = Optional.empty();
        switch (m) {
            case CHISQUARE, CHI2_CONTINGENCY, G_TEST -> r = counted(m, refBins, curBins);
            case Z, FISHER_EXACT -> {
                int[] two = twoBins(refBins, curBins);
                if (m == DriftMethod.FISHER_EXACT && nonEmptyBins(refBins, curBins) == 1) {
                    r = StatResult.test(1.0, 1.0);
                } else if (two == null || (other && (two[0] == k || two[1] == k))) {
                    used = DriftMethod.CHISQUARE;
                    note = Optional.of(binaryName(m) + " needs two categories; this window has more: chisquare used");
                    r = CountTests.chiSquareGoodnessOfFit(refBins, curBins);
                } else {
                    int greater = labels.get(two[0]).compareTo(labels.get(two[1])) > 0 ? two[0] : two[1];
                    r = binary(m, refBins, curBins, nR, nC, greater == two[0] ? two[1] : two[0], greater);
                }
            }
            case PSI, KL_DIV, JENSENSHANNON, HELLINGER, TVD ->
                r = StatResult.distance(binned(m, BinnedShares.of(labels, new double[0], shares(refBins, nR), shares(curBins, nC))));
            default -> throw new IllegalArgumentException("method " + m.id() + " does not accept categorical columns");
        }
        return verdict(col.name(), ColumnKind.CATEGORICAL, used, r, choice.threshold(), msR, msC, nR, nC,
                OptionalDouble.of(0.0), note, dist, Optional.empty(), Optional.empty(), refStats, curStats);
    }

    /** chisquare, chi2_contingency or g_test on bin counts. */
    private static StatResult counted(DriftMethod m, long[] refBins, long[] curBins) {
        return switch (m) {
            case CHISQUARE -> CountTests.chiSquareGoodnessOfFit(refBins, curBins);
            case CHI2_CONTINGENCY -> CountTests.chiSquareIndependence(refBins, curBins);
            case G_TEST -> CountTests.gTest(refBins, curBins);
            default -> throw new IllegalArgumentException(m.id() + " is not a test on category counts");
        };
    }

    /**
     * The z-test (success: the greater category) or Fisher's exact test (columns: the lesser, then
     * the greater category) on the two non-empty bins, as the tests order categories on samples.
     */
    private static StatResult binary(DriftMethod m, long[] refBins, long[] curBins, long nR, long nC, int lesser,
            int greater) {
        if (m == DriftMethod.Z) {
            return CountTests.twoProportionZ(refBins[greater], nR, curBins[greater], nC);
        }
        return CategoricalTests.fisherExact(refBins[lesser], refBins[greater], curBins[lesser], curBins[greater]);
    }

    private static String binaryName(DriftMethod m) {
        return m == DriftMethod.Z ? "the z-test" : "Fisher's exact test";
    }

    private static int nonEmptyBins(long[] ref, long[] cur) {
        int n = 0;
        for (int i = 0; i < ref.length; i++) {
            if (ref[i] != 0 || cur[i] != 0) {
                n++;
            }
        }
        return n;
    }

    /** Indices of the (exactly two) bins with a count on either side, or null. */
    private static int[] twoBins(long[] ref, long[] cur) {
        int[] two = new int[2];
        int n = 0;
        for (int i = 0; i < ref.length; i++) {
            if (ref[i] != 0 || cur[i] != 0) {
                if (n == 2) {
                    return null;
                }
                two[n++] = i;
            }
        }
        return n == 2 ? two : null;
    }

    private static double binned(DriftMethod m, BinnedShares s) {
        return switch (m) {
            case PSI -> BinnedDistances.psi(s);
            case KL_DIV -> BinnedDistances.klDivergence(s);
            case JENSENSHANNON -> BinnedDistances.jensenShannon(s);
            case HELLINGER -> BinnedDistances.hellinger(s);
            case TVD -> BinnedDistances.totalVariation(s);
            default -> throw new IllegalArgumentException(m.id() + " is not a binned distance");
        };
    }

    private static double[] shares(long[] counts, long n) {
        double[] s = new double[counts.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (double) counts[i] / n;
        }
        return s;
    }

    private static Distribution distribution(List<String> labels, double[] edges, long[] ref, long nR, long[] cur, long nC) {
        List<Double> rs = new ArrayList<>(ref.length);
        List<Double> cs = new ArrayList<>(cur.length);
        for (int i = 0; i < ref.length; i++) {
            rs.add(nR == 0 ? 0.0 : (double) ref[i] / nR);
            cs.add(nC == 0 ? 0.0 : (double) cur[i] / nC);
        }
        List<Double> es = new ArrayList<>();
        if (edges.length == labels.size() + 1) {
            for (double e : edges) {
                es.add(e);
            }
        }
        return new Distribution(labels, es, rs, cs);
    }

    private static ColumnDrift verdict(String name, ColumnKind kind, DriftMethod m, StatResult r, double threshold, double msR,
            double msC, long nR, long nC, OptionalDouble bound, Optional<String> note, Distribution dist,
            Optional<Interval> statInterval, Optional<Interval> pInterval, Optional<ColumnStats> refStats,
            Optional<ColumnStats> curStats) {
        Optional<Interval> scoreInterval = m.yieldsPValue() ? pInterval : statInterval;
        double score = m.yieldsPValue() ? r.pValue().orElse(Double.NaN) : r.statistic();
        Verdict v = statInterval.isPresent() && m.yieldsPValue() && pInterval.isEmpty()
                ? Verdict.UNCERTAIN // an estimated test statistic without p-value bounds: never a plain verdict
                : Verdicts.column(m, threshold, score, scoreInterval);
        return new ColumnDrift(name, kind, m.id(), r.statistic(), r.pValue(), OptionalDouble.empty(), threshold,
                v == Verdict.DRIFT, msR, msC, nR, nC, bound, note, dist, v, statInterval, pInterval, refStats, curStats);
    }

    private static ColumnDrift special(String name, ColumnKind kind, DriftMethod m, double threshold, double msR, double msC,
            long nR, long nC, Distribution dist, String note) {
        return new ColumnDrift(name, kind, m.id(), 0.0, OptionalDouble.empty(), OptionalDouble.empty(), threshold, false, msR, msC,
                nR, nC, OptionalDouble.empty(), Optional.of(note), dist);
    }

    // ------------------------------------------------------------------ KS and Wasserstein

    /**
     * KS from the exact reference CDF at the grid cuts and the current cell counts.
     *
     * @return {D at the cuts (a lower bound of the exact D), upper bound − lower bound}
     */
    static double[] ksGrid(Num l, long[] c, long nR, long nC) {
        double[] cuts = l.cuts;
        long[] below = l.col.below;
        int cells = cuts.length + 1;
        double dr = nR;
        double dc = nC;
        long cum = c[l.off + 2]; // -Infinity lies below every cut
        double lo = 0.0;
        double hi = 0.0;
        double rPrev = 0.0;
        double cPrev = 0.0;
        for (int j = 0; j < cells; j++) {
            cum += c[l.off + 4 + j];
            double rEnd = j < cells - 1 ? below[j] / dr : 1.0;
            double cEnd = j < cells - 1 ? cum / dc : 1.0;
            double atCut = Math.abs(rEnd - cEnd);
            if (j < cells - 1) {
                lo = Math.max(lo, atCut);
            }
            boolean point = j > 0 && j < cells - 1 && cuts[j] == Math.nextUp(cuts[j - 1]);
            double cellMax = point ? atCut : Math.max(rEnd - cPrev, cEnd - rPrev);
            hi = Math.max(hi, cellMax);
            rPrev = rEnd;
            cPrev = cEnd;
        }
        return new double[] {lo, Math.max(0.0, hi - lo)};
    }

    /** KS of the reference sketch against exact current values: {D, sketch rank error}. */
    static double[] ksSketch(ReferenceProfile.NumericalColumn col, double[] current) {
        QuantileSketch.SortedView v = col.sketchView().sortedView();
        double[] cur = sortedNonMissing(current);
        double d = 0.0;
        int i = 0;
        int j = 0;
        double n = v.n;
        double m = cur.length;
        while (i < v.values.length || j < cur.length) {
            double x = j >= cur.length || (i < v.values.length && v.values[i] <= cur[j]) ? v.values[i] : cur[j];
            while (i < v.values.length && v.values[i] <= x) {
                i++;
            }
            while (j < cur.length && cur[j] <= x) {
                j++;
            }
            double fr = i == 0 ? 0.0 : v.cumulative[i - 1] / n;
            d = Math.max(d, Math.abs(fr - j / m));
        }
        return new double[] {d, col.sketchView().normalizedRankError()};
    }

    /** ∫|F̂_ref − F_cur| with the sketch against exact values: {W, ε·range}. */
    static double[] wassersteinSketch(ReferenceProfile.NumericalColumn col, double[] current) {
        QuantileSketch.SortedView v = col.sketchView().sortedView();
        double[] cur = sortedNonMissing(current);
        double n = v.n;
        double m = cur.length;
        double w = 0.0;
        int i = 0;
        int j = 0;
        double prevX = Double.NaN;
        double prevDiff = 0.0;
        while (i < v.values.length || j < cur.length) {
            double x = j >= cur.length || (i < v.values.length && v.values[i] <= cur[j]) ? v.values[i] : cur[j];
            if (!Double.isNaN(prevX)) {
                w += (x - prevX) * prevDiff;
            }
            while (i < v.values.length && v.values[i] <= x) {
                i++;
            }
            while (j < cur.length && cur[j] <= x) {
                j++;
            }
            double fr = i == 0 ? 0.0 : v.cumulative[i - 1] / n;
            prevDiff = Math.abs(fr - j / m);
            prevX = x;
        }
        double range = Math.max(col.max(), cur[cur.length - 1]) - Math.min(col.min(), cur[0]);
        return new double[] {w, col.sketchView().normalizedRankError() * range};
    }

    /**
     * Wasserstein-1 from the grid: per cell both CDFs are taken as linear (the estimate) and bounded
     * by their values at the cell ends (the bound).
     *
     * @return {estimate, bound on |estimate − exact|}
     */
    static double[] wassersteinGrid(Num l, long[] c, long nR, long nC, double curMin, double curMax) {
        double[] cuts = l.cuts;
        long[] below = l.col.below;
        int cells = cuts.length + 1;
        double dr = nR;
        double dc = nC;
        double lowEnd = Math.min(curMin, l.col.min());
        double highEnd = Math.max(curMax, l.col.max());
        long cum = 0;
        double est = 0.0;
        double wLo = 0.0;
        double wHi = 0.0;
        double rPrev = 0.0;
        double cPrev = 0.0;
        for (int j = 0; j < cells; j++) {
            cum += c[l.off + 4 + j];
            double rEnd = j < cells - 1 ? below[j] / dr : 1.0;
            double cEnd = j < cells - 1 ? cum / dc : 1.0;
            double a = j == 0 ? lowEnd : cuts[j - 1];
            double b = j == cells - 1 ? highEnd : cuts[j];
            double width = Math.max(0.0, b - a);
            if (width > 0) {
                double d0 = rPrev - cPrev;
                double d1 = rEnd - cEnd;
                double mean;
                if ((d0 >= 0) == (d1 >= 0)) {
                    mean = (Math.abs(d0) + Math.abs(d1)) / 2;
                } else {
                    mean = (d0 * d0 + d1 * d1) / (2 * (Math.abs(d0) + Math.abs(d1)));
                }
                est += width * mean;
                wLo += width * Math.max(0.0, Math.max(rPrev - cEnd, cPrev - rEnd));
                wHi += width * Math.max(rEnd - cPrev, cEnd - rPrev);
            }
            rPrev = rEnd;
            cPrev = cEnd;
        }
        est = Math.max(wLo, Math.min(wHi, est));
        return new double[] {est, Math.max(est - wLo, wHi - est)};
    }

    private static double[] sortedNonMissing(double[] values) {
        return Samples.sortedPresent(values);
    }
}
