package dev.mlops.api.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A parsed run filter, MLflow's {@code search_runs} grammar without {@code OR}:
 *
 * <pre>
 * filter     := "" | condition ( AND condition )*
 * condition  := field comparator value
 * field      := prefix "." ( name | `quoted name` | "quoted name" )
 * prefix     := metrics | params | tags | attributes   (also metric, param, tag, attribute, attr)
 * comparator := = | != | &lt; | &lt;= | &gt; | &gt;= | LIKE | ILIKE
 * value      := number | 'text' | "text"              (a doubled quote inside stands for one)
 * </pre>
 *
 * <p>Metrics ({@code metrics.rmse}, their latest value) and the time attributes take numbers and
 * the six numeric comparators; params, tags and the other attributes take text and {@code =},
 * {@code !=}, {@code LIKE} and {@code ILIKE} ({@code %} any run of characters, {@code _} one
 * character; {@code ILIKE} ignores case). {@code AND}, {@code LIKE} and {@code ILIKE} are
 * case-insensitive. A run that lacks the field does not match its condition, {@code !=}
 * included. Parsing is strict: anything else is refused with the character position of the
 * token that is wrong.
 *
 * <pre>{@code
 * RunFilter.parse("metrics.rmse < 0.5 and params.lr = '0.1' and tags.team = 'x'")
 * }</pre>
 *
 * @param text the filter as written
 * @param conditions the conditions, all of which a run must meet
 */
public record RunFilter(String text, List<Condition> conditions) implements Predicate<Run> {

    /** The filter every run passes. */
    public static final RunFilter ALL = new RunFilter("", List.of());

    /** Copies. */
    public RunFilter {
        Objects.requireNonNull(text, "text");
        conditions = List.copyOf(conditions);
    }

    /** How a condition compares. */
    public enum Comparator {
        /** {@code =} */
        EQ("="),
        /** {@code !=} */
        NE("!="),
        /** {@code <} */
        LT("<"),
        /** {@code <=} */
        LE("<="),
        /** {@code >} */
        GT(">"),
        /** {@code >=} */
        GE(">="),
        /** {@code LIKE}, case-sensitive pattern */
        LIKE("LIKE"),
        /** {@code ILIKE}, pattern ignoring case */
        ILIKE("ILIKE");

        private final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        /** @return as written in a filter */
        public String symbol() {
            return symbol;
        }
    }

    /**
     * One condition.
     *
     * @param field what it looks at
     * @param comparator how it compares
     * @param value a {@link Double} for numeric fields, a {@link String} for text fields
     */
    public record Condition(RunField field, Comparator comparator, Object value) implements Predicate<Run> {
        /** Checks that the comparator and value fit the field. */
        public Condition {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(comparator, "comparator");
            Objects.requireNonNull(value, "value");
            if (field.isNumeric() != (value instanceof Double)) {
                throw new IllegalArgumentException(field + " compares " + (field.isNumeric() ? "numbers" : "text")
                        + ", not " + value);
            }
            boolean pattern = comparator == Comparator.LIKE || comparator == Comparator.ILIKE;
            boolean ordering = !pattern && comparator != Comparator.EQ && comparator != Comparator.NE;
            if (field.isNumeric() ? pattern : ordering) {
                throw new IllegalArgumentException(field + " is " + (field.isNumeric() ? "a number" : "text")
                        + " and cannot be compared with " + comparator.symbol());
            }
        }

        @Override
        public boolean test(Run run) {
            Optional<Object> actual = field.valueIn(run);
            if (actual.isEmpty()) {
                return false;
            }
            if (value instanceof Double wanted) {
                int c = Double.compare((Double) actual.get(), wanted);
                return switch (comparator) {
                    case EQ -> c == 0;
                    case NE -> c != 0;
                    case LT -> c < 0;
                    case LE -> c <= 0;
                    case GT -> c > 0;
                    case GE -> c >= 0;
                    default -> throw new IllegalStateException(comparator.name());
                };
            }
            String text = (String) actual.get();
            return switch (comparator) {
                case EQ -> text.equals(value);
                case NE -> !text.equals(value);
                case LIKE -> like((String) value, false).matcher(text).matches();
                case ILIKE -> like((String) value, true).matcher(text).matches();
                default -> throw new IllegalStateException(comparator.name());
            };
        }

        private static Pattern like(String pattern, boolean ignoreCase) {
            StringBuilder regex = new StringBuilder();
            StringBuilder literal = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '%' || c == '_') {
                    if (!literal.isEmpty()) {
                        regex.append(Pattern.quote(literal.toString()));
                        literal.setLength(0);
                    }
                    regex.append(c == '%' ? ".*" : ".");
                } else {
                    literal.append(c);
                }
            }
            if (!literal.isEmpty()) {
                regex.append(Pattern.quote(literal.toString()));
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL
                    | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
        }

        @Override
        public String toString() {
            String v = value instanceof Double d ? d.toString() : "'" + ((String) value).replace("'", "''") + "'";
            return field + " " + comparator.symbol() + " " + v;
        }
    }

    /**
     * @param text a filter, such as {@code metrics.rmse < 0.5 and params.lr = '0.1'}; blank for all runs
     * @return the parsed filter
     * @throws IllegalArgumentException if it does not follow the grammar; the message names the
     *     character position and the token that is wrong, and what was expected there
     */
    public static RunFilter parse(String text) {
        Objects.requireNonNull(text, "text");
        String what = "run filter";
        List<FilterLexer.Token> tokens = FilterLexer.tokens(what, text);
        List<Condition> out = new ArrayList<>();
        int i = 0;
        if (tokens.get(0).type() == FilterLexer.Type.END) {
            return new RunFilter(text, List.of());
        }
        while (true) {
            RunField.Parsed f = RunField.parse(what, text, tokens, i);
            i = f.next();
            FilterLexer.Token op = tokens.get(i);
            Comparator comparator = comparator(op).orElseThrow(() -> FilterLexer.error(what, text, op.position(),
                    "expected a comparator (=, !=, <, <=, >, >=, LIKE or ILIKE) after " + f.field() + ", found "
                            + op.describe()));
            FilterLexer.Token v = tokens.get(i + 1);
            out.add(condition(what, text, f.field(), comparator, op, v));
            i += 2;
            FilterLexer.Token next = tokens.get(i);
            if (next.type() == FilterLexer.Type.END) {
                return new RunFilter(text, out);
            }
            if (next.type() != FilterLexer.Type.WORD || !next.text().equalsIgnoreCase("and")) {
                throw FilterLexer.error(what, text, next.position(), "expected AND or the end after the condition "
                        + out.get(out.size() - 1) + ", found " + next.describe()
                        + (next.text().equalsIgnoreCase("or") ? " (OR is not supported, as in MLflow)" : ""));
            }
            i++;
            if (tokens.get(i).type() == FilterLexer.Type.END) {
                throw FilterLexer.error(what, text, tokens.get(i).position(), "expected a condition after AND,"
                        + " found the end");
            }
        }
    }

    private static Optional<Comparator> comparator(FilterLexer.Token t) {
        if (t.type() == FilterLexer.Type.COMPARATOR) {
            for (Comparator c : Comparator.values()) {
                if (c.symbol().equals(t.text())) {
                    return Optional.of(c);
                }
            }
        }
        if (t.type() == FilterLexer.Type.WORD) {
            String w = t.text().toUpperCase(Locale.ROOT);
            if (w.equals("LIKE")) {
                return Optional.of(Comparator.LIKE);
            }
            if (w.equals("ILIKE")) {
                return Optional.of(Comparator.ILIKE);
            }
        }
        return Optional.empty();
    }

    private static Condition condition(String what, String text, RunField field, Comparator comparator,
                                       FilterLexer.Token op, FilterLexer.Token v) {
        if (field.isNumeric()) {
            if (comparator == Comparator.LIKE || comparator == Comparator.ILIKE) {
                throw FilterLexer.error(what, text, op.position(), field + " is a number and cannot be compared with "
                        + comparator.symbol() + "; expected =, !=, <, <=, > or >=");
            }
            if (v.type() != FilterLexer.Type.NUMBER) {
                throw FilterLexer.error(what, text, v.position(), "expected a number after " + field + " "
                        + comparator.symbol() + ", found " + v.describe());
            }
            double d = Double.parseDouble(v.text());
            if (!Double.isFinite(d)) {
                throw FilterLexer.error(what, text, v.position(), "the number " + v.text() + " is out of range");
            }
            return new Condition(field, comparator, d);
        }
        if (comparator != Comparator.EQ && comparator != Comparator.NE && comparator != Comparator.LIKE
                && comparator != Comparator.ILIKE) {
            throw FilterLexer.error(what, text, op.position(), field + " is text and cannot be compared with "
                    + comparator.symbol() + "; expected =, !=, LIKE or ILIKE");
        }
        if (v.type() != FilterLexer.Type.STRING) {
            throw FilterLexer.error(what, text, v.position(), "expected a quoted string such as '0.1' after " + field
                    + " " + comparator.symbol() + ", found " + v.describe());
        }
        return new Condition(field, comparator, v.text());
    }

    /** @return true when the run meets every condition */
    @Override
    public boolean test(Run run) {
        Objects.requireNonNull(run, "run");
        for (Condition c : conditions) {
            if (!c.test(run)) {
                return false;
            }
        }
        return true;
    }
}
