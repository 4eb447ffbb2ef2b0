package dev.mlops.api.serving;

import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@link ModelLoader} gets: the version's metadata and a directory holding a verified copy
 * of its artifact files, laid out as in {@link ModelVersion#artifact()}. The directory belongs
 * to the service and may be removed after the model is closed.
 *
 * @param version the version being loaded
 * @param artifactDirectory local copy of the artifact
 */
public record LoadContext(ModelVersion version, Path artifactDirectory) {
    /** Checks arguments. */
    public LoadContext {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(artifactDirectory, "artifactDirectory");
    }

    /**
     * @param path a path of the artifact manifest, such as {@code model.onnx}
     * @return the local file
     * @throws NotFoundException if the artifact has no such file
     */
    public Path file(String path) {
        Names.requireValidPath(path);
        if (version.artifact().entry(path).isEmpty()) {
            throw new NotFoundException("version " + version.ref() + " has no artifact file " + Names.quote(path));
        }
        Path p = artifactDirectory;
        for (String segment : path.split("/")) {
            p = p.resolve(segment);
        }
        return p;
    }

    /**
     * @return the only file of a single-file artifact
     * @throws IllegalStateException if the artifact has more than one file
     */
    public Path singleFile() {
        if (version.artifact().entries().size() != 1) {
            throw new IllegalStateException("version " + version.ref() + " has " + version.artifact().entries().size()
                    + " artifact files; name the one to load with file(path)");
        }
        return file(version.artifact().entries().get(0).path());
    }
}
