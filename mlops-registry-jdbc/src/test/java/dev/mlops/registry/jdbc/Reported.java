package dev.mlops.registry.jdbc;

import java.util.ArrayList;
import java.util.List;

/** What worker children reported on stdout, parsed from their whole lines. */
final class Reported {
    /** A version a worker saw {@code register} return. */
    record Created(String model, int version, String sha256, long seed, int iteration) {
    }

    /** An alias move a worker saw return ({@code kind} is ALIAS or ROLLBACK). */
    record Move(String kind, String model, String alias, int version) {
    }

    final List<Created> created = new ArrayList<>();
    final List<Move> moves = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    void add(List<String> lines) {
        for (String l : lines) {
            String[] f = l.split(" ");
            switch (f[0]) {
                case "CREATED" -> created.add(new Created(f[1], Integer.parseInt(f[2]), f[3], Long.parseLong(f[4]),
                        Integer.parseInt(f[5])));
                case "ALIAS", "ROLLBACK" -> moves.add(new Move(f[0], f[1], f[2], Integer.parseInt(f[3])));
                case "ERROR" -> errors.add(l);
                case "READY", "BEGIN", "DONE", "STALL" -> {
                }
                default -> errors.add("unexpected line: " + l);
            }
        }
    }
}
