package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
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

/** The exact distinct count on Spark equals the in-process count (sorted, a value != the one before). */
class DistinctCountingTest {
    private static final StructType STRUCT = new StructType(new StructField[] {
        DataTypes.createStructField("ties", DataTypes.DoubleType, true),
        DataTypes.createStructField("wide", DataTypes.DoubleType, true),
        DataTypes.createStructField("whole", DataTypes.LongType, true)});

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestData.session();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void theCountEqualsTheInProcessCountWhateverTheChunksBucketsAndPartitions() {
        Random r = new Random(5);
        int n = 3000;
        double[][] columns = new double[3][n];
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // few values repeated across partitions, with -0.0 and 0.0 (one value), infinities and missing
            double ties = switch (r.nextInt(12)) {
                case 0 -> -0.0;
                case 1 -> 0.0;
                case 2 -> Double.POSITIVE_INFINITY;
                case 3 -> Double.NEGATIVE_INFINITY;
                case 4 -> Double.NaN;
                default -> r.nextInt(150) * 0.5 - 30;
            };
            double wide = i % 50 == 0 ? Double.NaN : r.nextGaussian() * 1e6;
            long whole = r.nextInt(2000) - 1000L;
            columns[0][i] = ties;
            columns[1][i] = wide;
            columns[2][i] = whole;
            rows.add(RowFactory.create(Double.isNaN(ties) && i % 2 == 0 ? null : ties, Double.isNaN(wide) ? null : wide,
                    i % 77 == 0 ? null : whole));
            if (i % 77 == 0) {
                columns[2][i] = Double.NaN;
            }
        }
        long[] expected = Arrays.stream(columns).mapToLong(DistinctCountingTest::inProcessDistinct).toArray();
        assertThat(expected[0]).isLessThan(160);
        assertThat(expected[1]).isGreaterThan(2900);

        Dataset<Row> data = spark.createDataFrame(rows, STRUCT).repartition(7);
        double[][] noCuts = {{}, {}, {}};
        double[][] someCuts = {{-10, 0.0, 7.25}, {-1e6, 0, 3e5}, {-0.5, 400, 401}};
        double[][] infiniteCuts = {{Double.NEGATIVE_INFINITY, -0.0, Double.POSITIVE_INFINITY}, {-1e300, 1e300, 2e300},
            {Double.NEGATIVE_INFINITY, 0, Double.MAX_VALUE}};
        // each job a Spark job of its own: three pairings of cuts and chunk sizes, not all nine
        List<double[][]> cutSets = List.of(noCuts, someCuts, infiniteCuts);
        int[] chunks = {3, 97, DistinctCounting.DEFAULT_CHUNK_VALUES};
        for (int i = 0; i < chunks.length; i++) {
            assertThat(DistinctCounting.count(data, List.of("ties", "wide", "whole"), cutSets.get(i), 4, chunks[i]))
                    .as("chunk " + chunks[i]).containsExactly(expected);
        }
        // one column alone, one bucket
        assertThat(DistinctCounting.count(data, List.of("whole"), new double[][] {{}}, 1, 10)).containsExactly(expected[2]);
    }

    @Test
    void keysKeepTheOrderOfTheValuesAndTheCodecRoundTrips() {
        double[] ordered = {Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1.5, -Double.MIN_VALUE, 0.0, Double.MIN_VALUE,
            1.0, Math.nextUp(1.0), Double.MAX_VALUE, Double.POSITIVE_INFINITY};
        long[] keys = Arrays.stream(ordered).mapToLong(DistinctCounting::key).toArray();
        for (int i = 1; i < keys.length; i++) {
            assertThat(keys[i]).as(ordered[i] + " after " + ordered[i - 1]).isGreaterThan(keys[i - 1]);
        }
        assertThat(DistinctCounting.key(-0.0)).isEqualTo(DistinctCounting.key(0.0));
        assertThat(DistinctCounting.decode(DistinctCounting.encode(keys, 0, keys.length))).containsExactly(keys);
        assertThat(DistinctCounting.decode(DistinctCounting.encode(keys, 3, 7))).containsExactly(Arrays.copyOfRange(keys, 3, 7));
        assertThat(DistinctCounting.union(new long[] {keys[0], keys[2], keys[4], keys[9]}, new long[] {keys[1], keys[2], keys[3], keys[9]}))
                .containsExactly(keys[0], keys[1], keys[2], keys[3], keys[4], keys[9]);
        byte[] odd = DistinctCounting.encode(new long[] {keys[0], keys[2], keys[4], keys[9]}, 0, 4);
        byte[] even = DistinctCounting.encode(new long[] {keys[1], keys[2], keys[3], keys[9]}, 0, 4);
        byte[] last = DistinctCounting.encode(new long[] {keys[8]}, 0, 1);
        assertThat(DistinctCounting.unionSize(List.of(odd, even, last))).isEqualTo(7);
        assertThat(DistinctCounting.unionSize(List.of())).isZero();
    }

    private static long inProcessDistinct(double[] column) {
        double[] sorted = Arrays.stream(column).filter(v -> !Double.isNaN(v)).sorted().toArray();
        long distinct = sorted.length == 0 ? 0 : 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[i - 1]) {
                distinct++;
            }
        }
        return distinct;
    }
}
