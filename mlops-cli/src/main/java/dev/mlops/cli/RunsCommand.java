package dev.mlops.cli;

import dev.mlops.api.ArtifactEntry;
import dev.mlops.api.ArtifactManifest;
import dev.mlops.api.Names;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.tracking.Run;
import dev.mlops.api.tracking.RunComparison;
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

@Command(name = "runs", mixinStandardHelpOptions = true, description = "Search, show and compare tracked training runs.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.ShowRun.class, RunsCommand.CompareRuns.class},
        footer = {"", "Example:", "  mlops --store ./registry runs list --experiment rain --order-by metrics.rmse",
                "  mlops --store ./registry runs show 0123456789abcdef0123456789abcdef",
                "  mlops --store ./registry runs compare 0123456789abcdef0123456789abcdef \\",
                "        fedcba9876543210fedcba9876543210 --metric loss"})
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

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Compare runs side by side: params, latest metrics and a metric's curve by step.",
                    "Params that differ between the runs are marked *; each metric shows its latest value @ its",
                    "step; --metric adds that metric's history aligned by step (- where a run logged no point at",
                    "the step). Columns are the runs in the order given, headed by their ids' first digits.",
                    "At most " + RunComparison.MAX_RUNS + " runs, each once."},
            footer = {"", "Example:", "  mlops --store ./registry runs compare 0123456789abcdef0123456789abcdef \\",
                    "        fedcba9876543210fedcba9876543210 --metric loss --json"})
    static final class CompareRuns extends StoreCommand {
        @Parameters(paramLabel = "RUN", arity = "1..*", description = "Run ids: 32 lower-case hex digits, 2 or more.")
        List<String> ids = new ArrayList<>();

        @Option(names = "--metric", paramLabel = "KEY", description = "Also print this metric's history aligned by step.")
        String metric;

        @Option(names = "--differing", description = "Print only the params whose values differ between the runs.")
        boolean differingOnly;

        @Override
        void check() {
            ids.forEach(Run::requireValidId);
            if (metric != null) {
                Names.requireValid(Names.Kind.METRIC, metric);
            }
        }

        @Override
        int execute(Mlops mlops) {
            RunComparison cmp = mlops.tracking().compareRuns(ids, Optional.ofNullable(metric));
            List<RunComparison.ParamRow> params = differingOnly ? cmp.differingParams() : cmp.params();
            if (jsonOutput()) {
                json(Views.comparison(cmp, params));
                return Errors.OK;
            }
            PrintWriter out = out();
            List<String> heads = shortIds(ids);
            Table runs = new Table(header("RUN", heads));
            runs.row(row("name", cmp.runs().stream().map(r -> r.name().isEmpty() ? null : r.name()).toList()));
            runs.row(row("experiment", cmp.runs().stream().map(Run::experiment).toList()));
            runs.row(row("status", cmp.runs().stream().map(r -> Views.lower(r.status())).toList()));
            runs.row(row("started", cmp.runs().stream().map(r -> Text.time(r.startTime())).toList()));
            runs.print(out);
            out.println();
            if (params.isEmpty()) {
                out.println(cmp.params().isEmpty() ? "no params" : "no params differ");
            } else {
                Table t = new Table(header("PARAM", heads));
                for (RunComparison.ParamRow p : params) {
                    t.row(row((p.differs() ? "* " : "  ") + p.key(),
                            p.values().stream().map(v -> v.orElse(null)).toList()));
                }
                t.print(out);
            }
            out.println();
            if (cmp.metrics().isEmpty()) {
                out.println("no metrics");
            } else {
                Table t = new Table(header("METRIC", heads));
                for (RunComparison.MetricRow m : cmp.metrics()) {
                    t.row(row(m.key(), m.latest().stream()
                            .map(p -> p.map(x -> x.value() + " @" + x.step()).orElse(null)).toList()));
                }
                t.print(out);
            }
            cmp.history().ifPresent(h -> {
                out.println();
                if (h.steps().isEmpty()) {
                    out.println("no run logged " + Names.quote(h.key()));
                    return;
                }
                out.println(h.key() + " by step:");
                Table t = new Table(header("STEP", heads));
                for (RunComparison.StepRow s : h.steps()) {
                    t.row(row(Long.toString(s.step()), s.values().stream()
                            .map(v -> v.isPresent() ? Double.toString(v.getAsDouble()) : null).toList()));
                }
                t.print(out);
            });
            out.flush();
            return Errors.OK;
        }

        private static Object[] row(String first, List<?> cells) {
            Object[] r = new Object[cells.size() + 1];
            r[0] = first;
            for (int i = 0; i < cells.size(); i++) {
                r[i + 1] = cells.get(i);
            }
            return r;
        }

        private static String[] header(String first, List<String> heads) {
            String[] r = new String[heads.size() + 1];
            r[0] = first;
            for (int i = 0; i < heads.size(); i++) {
                r[i + 1] = heads.get(i);
            }
            return r;
        }

        /** The shortest prefixes, 8 digits or more, that tell the compared runs apart. */
        static List<String> shortIds(List<String> ids) {
            for (int n = 8; n < 32; n++) {
                int len = n;
                List<String> heads = ids.stream().map(id -> id.substring(0, len)).toList();
                if (heads.stream().distinct().count() == ids.stream().distinct().count()) {
                    return heads;
                }
            }
            return ids;
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
