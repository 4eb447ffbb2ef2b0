package dev.mlops.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Base of a command that only groups subcommands ({@code models}, {@code datasets}, {@code alias}). */
abstract class GroupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: one of "
                + String.join(", ", spec.subcommands().keySet().stream().filter(s -> !s.equals("help")).toList()));
    }
}
