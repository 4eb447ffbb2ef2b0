package dev.mlops.cli;

import dev.mlops.api.AliasMove;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.RegisteredModel;
import dev.mlops.core.Mlops;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "alias", mixinStandardHelpOptions = true,
        description = {"Move aliases such as production between versions.", "Every move is kept in the alias history."},
        subcommands = {AliasCommand.SetAlias.class, AliasCommand.RollbackAlias.class, AliasCommand.AliasHistory.class,
                AliasCommand.RemoveAlias.class},
        footer = {"", "The alias is always given with --alias, as in promote.", "", "Example:",
                "  mlops --store ./registry alias set rain/2 --alias production",
                "  mlops --store ./registry alias rollback rain --alias production"})
final class AliasCommand extends GroupCommand {

    /**
     * The alias, given with {@code --alias} by every command that moves or reads one (as
     * {@code promote} does), and a clear refusal of the positional form of earlier builds.
     */
    abstract static class AliasOption extends StoreCommand {
        // required, but checked in check(): picocli would refuse the positional form of earlier
        // builds as a missing option, before the message below can show the form to type
        @Option(names = "--alias", paramLabel = "ALIAS", description = "Alias name, such as production (required).")
        String alias;

        @Parameters(index = "1..*", hidden = true)
        List<String> extra = List.of();

        final int printMove(String name, String alias, Integer before, ModelVersion now, String verb) {
            if (jsonOutput()) {
                json(new Views.AliasView(name, alias, now.number(), before));
            } else {
                line(name + "@" + alias + " " + verb + " " + now.number()
                        + (before == null ? " (was unset)" : " (was " + before + ")"));
            }
            return Errors.OK;
        }

        /**
         * @param extra the positional arguments after the first, as the form of earlier builds gave them
         * @return the command as the user should type it
         */
        abstract String usage(List<String> extra);

        @Override
        void check() {
            if (!extra.isEmpty()) {
                throw new BadInputException("unexpected argument " + Names.quote(extra.get(0)) + ": the alias is given with"
                        + " --alias, as in: mlops " + usage(extra));
            }
            if (alias == null) {
                throw new BadInputException("Missing required option: '--alias=ALIAS'");
            }
            Names.requireValid(Names.Kind.ALIAS, alias);
        }
    }

    /** Model name and alias: rollback, history and remove. */
    abstract static class AliasTarget extends AliasOption {
        @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
        String name;

        @Override
        void check() {
            super.check();
            Names.requireValid(Names.Kind.MODEL, name);
        }

        final Integer current(Mlops mlops) {
            return mlops.models().model(name).alias(alias).orElse(null);
        }

        final int printMove(Integer before, ModelVersion now, String verb) {
            return printMove(name, alias, before, now, verb);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Point an alias at a version, atomically.",
            footer = {"", "Example:", "  mlops --store ./registry alias set rain/2 --alias production"})
    static final class SetAlias extends AliasOption {
        @Parameters(index = "0", paramLabel = "NAME/V", description = "An existing version, such as rain/2.")
        String ref;

        private ModelRef.Version version;

        @Override
        String usage(List<String> extra) {
            // the form of earlier builds: alias set NAME ALIAS VERSION
            return extra.size() == 2 && !ref.contains("/") ? "alias set " + ref + "/" + extra.get(1) + " --alias " + extra.get(0)
                    : "alias set NAME/V --alias ALIAS";
        }

        @Override
        void check() {
            super.check();
            version = Inputs.version(ref, "alias set");
        }

        @Override
        int execute(Mlops mlops) {
            String name = version.model();
            Integer before = mlops.models().model(name).alias(alias).orElse(null);
            return printMove(name, alias, before, mlops.models().setAlias(name, alias, version.number()), "->");
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Return an alias to the version it pointed at before its last move.",
            footer = {"", "Example:", "  mlops --store ./registry alias rollback rain --alias production"})
    static final class RollbackAlias extends AliasTarget {
        @Override
        String usage(List<String> extra) {
            return "alias rollback " + (extra.size() == 1 ? name + " --alias " + extra.get(0) : "NAME --alias ALIAS");
        }

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
            footer = {"", "Example:", "  mlops --store ./registry alias history rain --alias production --json"})
    static final class AliasHistory extends AliasTarget {
        @Override
        String usage(List<String> extra) {
            return "alias history " + (extra.size() == 1 ? name + " --alias " + extra.get(0) : "NAME --alias ALIAS");
        }

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
            footer = {"", "Example:", "  mlops --store ./registry alias remove rain --alias staging"})
    static final class RemoveAlias extends AliasTarget {
        @Override
        String usage(List<String> extra) {
            return "alias remove " + (extra.size() == 1 ? name + " --alias " + extra.get(0) : "NAME --alias ALIAS");
        }

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
