package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Frame;
import dev.mlops.api.NewDatasetVersion;
import dev.mlops.quality.Frames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset catalog infers a CSV's schema with mlops-quality's reader; both must agree. */
class CatalogSchemaTest {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("the frame's schema equals the schema the dataset catalog records for the same file")
    void agreesWithCatalog() throws IOException {
        for (String name : List.of("seattle-weather.csv", "german-credit.csv")) {
            Path file = tmp.resolve(name);
            try (InputStream in = getClass().getResourceAsStream("/datasets/" + name)) {
                Files.copy(in, file);
            }
            Mlops mlops = Mlops.builder().store(new InMemoryStore()).actor("ci").build();
            DatasetVersion v = mlops.datasets().register("d", NewDatasetVersion.builder(DatasetSource.csv(file)).build());
            Frame f = Frames.readCsv(file);
            assertThat(f.schema()).as(name).isEqualTo(v.schema().orElseThrow());
            assertThat((long) f.rowCount()).as(name).isEqualTo(v.rowCount().orElseThrow());
        }
    }
}
