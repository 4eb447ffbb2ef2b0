package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.registry.tck.process.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops drift} and {@code mlops report} on input that is large, mismatched or empty:
 * mismatches refused before the data is read, columns without values reported as such, an id
 * column left out with a reason, the memory of a big comparison bounded by the size of its
 * numbers (a child JVM with a small heap), and running out of memory told in one line.
 */
@DisplayName("mlops drift on large, mismatched and empty input")
class DriftLargeInputTest {
    @TempDir
    static Path tmp;

    private final CliRunner cli = new CliRunner(null);

    private static Path file(String name, String... lines) throws IOException {
        return Files.write(tmp.resolve(name), List.of(lines));
    }

    private CliRunner.Result drift(Path ref, Path cur, String... extra) {
        List<String> args = new ArrayList<>(List.of("drift", "--reference", ref.toString(), "--current", cur.toString()));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    @Nested
    @DisplayName("a mismatch is refused before the data is read")
    class FailFast {
        @Test
        @DisplayName("different columns: exit 2 naming the columns and both files, from the header rows alone")
        void headers() throws IOException {
            // line 3 of the reference is malformed: reading its data would fail there instead
            Path ref = file("h-ref.csv", "ts,temp,humidity", "1,2.5,0.5", "2,\"never closed", "3,1,1");
            Path cur = file("h-cur.csv", "ts,temp,humid", "1,2.5,0.5");
            CliRunner.Result r = drift(ref, cur);
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("mlops: --reference '" + ref + "' and --current '" + cur + "': the reference and"
                    + " the current data have different columns (only in the reference: 'humidity'; only in the current"
                    + " data: 'humid'); name the columns to compare to ignore the others (--column COL, repeatable)\n");
            // with --column the others may differ, and then the reference's data is read (and is malformed)
            CliRunner.Result named = drift(ref, cur, "--column", "temp");
            assertThat(named.err()).contains("never closed");
        }

        @Test
        @DisplayName("text in a column numeric in the reference: exit 2 at that line, naming the column and both files")
        void firstNonNumber() throws IOException {
            Path ref = file("t-ref.csv", "ts,price,weather", "1,2.5,sun", "2,3.5,rain");
            // line 3 contradicts the reference; line 5 is malformed, so a full read would fail there
            Path cur = file("t-cur.csv", "ts,price,weather", "1,2.5,sun", "2,unknown,rain", "3,1.0,fog", "4,5");
            CliRunner.Result r = drift(ref, cur);
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("mlops: --current '" + cur + "': t-cur.csv line 3 column 'price': 'unknown' is"
                    + " not a number, but it is DOUBLE in --reference '" + ref + "' (compare it as categories with"
                    + " --categorical price)\n");
        }

        @Test
        @DisplayName("text in the reference where the current data has numbers: exit 2 naming the column and both files")
        void textInReference() throws IOException {
            Path ref = file("x-ref.csv", "code,price", "a1,2.5", "b2,3.5");
            Path cur = file("x-cur.csv", "code,price", "1,2.5", "2,3.5");
            CliRunner.Result r = drift(ref, cur);
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).startsWith("mlops: --reference '" + ref + "' and --current '" + cur + "': column 'code' is"
                    + " STRING in the reference but INTEGER in the current data");
            assertThat(drift(ref, cur, "--categorical", "code").exitCode()).isZero();
        }
    }

    @Nested
    @DisplayName("a column without values in the current data is not a type mismatch")
    class NoValues {
        @Test
        @DisplayName("header only: every column 'has no rows', no verdict, exit 0")
        void headerOnly() throws IOException {
            Path ref = file("e-ref.csv", "temp,weather", "1.5,sun", "2.5,rain");
            Path cur = file("e-cur.csv", "temp,weather");
            CliRunner.Result r = drift(ref, cur);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).doesNotContain("STRING").contains("note: temp: no verdict: the current data has no rows")
                    .contains("note: weather: no verdict: the current data has no rows")
                    .contains("dataset drift: no (0 of 0 columns drifted");
        }

        @Test
        @DisplayName("all NaN: 'only missing values' for that column, the others compared as usual")
        void allMissing() throws IOException {
            Path ref = file("n-ref.csv", "temp,wind", "1.5,3", "2.5,4", "3.5,5");
            Path cur = file("n-cur.csv", "temp,wind", "NaN,3", ",4", "NA,5");
            CliRunner.Result r = drift(ref, cur, "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode temp = column(r.json(), "temp");
            assertThat(temp.get("type").asText()).isEqualTo("numerical");
            assertThat(temp.get("statistic").isNull()).isTrue();
            assertThat(temp.get("note").asText()).isEqualTo("no verdict: the current data has only missing values (3 of 3)");
            assertThat(temp.get("missing_share_current").asDouble()).isEqualTo(1.0);
            assertThat(column(r.json(), "wind").get("statistic").isNull()).isFalse();
        }
    }

    private static JsonNode column(JsonNode report, String name) {
        for (JsonNode c : report.get("columns")) {
            if (c.get("column").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no column " + name + " in " + report);
    }

    @Nested
    @DisplayName("a column with more distinct values than --max-categories")
    class Ids {
        @Test
        @DisplayName("is reported without a verdict and with the reason; the other columns are unchanged")
        void idColumn() {
            Path ref = BigCsv.write(tmp.resolve("id-ref.csv"), 300, 1);
            Path cur = BigCsv.write(tmp.resolve("id-cur.csv"), 200, 2);
            CliRunner.Result r = drift(ref, cur, "--json", "--max-categories", "100");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode id = column(r.json(), "id");
            assertThat(id.get("statistic").isNull()).isTrue();
            assertThat(id.get("drifted").asBoolean()).isFalse();
            assertThat(id.get("note").asText()).isEqualTo("no verdict: the reference has more than 100 and the current"
                    + " data has more than 100 distinct values, too many to compare as categories (an identifier or free"
                    + " text?); the limit is maxCategories (mlops: --max-categories)");
            CliRunner.Result without = drift(ref, cur, "--json", "--column", "ts", "--column", "temp", "--column", "humidity",
                    "--column", "wind", "--column", "price", "--column", "weather");
            for (String c : List.of("ts", "temp", "humidity", "wind", "price", "weather")) {
                assertThat(CliRunner.withoutCreatedAt(column(r.json(), c)))
                        .isEqualTo(CliRunner.withoutCreatedAt(column(without.json(), c)));
            }
            CliRunner.Result table = drift(ref, cur, "--max-categories", "100");
            assertThat(table.out()).contains("note: id: no verdict: the reference has more than 100");
        }

        @Test
        @DisplayName("--max-categories must be a positive count")
        void badLimit() {
            Path ref = BigCsv.write(tmp.resolve("l-ref.csv"), 10, 1);
            CliRunner.Result r = drift(ref, ref, "--max-categories", "0");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).startsWith("mlops: --max-categories must be 1 to ");
        }
    }

    @Test
    @DisplayName("a delimiter that cannot separate fields is refused naming it, exit 2")
    void badDelimiter() throws IOException {
        Path ref = file("d-ref.csv", "a,b", "1,2");
        CliRunner.Result r = drift(ref, ref, "--delimiter", "a");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("mlops: --delimiter: CSV delimiter 'a' (U+0061) cannot separate fields");
    }

    @Nested
    @DisplayName("memory, in a child JVM with a fixed heap (bounded by size, not time)")
    class Memory {
        /** Rows of the current file; the reference has a tenth. */
        static final int ROWS = 400_000;

        static Path reference;
        static Path current;

        @BeforeAll
        static void files() {
            reference = BigCsv.write(tmp.resolve("mem-ref.csv"), ROWS / 10, 1);
            current = BigCsv.write(tmp.resolve("mem-cur.csv"), ROWS, 2);
        }

        /** The numbers of both files as doubles. */
        static long numericBytes() {
            return (ROWS + ROWS / 10L) * BigCsv.NUMERIC_COLUMNS * 8L;
        }

        record ChildResult(int exitCode, List<String> stdout, List<String> stderr) {
        }

        private ChildResult run(String heap, String name) throws Exception {
            ChildJvm child = ChildJvm.start(MlopsCommand.class, heap, tmp.resolve(name + ".err"), "drift", "--reference",
                    reference.toString(), "--current", current.toString(), "--parallelism", "2");
            int exit = child.awaitExit(600_000);
            return new ChildResult(exit, child.lines(), Files.readAllLines(child.stderr()));
        }

        @Test
        @DisplayName("a comparison with a unique-id column fits in twice its numbers as doubles plus 32 MiB")
        void boundedByTheNumbers() throws Exception {
            long heap = 2 * numericBytes() + (32L << 20);
            ChildResult r = run((heap >> 20) + "m", "bounded");
            assertThat(r.exitCode()).as(String.join("\n", r.stderr())).isZero();
            assertThat(r.stdout()).anySatisfy(l -> assertThat(l).startsWith("dataset drift: "));
            assertThat(r.stdout()).anySatisfy(l -> assertThat(l).startsWith("note: id: no verdict: the reference has more"
                    + " than 10,000 and the current data has more than 10,000 distinct values"));
        }

        @Test
        @DisplayName("out of memory: one line naming the data and an -Xmx to try, exit 1, no stack trace")
        void outOfMemory() throws Exception {
            long heap = numericBytes() / 2;
            ChildResult r = run((heap >> 20) + "m", "oom");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderr()).hasSize(1);
            assertThat(r.stderr().get(0)).startsWith("mlops: out of memory comparing --reference '" + reference + "' (")
                    .contains("40,000 rows").contains("400,000 rows").contains("the Java heap limit is ")
                    .containsPattern("run java with a larger heap, e\\.g\\. java -Xmx[0-9]+[mg] -jar mlops-cli\\.jar");
        }
    }
}
