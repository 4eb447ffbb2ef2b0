package dev.mlops.cli;

import dev.mlops.api.Frame;
import dev.mlops.api.Names;
import dev.mlops.api.Schema;
import dev.mlops.api.StorageException;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.core.Frames;
import dev.mlops.drift.Correction;
import dev.mlops.drift.DriftAnalysis;
import dev.mlops.drift.DriftMethod;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The input and analysis options of {@code drift} (a check) and {@code report} (report files),
 * mixed into both so they are declared, parsed and checked once: {@link #check()} before the
 * command checks its own options, {@link #compare(Progress)} to read both files and compare them.
 */
final class DriftOptions {
    @Option(names = "--reference", required = true, paramLabel = "REF.csv", description = "The reference data (training data, a baseline).")
    Path reference;

    @Option(names = "--current", required = true, paramLabel = "CUR.csv", description = "The data to check.")
    Path current;

    @Option(names = "--method", paramLabel = "M", description = "One method for every column instead of the defaults.")
    String method;

    @Option(names = "--column-method", paramLabel = "COL=M", description = "The method for one column (repeatable).")
    List<String> columnMethods = new ArrayList<>();

    @Option(names = "--threshold", paramLabel = "[COL=]X",
            description = "Drift threshold for one column (COL=X) or every column (X) (repeatable).")
    List<String> thresholds = new ArrayList<>();

    @Option(names = "--drift-share", paramLabel = "X",
            description = "Dataset drift when this share of the columns drifts, in (0, 1] (default 0.5).")
    String driftShare;

    @Option(names = "--correction", paramLabel = "C", defaultValue = "none",
            description = "Multiple-testing correction of p-values: none, bonferroni or bh (default: ${DEFAULT-VALUE}).")
    String correction;

    @Option(names = "--column", paramLabel = "COL",
            description = "Compare only this column (repeatable); other columns may differ between the files.")
    List<String> columns = new ArrayList<>();

    @Option(names = "--categorical", paramLabel = "COL", description = "Compare a numeric column as categories (repeatable).")
    List<String> categorical = new ArrayList<>();

    @Option(names = "--delimiter", paramLabel = "C", converter = Inputs.DelimiterConverter.class,
            description = "CSV field separator, one character; \\t for a tab (default: ',' or tab for *.tsv).")
    Character delimiter;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "Columns compared at once (default: the number of processors).")
    Integer parallelism;

    @Option(names = "--fail-on-drift", description = "Exit with code 3 when the dataset drifted.")
    boolean failOnDrift;

    private DriftAnalysis.Builder analysis;
    private int threads;

    /** Checks the analysis options, before any file is read. */
    void check() {
        DriftAnalysis.Builder b = DriftAnalysis.builder();
        if (method != null) {
            b.method(method("--method", method));
        }
        Inputs.keyValues("--column-method", columnMethods).forEach((col, m) -> b.columnMethod(col, method("--column-method", m)));
        boolean global = false;
        for (String t : thresholds) {
            if (t.indexOf('=') < 0) {
                if (global) {
                    throw new BadInputException("--threshold without a column is given twice");
                }
                global = true;
                b.threshold(positive("--threshold", "every column", t));
            }
        }
        List<String> perColumn = thresholds.stream().filter(t -> t.indexOf('=') >= 0).toList();
        Inputs.keyValues("--threshold", perColumn).forEach((col, x) -> b.columnThreshold(col, positive("--threshold", col, x)));
        if (driftShare != null) {
            double share = Inputs.finiteNumber("--drift-share", "share", driftShare);
            if (!(share > 0 && share <= 1)) {
                throw new BadInputException("--drift-share " + Names.quote(driftShare) + " must be in (0, 1]");
            }
            b.driftShare(share);
        }
        try {
            b.correction(Correction.parse(correction));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--correction: " + e.getMessage());
        }
        if (!columns.isEmpty()) {
            if (columns.stream().distinct().count() != columns.size()) {
                throw new BadInputException("--column names a column twice");
            }
            b.columns(columns);
        }
        b.categorical(categorical.toArray(String[]::new));
        threads = parallelism != null ? Inputs.limit("--parallelism", parallelism, 256)
                : Math.max(1, Runtime.getRuntime().availableProcessors());
        build(b);
        analysis = b;
    }

    /** Adds the two CSV files to a command's {@link Outputs}, so no output overwrites them. */
    Outputs inputs(Outputs outputs) {
        return outputs.input("--reference", reference).input("--current", current);
    }

    /**
     * Reads both files and compares them; {@link #check()} must have passed. With progress on,
     * each file is read through a byte count (two passes: types, then values) and the columns are
     * compared on a {@link ColumnProgressPool}; the report is the same either way.
     */
    DriftReport compare(Progress progress) {
        if (!progress.enabled()) {
            analysis.parallelism(threads);
            DriftAnalysis a = build(analysis);
            return a.compare(read("--reference", reference, progress), read("--current", current, progress));
        }
        ColumnProgressPool pool = new ColumnProgressPool(threads, progress);
        try {
            analysis.executor(pool);
            DriftAnalysis a = build(analysis);
            Frame ref = read("--reference", reference, progress);
            Frame cur = read("--current", current, progress);
            DriftReport report = a.compare(ref, cur);
            pool.done(report.columns().size());
            return report;
        } finally {
            pool.closeTask();
            pool.shutdownNow();
        }
    }

    private static DriftAnalysis build(DriftAnalysis.Builder b) {
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    private static DriftMethod method(String option, String id) {
        try {
            return DriftMethod.parse(id);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option + ": " + e.getMessage());
        }
    }

    private static double positive(String option, String key, String text) {
        double x = Inputs.finiteNumber(option, key, text);
        if (!(x > 0)) {
            throw new BadInputException(option + " " + Names.quote(key) + " has value " + Names.quote(text)
                    + ": expected a number > 0");
        }
        return x;
    }

    private Frame read(String option, Path file, Progress progress) {
        Inputs.readable(option, file);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(option + " " + Names.quote(file.toString()) + " is not a regular file");
        }
        char d = Inputs.csvDelimiter(file, delimiter);
        try {
            return progress.enabled() ? readShowingProgress(file, d, progress) : Frames.readCsv(file, d);
        } catch (ValidationException | StorageException e) {
            throw new BadInputException(option + " " + Names.quote(file.toString()) + ": " + e.getMessage());
        }
    }

    /** What {@link Frames#readCsv(Path, char)} does, with both of its passes counted. */
    private static Frame readShowingProgress(Path file, char delimiter, Progress progress) {
        String name = Inputs.displayName(file);
        long size = Inputs.size(file);
        try (Progress.Task task = progress.bytes("reading " + name + " (pass 1 of 2: types)", size)) {
            Schema schema;
            try (InputStream in = new ProgressInputStream(Files.newInputStream(file), task)) {
                schema = Frames.inferSchema(in, delimiter, name);
            }
            task.label("reading " + name + " (pass 2 of 2: values)").set(0);
            Frame frame;
            try (InputStream in = new ProgressInputStream(Files.newInputStream(file), task)) {
                frame = Frames.readCsv(in, delimiter, name, schema);
            }
            task.done("reading " + name + "  " + Text.bytes(Math.max(0, size)) + ", "
                    + Progress.count(frame.rowCount()) + " rows");
            return frame;
        } catch (IOException e) {
            throw new StorageException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }
}
