package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Artifact;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.MlopsException;
import dev.mlops.api.Names;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model artifact or dataset source that is itself a symbolic link is refused, as a link inside
 * an artifact directory is: with a {@link ValidationException} that says it is a link and where
 * it points, before any byte is stored. (Before, the check followed the link and the open did
 * not, and the caller saw "Too many levels of symbolic links (NOFOLLOW_LINKS specified)".)
 */
@DisplayName("linked artifact and dataset sources are refused clearly, before anything is stored")
class LinkedSourceTest {
    @TempDir
    Path tmp;

    private InMemoryStore store;
    private Mlops mlops;
    private Path file;
    private Path fileLink;
    private Path dirLink;

    @BeforeEach
    void setUp() throws IOException {
        store = new InMemoryStore();
        mlops = Mlops.builder().store(store).actor("ci").build();
        file = Files.writeString(tmp.resolve("model.csv"), "a,b\n1,2\n");
        fileLink = Files.createSymbolicLink(tmp.resolve("link.csv"), file);
        Path dir = Files.createDirectory(tmp.resolve("weights"));
        Files.writeString(dir.resolve("w.bin"), "w");
        dirLink = Files.createSymbolicLink(tmp.resolve("weights-link"), dir);
    }

    private void refused(Executable call, Path link, Path target) {
        assertThatThrownBy(call::execute).isInstanceOf(ValidationException.class)
                .hasMessageContaining(Names.quote(link.toString()) + " is a symbolic link to " + Names.quote(target.toString()))
                .hasMessageNotContaining("NOFOLLOW");
        assertThat(store.listBlobs(Optional.empty(), 10).items()).as("nothing stored").isEmpty();
    }

    @Test
    @DisplayName("a model artifact file that is a link, and a directory artifact whose root is a link")
    void modelArtifacts() {
        refused(() -> mlops.models().register("rain", NewModelVersion.builder().artifact(Artifact.file(fileLink)).build()),
                fileLink, file);
        refused(() -> mlops.models().register("rain", NewModelVersion.builder().artifact(Artifact.directory(dirLink)).build()),
                dirLink, tmp.resolve("weights"));
    }

    @Test
    @DisplayName("a dataset file (CSV or binary) or directory that is a link")
    void datasetSources() {
        refused(() -> mlops.datasets().register("weather", DatasetSource.csv(fileLink)), fileLink, file);
        refused(() -> mlops.datasets().register("weather", DatasetSource.file(fileLink)), fileLink, file);
        refused(() -> mlops.datasets().register("weather", DatasetSource.directory(dirLink)), dirLink,
                tmp.resolve("weights"));
    }

    @Test
    @DisplayName("a dangling link says so, and the file itself is still accepted")
    void danglingAndReal() throws IOException {
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling.bin"), tmp.resolve("gone.bin"));
        assertThatThrownBy(() -> mlops.models().register("rain",
                NewModelVersion.builder().artifact(Artifact.file(dangling)).build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("symbolic link")
                .hasMessageContaining("does not exist");
        assertThat(mlops.models().register("rain", NewModelVersion.builder().artifact(Artifact.file(file)).build())
                .number()).isEqualTo(1);
        assertThat(mlops.datasets().register("weather", DatasetSource.csv(file)).rowCount()).hasValue(1);
    }

    @Test
    @DisplayName("a link in a directory above the source is followed: only the named file or directory is checked")
    void linkedParent() throws IOException, MlopsException {
        Path linkedTmp = Files.createSymbolicLink(tmp.resolve("via"), tmp);
        assertThat(mlops.models().register("rain", NewModelVersion.builder()
                .artifact(Artifact.file(linkedTmp.resolve("model.csv"))).build()).number()).isEqualTo(1);
    }
}
