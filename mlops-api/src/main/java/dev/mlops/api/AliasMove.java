package dev.mlops.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded change of an alias.
 *
 * @param alias the alias
 * @param kind set, rollback or removal
 * @param from the version it pointed at before, if any
 * @param to the version it points at after, if any
 * @param at when
 * @param actor who
 */
public record AliasMove(String alias, Kind kind, Optional<Integer> from, Optional<Integer> to, Instant at, String actor) {

    /** What happened to the alias. */
    public enum Kind {
        /** Pointed at a version by {@link ModelRegistry#setAlias}. */
        SET,
        /** Returned to its previous version by {@link ModelRegistry#rollback}. */
        ROLLBACK,
        /** Removed by {@link ModelRegistry#removeAlias}. */
        REMOVE
    }

    /** Checks arguments. */
    public AliasMove {
        Names.requireValid(Names.Kind.ALIAS, alias);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
    }
}
