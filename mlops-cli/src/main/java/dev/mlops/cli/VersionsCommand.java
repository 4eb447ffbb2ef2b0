package dev.mlops.cli;

import dev.mlops.api.ArtifactEntry;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.VersionQuery;
import dev.mlops.core.Mlops;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "versions", mixinStandardHelpOptions = true, description = "List and show model versions.",
        subcommands = {VersionsCommand.ListVersions.class, VersionsCommand.ShowVersion.class},
        footer = {"", "Example:", "  mlops --store ./registry versions list rain --tag team=weather --archived",
                "  mlops --store ./registry versions show rain@production"})
final class VersionsCommand extends GroupCommand {

    /** Prints a table of versions, one line each. */
    static void printVersions(PrintWriter out, List<ModelVersion> versions) {
        if (versions.isEmpty()) {
            out.println("no versions");
            out.flush();
            return;
        }
        Table t = new Table("VERSION", "STATUS", "FORMAT", "CREATED", "ALIASES", "SHA256", "METRICS");
        for (ModelVersion v : versions) {
            t.row(v.number(), Views.lower(v.status()), v.format(), Text.time(v.createdAt()),
                    v.aliases().isEmpty() ? null : String.join(",", Views.sorted(v.aliases())),
                    Text.shortHash(v.artifact().digest()), Text.pairs(v.metrics()));
        }
        t.print(out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List versions of a model in ascending order; archived versions only with --archived.",
            footer = {"", "Example:", "  mlops --store ./registry versions list rain --metric-min auc=0.9 --limit 20"})
    static final class ListVersions extends StoreCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
        String name;

        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Only versions with this tag (repeatable).")
        List<String> tags = new ArrayList<>();

        @Option(names = "--metric-min", paramLabel = "NAME=NUMBER", description = "Only versions whose metric is at least this (repeatable).")
        List<String> metricMin = new ArrayList<>();

        @Option(names = "--metric-max", paramLabel = "NAME=NUMBER", description = "Only versions whose metric is at most this (repeatable).")
        List<String> metricMax = new ArrayList<>();

        @Option(names = "--alias", paramLabel = "A", description = "Only the version this alias points at.")
        String alias;

        @Option(names = "--archived", description = "Include archived versions.")
        boolean archived;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Versions per page, 1 to 1000 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--page-token", paramLabel = "T", description = "Token printed with the previous page.")
        String pageToken;

        private VersionQuery query;

        @Override
        void check() {
            Names.requireValid(Names.Kind.MODEL, name);
            VersionQuery.Builder q = VersionQuery.builder().includeArchived(archived)
                    .page(new PageRequest(Inputs.limit("--limit", limit, PageRequest.MAX_SIZE), Optional.ofNullable(pageToken)));
            Inputs.keyValues("--tag", tags).forEach(q::tag);
            Inputs.metrics("--metric-min", metricMin).forEach(q::metricAtLeast);
            Inputs.metrics("--metric-max", metricMax).forEach(q::metricAtMost);
            if (alias != null) {
                q.alias(alias);
            }
            query = q.build();
        }

        @Override
        int execute(Mlops mlops) {
            mlops.models().model(name); // an unknown model is an error, not an empty list
            Page<ModelVersion> page = mlops.models().listVersions(name, query);
            if (jsonOutput()) {
                json(JsonOutput.page("versions", page.items().stream().map(Views::version).toList(), page.nextPageToken()));
                return Errors.OK;
            }
            printVersions(out(), page.items());
            page.nextPageToken().ifPresent(tok -> line("more: --page-token " + tok));
            return Errors.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one version: artifact files, metrics, parameters, tags, lineage, environment.",
            footer = {"", "Example:", "  mlops --store ./registry versions show rain/3",
                    "  mlops --store ./registry versions show rain@production --json"})
    static final class ShowVersion extends StoreCommand {
        @Parameters(index = "0", paramLabel = "REF", description = "NAME/VERSION or NAME@ALIAS.")
        String ref;

        private ModelRef parsed;

        @Override
        void check() {
            parsed = ModelRef.parse(ref);
        }

        @Override
        int execute(Mlops mlops) {
            ModelVersion v = mlops.models().resolve(parsed);
            if (jsonOutput()) {
                json(Views.version(v));
                return Errors.OK;
            }
            printVersion(out(), v);
            return Errors.OK;
        }
    }

    static void printVersion(PrintWriter out, ModelVersion v) {
        Table info = Table.plain(2);
        info.row("version:", v.ref())
                .row("status:", Views.lower(v.status()))
                .row("format:", v.format())
                .row("artifact sha256:", v.artifact().digest())
                .row("size:", Text.bytes(v.artifact().totalSize()) + " in " + v.artifact().entries().size() + " file(s)")
                .row("aliases:", v.aliases().isEmpty() ? null : String.join(",", Views.sorted(v.aliases())))
                .row("metrics:", Text.pairs(v.metrics()))
                .row("params:", Text.pairs(v.params()))
                .row("tags:", Text.pairs(v.tags()))
                .row("description:", v.description().isEmpty() ? null : v.description())
                .row("created:", Text.time(v.createdAt()) + " by " + v.creator())
                .row("trained on:", refs(v.lineage().trainedOn()))
                .row("validated on:", refs(v.lineage().validatedOn()))
                .row("tested on:", refs(v.lineage().testedOn()))
                .row("retrained from:", v.lineage().retrainedFrom().orElse(null))
                .row("code ref:", v.lineage().codeRef().orElse(null));
        // only versions registered from a tracked run have the row, so older output stays as it was
        v.lineage().run().ifPresent(run -> info.row("run:", run));
        info.row("environment:", "Java " + v.environment().javaVersion() + ", " + v.environment().os()
                        + ", mlops-java " + v.environment().libraryVersion());
        info.print(out);
        out.println();
        Table files = new Table("PATH", "SIZE", "SHA256");
        for (ArtifactEntry e : v.artifact().entries()) {
            files.row(e.path(), Text.bytes(e.size()), e.sha256());
        }
        files.print(out);
    }

    private static String refs(List<DatasetRef> refs) {
        return refs.isEmpty() ? null : refs.stream().map(DatasetRef::toString).collect(Collectors.joining(", "));
    }
}
