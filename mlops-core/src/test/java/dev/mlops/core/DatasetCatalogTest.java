package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.DatasetCatalog;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.FieldType;
import dev.mlops.api.NewDatasetVersion;
import dev.mlops.api.PageRequest;
import dev.mlops.api.VersionQuery;
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
        assertThat(datasets.listVersions("d", VersionQuery.builder().page(PageRequest.first(10)).build()).items()).hasSize(2);
        assertThat(mlops.audit().entriesFor("d")).hasSize(2);
    }

    @Test
    @DisplayName("listVersions filters on tags and pages as the model registry's does, ascending by number")
    void listVersionsByTag() throws IOException {
        Path a = tmp.resolve("a.csv");
        for (int i = 1; i <= 5; i++) {
            Files.writeString(a, "x\n" + i + "\n");
            datasets.register("d", NewDatasetVersion.builder(DatasetSource.csv(a)).tag("split", i % 2 == 0 ? "test" : "train")
                    .build());
        }
        assertThat(datasets.listVersions("d", VersionQuery.builder().tag("split", "train").build()).items())
                .extracting(DatasetVersion::version).containsExactly(1, 3, 5);
        datasets.setVersionTag(new dev.mlops.api.DatasetRef("d", 2), "split", "train");
        assertThat(datasets.listVersions("d", VersionQuery.builder().tag("split", "train").build()).items())
                .extracting(DatasetVersion::version).containsExactly(1, 2, 3, 5);

        var first = datasets.listVersions("d", VersionQuery.builder().tag("split", "train")
                .page(PageRequest.first(2)).build());
        assertThat(first.items()).extracting(DatasetVersion::version).containsExactly(1, 2);
        var second = datasets.listVersions("d", VersionQuery.builder().tag("split", "train")
                .page(PageRequest.after(first.nextPageToken().orElseThrow(), 2)).build());
        assertThat(second.items()).extracting(DatasetVersion::version).containsExactly(3, 5);
        assertThat(datasets.listVersions("d", VersionQuery.all()).items()).hasSize(5);
    }

    @Test
    @DisplayName("listVersions refuses a metric bound or an alias, which datasets do not have, naming it")
    void listVersionsRefusesModelOnlyFilters() throws IOException {
        datasets.register("d", DatasetSource.csv(Files.writeString(tmp.resolve("a.csv"), "x\n1\n")));
        assertThatThrownBy(() -> datasets.listVersions("d", VersionQuery.builder().metricAtLeast("auc", 0.9).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metric").hasMessageContaining("auc");
        assertThatThrownBy(() -> datasets.listVersions("d", VersionQuery.builder().metricAtMost("rmse", 1).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rmse");
        assertThatThrownBy(() -> datasets.listVersions("d", VersionQuery.builder().alias("production").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alias").hasMessageContaining("production");
        assertThat(datasets.listVersions("d", VersionQuery.builder().includeArchived(true).build()).items()).hasSize(1);
    }

    @Test
    @DisplayName("dataset(name) returns the dataset, or throws NotFoundException naming it, as findDataset returns empty")
    void throwingGetter() throws IOException {
        datasets.register("d", DatasetSource.csv(Files.writeString(tmp.resolve("a.csv"), "x\n1\n")));
        assertThat(datasets.dataset("d")).isEqualTo(datasets.findDataset("d").orElseThrow());
        assertThat(datasets.dataset("d").latestVersion()).isEqualTo(1);
        assertThat(datasets.findDataset("absent")).isEmpty();
        assertThatThrownBy(() -> datasets.dataset("absent")).isInstanceOf(dev.mlops.api.NotFoundException.class)
                .hasMessageContaining("absent");
        assertThatThrownBy(() -> datasets.listVersions("absent", VersionQuery.all()))
                .isInstanceOf(dev.mlops.api.NotFoundException.class).hasMessageContaining("absent");
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
