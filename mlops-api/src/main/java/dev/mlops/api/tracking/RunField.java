package dev.mlops.api.tracking;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a filter condition or a sort clause looks at: a metric's latest value, a parameter, a tag,
 * or one of a run's attributes.
 *
 * @param kind where the value comes from
 * @param key the metric, parameter or tag name, or the attribute's name
 */
public record RunField(Kind kind, String key) {

    /** Where a field's value comes from. */
    public enum Kind {
        /** {@code metrics.KEY}: the latest value, a number. */
        METRIC,
        /** {@code params.KEY}: text. */
        PARAM,
        /** {@code tags.KEY}: text. */
        TAG,
        /** {@code attributes.KEY}: see {@link RunField#ATTRIBUTES}. */
        ATTRIBUTE
    }

    /**
     * The attributes a filter or order may name: {@code run_id}, {@code run_name},
     * {@code experiment}, {@code status} (text) and {@code start_time}, {@code end_time}
     * (numbers: milliseconds since 1970-01-01T00:00Z).
     */
    public static final List<String> ATTRIBUTES = List.of("run_id", "run_name", "experiment", "status", "start_time",
            "end_time");

    /** Checks. */
    public RunField {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        if (kind == Kind.ATTRIBUTE && !ATTRIBUTES.contains(key)) {
            throw new IllegalArgumentException("unknown run attribute " + dev.mlops.api.Names.quote(key)
                    + "; expected one of " + ATTRIBUTES);
        }
    }

    /** @return true when the field's values are numbers (metrics, start and end time) */
    public boolean isNumeric() {
        return kind == Kind.METRIC || (kind == Kind.ATTRIBUTE && key.endsWith("_time"));
    }

    /**
     * @param run a run
     * @return the field's value in the run: a {@link Double} for numeric fields, else a
     *     {@link String}; empty when the run does not have it
     */
    public Optional<Object> valueIn(Run run) {
        return switch (kind) {
            case METRIC -> Optional.ofNullable(run.metrics().get(key)).map(p -> p.value());
            case PARAM -> Optional.ofNullable(run.params().get(key));
            case TAG -> Optional.ofNullable(run.tags().get(key));
            case ATTRIBUTE -> switch (key) {
                case "run_id" -> Optional.of(run.id());
                case "run_name" -> Optional.of(run.name());
                case "experiment" -> Optional.of(run.experiment());
                case "status" -> Optional.of(run.status().name());
                case "start_time" -> Optional.of((double) run.startTime().toEpochMilli());
                default -> run.endTime().map(t -> (double) t.toEpochMilli());
            };
        };
    }

    /**
     * @param prefix as written: {@code metrics}, {@code params}, {@code tags}, {@code attributes}
     *     or their singular forms, or {@code attr}
     * @return the kind, or empty if the prefix is none of these
     */
    static Optional<Kind> kindOf(String prefix) {
        return switch (prefix.toLowerCase(Locale.ROOT)) {
            case "metrics", "metric" -> Optional.of(Kind.METRIC);
            case "params", "param", "parameters", "parameter" -> Optional.of(Kind.PARAM);
            case "tags", "tag" -> Optional.of(Kind.TAG);
            case "attributes", "attribute", "attr", "run" -> Optional.of(Kind.ATTRIBUTE);
            default -> Optional.empty();
        };
    }

    /** Written as in a filter, with a quoted key when it is not a plain word. */
    @Override
    public String toString() {
        String prefix = switch (kind) {
            case METRIC -> "metrics";
            case PARAM -> "params";
            case TAG -> "tags";
            case ATTRIBUTE -> "attributes";
        };
        boolean plain = key.matches("[A-Za-z_][A-Za-z0-9_-]*");
        return prefix + "." + (plain ? key : "`" + key.replace("`", "``") + "`");
    }

    /**
     * Parses a field at {@code i}: {@code prefix . key}, where the key is a backquoted name or
     * words, numbers and dots written without spaces. Returns the field and the index after it.
     */
    static Parsed parse(String what, String input, List<FilterLexer.Token> tokens, int i) {
        FilterLexer.Token prefix = tokens.get(i);
        if (prefix.type() != FilterLexer.Type.WORD) {
            throw FilterLexer.error(what, input, prefix.position(), "expected a field such as metrics.rmse,"
                    + " params.lr, tags.team or attributes.status, found " + prefix.describe());
        }
        Kind kind = kindOf(prefix.text()).orElseThrow(() -> FilterLexer.error(what, input, prefix.position(),
                "unknown field prefix " + prefix.describe() + "; expected metrics, params, tags or attributes"));
        FilterLexer.Token dot = tokens.get(i + 1);
        if (dot.type() != FilterLexer.Type.DOT) {
            throw FilterLexer.error(what, input, dot.position(), "expected '.' and a name after "
                    + prefix.describe() + ", found " + dot.describe());
        }
        int j = i + 2;
        FilterLexer.Token first = tokens.get(j);
        String key;
        if (first.type() == FilterLexer.Type.QUOTED_NAME || (first.type() == FilterLexer.Type.STRING
                && input.charAt(first.position() - 1) == '"')) {
            key = first.text();
            j++;
        } else if (first.type() == FilterLexer.Type.WORD || first.type() == FilterLexer.Type.NUMBER) {
            StringBuilder k = new StringBuilder(first.text());
            int end = first.position() + first.text().length();
            j++;
            // a dotted key such as metrics.val.loss: parts written without spaces between them
            while (tokens.get(j).type() == FilterLexer.Type.DOT && tokens.get(j).position() == end
                    && (tokens.get(j + 1).type() == FilterLexer.Type.WORD || tokens.get(j + 1).type() == FilterLexer.Type.NUMBER)
                    && tokens.get(j + 1).position() == end + 1) {
                k.append('.').append(tokens.get(j + 1).text());
                end = tokens.get(j + 1).position() + tokens.get(j + 1).text().length();
                j += 2;
            }
            key = k.toString();
        } else {
            throw FilterLexer.error(what, input, first.position(), "expected a name after "
                    + prefix.describe() + ". (a word, or a name in backquotes such as `f1@0.5`), found "
                    + first.describe());
        }
        if (key.isEmpty()) {
            throw FilterLexer.error(what, input, first.position(), "the name after " + prefix.describe()
                    + ". is empty");
        }
        if (kind == Kind.ATTRIBUTE && !ATTRIBUTES.contains(key)) {
            throw FilterLexer.error(what, input, first.position(), "unknown run attribute "
                    + dev.mlops.api.Names.quote(key) + "; expected one of " + ATTRIBUTES);
        }
        return new Parsed(new RunField(kind, key), j);
    }

    record Parsed(RunField field, int next) {
    }
}
