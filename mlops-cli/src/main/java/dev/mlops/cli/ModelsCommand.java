package dev.mlops.cli;

import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.RegisteredModel;
import dev.mlops.api.VersionQuery;
import dev.mlops.core.Mlops;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "models", mixinStandardHelpOptions = true, description = "List and show registered models.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.ShowModel.class},
        footer = {"", "Example:", "  mlops --store ./registry models list", "  mlops --store ./registry models show rain --json"})
final class ModelsCommand extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List models in name order.",
            footer = {"", "Example:", "  mlops --store ./registry models list --limit 20"})
    static final class ListModels extends StoreCommand {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Models per page, 1 to 1000 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--page-token", paramLabel = "T", description = "Token printed with the previous page.")
        String pageToken;

        @Override
        void check() {
            Inputs.limit("--limit", limit, PageRequest.MAX_SIZE);
        }

        @Override
        int execute(Mlops mlops) {
            Page<RegisteredModel> page = mlops.models().listModels(new PageRequest(limit, Optional.ofNullable(pageToken)));
            if (jsonOutput()) {
                json(JsonOutput.page("models", page.items().stream().map(m -> Views.model(m, null)).toList(), page.nextPageToken()));
                return Errors.OK;
            }
            if (page.items().isEmpty()) {
                line("no models");
            } else {
                Table t = new Table("NAME", "LATEST", "ALIASES", "UPDATED", "DESCRIPTION");
                for (RegisteredModel m : page.items()) {
                    t.row(m.name(), m.latestVersion(), Text.pairs(m.aliases()), Text.time(m.updatedAt()),
                            Text.cut(m.description(), 50));
                }
                t.print(out());
            }
            page.nextPageToken().ifPresent(tok -> line("more: --page-token " + tok));
            return Errors.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a model: description, tags, aliases and its versions (archived ones included).",
            footer = {"", "Example:", "  mlops --store ./registry models show rain"})
    static final class ShowModel extends StoreCommand {
        private static final int MAX_VERSIONS = 100;

        @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
        String name;

        @Override
        void check() {
            Names.requireValid(Names.Kind.MODEL, name);
        }

        @Override
        int execute(Mlops mlops) {
            RegisteredModel m = mlops.models().model(name);
            Page<ModelVersion> versions = mlops.models().listVersions(name,
                    VersionQuery.builder().includeArchived(true).page(PageRequest.first(MAX_VERSIONS)).build());
            if (jsonOutput()) {
                json(Views.model(m, versions.items().stream().map(Views::summary).toList()));
                return Errors.OK;
            }
            Table info = Table.plain(2);
            info.row("name:", m.name())
                    .row("description:", m.description().isEmpty() ? null : m.description())
                    .row("tags:", Text.pairs(m.tags()))
                    .row("aliases:", Text.pairs(m.aliases()))
                    .row("latest version:", m.latestVersion())
                    .row("created:", Text.time(m.createdAt()))
                    .row("updated:", Text.time(m.updatedAt()));
            info.print(out());
            line("");
            VersionsCommand.printVersions(out(), versions.items());
            if (versions.hasNext()) {
                line("(first " + MAX_VERSIONS + " versions; see 'mlops versions list " + name + "')");
            }
            return Errors.OK;
        }
    }
}
