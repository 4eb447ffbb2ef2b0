package dev.mlops.api.tracking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How searched runs are sorted: clauses such as {@code metrics.rmse ASC, attributes.start_time DESC},
 * as MLflow's {@code order_by}. Each clause is a {@linkplain RunField field} and {@code ASC}
 * (the default) or {@code DESC}. Runs that lack a clause's field come after those that have it,
 * whatever the direction. Ties are broken by start time, newest first, then by run id, so the
 * order is total and pages do not overlap.
 *
 * @param text the order as written
 * @param clauses the clauses, most significant first
 */
public record RunOrder(String text, List<Clause> clauses) {

    /** Newest first, MLflow's default. */
    public static final RunOrder NEWEST_FIRST = new RunOrder("", List.of());

    /** Copies. */
    public RunOrder {
        Objects.requireNonNull(text, "text");
        clauses = List.copyOf(clauses);
    }

    /**
     * One sort key.
     *
     * @param field what to sort by
     * @param ascending smallest first when true
     */
    public record Clause(RunField field, boolean ascending) {
        /** Checks. */
        public Clause {
            Objects.requireNonNull(field, "field");
        }
    }

    /**
     * @param text comma-separated clauses, each {@code field [ASC|DESC]}; blank for newest first
     * @return the parsed order
     * @throws IllegalArgumentException if it does not follow that form; the message names the
     *     character position of the wrong token
     */
    public static RunOrder parse(String text) {
        Objects.requireNonNull(text, "text");
        String what = "run order";
        List<FilterLexer.Token> tokens = FilterLexer.tokens(what, text);
        if (tokens.get(0).type() == FilterLexer.Type.END) {
            return new RunOrder(text, List.of());
        }
        List<Clause> out = new ArrayList<>();
        int i = 0;
        while (true) {
            RunField.Parsed f = RunField.parse(what, text, tokens, i);
            i = f.next();
            boolean ascending = true;
            FilterLexer.Token t = tokens.get(i);
            if (t.type() == FilterLexer.Type.WORD) {
                String w = t.text().toUpperCase(Locale.ROOT);
                if (!w.equals("ASC") && !w.equals("DESC")) {
                    throw FilterLexer.error(what, text, t.position(), "expected ASC, DESC, ',' or the end after "
                            + f.field() + ", found " + t.describe());
                }
                ascending = w.equals("ASC");
                t = tokens.get(++i);
            }
            out.add(new Clause(f.field(), ascending));
            if (t.type() == FilterLexer.Type.END) {
                return new RunOrder(text, out);
            }
            if (t.type() != FilterLexer.Type.COMMA) {
                throw FilterLexer.error(what, text, t.position(), "expected ',' or the end after the clause "
                        + f.field() + (ascending ? " ASC" : " DESC") + ", found " + t.describe());
            }
            i++;
        }
    }

    /** @return a total order of runs: the clauses, then newest start first, then run id */
    public Comparator<Run> comparator() {
        Comparator<Run> c = (a, b) -> 0;
        for (Clause clause : clauses) {
            c = c.thenComparing((a, b) -> compare(clause, a, b));
        }
        return c.thenComparing(Run::startTime, Comparator.reverseOrder()).thenComparing(Run::id);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Clause clause, Run a, Run b) {
        Optional<Object> x = clause.field().valueIn(a);
        Optional<Object> y = clause.field().valueIn(b);
        if (x.isEmpty() || y.isEmpty()) {
            // missing values last, in either direction
            return Boolean.compare(x.isEmpty(), y.isEmpty());
        }
        int c = ((Comparable) x.get()).compareTo(y.get());
        return clause.ascending() ? c : -c;
    }
}
