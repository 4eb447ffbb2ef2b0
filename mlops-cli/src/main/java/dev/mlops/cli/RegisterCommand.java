package dev.mlops.cli;

import dev.mlops.api.Artifact;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.store.Store;
import dev.mlops.core.Mlops;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "register", mixinStandardHelpOptions = true,
        description = {"Register a file or directory as the next version of a model.",
                "The model is created on first use. Versions are numbered 1, 2, 3...;",
                "the datasets named must already be registered."},
        footer = {"", "Example:",
                "  mlops --store ./registry register rain --artifact model.onnx --format onnx \\",
                "        --metric auc=0.91 --param l2=0.01 --dataset weather/1 \\",
                "        --code-ref 3f2a9c1",
                "  mlops --store ./registry register rain --artifact model.onnx \\",
                "        --idempotency-key ci-build-4711"})
final class RegisterCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name: lowercase letters, digits, '.', '_', '-'.")
    String name;

    @Option(names = "--artifact", required = true, paramLabel = "PATH", description = "Model file, or a directory stored file by file.")
    Path artifact;

    @Option(names = "--format", paramLabel = "F", description = "Artifact format, such as onnx, tribuo, java-function (default: generic).")
    String format;

    @Option(names = "--metric", paramLabel = "NAME=NUMBER", description = "An evaluation metric, a finite number (repeatable).")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A training parameter; the value may contain '=' (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--dataset", paramLabel = "NAME/V", description = "A dataset version it was trained on (repeatable).")
    List<String> trainedOn = new ArrayList<>();

    @Option(names = "--validated-on", paramLabel = "NAME/V", description = "A dataset version it was validated on (repeatable).")
    List<String> validatedOn = new ArrayList<>();

    @Option(names = "--tested-on", paramLabel = "NAME/V", description = "A dataset version it was tested on (repeatable).")
    List<String> testedOn = new ArrayList<>();

    @Option(names = "--retrained-from", paramLabel = "V|NAME/V", description = "The version it was retrained from (a number means this model).")
    String retrainedFrom;

    @Option(names = "--description", paramLabel = "D", description = "Free text.")
    String description;

    @Option(names = "--code-ref", paramLabel = "REF", description = "Reference to the training code, such as a git commit.")
    String codeRef;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = {"Make a retry safe: a registration of this"
            + " model with the same key returns the version the first attempt made instead of a new one.",
            "Letters, digits, '.', '_', ':', '-'; up to 128, such as a CI job id."})
    String idempotencyKey;

    private NewModelVersion.Builder builder;
    private final Map<DatasetRef, String> datasets = new LinkedHashMap<>();
    private ModelRef.Version parent;

    @Override
    boolean createsStore() {
        return true;
    }

    @Override
    Store decorate(Store store) {
        return countStoredBytes(store, artifact);
    }

    @Override
    void check() {
        Names.requireValid(Names.Kind.MODEL, name);
        builder = NewModelVersion.builder();
        if (format != null) {
            builder.format(format);
        }
        Inputs.metrics("--metric", metrics).forEach(builder::metric);
        Inputs.keyValues("--param", params).forEach(builder::param);
        Inputs.keyValues("--tag", tags).forEach(builder::tag);
        for (String d : trainedOn) {
            builder.trainedOn(dataset("--dataset", d));
        }
        for (String d : validatedOn) {
            builder.validatedOn(dataset("--validated-on", d));
        }
        for (String d : testedOn) {
            builder.testedOn(dataset("--tested-on", d));
        }
        if (retrainedFrom != null) {
            parent = retrainedFrom.chars().allMatch(Character::isDigit)
                    ? (ModelRef.Version) ModelRef.parse(name + "/" + retrainedFrom)
                    : requireVersion(retrainedFrom);
            builder.retrainedFrom(parent);
        }
        if (description != null) {
            builder.description(description);
        }
        if (codeRef != null) {
            builder.codeRef(codeRef);
        }
        if (idempotencyKey != null) {
            try {
                builder.idempotencyKey(idempotencyKey);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--idempotency-key: " + e.getMessage());
            }
        }
        Path p = Inputs.readable("--artifact", artifact);
        builder.artifact(Files.isDirectory(p) ? Artifact.directory(p) : Artifact.file(p));
    }

    private DatasetRef dataset(String option, String text) {
        DatasetRef ref = DatasetRef.parse(text);
        datasets.put(ref, option);
        return ref;
    }

    private static ModelRef.Version requireVersion(String text) {
        if (ModelRef.parse(text) instanceof ModelRef.Version v) {
            return v;
        }
        throw new BadInputException("--retrained-from " + Names.quote(text) + " must name a version: NAME/VERSION or VERSION");
    }

    @Override
    int execute(Mlops mlops) {
        // check the lineage first, so a typo fails before any artifact byte is copied
        datasets.forEach((ref, option) -> {
            try {
                mlops.datasets().version(ref);
            } catch (NotFoundException e) {
                throw new NotFoundException("unknown dataset " + Names.quote(ref.toString()) + " given with " + option
                        + ": register it first with 'mlops datasets register'");
            }
        });
        if (parent != null) {
            try {
                mlops.models().version(parent.model(), parent.number());
            } catch (NotFoundException e) {
                throw new NotFoundException("unknown model version " + Names.quote(parent.toString())
                        + " given with --retrained-from");
            }
        }
        ModelVersion v = mlops.models().register(name, builder.build());
        storedBytesDone();
        if (jsonOutput()) {
            json(Views.version(v));
            return Errors.OK;
        }
        int files = v.artifact().entries().size();
        line("registered " + v.ref() + "  sha256 " + v.artifact().digest() + "  (" + files + (files == 1 ? " file, " : " files, ")
                + Text.bytes(v.artifact().totalSize()) + ")");
        return Errors.OK;
    }
}
