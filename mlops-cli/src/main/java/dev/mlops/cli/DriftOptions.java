package dev.mlops.cli;

import dev.mlops.api.DatasetSource;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Names;
import dev.mlops.api.Schema;
import dev.mlops.api.StorageException;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.DriftInputs;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.quality.CsvSummary;
import dev.mlops.quality.Frames;
import dev.mlops.drift.Correction;
import dev.mlops.drift.DriftAnalysis;
import dev.mlops.drift.DriftMethod;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

    @Option(names = "--max-categories", paramLabel = "N",
            description = "Distinct values a text column may have to be compared as categories (default: 10000);"
                    + " a column with more (an id, free text) is reported without a verdict, and only N of its values are kept.")
    Integer maxCategories;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "Columns compared at once (default: the number of processors).")
    Integer parallelism;

    @Option(names = "--fail-on-drift", description = "Exit with code 3 when the dataset drifted.")
    boolean failOnDrift;

    @Option(names = "--timestamp-column", paramLabel = "COL",
            description = "The column holding each row's date or time (ISO-8601: 2015-11-04, 2015-11-04T06:00:00,"
                    + " 2015-11-04T06:00:00Z; or 2015/11/04): the report shows each file's time range, and the column"
                    + " is not compared.")
    String timestampColumn;

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
        if (maxCategories != null) {
            b.maxCategories(Inputs.limit("--max-categories", maxCategories, 100_000_000));
        }
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
     * Reads both files and compares them; {@link #check()} must have passed. In this order, so a
     * mismatch is refused before any value is held: both header rows (the column names); the type
     * pass over the reference, then over the current data (stopping at the first value that is
     * not a number in a column the reference has numeric); the two schemas; and only then the
     * values of the compared columns, numbers as doubles and text dictionary-encoded with at most
     * {@code --max-categories} distinct values a column. With progress on, each pass shows its
     * bytes and the columns are compared on a {@link ColumnProgressPool}; the report is the same
     * either way. Running out of memory is a one-line error that says how much data there is and
     * which {@code -Xmx} to try.
     */
    DriftReport compare(Progress progress) {
        CsvInput ref = input("--reference", reference);
        CsvInput cur = input("--current", current);
        try {
            return compare(ref, cur, progress);
        } catch (OutOfMemoryError e) {
            // compare(...)'s frames are gone with its stack frame: this little message fits
            throw new NotEnoughMemoryException(outOfMemory(ref, cur, threads), e);
        }
    }

    private DriftReport compare(CsvInput ref, CsvInput cur, Progress progress) {
        DriftAnalysis a;
        ColumnProgressPool pool = progress.enabled() ? new ColumnProgressPool(threads, progress) : null;
        try {
            if (pool == null) {
                analysis.parallelism(threads);
            } else {
                analysis.executor(pool);
            }
            a = build(analysis);
            checkColumns(a, ref, cur);
            if (timestampColumn != null) {
                a = leaveOutTimestamps(a, ref);
            }
            ref.summary = summarize(ref, Map.of(), progress);
            cur.summary = summarize(cur, numericInReference(ref), progress);
            List<String> compared = checkSchemas(a, ref, cur);
            ref.compared = compared;
            cur.compared = compared;
            Frame refFrame = read(ref, compared, a.maxCategories(), progress);
            Frame curFrame = read(cur, compared, a.maxCategories(), progress);
            DriftReport report = a.compare(refFrame, curFrame);
            if (pool != null) {
                pool.done(report.columns().size());
            }
            return report.withInputs(new DriftInputs(Optional.empty(), Optional.empty(), side(ref), side(cur)));
        } finally {
            if (pool != null) {
                pool.closeTask();
                pool.shutdownNow();
            }
        }
    }

    /**
     * Without {@code --column}, compares every column but the timestamp column (a text column
     * would otherwise be compared as categories); the headers were checked to match.
     */
    private DriftAnalysis leaveOutTimestamps(DriftAnalysis a, CsvInput ref) {
        List<String> header = header(ref);
        if (!header.contains(timestampColumn)) {
            throw new BadInputException("--timestamp-column " + Names.quote(timestampColumn) + " is not a column of "
                    + ref.named() + "; it has " + header);
        }
        if (!columns.isEmpty()) {
            return a;
        }
        List<String> compared = header.stream().filter(c -> !c.equals(timestampColumn)).toList();
        if (compared.isEmpty()) {
            throw new BadInputException("--timestamp-column " + Names.quote(timestampColumn)
                    + " is the only column: there is nothing to compare");
        }
        analysis.columns(compared);
        return build(analysis);
    }

    /** A side of the report's inputs: the file as named, and with a timestamp column its time range. */
    private DriftInputs.Side side(CsvInput in) {
        DriftInputs.Side side = DriftInputs.Side.file(in.file.toString());
        if (timestampColumn == null) {
            return side;
        }
        Frame times;
        try (InputStream s = in.open(null)) {
            times = Frames.readCsv(s, in.delimiter, in.name(),
                    Frame.builder(new Schema(List.of(new Field(timestampColumn, FieldType.STRING)))));
        } catch (ValidationException | StorageException e) {
            throw new BadInputException(in.named() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException(in.named() + ": cannot read " + in.name() + ": " + e.getMessage());
        }
        Instant first = null;
        Instant last = null;
        // each distinct value once: the dictionary, not every row
        for (String value : times.categories(timestampColumn).dictionary()) {
            Instant t = instant(in, value);
            first = first == null || t.isBefore(first) ? t : first;
            last = last == null || t.isAfter(last) ? t : last;
        }
        return first == null ? side
                : side.withTime(new DriftInputs.TimeRange(first, last, true, Optional.of(timestampColumn)));
    }

    private static final DateTimeFormatter SLASHED_DATE = DateTimeFormatter.ofPattern("uuuu/MM/dd");

    /** An ISO-8601 instant, date-time (UTC without an offset) or date (UTC midnight), or a yyyy/MM/dd date. */
    private Instant instant(CsvInput in, String value) {
        String v = value.strip();
        try {
            if (v.length() <= 10) {
                LocalDate d = v.indexOf('/') >= 0 ? LocalDate.parse(v, SLASHED_DATE) : LocalDate.parse(v);
                return d.atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(v, OffsetDateTime::from, LocalDateTime::from);
            return t instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new BadInputException(in.named() + ": --timestamp-column " + Names.quote(timestampColumn) + " has value "
                    + Names.quote(value) + ", which is not a date or time: expected ISO-8601 such as 2015-11-04,"
                    + " 2015-11-04T06:00:00 or 2015-11-04T06:00:00Z, or 2015/11/04");
        }
    }

    /** One input file: where it is, how it is split, and what its passes found. */
    private static final class CsvInput {
        final String option;
        final Path file;
        final char delimiter;
        final long bytes;
        CsvSummary summary;
        Schema schema;
        List<String> compared;

        CsvInput(String option, Path file, char delimiter, long bytes) {
            this.option = option;
            this.file = file;
            this.delimiter = delimiter;
            this.bytes = bytes;
        }

        /** {@code --current 'cur.csv'}, as messages name the file. */
        String named() {
            return option + " " + Names.quote(file.toString());
        }

        String name() {
            return Inputs.displayName(file);
        }

        InputStream open(Progress.Task task) throws IOException {
            InputStream in = Files.newInputStream(file);
            return task == null ? in : new ProgressInputStream(in, task);
        }
    }

    private CsvInput input(String option, Path file) {
        Inputs.readable(option, file);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(option + " " + Names.quote(file.toString()) + " is not a regular file");
        }
        char d = Inputs.csvDelimiter(file, delimiter);
        try {
            DatasetSource.requireDelimiter(d);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--delimiter: " + e.getMessage());
        }
        return new CsvInput(option, file, d, Inputs.size(file));
    }

    /** Both header rows, then the analysis' checks on the names: a mismatch costs two lines of reading. */
    private static void checkColumns(DriftAnalysis a, CsvInput ref, CsvInput cur) {
        List<String> refColumns = header(ref);
        List<String> curColumns = header(cur);
        try {
            a.checkColumns(refColumns, curColumns);
        } catch (ValidationException e) {
            throw new BadInputException(ref.named() + " and " + cur.named() + ": " + e.getMessage()
                    + " (--column COL, repeatable)");
        }
    }

    private static List<String> header(CsvInput in) {
        try (InputStream s = in.open(null)) {
            return Frames.readHeader(s, in.delimiter, in.name());
        } catch (ValidationException e) {
            throw new BadInputException(in.named() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException(in.named() + ": cannot read " + in.name() + ": " + e.getMessage());
        }
    }

    /**
     * The reference's numeric columns that the current data must match, each with the reason its
     * first non-number gives: the compared ones, not made categorical.
     */
    private Map<String, String> numericInReference(CsvInput ref) {
        Map<String, String> numeric = new LinkedHashMap<>();
        for (Field f : ref.summary.schema().fields()) {
            boolean compared = columns.isEmpty() || columns.contains(f.name());
            if (f.type().isNumeric() && compared && !categorical.contains(f.name())) {
                numeric.put(f.name(), "it is " + f.type() + " in " + ref.named() + " (compare it as categories with"
                        + " --categorical " + f.name() + ")");
            }
        }
        return numeric;
    }

    /** The type pass over one file, keeping no value. */
    private static CsvSummary summarize(CsvInput in, Map<String, String> numeric, Progress progress) {
        try (Progress.Task task = progress.enabled() ? progress.bytes(pass(in, 1), in.bytes) : null;
             InputStream s = in.open(task)) {
            CsvSummary summary = Frames.summarizeCsv(s, in.delimiter, in.name(), numeric);
            if (task != null) {
                task.done(pass(in, 1) + "  " + Text.bytes(Math.max(0, in.bytes)) + ", " + Progress.count(summary.rowCount())
                        + " rows");
            }
            return summary;
        } catch (ValidationException | StorageException e) {
            throw new BadInputException(in.named() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException(in.named() + ": cannot read " + in.name() + ": " + e.getMessage());
        }
    }

    private static String pass(CsvInput in, int pass) {
        return "reading " + in.name() + (pass == 1 ? " (pass 1 of 2: types)" : " (pass 2 of 2: values)");
    }

    /**
     * The analysis' checks on both schemas, naming both files. A column without any value on one
     * side (a header-only file, all missing) takes the other side's type first: it has nothing
     * that could contradict it, and the analysis then reports it without a verdict.
     *
     * @return the columns to compare
     */
    private static List<String> checkSchemas(DriftAnalysis a, CsvInput ref, CsvInput cur) {
        ref.schema = adopt(ref.summary, cur.summary);
        cur.schema = adopt(cur.summary, ref.summary);
        try {
            return a.check(ref.schema, cur.schema);
        } catch (ValidationException e) {
            throw new BadInputException(ref.named() + " and " + cur.named() + ": " + e.getMessage());
        }
    }

    /** {@code side}'s schema, each column without values typed as in {@code other} (if it has values there). */
    private static Schema adopt(CsvSummary side, CsvSummary other) {
        List<Field> fields = new ArrayList<>();
        for (Field f : side.schema().fields()) {
            Optional<Field> there = other.schema().field(f.name());
            boolean adopt = side.columnsWithoutValues().contains(f.name()) && there.isPresent()
                    && !other.columnsWithoutValues().contains(f.name());
            fields.add(adopt ? new Field(f.name(), there.get().type()) : f);
        }
        return new Schema(fields);
    }

    /** The values pass: only the compared columns, text with at most {@code maxCategories} values each. */
    private static Frame read(CsvInput in, List<String> compared, int maxCategories, Progress progress) {
        List<Field> fields = compared.stream().map(c -> in.schema.field(c).orElseThrow()).toList();
        try (Progress.Task task = progress.enabled() ? progress.bytes(pass(in, 2), in.bytes) : null;
             InputStream s = in.open(task)) {
            Frame frame = Frames.readCsv(s, in.delimiter, in.name(), Frame.builder(new Schema(fields))
                    .expectedRows(in.summary.rowCount()).maxCategories(maxCategories));
            if (task != null) {
                task.done("reading " + in.name() + "  " + Text.bytes(Math.max(0, in.bytes)) + ", "
                        + Progress.count(frame.rowCount()) + " rows");
            }
            return frame;
        } catch (ValidationException | StorageException e) {
            throw new BadInputException(in.named() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException(in.named() + ": cannot read " + in.name() + ": " + e.getMessage());
        }
    }

    /**
     * The one-line error for an exhausted heap: the data's size, the heap's limit, what the
     * comparison needs (the frames: 8 bytes a number, 4 a text cell; one sorted copy of a column
     * per thread; a constant) and an {@code -Xmx} to try, at least twice the current limit.
     */
    private static String outOfMemory(CsvInput ref, CsvInput cur, int threads) {
        long max = Runtime.getRuntime().maxMemory();
        StringBuilder sb = new StringBuilder("out of memory comparing ");
        sb.append(describe(ref)).append(" with ").append(describe(cur));
        long need = 0;
        if (ref.schema != null && cur.schema != null && ref.compared != null) {
            long rows = ref.summary.rowCount() + cur.summary.rowCount();
            int numeric = 0;
            for (String c : ref.compared) {
                if (ref.schema.field(c).orElseThrow().type().isNumeric()) {
                    numeric++;
                }
            }
            int text = ref.compared.size() - numeric;
            sb.append(String.format(Locale.ROOT, ", %,d columns compared (%d numeric)", ref.compared.size(), numeric));
            need = rows * numeric * 8L + rows * text * 4L + Math.min(threads, Math.max(numeric, 1)) * rows * 8L
                    + (48L << 20);
        } else {
            // not yet typed: assume numbers of about 8 bytes of CSV each, as doubles and copies
            need = 2 * (Math.max(0, ref.bytes) + Math.max(0, cur.bytes)) + (48L << 20);
        }
        long suggest = roundUp(Math.max(need, 2 * max));
        sb.append(String.format(Locale.ROOT, ": the Java heap limit is %s, about %s is needed; run java with a larger"
                + " heap, e.g. java -Xmx%s -jar mlops-cli.jar ... (or JAVA_TOOL_OPTIONS=-Xmx%s)",
                mib(max), mib(need), xmx(suggest), xmx(suggest)));
        return sb.toString();
    }

    private static String describe(CsvInput in) {
        String rows = in.summary == null ? "" : String.format(Locale.ROOT, ", %,d rows", in.summary.rowCount());
        return in.named() + " (" + Text.bytes(Math.max(0, in.bytes)) + rows + ")";
    }

    /** Up to the next 256 MiB. */
    private static long roundUp(long bytes) {
        long step = 256L << 20;
        return (bytes + step - 1) / step * step;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }

    private static String xmx(long bytes) {
        return bytes % (1L << 30) == 0 ? (bytes >> 30) + "g" : (bytes >> 20) + "m";
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
}
