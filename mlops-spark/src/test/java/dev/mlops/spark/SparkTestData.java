package dev.mlops.spark;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
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

/**
 * The same rows as a frame (the in-process path) and as a Spark dataset: x normal (and some ±0.0), y normal with
 * missing values, k whole numbers 0..4 (value bins), z with ±Infinity, s categories with
 * missing values.
 */
record SparkTestData(Frame frame, List<Row> rows) {

    static final StructType STRUCT = new StructType(new StructField[] {
        DataTypes.createStructField("x", DataTypes.DoubleType, true),
        DataTypes.createStructField("y", DataTypes.DoubleType, true),
        DataTypes.createStructField("k", DataTypes.IntegerType, true),
        DataTypes.createStructField("z", DataTypes.DoubleType, true),
        DataTypes.createStructField("s", DataTypes.StringType, true)});
    static final Schema SCHEMA = Schema.of(new Field("x", FieldType.DOUBLE), new Field("y", FieldType.DOUBLE),
            new Field("k", FieldType.INTEGER), new Field("z", FieldType.DOUBLE), new Field("s", FieldType.STRING));
    static final String[] CATEGORIES = {"rain", "sun", "fog", "snow", "drizzle", "hail"};

    /**
     * @param shift added to x, and (shift > 0) moves s towards later categories
     */
    static SparkTestData of(int n, long seed, double shift) {
        Random r = new Random(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        double[] k = new double[n];
        double[] z = new double[n];
        String[] s = new String[n];
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian() * 3 + 10 + shift;
            if (i % 500 == 7 || i % 500 == 9) { // -0.0 and 0.0 are one distinct value on both paths
                x[i] = i % 500 == 7 ? -0.0 : 0.0;
            }
            y[i] = r.nextInt(20) == 0 ? Double.NaN : r.nextGaussian() * 1e-3 - 5;
            k[i] = r.nextInt(5);
            z[i] = i % 997 == 3 ? Double.POSITIVE_INFINITY : i % 991 == 5 ? Double.NEGATIVE_INFINITY : r.nextDouble() * 100;
            int c = Math.min(CATEGORIES.length - 1, (int) Math.abs(r.nextGaussian() * 1.5 + (shift > 0 ? 2 : 0)));
            s[i] = r.nextInt(30) == 0 ? null : CATEGORIES[c];
            rows.add(RowFactory.create(x[i], Double.isNaN(y[i]) ? null : y[i], (int) k[i], z[i], s[i]));
        }
        return new SparkTestData(Frame.ofColumns(SCHEMA, List.of(x, y, k, z, s)), rows);
    }

    Dataset<Row> dataset(SparkSession spark, int partitions) {
        return spark.createDataFrame(rows, STRUCT).repartition(partitions);
    }

    static SparkSession session() {
        return SparkSession.builder().master("local[2]").appName("mlops-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                // nothing written beside the sources (CI checks the checkout stays clean)
                .config("spark.sql.warehouse.dir", "target/spark-warehouse")
                .getOrCreate();
    }
}
