package dev.mlops.drift;

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
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** Hand-built drift reports for the HTML report tests. */
final class DriftReportFixtures {

    static final String HOSTILE = "<script>alert(1)</script>";
    static final String HOSTILE_LABEL = "<img src=x onerror=alert(2)>";
    static final String QUOTES = "a \"quoted\" & 'single' <b>bold</b>";
    static final String UNICODE = "température_max °C 日本語 🌧 Ünïcödé";
    static final String CONTROL = "tab\there\u0001bell\u007f";
    static final Instant CREATED = Instant.parse("2024-05-06T07:08:09.123Z");

    private DriftReportFixtures() {
    }

    /** Numeric bins [lo, hi) with the given shares. */
    static Distribution numeric(double lo, double width, double[] ref, double[] cur) {
        List<String> labels = new ArrayList<>();
        List<Double> edges = new ArrayList<>();
        for (int i = 0; i <= ref.length; i++) {
            edges.add(lo + i * width);
        }
        for (int i = 0; i < ref.length; i++) {
            labels.add("[" + HtmlText.number(lo + i * width) + ", " + HtmlText.number(lo + (i + 1) * width) + ")");
        }
        return new Distribution(labels, edges, boxed(ref), boxed(cur));
    }

    static Distribution categorical(List<String> labels, double[] ref, double[] cur) {
        return new Distribution(labels, List.of(), boxed(ref), boxed(cur));
    }

    static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    static ColumnDrift column(String name, ColumnKind kind, String method, double statistic, OptionalDouble p,
                              OptionalDouble adjusted, double threshold, boolean drifted, Optional<String> note,
                              Distribution d) {
        return new ColumnDrift(name, kind, method, statistic, p, adjusted, threshold, drifted, 0.01, 0.125, 990, 875,
                OptionalDouble.empty(), note, d);
    }

    /**
     * A report covering the special cases, with non-drifted columns listed first (the renderer
     * must put the drifted ones first).
     */
    static DriftReport sample() {
        List<ColumnDrift> columns = new ArrayList<>();
        columns.add(column("weather", ColumnKind.CATEGORICAL, "chisquare", 3.21, OptionalDouble.of(0.36),
                OptionalDouble.of(1.0), 0.05, false, Optional.empty(),
                categorical(List.of("drizzle", "fog", "rain", "snow", "sun"),
                        new double[] {0.05, 0.07, 0.44, 0.02, 0.42}, new double[] {0.04, 0.09, 0.40, 0.03, 0.44})));
        columns.add(column("empty_col", ColumnKind.NUMERICAL, "ks", Double.NaN, OptionalDouble.of(Double.NaN),
                OptionalDouble.empty(), 0.05, false,
                Optional.of("every current value is missing: nothing to compare"),
                new Distribution(List.of(), List.of(), List.of(), List.of())));
        columns.add(column(UNICODE, ColumnKind.NUMERICAL, "wasserstein_norm", 0.2345678, OptionalDouble.empty(),
                OptionalDouble.empty(), 0.1, true, Optional.empty(),
                numeric(-5, 2.5, new double[] {0.02, 0.10, 0.25, 0.33, 0.20, 0.07, 0.03, 0.0},
                        new double[] {0.0, 0.03, 0.09, 0.21, 0.30, 0.22, 0.10, 0.05})));
        columns.add(new ColumnDrift(HOSTILE, ColumnKind.CATEGORICAL, QUOTES, 12.5, OptionalDouble.of(1.5e-7),
                OptionalDouble.of(4.5e-7), 0.05, true, 0.0, 0.0, 1000, 1000, OptionalDouble.of(0.0125),
                Optional.of(HOSTILE + " " + QUOTES),
                categorical(List.of(HOSTILE_LABEL, QUOTES, CONTROL, "plain"),
                        new double[] {0.25, 0.25, 0.25, 0.25}, new double[] {0.7, 0.1, 0.1, 0.1})));
        columns.add(column(CONTROL, ColumnKind.NUMERICAL, "psi", Double.POSITIVE_INFINITY, OptionalDouble.empty(),
                OptionalDouble.empty(), 0.1, true, Optional.of("a bin is empty in the current data"),
                numeric(0, 1, new double[] {0.5, Double.NaN, Double.POSITIVE_INFINITY, -0.1},
                        new double[] {0.0, 1.0, Double.NEGATIVE_INFINITY, 0.0})));
        columns.add(column("constant", ColumnKind.NUMERICAL, "ks", 0.0, OptionalDouble.of(1.0), OptionalDouble.empty(),
                0.05, false, Optional.of("constant column"),
                categorical(List.of("3"), new double[] {1.0}, new double[] {1.0})));
        columns.add(new ColumnDrift("precipitation", ColumnKind.NUMERICAL, "ks", 0.3236, OptionalDouble.of(5.072e-5),
                OptionalDouble.empty(), 0.05, false, 0.0, 0.0, 366, 56, OptionalDouble.of(0.1928), Optional.empty(),
                numeric(0, 5, new double[] {0.6, 0.3, 0.1}, new double[] {0.3, 0.4, 0.3}), Verdict.UNCERTAIN,
                Optional.of(new Interval(0.1308, 0.5164)), Optional.of(new Interval(1.2e-12, 0.2113)),
                Optional.of(numbers(366, 0, 3.35, 6.61, 0.0, 0.0, 0.0, 3.8, 54.1, true)),
                Optional.of(numbers(56, 0, Double.NaN, Double.NaN, 0.0, 0.3, 4.1, 10.2, 55.9, true))));
        columns.set(0, columns.get(0).withStats(
                Optional.of(categories(990, 10, List.of("rain", "sun", "fog", "drizzle", "snow"),
                        new long[] {436, 416, 69, 50, 19})),
                Optional.of(categories(875, 125, List.of("sun", "rain", "fog", "drizzle", "snow"),
                        new long[] {385, 350, 79, 35, 26}))));
        columns.set(2, columns.get(2).withStats(Optional.of(numbers(990, 10, 16.4, 7.2, -1.6, 10.6, 15.6, 22.2, 35.6, false)),
                Optional.of(numbers(875, 125, 18.1, 7.9, 2.2, 12.2, 17.2, 23.9, 35.0, false))));
        DriftInputs inputs = new DriftInputs(Optional.of("temp-max/1"), Optional.of("sha256:6f1e0c"),
                new DriftInputs.Side(Optional.of("weather-2012/1"), Optional.of("weather-2012.csv"),
                        Optional.of(new DriftInputs.TimeRange(Instant.parse("2012-01-01T00:00:00Z"),
                                Instant.parse("2012-12-31T00:00:00Z"), true, Optional.of("date")))),
                DriftInputs.Side.file(HOSTILE + ".csv").withTime(new DriftInputs.TimeRange(
                        Instant.parse("2015-11-04T00:00:00Z"), Instant.parse("2015-12-29T00:00:00Z"), true,
                        Optional.of(QUOTES))));
        return new DriftReport(CREATED, 1000, 1000, columns, 0.5, 0.5, true, "benjamini-hochberg",
                Optional.of(new DriftReport.Window(Instant.parse("2024-05-06T06:00:00Z"),
                        Instant.parse("2024-05-06T07:00:00Z"), 42)), inputs, Verdict.DRIFT, new Interval(0.5, 4.0 / 6));
    }

    static ColumnStats numbers(long count, long missing, double mean, double std, double min, double q1, double median,
            double q3, double max, boolean estimated) {
        return new ColumnStats(count, missing, opt(mean), opt(std), opt(min), opt(q1), opt(median), opt(q3), opt(max),
                estimated, List.of());
    }

    static ColumnStats categories(long count, long missing, List<String> values, long[] counts) {
        List<ColumnStats.CategoryShare> top = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            top.add(new ColumnStats.CategoryShare(values.get(i), counts[i], (double) counts[i] / count));
        }
        return new ColumnStats(count, missing, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), false, top);
    }

    private static OptionalDouble opt(double v) {
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** {@code columns} numerical columns of {@code bins} bins each, every third drifted, no window. */
    static DriftReport large(int columns, int bins) {
        List<ColumnDrift> list = new ArrayList<>(columns);
        for (int c = 0; c < columns; c++) {
            double[] ref = new double[bins];
            double[] cur = new double[bins];
            for (int b = 0; b < bins; b++) {
                ref[b] = 1.0 / bins;
                cur[b] = (b + 1 + (c % 7)) / (bins * (bins + 1) / 2.0 + bins * (c % 7));
            }
            boolean drifted = c % 3 == 0;
            list.add(column(String.format("feature_%03d", c), ColumnKind.NUMERICAL, "wasserstein_norm",
                    0.05 + c * 0.001, OptionalDouble.empty(), OptionalDouble.empty(), 0.1, drifted, Optional.empty(),
                    numeric(c, 0.5, ref, cur)));
        }
        long drifted = list.stream().filter(ColumnDrift::drifted).count();
        return new DriftReport(CREATED, 200_000, 200_000, list, (double) drifted / columns, 0.5, false, "none",
                Optional.empty());
    }
}
