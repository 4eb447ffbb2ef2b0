package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.ConstraintResult;
import dev.mlops.api.quality.ValidationResult;
import dev.mlops.api.quality.ValidationSuite;
import dev.mlops.api.quality.Verdict;
import dev.mlops.quality.DataValidation;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Data validation on Spark local[2] against DataValidation.validate on a frame of the same rows. */
class SparkValidationTest {
    // hostile names: dots, backticks, quotes, brackets, spaces and non-ASCII, which Spark parses if not quoted
    static final String ID = "id.with `ticks` and 'quotes'";
    static final String X = "x.y";
    static final String K = "k[0]";
    static final String S = "categorie s ü";
    static final String[] CATEGORIES = {"rain", "sun", "fog", "snow"};

    static final StructType STRUCT = new StructType(new StructField[] {
        DataTypes.createStructField(ID, DataTypes.StringType, true),
        DataTypes.createStructField(X, DataTypes.DoubleType, true),
        DataTypes.createStructField(K, DataTypes.IntegerType, true),
        DataTypes.createStructField("big", DataTypes.LongType, true),
        DataTypes.createStructField("z", DataTypes.DoubleType, true),
        DataTypes.createStructField(S, DataTypes.StringType, true),
        DataTypes.createStructField("b", DataTypes.BooleanType, true),
        DataTypes.createStructField("n", DataTypes.DoubleType, true)});
    static final Schema SCHEMA = Schema.of(new Field(ID, FieldType.STRING), new Field(X, FieldType.DOUBLE),
            new Field(K, FieldType.INTEGER), new Field("big", FieldType.INTEGER), new Field("z", FieldType.DOUBLE),
            new Field(S, FieldType.STRING), new Field("b", FieldType.BOOLEAN), new Field("n", FieldType.DOUBLE));

    /** Every constraint kind the module supports, passing on clean data. */
    static final ValidationSuite PASSING = ValidationSuite.builder("passing")
            .hasType(K, FieldType.INTEGER).hasType("b", FieldType.BOOLEAN).hasType(S, FieldType.STRING)
            .completeness(X, 0.8).completeness(ID, 0.9).isComplete(K)
            .nonNegative(K).between(K, 0, 4).between(X, -5, 30).min("big", 0)
            .containedIn(S, List.of(CATEGORIES)).containedIn(K, List.of("0", "1", "2", "3", "4"))
            .containedIn("b", List.of("true", "false"))
            .isUnique(ID)
            .matches(ID, "^id-\\d+$").matches(S, "[aeiou]", 0.5)
            .mean(X, 5, 15).standardDeviation(X, 1, 5).mean("big", 0, 1e20).standardDeviation("big", 0, 1e20)
            .rowCount(1, 1_000_000)
            .build();

    /** More constraints, several of which fail on any data: NaN observations, missing columns, wrong types. */
    static final ValidationSuite MIXED = PASSING.toBuilder().name("mixed")
            .hasType(X, FieldType.INTEGER).uniqueness(X, 0.9).uniqueness("big", 0.5).uniqueness(K, 0.5).uniqueness(S, 0.0)
            .matches(X, ".").min("nope", 0).completeness("n", 0.5).mean("n", 0, 1).standardDeviation("n", 0, 1)
            .containedIn("n", List.of("1")).isUnique("n")
            .mean("z", 0, 100).standardDeviation("z", 0, 100).max("z", 100).nonNegative("z")
            .containedIn(X, List.of("0", "10")).nonNegative(S).completeness("z", 1.0)
            .build();

    private static SparkSession spark;
    private static Data clean;
    private static Data damaged;

    @BeforeAll
    static void start() {
        spark = SparkTestData.session();
        clean = Data.of(1500, 3, false);
        damaged = Data.of(1500, 4, true);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The same rows as a frame and as Spark rows. */
    record Data(Frame frame, List<Row> rows) {
        static Data of(int n, long seed, boolean damaged) {
            Random r = new Random(seed);
            String[] id = new String[n];
            double[] x = new double[n];
            double[] k = new double[n];
            double[] big = new double[n];
            double[] z = new double[n];
            String[] s = new String[n];
            String[] b = new String[n];
            double[] nothing = new double[n];
            List<Row> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                id[i] = r.nextInt(40) == 0 ? null : (damaged && i % 100 == 3 ? "id-" + (i - 1) : damaged && i % 97 == 0 ? "ID" + i : "id-" + i);
                boolean nullX = r.nextInt(30) == 0;
                boolean nanX = r.nextInt(30) == 0;
                x[i] = nullX || nanX ? Double.NaN : r.nextGaussian() * 3 + 10 - (damaged ? 6 : 0);
                if (i % 300 == 7 || i % 300 == 9) { // -0.0 and 0.0: one value on both paths
                    x[i] = i % 300 == 7 ? -0.0 : 0.0;
                }
                k[i] = damaged && i % 250 == 1 ? -1 : r.nextInt(5);
                long bigValue = (1L << 55) + i * 3L; // distinct longs, some of which one double holds
                big[i] = bigValue;
                z[i] = i % 700 == 3 ? Double.POSITIVE_INFINITY : i % 691 == 5 ? Double.NEGATIVE_INFINITY
                        : r.nextDouble() * 1e-3 * Math.pow(10, r.nextInt(12));
                s[i] = r.nextInt(25) == 0 ? null : damaged && i % 50 == 0 ? "hail" + (i % 7) : CATEGORIES[r.nextInt(CATEGORIES.length)];
                b[i] = String.valueOf(r.nextBoolean());
                nothing[i] = Double.NaN;
                rows.add(RowFactory.create(id[i], nullX ? null : x[i], (int) k[i], bigValue, z[i], s[i],
                        Boolean.valueOf(b[i]), null));
            }
            return new Data(Frame.ofColumns(SCHEMA, List.of(id, x, k, big, z, s, b, nothing)), rows);
        }

        Dataset<Row> dataset(int partitions) {
            return spark.createDataFrame(rows, STRUCT).repartition(partitions);
        }
    }

    static void assertSame(ValidationResult fromSpark, ValidationResult inProcess) {
        assertThat(fromSpark.rows()).isEqualTo(inProcess.rows());
        assertThat(fromSpark.results()).hasSameSizeAs(inProcess.results());
        for (int i = 0; i < inProcess.results().size(); i++) {
            ConstraintResult e = inProcess.results().get(i);
            ConstraintResult a = fromSpark.results().get(i);
            assertThat(a.name()).isEqualTo(e.name());
            assertThat(a.verdict()).as(e.name()).isEqualTo(e.verdict());
            assertThat(Double.doubleToRawLongBits(a.observed())).as("%s: %s vs %s", e.name(), a.observed(), e.observed())
                    .isEqualTo(Double.doubleToRawLongBits(e.observed()));
            assertThat(a.message()).as(e.name()).isEqualTo(e.message());
        }
        assertThat(fromSpark).isEqualTo(inProcess);
    }

    @Test
    void passingDataGivesTheInProcessResultOverOneAndSevenPartitions() {
        ValidationResult inProcess = DataValidation.validate(PASSING, clean.frame());
        assertThat(inProcess.violations()).isEmpty();
        for (int partitions : new int[] {1, 7}) {
            assertSame(SparkValidation.validate(PASSING, clean.dataset(partitions)), inProcess);
        }
    }

    @Test
    void failingDataGivesTheInProcessResultsAndMessagesOverOneAndSevenPartitions() {
        ValidationResult inProcess = DataValidation.validate(MIXED, damaged.frame());
        // the damage fails every kind: range, category, uniqueness, pattern, mean, type, missing column, no values
        assertThat(inProcess.violations()).extracting(ConstraintResult::name).contains("min(" + K + ")",
                "non_negative(" + K + ")", "contained_in(" + S + ")", "contained_in(" + K + ")", "uniqueness(" + ID + ")",
                "pattern(" + ID + ")", "mean(" + X + ")", "type(" + X + ")", "min(nope)", "mean(n)", "uniqueness(n)",
                "stddev(z)", "max(z)", "uniqueness(big)", "contained_in(" + X + ")", "non_negative(" + S + ")", "pattern(" + X + ")");
        assertThat(inProcess.result("contained_in(" + S + ")").orElseThrow().message()).contains("such as ['hail0'");
        for (int partitions : new int[] {1, 7}) {
            assertSame(SparkValidation.validate(MIXED, damaged.dataset(partitions)), inProcess);
        }
        ValidationResult cleanMixed = DataValidation.validate(MIXED, clean.frame());
        assertSame(SparkValidation.validate(MIXED, clean.dataset(7)), cleanMixed);
    }

    @Test
    void anEmptyDatasetFailsEveryValueConstraintAsInProcess() {
        Data none = new Data(clean.frame().slice(0, 0), List.of());
        ValidationResult inProcess = DataValidation.validate(MIXED, none.frame());
        assertThat(inProcess.rows()).isZero();
        assertThat(inProcess.result("completeness(" + X + ")").orElseThrow().verdict()).isEqualTo(Verdict.FAIL);
        assertSame(SparkValidation.validate(MIXED, none.dataset(3)), inProcess);
    }

    @Test
    void aCustomPredicateIsRefusedNamingItBeforeAnyJob() {
        ValidationSuite suite = PASSING.toBuilder().customNumber("small", X, v -> v < 3).build();
        assertThatThrownBy(() -> SparkValidation.validate(suite, clean.dataset(1)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("constraint 'small' on column 'x.y' is a custom predicate")
                .hasMessageContaining("first error depends on row order");
    }

    @Test
    void aConstrainedColumnOfAnUnreadTypeIsRefusedByNameAndOthersAreIgnored() {
        StructType withTime = STRUCT.add(DataTypes.createStructField("at", DataTypes.TimestampType, true));
        List<Row> rows = clean.rows().stream().limit(10).map(r -> {
            Object[] cells = new Object[r.size() + 1];
            for (int i = 0; i < r.size(); i++) {
                cells[i] = r.get(i);
            }
            cells[r.size()] = new Timestamp(0);
            return RowFactory.create(cells);
        }).toList();
        Dataset<Row> data = spark.createDataFrame(rows, withTime);
        ValidationResult r = SparkValidation.validate(ValidationSuite.builder("t").rowCount(10, 10).isComplete(K).build(), data);
        assertThat(r.passed()).isTrue();
        assertThatThrownBy(() -> SparkValidation.validate(ValidationSuite.builder("t").isComplete("at").build(), data))
                .isInstanceOf(ValidationException.class).hasMessageContaining("column 'at' has Spark type timestamp");
    }
}
