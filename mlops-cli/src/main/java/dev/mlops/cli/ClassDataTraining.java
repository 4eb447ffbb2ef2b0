package dev.mlops.cli;

import java.util.List;

/**
 * What the build runs once, in one JVM, to list the classes CLI runs load: the class-data archive
 * that {@code bin/mlops} starts with is made from that list. The runs are the ones a user starts
 * most: help, a registration, listings, an alias move, lineage, and JSON output. Not a command.
 */
final class ClassDataTraining {
    private ClassDataTraining() {
    }

    /**
     * @param args the store directory to train on (created), and a file to register as an artifact
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("expected a store directory and an artifact file, got " + List.of(args));
        }
        String store = args[0];
        String artifact = args[1];
        run("--help");
        run("help", "models");
        run("--store", store, "--quiet", "register", "class-data", "--artifact", artifact, "--metric", "auc=0.5");
        run("--store", store, "models", "list");
        run("--store", store, "--json", "models", "list");
        run("--store", store, "models", "show", "class-data");
        run("--store", store, "versions", "list", "class-data");
        run("--store", store, "--quiet", "alias", "set", "class-data/1", "--alias", "training");
        run("--store", store, "alias", "history", "class-data", "--alias", "training");
        run("--store", store, "lineage", "class-data/1");
    }

    private static void run(String... args) {
        int code = MlopsCommand.run(args);
        if (code != 0) {
            throw new IllegalStateException("mlops " + String.join(" ", args) + " exited with " + code);
        }
    }
}
