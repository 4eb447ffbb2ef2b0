package dev.mlops.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a model version came from.
 *
 * @param trainedOn dataset versions it was trained on
 * @param validatedOn dataset versions used for validation
 * @param testedOn dataset versions used for the final test
 * @param retrainedFrom the version this one was retrained from, if any
 * @param codeRef a reference to the training code, such as a git commit
 * @param run the id of the tracked run ({@link dev.mlops.api.tracking.Run}) that produced it; the
 *     run lists the version among its {@link dev.mlops.api.tracking.Run#models() models}
 */
public record Lineage(List<DatasetRef> trainedOn, List<DatasetRef> validatedOn, List<DatasetRef> testedOn,
                      Optional<ModelRef.Version> retrainedFrom, Optional<String> codeRef, Optional<String> run) {
    /** No lineage recorded. */
    public static final Lineage NONE = new Lineage(List.of(), List.of(), List.of(), Optional.empty(), Optional.empty(),
            Optional.empty());

    /** Copies and checks. */
    public Lineage {
        trainedOn = List.copyOf(trainedOn);
        validatedOn = List.copyOf(validatedOn);
        testedOn = List.copyOf(testedOn);
        Objects.requireNonNull(retrainedFrom, "retrainedFrom");
        Objects.requireNonNull(codeRef, "codeRef");
        Objects.requireNonNull(run, "run");
        run.ifPresent(Names::requireValidRunId);
    }

    /**
     * Lineage without a tracked run, as before runs existed.
     *
     * @param trainedOn dataset versions it was trained on
     * @param validatedOn dataset versions used for validation
     * @param testedOn dataset versions used for the final test
     * @param retrainedFrom the version this one was retrained from, if any
     * @param codeRef a reference to the training code
     */
    public Lineage(List<DatasetRef> trainedOn, List<DatasetRef> validatedOn, List<DatasetRef> testedOn,
                   Optional<ModelRef.Version> retrainedFrom, Optional<String> codeRef) {
        this(trainedOn, validatedOn, testedOn, retrainedFrom, codeRef, Optional.empty());
    }

    /** @return every dataset version named in any role, without duplicates */
    public List<DatasetRef> datasets() {
        return java.util.stream.Stream.of(trainedOn, validatedOn, testedOn).flatMap(List::stream).distinct().toList();
    }
}
