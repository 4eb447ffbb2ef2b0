package dev.mlops.registry.tck.process;

import java.util.ArrayList;
import java.util.List;

/** What {@link RegistrationWorker} children reported on stdout, parsed from their whole lines. */
public final class Reported {
    /**
     * A version a worker saw {@code register} return.
     *
     * @param model the model
     * @param version its number
     * @param sha256 the artifact's digest
     * @param seed the worker's seed
     * @param iteration the worker's loop counter
     */
    public record Created(String model, int version, String sha256, long seed, int iteration) {
    }

    /**
     * An alias move a worker saw return.
     *
     * @param kind ALIAS or ROLLBACK
     * @param model the model
     * @param alias the alias
     * @param version where the alias went
     */
    public record Move(String kind, String model, String alias, int version) {
    }

    private final List<Created> created = new ArrayList<>();
    private final List<Move> moves = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    /** @param lines one child's whole lines */
    public void add(List<String> lines) {
        for (String l : lines) {
            String[] f = l.split(" ");
            switch (f[0]) {
                case "CREATED" -> created.add(new Created(f[1], Integer.parseInt(f[2]), f[3], Long.parseLong(f[4]),
                        Integer.parseInt(f[5])));
                case "ALIAS", "ROLLBACK" -> moves.add(new Move(f[0], f[1], f[2], Integer.parseInt(f[3])));
                case "ERROR" -> errors.add(l);
                case "READY", "BEGIN", "DONE", "STALL", "TAGGED" -> {
                }
                default -> errors.add("unexpected line: " + l);
            }
        }
    }

    /** @return the registrations reported, in the order added */
    public List<Created> created() {
        return created;
    }

    /** @return the alias moves reported */
    public List<Move> moves() {
        return moves;
    }

    /** @return ERROR lines and lines that are no event */
    public List<String> errors() {
        return errors;
    }
}
