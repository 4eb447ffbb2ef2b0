package dev.mlops.cli;

import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Parsing of what the user typed; every failure is a {@link BadInputException} naming the value. */
final class Inputs {
    /** A plain decimal number: no NaN, no Infinity, no hex, no type suffix. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Inputs() {
    }

    /** One {@code KEY=VALUE} pair. */
    record KeyValue(String key, String value) {
    }

    /**
     * Splits at the first {@code =}: the value may contain {@code =} and may be empty, the key
     * may not be empty.
     */
    static KeyValue keyValue(String option, String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new BadInputException(option + " " + Names.quote(text) + " is not valid: expected KEY=VALUE");
        }
        return new KeyValue(text.substring(0, eq), text.substring(eq + 1));
    }

    /** Parses every {@code KEY=VALUE}; a key given twice is an error. */
    static Map<String, String> keyValues(String option, List<String> texts) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String t : texts) {
            KeyValue kv = keyValue(option, t);
            if (m.putIfAbsent(kv.key(), kv.value()) != null) {
                throw new BadInputException(option + " " + Names.quote(kv.key()) + " is given twice");
            }
        }
        return m;
    }

    /** Parses every {@code NAME=NUMBER} of {@code --metric}: finite decimal numbers only. */
    static Map<String, Double> metrics(String option, List<String> texts) {
        Map<String, Double> m = new LinkedHashMap<>();
        keyValues(option, texts).forEach((k, v) -> m.put(k, finiteNumber(option, k, v)));
        return m;
    }

    /**
     * The one parser of decimal numbers the user types ({@code --metric}, {@code --metric-min},
     * {@code --threshold}, {@code --drift-share}, ...): a plain decimal literal whose value a
     * double holds. Refused: NaN, Infinity, hex and suffixes; a literal too large for a double
     * (it would become infinity); and a literal that is not zero but too small for one (it
     * would become 0 without a word).
     *
     * @param option the option, for the message
     * @param key what the number is for (a metric name, a column), for the message
     */
    static double finiteNumber(String option, String key, String text) {
        String problem = "expected a finite decimal number such as 0.91 or 1e-3";
        if (DECIMAL.matcher(text).matches()) {
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) {
                problem = "it is too large for a number (at most about 1.8e308)";
            } else if (d == 0 && mantissaIsNonZero(text)) {
                problem = "it is not zero but too small for a number (at least about 4.9e-324), so it would be stored as 0";
            } else {
                return d;
            }
        }
        throw new BadInputException(option + " " + Names.quote(key) + " has value " + Names.quote(text) + ": " + problem);
    }

    /** Whether the digits before the exponent hold anything but zeros. */
    private static boolean mantissaIsNonZero(String decimal) {
        for (int i = 0; i < decimal.length(); i++) {
            char c = decimal.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    /**
     * A version reference given on the command line, such as {@code credit/4}.
     *
     * @param ref what the user typed
     * @param verb the command, for the message ({@code promote}, {@code alias set})
     * @return the version it names
     * @throws BadInputException if it is not valid or names an alias
     */
    static ModelRef.Version version(String ref, String verb) {
        ModelRef parsed;
        try {
            parsed = ModelRef.parse(ref);
        } catch (RuntimeException e) {
            throw new BadInputException("NAME/V " + Names.quote(ref) + " is not valid: " + Errors.oneLine(e.getMessage()));
        }
        if (!(parsed instanceof ModelRef.Version v)) {
            throw new BadInputException("NAME/V " + Names.quote(ref) + " names an alias; " + verb + " takes a version such as "
                    + parsed.model() + "/4");
        }
        return v;
    }

    /**
     * Checks that an input file or directory exists and is readable.
     *
     * @param what the option, for the message
     */
    static Path readable(String what, Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.exists(path)) {
            throw new BadInputException(what + " " + Names.quote(path.toString()) + " does not exist");
        }
        if (!Files.exists(path)) {
            throw new BadInputException(what + " " + Names.quote(path.toString()) + " is a broken symbolic link");
        }
        if (!Files.isReadable(path)) {
            throw new BadInputException(what + " " + Names.quote(path.toString()) + " is not readable");
        }
        if (!Files.isRegularFile(path) && !Files.isDirectory(path)) {
            throw new BadInputException(what + " " + Names.quote(path.toString())
                    + " is neither a regular file nor a directory");
        }
        return path;
    }

    /**
     * The bytes a registration will copy: a file's size, or the sum over a directory's regular
     * files (links are not followed; the registry refuses them anyway).
     *
     * @return the size, or -1 if it cannot be read (the progress line then shows no total)
     */
    static long size(Path fileOrDirectory) {
        try {
            if (!Files.isDirectory(fileOrDirectory)) {
                return Files.size(fileOrDirectory);
            }
            try (Stream<Path> files = Files.walk(fileOrDirectory)) {
                return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).mapToLong(f -> {
                    try {
                        return Files.size(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).sum();
            }
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** The name shown for a file or directory in a progress line: its last segment. */
    static String displayName(Path p) {
        Path name = p.toAbsolutePath().normalize().getFileName();
        return name == null ? p.toString() : name.toString() + (Files.isDirectory(p) ? "/" : "");
    }

    /** The CSV field separator: the one given, else a tab for {@code *.tsv} files, else a comma. */
    static char csvDelimiter(Path file, Character given) {
        if (given != null) {
            return given;
        }
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? '\t' : ',';
    }

    /**
     * {@code --delimiter}: one character that can separate CSV fields, or {@code \t} (a
     * backslash and a t, easier to type than a tab) for a tab. Refused with a usage error: an
     * empty value, more than one character, the quote (it encloses fields), a line break (it
     * ends rows), other control and invisible characters, and characters outside the Basic
     * Multilingual Plane.
     */
    static final class DelimiterConverter implements CommandLine.ITypeConverter<Character> {
        @Override
        public Character convert(String text) {
            String t = text.equals("\\t") ? "\t" : text;
            String problem = null;
            if (t.isEmpty()) {
                problem = "it is empty";
            } else if (t.length() == 2 && t.codePointCount(0, 2) == 1) {
                problem = "a character outside the Basic Multilingual Plane cannot separate fields";
            } else if (t.length() > 1) {
                problem = "it is " + t.codePointCount(0, t.length()) + " characters, not one";
            } else if (t.charAt(0) == '"') {
                problem = "the quote encloses fields, it cannot separate them";
            } else if (t.charAt(0) == '\n' || t.charAt(0) == '\r') {
                problem = "a line break ends rows, it cannot separate fields";
            } else if (t.charAt(0) != '\t' && Names.isUnsafeToPrint(t.charAt(0))) {
                problem = "it is a control or invisible character";
            }
            if (problem != null) {
                throw new CommandLine.TypeConversionException(Names.quote(text) + " is not a field separator: " + problem
                        + "; expected one character such as , ; | or \\t for a tab");
            }
            return t.charAt(0);
        }
    }

    /** Checks a page size or entry limit. */
    static int limit(String option, int value, int max) {
        if (value < 1 || value > max) {
            throw new BadInputException(option + " must be 1 to " + max + ", was " + value);
        }
        return value;
    }

    /** {@code 90s}, {@code 15m}, {@code 24h}, {@code 7d}, {@code 0} or ISO-8601 such as {@code PT1H}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            String t = text.strip().toLowerCase(Locale.ROOT);
            if (t.equals("0")) {
                return Duration.ZERO;
            }
            Matcher m = SHORT_DURATION.matcher(t);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            try {
                Duration d = Duration.parse(text.strip());
                if (!d.isNegative()) {
                    return d;
                }
            } catch (DateTimeParseException e) {
                // fall through to the message below
            }
            throw new CommandLine.TypeConversionException(Names.quote(text)
                    + " is not a duration: expected e.g. 0, 90s, 15m, 24h, 7d or PT1H");
        }
    }
}
