package dev.mlops.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.NewDatasetVersion;
import dev.mlops.api.Schema;
import dev.mlops.api.StorageException;
import dev.mlops.api.ValidationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Frames.readCsv")
class FramesTest {
    @TempDir
    Path tmp;

    private Path resource(String name) throws IOException {
        Path p = tmp.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/datasets/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    private static Frame read(String text) {
        return Frames.readCsv(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ',', "test.csv");
    }

    @Nested
    @DisplayName("real datasets")
    class RealData {
        @Test
        @DisplayName("Seattle weather: 1,461 rows, the catalog's schema, ISO dates, parsed numbers")
        void seattleWeather() throws IOException {
            Path file = resource("seattle-weather.csv");
            Frame f = Frames.readCsv(file);
            assertThat(f.rowCount()).isEqualTo(1461);
            assertThat(f.schema().fields()).extracting(x -> x.name() + ":" + x.type()).containsExactly(
                    "date:DATE", "precipitation:DOUBLE", "temp_max:DOUBLE", "temp_min:DOUBLE", "wind:DOUBLE",
                    "weather:STRING");
            assertThat(f.strings("date")[0]).isEqualTo("2012-01-01");
            assertThat(f.strings("date")[1460]).isEqualTo("2015-12-31");
            assertThat(f.numeric("precipitation")[1]).isEqualTo(10.9);
            assertThat(f.numeric("temp_max")[0]).isEqualTo(12.8);
            assertThat(new HashSet<>(Arrays.asList(f.strings("weather"))))
                    .containsExactlyInAnyOrder("drizzle", "rain", "sun", "snow", "fog");
            for (Field field : f.schema().fields()) {
                assertThat(f.missing(field.name())).as(field.name()).isZero();
            }
            double mean = Arrays.stream(f.numeric("temp_max")).average().orElseThrow();
            assertThat(mean).isCloseTo(16.44, within(0.01));
        }

        @Test
        @DisplayName("German credit: integer and categorical columns, values with '<' and '/' kept as written")
        void germanCredit() throws IOException {
            Frame f = Frames.readCsv(resource("german-credit.csv"));
            assertThat(f.rowCount()).isEqualTo(1000);
            assertThat(f.schema().field("age").orElseThrow().type()).isEqualTo(FieldType.INTEGER);
            assertThat(f.schema().field("credit_amount").orElseThrow().type()).isEqualTo(FieldType.INTEGER);
            assertThat(f.numeric("age")[0]).isEqualTo(67.0);
            assertThat(f.strings("checking_status")[0]).isEqualTo("<0");
            assertThat(f.strings("credit_history")[0]).isEqualTo("critical/other existing credit");
            assertThat(f.strings("class")).containsOnly("good", "bad");
        }

        @Test
        @DisplayName("a path and a stream of the same file give the same frame")
        void streamEqualsPath() throws IOException {
            Path file = resource("seattle-weather.csv");
            Frame fromPath = Frames.readCsv(file, ',');
            Frame fromStream;
            try (InputStream in = Files.newInputStream(file)) {
                fromStream = Frames.readCsv(in, ',', "seattle-weather.csv");
            }
            assertThat(fromStream.schema()).isEqualTo(fromPath.schema());
            for (Field field : fromPath.schema().fields()) {
                if (field.type().isNumeric()) {
                    assertThat(fromStream.numeric(field.name())).isEqualTo(fromPath.numeric(field.name()));
                } else {
                    assertThat(fromStream.strings(field.name())).isEqualTo(fromPath.strings(field.name()));
                }
            }
        }
    }

    @Test
    @DisplayName("inferSchema then readCsv with that schema, over streams, give the frame readCsv(Path) gives")
    void twoPassesOverStreams() throws IOException {
        for (String name : List.of("seattle-weather.csv", "german-credit.csv")) {
            Path file = resource(name);
            Frame fromPath = Frames.readCsv(file, ',');
            Schema schema;
            try (InputStream in = Files.newInputStream(file)) {
                schema = Frames.inferSchema(in, ',', name);
            }
            assertThat(schema).as(name).isEqualTo(fromPath.schema());
            Frame twoPasses;
            try (InputStream in = Files.newInputStream(file)) {
                twoPasses = Frames.readCsv(in, ',', name, schema);
            }
            assertThat(twoPasses.rowCount()).as(name).isEqualTo(fromPath.rowCount());
            for (Field field : schema.fields()) {
                if (field.type().isNumeric()) {
                    assertThat(twoPasses.numeric(field.name())).as(field.name()).isEqualTo(fromPath.numeric(field.name()));
                } else {
                    assertThat(twoPasses.strings(field.name())).as(field.name()).isEqualTo(fromPath.strings(field.name()));
                }
            }
        }
        assertThatThrownBy(() -> Frames.inferSchema(new ByteArrayInputStream(new byte[0]), ',', "empty.csv"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("empty.csv is empty");
    }

    @Nested
    @DisplayName("inference and values")
    class Inference {
        @Test
        @DisplayName("missing markers become NaN or null and are counted; an all-missing column is STRING")
        void missing() {
            Frame f = read("x,label,none\n1.5,a,\nNA,N/A,null\n , NaN ,NA\nnull,b,\n");
            assertThat(f.schema().field("x").orElseThrow().type()).isEqualTo(FieldType.DOUBLE);
            assertThat(f.numeric("x")).containsExactly(1.5, Double.NaN, Double.NaN, Double.NaN);
            assertThat(f.strings("label")).containsExactly("a", null, null, "b");
            assertThat(f.schema().field("none").orElseThrow().type()).isEqualTo(FieldType.STRING);
            assertThat(f.strings("none")).containsOnlyNulls();
            assertThat(f.missing("x")).isEqualTo(3);
            assertThat(f.missing("label")).isEqualTo(2);
            assertThat(f.missing("none")).isEqualTo(4);
        }

        @Test
        @DisplayName("integers, decimals, exponents and pandas' inf are numbers; hex and type suffixes are text")
        void numbers() {
            Frame f = read("i,d,inf,hex,suffix\n1,1.5,inf,0x1p3,1d\n-2,+3e2,-Infinity,1,2\n+3,.5,INF,2,3\n");
            assertThat(f.schema().fields()).extracting(x -> x.name() + ":" + x.type())
                    .containsExactly("i:INTEGER", "d:DOUBLE", "inf:DOUBLE", "hex:STRING", "suffix:STRING");
            assertThat(f.numeric("i")).containsExactly(1.0, -2.0, 3.0);
            assertThat(f.numeric("d")).containsExactly(1.5, 300.0, 0.5);
            assertThat(f.numeric("inf")).containsExactly(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    Double.POSITIVE_INFINITY);
            assertThat(f.strings("hex")).containsExactly("0x1p3", "1", "2");
            assertThat(f.missing("inf")).isZero();
        }

        @Test
        @DisplayName("booleans are stored as true/false, dates as ISO yyyy-MM-dd, strings exactly as written")
        void textTypes() {
            Frame f = read("b,day,s\nTRUE,2015/01/02,\" padded \"\nfalse,2015-01-03,\"a,b\"\"c\"\n");
            assertThat(f.schema().fields()).extracting(Field::type)
                    .containsExactly(FieldType.BOOLEAN, FieldType.DATE, FieldType.STRING);
            assertThat(f.strings("b")).containsExactly("true", "false");
            assertThat(f.strings("day")).containsExactly("2015-01-02", "2015-01-03");
            assertThat(f.strings("s")).containsExactly(" padded ", "a,b\"c");
        }

        @Test
        @DisplayName("quoted line breaks, CRLF, a byte order mark, blank lines and tab-separated files")
        void format() throws IOException {
            Frame f = read("\uFEFFname,n\r\n\"two\nlines\",1\r\n\r\nlast,2\r\n\n");
            assertThat(f.rowCount()).isEqualTo(2);
            assertThat(f.strings("name")).containsExactly("two\nlines", "last");
            Frame tsv = Frames.readCsv(csv("data.tsv", "a\tb\n1\tx,y\n"));
            assertThat(tsv.numeric("a")).containsExactly(1.0);
            assertThat(tsv.strings("b")).containsExactly("x,y");
        }

        @Test
        @DisplayName("a header without rows gives an empty frame with STRING columns")
        void headerOnly() {
            Frame f = read("a,b\n");
            assertThat(f.rowCount()).isZero();
            assertThat(f.schema().fields()).extracting(Field::type).containsOnly(FieldType.STRING);
        }
    }

    @Nested
    @DisplayName("with a given schema")
    class GivenSchema {
        @Test
        @DisplayName("reads the schema's columns in its order, with its types, skipping other columns")
        void forcesTypes() throws IOException {
            Path file = resource("seattle-weather.csv");
            Schema schema = Schema.of(new Field("weather", FieldType.STRING), new Field("wind", FieldType.DOUBLE),
                    new Field("date", FieldType.STRING));
            Frame f = Frames.readCsv(file, schema);
            assertThat(f.schema()).isEqualTo(schema);
            assertThat(f.rowCount()).isEqualTo(1461);
            assertThat(f.strings("date")[0]).isEqualTo("2012/01/01");
            assertThat(f.numeric("wind")[0]).isEqualTo(4.7);
        }

        @Test
        @DisplayName("a number read as STRING keeps its text, so a numeric code can be categorical")
        void numberAsText() {
            Schema schema = Schema.of(new Field("zip", FieldType.STRING));
            Frame f = Frames.readCsv(new ByteArrayInputStream("zip\n02134\n98101\n".getBytes(StandardCharsets.UTF_8)), ',',
                    "zips.csv", schema);
            assertThat(f.strings("zip")).containsExactly("02134", "98101");
        }

        @Test
        @DisplayName("a value that does not fit its type is an error naming the source, line, column and value")
        void badValues() throws IOException {
            Path file = csv("bad.csv", "x,y\n1,2\n3,\"multi\nline\"\nwarm,4\n");
            Schema numeric = Schema.of(new Field("x", FieldType.DOUBLE));
            assertThatThrownBy(() -> Frames.readCsv(file, numeric)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("bad.csv line 5 column 'x'").hasMessageContaining("'warm' is not a number")
                    .hasMessageContaining("DOUBLE");
            Path decimal = csv("dec.csv", "n\n1\n2.5\n");
            assertThatThrownBy(() -> Frames.readCsv(decimal, Schema.of(new Field("n", FieldType.INTEGER))))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("line 3")
                    .hasMessageContaining("'2.5' is not a whole number");
            Path bools = csv("b.csv", "b\ntrue\nyes\n");
            assertThatThrownBy(() -> Frames.readCsv(bools, Schema.of(new Field("b", FieldType.BOOLEAN))))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("'yes' is not true or false");
            Path dates = csv("d.csv", "d\n2015-02-30\n");
            assertThatThrownBy(() -> Frames.readCsv(dates, Schema.of(new Field("d", FieldType.DATE))))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("'2015-02-30' is not a date");
        }

        @Test
        @DisplayName("a schema column missing from the header is an error naming it and the header")
        void missingColumn() throws IOException {
            Path file = csv("a.csv", "a,b\n1,2\n");
            assertThatThrownBy(() -> Frames.readCsv(file, Schema.of(new Field("c", FieldType.DOUBLE))))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("no column 'c'")
                    .hasMessageContaining("'a', 'b'");
        }
    }

    @Nested
    @DisplayName("malformed input")
    class Malformed {
        @Test
        @DisplayName("wrong field count, unclosed quote, bad UTF-8, empty input, duplicate or blank header names")
        void errors() throws IOException {
            assertThatThrownBy(() -> read("a,b\n1,2\n3\n")).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("test.csv line 3 has 1 fields, the header has 2");
            assertThatThrownBy(() -> read("a\n\"open\n")).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("never closed");
            assertThatThrownBy(() -> read("")).isInstanceOf(ValidationException.class).hasMessageContaining("empty");
            assertThatThrownBy(() -> read("a,,b\n1,2,3\n")).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("header column 2 has no name");
            assertThatThrownBy(() -> read("a,a\n1,2\n")).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("'a'");
            byte[] latin1 = "a\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
            assertThatThrownBy(() -> Frames.readCsv(new ByteArrayInputStream(latin1), ',', "latin1.csv"))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("not valid UTF-8");
            Path dup = csv("dup.csv", "a,a\n1,2\n");
            assertThatThrownBy(() -> Frames.readCsv(dup, Schema.of(new Field("a", FieldType.DOUBLE))))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("'a' twice");
        }

        @Test
        @DisplayName("a file that does not exist is a storage error naming it")
        void missingFile() {
            assertThatThrownBy(() -> Frames.readCsv(tmp.resolve("absent.csv"))).isInstanceOf(StorageException.class)
                    .hasMessageContaining("absent.csv");
        }
    }

    @Test
    @DisplayName("the inferred types are the dataset catalog's for every column of a mixed file")
    void sameInferenceAsCatalog() throws IOException {
        String text = "i,d,b,day,s,empty,inf\n1,1.0,true,2015-01-01,x,,inf\n2,NA,False,2015/01/02,1,NA,-1\n";
        CsvSummary summary = CsvSummary.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ',', "t");
        assertThat(read(text).schema()).isEqualTo(summary.schema());
        assertThat(summary.schema().fields()).extracting(Field::type).containsExactly(FieldType.INTEGER, FieldType.DOUBLE,
                FieldType.BOOLEAN, FieldType.DATE, FieldType.STRING, FieldType.STRING, FieldType.DOUBLE);
        assertThat(summary.rowCount()).isEqualTo(2L);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    @DisplayName("summarizeCsv: the type pass on its own")
    class Summary {
        @Test
        @DisplayName("gives rows, schema and the columns without any value (header-only: all of them)")
        void summary() {
            CsvSummary s = Frames.summarizeCsv(stream("a,b,c\n1,NA,x\n2,,\n"), ',', "t.csv", Map.of());
            assertThat(s.rowCount()).isEqualTo(2);
            assertThat(s.schema().fields()).extracting(Field::type)
                    .containsExactly(FieldType.INTEGER, FieldType.STRING, FieldType.STRING);
            assertThat(s.columnsWithoutValues()).containsExactly("b");
            CsvSummary header = Frames.summarizeCsv(stream("a,b\n"), ',', "h.csv", Map.of());
            assertThat(header.rowCount()).isZero();
            assertThat(header.columnsWithoutValues()).containsExactly("a", "b");
        }

        @Test
        @DisplayName("a text value in a column numeric in the reference fails at its line, before the rest is read")
        void numericGuard() {
            // line 3 contradicts; line 4 is malformed: the failure must come from line 3, so the
            // scan stopped there instead of reading the file to its end
            String text = "ts,price,w\n1,2.5,sun\n2,unknown,rain\n3,4\n";
            assertThatThrownBy(() -> Frames.summarizeCsv(stream(text), ',', "cur.csv", Map.of("price", "it is DOUBLE in ref.csv")))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("cur.csv line 3 column 'price': 'unknown' is not a number, but it is DOUBLE in ref.csv");
            // missing values and numbers of either kind never contradict; unknown names are ignored
            CsvSummary ok = Frames.summarizeCsv(stream("ts,price\n1,NA\n2,3\n3,4.5\n"), ',', "cur.csv",
                    Map.of("ts", "x", "price", "y", "absent", "z"));
            assertThat(ok.schema().fields()).extracting(Field::type).containsExactly(FieldType.INTEGER, FieldType.DOUBLE);
            // without the guard the same text infers STRING (and then fails on the malformed line)
            assertThatThrownBy(() -> Frames.summarizeCsv(stream(text), ',', "cur.csv", Map.of()))
                    .hasMessageContaining("line 4 has 2 fields");
        }
    }

    @Test
    @DisplayName("readHeader reads the header row only: the names, checked, whatever follows")
    void header() {
        assertThat(Frames.readHeader(stream(" a ,b\n1,2\nbroken,\"\n"), ',', "t.csv")).containsExactly("a", "b");
        assertThatThrownBy(() -> Frames.readHeader(stream(""), ',', "e.csv")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("e.csv is empty");
        assertThatThrownBy(() -> Frames.readHeader(stream("a,a\n"), ',', "d.csv")).isInstanceOf(ValidationException.class)
                .hasMessage("d.csv header names column 'a' twice");
        assertThatThrownBy(() -> Frames.readHeader(stream("a,\n"), ',', "b.csv")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("header column 2 has no name");
    }

    @Nested
    @DisplayName("non-numeric columns")
    class Categories {
        @Test
        @DisplayName("are read dictionary-encoded: one string per distinct value")
        void encoded() {
            Frame f = read("w\nsun\nrain\nsun\nNA\nsun\n");
            assertThat(f.categories("w").dictionary()).containsExactly("sun", "rain");
            assertThat(f.categories("w").counts()).containsExactly(3, 1);
            assertThat(f.missing("w")).isEqualTo(1);
        }

        @Test
        @DisplayName("into a builder with maxCategories: a column with more distinct values is read incomplete, rows and missing intact")
        void limit() {
            Schema schema = Schema.of(new Field("id", FieldType.STRING), new Field("x", FieldType.DOUBLE));
            Frame f = Frames.readCsv(stream("id,x\na,1\nb,2\nc,3\n,4\nb,5\n"), ',', "t.csv",
                    Frame.builder(schema).maxCategories(2).expectedRows(5));
            assertThat(f.rowCount()).isEqualTo(5);
            assertThat(f.categories("id").complete()).isFalse();
            assertThat(f.categories("id").dictionary()).containsExactly("a", "b");
            assertThat(f.missing("id")).isEqualTo(1);
            assertThat(f.numeric("x")).containsExactly(1, 2, 3, 4, 5);
            assertThat(Frames.readCsv(stream("id\na\nb\na\n"), ',', "t.csv",
                    Frame.builder(Schema.of(new Field("id", FieldType.STRING))).maxCategories(2)).categories("id").complete())
                    .isTrue();
        }

        @Test
        @DisplayName("a schema without columns still counts the rows")
        void noColumns() {
            assertThat(Frames.readCsv(stream("a\n1\n2\n\n3\n"), ',', "t.csv", Schema.EMPTY).rowCount()).isEqualTo(3);
        }
    }

    @Test
    @DisplayName("every reader refuses a delimiter that cannot separate fields, naming it")
    void badDelimiter() throws IOException {
        Path file = csv("d.csv", "a,b\n1,2\n");
        Schema schema = Schema.of(new Field("a", FieldType.INTEGER));
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = List.of(
                () -> Frames.readCsv(file, '"'),
                () -> Frames.readCsv(file, '\n', schema),
                () -> Frames.readCsv(stream("a\n"), '\r', "t"),
                () -> Frames.readCsv(stream("a\n"), 'x', "t", schema),
                () -> Frames.readCsv(stream("a\n"), '.', "t", Frame.builder(schema)),
                () -> Frames.inferSchema(stream("a\n"), '7', "t"),
                () -> Frames.summarizeCsv(stream("a\n"), '\ud800', "t", Map.of()));
        for (var call : calls) {
            assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CSV delimiter")
                    .hasMessageContaining("U+");
        }
        assertThat(Frames.readCsv(csv("s.csv", "a;b\n1;2\n"), ';').numeric("b")).containsExactly(2.0);
    }
}
