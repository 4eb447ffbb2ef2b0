package dev.mlops.cli;

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

    static double finiteNumber(String option, String key, String text) {
        if (DECIMAL.matcher(text).matches()) {
            double d = Double.parseDouble(text);
            if (Double.isFinite(d)) {
                return d;
            }
        }
        throw new BadInputException(option + " " + Names.quote(key) + " has value " + Names.quote(text)
                + ": expected a finite decimal number such as 0.91 or 1e-3");
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
