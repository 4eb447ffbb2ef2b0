package dev.mlops.cli;

import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Lineage;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NotFoundException;
import dev.mlops.core.Mlops;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lineage", mixinStandardHelpOptions = true,
        description = {"Show where a model version came from, or (--users-of) which versions used a dataset.",
                "Forward: the dataset versions with their content hashes, the version it was retrained from",
                "and the code reference. Reverse: every model version that names the dataset version."},
        footer = {"", "Example:", "  mlops --store ./registry lineage rain/2",
                "  mlops --store ./registry lineage rain@production --json",
                "  mlops --store ./registry lineage --users-of weather/1"})
final class LineageCommand extends StoreCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME/V", description = "A model version (NAME/V or NAME@ALIAS).")
    String model;

    @Option(names = "--users-of", paramLabel = "NAME/V", description = "Show the model versions that used this dataset version.")
    String dataset;

    // --dataset means "trained on" (register); here it once meant the reverse, so it is refused with the new name
    @Option(names = "--dataset", hidden = true, paramLabel = "NAME/V")
    String formerDataset;

    private ModelRef modelRef;
    private DatasetRef datasetRef;

    @Override
    void check() {
        if (formerDataset != null) {
            throw new BadInputException("--dataset means the data a version was trained on (register --dataset); for the"
                    + " model versions that used a dataset version, use --users-of " + formerDataset);
        }
        if ((model == null) == (dataset == null)) {
            throw new BadInputException("give either a model version (lineage rain/2) or --users-of NAME/V, not "
                    + (model == null ? "neither" : "both"));
        }
        if (model != null) {
            modelRef = ModelRef.parse(model);
        } else {
            datasetRef = DatasetRef.parse(dataset);
        }
    }

    @Override
    int execute(Mlops mlops) {
        return modelRef != null ? forward(mlops) : reverse(mlops);
    }

    private int forward(Mlops mlops) {
        ModelVersion v = mlops.models().resolve(modelRef);
        Lineage l = v.lineage();
        List<Views.LineageDatasetView> rows = new ArrayList<>();
        addAll(mlops, rows, "trained", l.trainedOn());
        addAll(mlops, rows, "validated", l.validatedOn());
        addAll(mlops, rows, "tested", l.testedOn());
        Views.LineageReportView report = new Views.LineageReportView(v.model(), v.number(), v.format(),
                Views.lower(v.status()), v.artifact().digest(), l.retrainedFrom().map(Object::toString).orElse(null),
                l.codeRef().orElse(null), rows);
        if (jsonOutput()) {
            json(report);
            return Errors.OK;
        }
        Table info = Table.plain(2);
        info.row("model version:", v.ref())
                .row("artifact sha256:", report.artifactSha256())
                .row("retrained from:", report.retrainedFrom())
                .row("code ref:", report.codeRef());
        info.print(out());
        line("");
        if (rows.isEmpty()) {
            line("no datasets recorded");
        } else {
            Table t = new Table("ROLE", "DATASET", "ROWS", "CONTENT SHA256");
            for (Views.LineageDatasetView d : rows) {
                t.row(d.role(), d.ref(), d.rowCount(), d.missing() ? "(missing from the catalog)" : d.contentSha256());
            }
            t.print(out());
        }
        return Errors.OK;
    }

    private static void addAll(Mlops mlops, List<Views.LineageDatasetView> rows, String role, List<DatasetRef> refs) {
        for (DatasetRef ref : refs) {
            Optional<DatasetVersion> d = find(mlops, ref);
            rows.add(new Views.LineageDatasetView(role, ref.toString(), ref.dataset(), ref.version(),
                    d.map(DatasetVersion::contentSha256).orElse(null),
                    d.filter(x -> x.rowCount().isPresent()).map(x -> x.rowCount().getAsLong()).orElse(null),
                    d.isEmpty()));
        }
    }

    private static Optional<DatasetVersion> find(Mlops mlops, DatasetRef ref) {
        try {
            return Optional.of(mlops.datasets().version(ref));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private int reverse(Mlops mlops) {
        DatasetVersion d = mlops.datasets().version(datasetRef);
        List<Views.ModelUseView> uses = new ArrayList<>();
        for (ModelVersion v : mlops.models().versionsUsing(datasetRef)) {
            Lineage l = v.lineage();
            List<String> roles = new ArrayList<>();
            if (l.trainedOn().contains(datasetRef)) {
                roles.add("trained");
            }
            if (l.validatedOn().contains(datasetRef)) {
                roles.add("validated");
            }
            if (l.testedOn().contains(datasetRef)) {
                roles.add("tested");
            }
            uses.add(new Views.ModelUseView(v.model(), v.number(), roles, Views.lower(v.status()),
                    Views.sorted(v.aliases()), v.artifact().digest()));
        }
        if (jsonOutput()) {
            json(new Views.ReverseLineageView(d.dataset(), d.version(), d.contentSha256(), uses));
            return Errors.OK;
        }
        line("dataset " + d.ref() + "  sha256 " + d.contentSha256());
        line("");
        if (uses.isEmpty()) {
            line("no model version uses it");
            return Errors.OK;
        }
        Table t = new Table("MODEL VERSION", "ROLE", "STATUS", "ALIASES");
        for (Views.ModelUseView u : uses) {
            t.row(u.name() + "/" + u.version(), String.join(",", u.roles()), u.status(),
                    u.aliases().isEmpty() ? null : String.join(",", u.aliases()));
        }
        t.print(out());
        return Errors.OK;
    }
}
