package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.DatasetCatalog;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.FieldType;
import dev.mlops.api.NewDatasetVersion;
import dev.mlops.api.PageRequest;
import dev.mlops.api.ValidationException;
import dev.mlops.api.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("DatasetCatalog")
class DatasetCatalogTest {
    @TempDir
    Path tmp;
    private Mlops mlops;
    private DatasetCatalog datasets;

    @BeforeEach
    void open() {
        mlops = Mlops.builder().store(new InMemoryStore()).actor("ci").build();
        datasets = mlops.datasets();
    }

    private Path resource(String name) throws IOException {
        Path p = tmp.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/datasets/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    @DisplayName("registers the NOAA Seattle weather CSV with hash, size, row count and inferred schema")
    void seattleWeather() throws IOException {
        Path csv = resource("seattle-weather.csv");
        DatasetVersion v = datasets.register("weather", NewDatasetVersion.builder(DatasetSource.csv(csv))
                .sourceUri("https://www.ncei.noaa.gov/ (via vega-datasets)").tag("period", "2012-2015").build());
        assertThat(v.version()).isEqualTo(1);
        assertThat(v.rowCount()).hasValue(1461);
        assertThat(v.contentSha256()).isEqualTo(Digests.sha256Hex(Files.readAllBytes(csv)));
        assertThat(v.sizeBytes()).isEqualTo(Files.size(csv));
        assertThat(v.schema().orElseThrow().fields()).extracting(f -> f.name() + ":" + f.type()).containsExactly(
                "date:DATE", "precipitation:DOUBLE", "temp_max:DOUBLE", "temp_min:DOUBLE", "wind:DOUBLE", "weather:STRING");
        assertThat(v.sourceUri()).contains("https://www.ncei.noaa.gov/ (via vega-datasets)");
        assertThat(datasets.version(v.ref())).isEqualTo(v);
        try (InputStream in = datasets.open(v.ref(), "seattle-weather.csv")) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(csv));
        }
    }

    @Test
    @DisplayName("German credit: integer and string columns, 1,000 rows")
    void germanCredit() throws IOException {
        DatasetVersion v = datasets.register("credit", DatasetSource.csv(resource("german-credit.csv")));
        assertThat(v.rowCount()).hasValue(1000);
        assertThat(v.schema().orElseThrow().field("age").orElseThrow().type()).isEqualTo(FieldType.INTEGER);
        assertThat(v.schema().orElseThrow().field("class").orElseThrow().type()).isEqualTo(FieldType.STRING);
    }

    @Test
    @DisplayName("identical content registered again returns the existing version")
    void dedup() throws IOException {
        Path a = Files.writeString(tmp.resolve("a.csv"), "x,y\n1,2\n");
        DatasetVersion first = datasets.register("d", DatasetSource.csv(a));
        DatasetVersion again = datasets.register("d", DatasetSource.csv(a));
        assertThat(again).isEqualTo(first);
        Files.writeString(a, "x,y\n1,3\n");
        assertThat(datasets.register("d", DatasetSource.csv(a)).version()).isEqualTo(2);
        assertThat(datasets.listVersions("d", PageRequest.first(10)).items()).hasSize(2);
        assertThat(mlops.audit().entriesFor("d")).hasSize(2);
    }

    @Test
    @DisplayName("directories and binary files are stored as bytes without a schema")
    void binary() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("images"));
        Files.write(dir.resolve("a.png"), new byte[] {1});
        Files.write(dir.resolve("b.png"), new byte[] {2});
        DatasetVersion v = datasets.register("images", DatasetSource.directory(dir));
        assertThat(v.files().entries()).hasSize(2);
        assertThat(v.rowCount()).isEmpty();
        assertThat(v.schema()).isEmpty();
    }

    @Test
    @DisplayName("malformed CSV is refused with the line that is wrong, and nothing is registered")
    void malformed() throws IOException {
        Path ragged = Files.writeString(tmp.resolve("ragged.csv"), "a,b\n1,2\n3\n");
        assertThatThrownBy(() -> datasets.register("d", DatasetSource.csv(ragged)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("line 3");
        Path open = Files.writeString(tmp.resolve("open.csv"), "a,b\n\"1,2\n");
        assertThatThrownBy(() -> datasets.register("d", DatasetSource.csv(open)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("never closed");
        Path empty = Files.writeString(tmp.resolve("empty.csv"), "");
        assertThatThrownBy(() -> datasets.register("d", DatasetSource.csv(empty)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("empty");
        Path latin1 = Files.write(tmp.resolve("latin1.csv"), "a\n\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> datasets.register("d", DatasetSource.csv(latin1)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("UTF-8");
        assertThat(datasets.findDataset("d")).isEmpty();
    }

    @Test
    @DisplayName("CSV quoting, CRLF, BOM and missing markers are read as RFC 4180 says")
    void csvDialect() throws IOException {
        Path csv = Files.write(tmp.resolve("q.csv"), ("\uFEFFname,score,when\r\n\"Smith, J\",1,2024-01-02\r\n"
                + "\"say \"\"hi\"\"\",NA,\r\n\"multi\nline\",2.5,2024-02-03\r\n").getBytes(StandardCharsets.UTF_8));
        DatasetVersion v = datasets.register("q", DatasetSource.csv(csv));
        assertThat(v.rowCount()).hasValue(3);
        assertThat(v.schema().orElseThrow().fields()).extracting(f -> f.name() + ":" + f.type())
                .containsExactly("name:STRING", "score:DOUBLE", "when:DATE");
    }
}
