package dev.mlops.cli;

import dev.mlops.api.ArtifactEntry;
import dev.mlops.api.ArtifactManifest;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.tracking.Run;
import dev.mlops.api.tracking.RunQuery;
import dev.mlops.core.Mlops;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "Search and show tracked training runs.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.ShowRun.class},
        footer = {"", "Example:", "  mlops --store ./registry runs list --experiment rain --order-by metrics.rmse",
                "  mlops --store ./registry runs show 0123456789abcdef0123456789abcdef"})
final class RunsCommand extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List runs matching a filter, sorted, one page at a time.",
                    "The filter and order follow docs/tracking.md (MLflow's search_runs grammar without OR):",
                    "  metrics.rmse < 0.5 and params.lr = '0.1' and tags.team = 'x'",
                    "A bad filter is refused naming the position of the wrong token."},
            footer = {"", "Example:", "  mlops --store ./registry runs list --experiment rain \\",
                    "        --filter metrics.rmse<0.5 --order-by metrics.rmse --limit 20"})
    static final class ListRuns extends StoreCommand {
        @Option(names = "--experiment", paramLabel = "NAME", description = "An experiment to search (repeatable; default: all).")
        List<String> experiments = new ArrayList<>();

        @Option(names = "--filter", paramLabel = "F", description = "Conditions on metrics., params., tags. and attributes. joined by AND.")
        String filter;

        @Option(names = "--order-by", paramLabel = "O", description = "Clauses such as 'metrics.rmse ASC, attributes.start_time DESC' (default: newest first).")
        String orderBy;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Runs per page, 1 to 1000 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--page-token", paramLabel = "T", description = "Token printed with the previous page.")
        String pageToken;

        private RunQuery query;

        @Override
        void check() {
            Inputs.limit("--limit", limit, PageRequest.MAX_SIZE);
            RunQuery.Builder b = RunQuery.builder().page(new PageRequest(limit, Optional.ofNullable(pageToken)));
            experiments.forEach(b::experiment);
            if (filter != null) {
                b.filter(filter);
            }
            if (orderBy != null) {
                b.orderBy(orderBy);
            }
            query = b.build();
        }

        @Override
        int execute(Mlops mlops) {
            Page<Run> page = mlops.tracking().searchRuns(query);
            if (jsonOutput()) {
                json(JsonOutput.page("runs", page.items().stream().map(Views::run).toList(), page.nextPageToken()));
                return Errors.OK;
            }
            if (page.items().isEmpty()) {
                line("no runs");
            } else {
                Table t = new Table("RUN", "EXPERIMENT", "STATUS", "STARTED", "NAME", "METRICS");
                for (Run r : page.items()) {
                    t.row(r.id(), r.experiment(), Views.lower(r.status()), Text.time(r.startTime()),
                            r.name().isEmpty() ? null : r.name(), Text.pairs(latest(r)));
                }
                t.print(out());
            }
            page.nextPageToken().ifPresent(tok -> line("more: --page-token " + tok));
            return Errors.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a run: status and times, params, latest metrics, tags, inputs, models, artifacts.",
            footer = {"", "Example:", "  mlops --store ./registry runs show 0123456789abcdef0123456789abcdef --json"})
    static final class ShowRun extends StoreCommand {
        @Parameters(index = "0", paramLabel = "RUN", description = "A run id: 32 lower-case hex digits.")
        String id;

        @Override
        void check() {
            Run.requireValidId(id);
        }

        @Override
        int execute(Mlops mlops) {
            Run r = mlops.tracking().run(id);
            if (jsonOutput()) {
                json(Views.run(r));
            } else {
                printRun(out(), r);
            }
            return Errors.OK;
        }
    }

    private static Map<String, Double> latest(Run r) {
        Map<String, Double> out = new TreeMap<>();
        r.metrics().forEach((k, p) -> out.put(k, p.value()));
        return out;
    }

    static void printRun(PrintWriter out, Run r) {
        Table info = Table.plain(2);
        info.row("run:", r.id())
                .row("experiment:", r.experiment())
                .row("name:", r.name().isEmpty() ? null : r.name())
                .row("status:", Views.lower(r.status()))
                .row("started:", Text.time(r.startTime()) + " by " + r.creator())
                .row("ended:", r.endTime().map(Text::time).orElse(null))
                .row("heartbeat:", Text.time(r.heartbeatAt()))
                .row("params:", Text.pairs(r.params()))
                .row("tags:", Text.pairs(r.tags()))
                .row("inputs:", r.inputs().isEmpty() ? null : String.join(",", Views.refs(r.inputs())))
                .row("models:", r.models().isEmpty() ? null
                        : String.join(",", r.models().stream().map(Object::toString).toList()))
                .row("code ref:", r.codeRef().orElse(null))
                .row("environment:", "Java " + r.environment().javaVersion() + ", " + r.environment().os()
                        + ", mlops-java " + r.environment().libraryVersion());
        info.print(out);
        if (!r.metrics().isEmpty()) {
            out.println();
            Table metrics = new Table("METRIC", "VALUE", "STEP", "LOGGED");
            new TreeMap<>(r.metrics()).forEach((k, p) -> metrics.row(k, p.value(), p.step(),
                    Text.time(p.timestamp())));
            metrics.print(out);
        }
        if (!r.artifacts().isEmpty()) {
            out.println();
            Table files = new Table("ARTIFACT", "PATH", "SIZE", "SHA256");
            new TreeMap<String, ArtifactManifest>(r.artifacts()).forEach((name, m) -> {
                for (ArtifactEntry e : m.entries()) {
                    files.row(name, e.path(), Text.bytes(e.size()), e.sha256());
                }
            });
            files.print(out);
        }
    }
}
