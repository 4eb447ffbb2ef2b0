package dev.mlops.cli;

import dev.mlops.api.AliasMove;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.RegisteredModel;
import dev.mlops.core.Mlops;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "alias", mixinStandardHelpOptions = true,
        description = {"Move aliases such as production between versions.", "Every move is kept in the alias history."},
        subcommands = {AliasCommand.SetAlias.class, AliasCommand.RollbackAlias.class, AliasCommand.AliasHistory.class,
                AliasCommand.RemoveAlias.class},
        footer = {"", "Example:", "  mlops --store ./registry alias set rain production 2",
                "  mlops --store ./registry alias rollback rain production"})
final class AliasCommand extends GroupCommand {

    /** Model name and alias, the first two parameters of every alias command. */
    abstract static class AliasTarget extends StoreCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS", description = "Alias name, such as production.")
        String alias;

        @Override
        void check() {
            Names.requireValid(Names.Kind.MODEL, name);
            Names.requireValid(Names.Kind.ALIAS, alias);
        }

        final Integer current(Mlops mlops) {
            return mlops.models().model(name).alias(alias).orElse(null);
        }

        final int printMove(Integer before, ModelVersion now, String verb) {
            if (jsonOutput()) {
                json(new Views.AliasView(name, alias, now.number(), before));
            } else {
                line(name + "@" + alias + " " + verb + " " + now.number()
                        + (before == null ? " (was unset)" : " (was " + before + ")"));
            }
            return Errors.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Point an alias at a version, atomically.",
            footer = {"", "Example:", "  mlops --store ./registry alias set rain production 2"})
    static final class SetAlias extends AliasTarget {
        @Parameters(index = "2", paramLabel = "VERSION", description = "An existing version number.")
        int version;

        @Override
        void check() {
            super.check();
            if (version < 1) {
                throw new BadInputException("VERSION must be 1 or more, was " + version);
            }
        }

        @Override
        int execute(Mlops mlops) {
            Integer before = current(mlops);
            return printMove(before, mlops.models().setAlias(name, alias, version), "->");
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Return an alias to the version it pointed at before its last move.",
            footer = {"", "Example:", "  mlops --store ./registry alias rollback rain production"})
    static final class RollbackAlias extends AliasTarget {
        @Override
        int execute(Mlops mlops) {
            Integer before = current(mlops);
            if (before == null && mlops.models().aliasHistory(name, alias).isEmpty()) {
                // an alias that never existed is a name the user got wrong, not a state conflict
                throw new NotFoundException("model " + Names.quote(name) + " has no alias " + Names.quote(alias));
            }
            return printMove(before, mlops.models().rollback(name, alias), "rolled back to");
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Show every move of an alias, oldest first.",
            footer = {"", "Example:", "  mlops --store ./registry alias history rain production --json"})
    static final class AliasHistory extends AliasTarget {
        @Override
        int execute(Mlops mlops) {
            RegisteredModel m = mlops.models().model(name);
            List<AliasMove> moves = mlops.models().aliasHistory(name, alias);
            if (jsonOutput()) {
                json(Map.of("name", m.name(), "alias", alias, "moves", moves.stream().map(Views::move).toList()));
                return Errors.OK;
            }
            if (moves.isEmpty()) {
                line(name + "@" + alias + " has never been set");
                return Errors.OK;
            }
            Table t = new Table("AT", "KIND", "FROM", "TO", "ACTOR");
            for (AliasMove mv : moves) {
                t.row(Text.time(mv.at()), Views.lower(mv.kind()), mv.from().orElse(null), mv.to().orElse(null), mv.actor());
            }
            t.print(out());
            return Errors.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an alias (recorded in its history).",
            footer = {"", "Example:", "  mlops --store ./registry alias remove rain staging"})
    static final class RemoveAlias extends AliasTarget {
        @Override
        int execute(Mlops mlops) {
            Integer before = current(mlops);
            mlops.models().removeAlias(name, alias);
            if (jsonOutput()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", name);
                m.put("alias", alias);
                m.put("version", null);
                m.put("previous_version", before);
                json(m);
            } else {
                line(name + "@" + alias + " removed" + (before == null ? "" : " (was " + before + ")"));
            }
            return Errors.OK;
        }
    }
}
