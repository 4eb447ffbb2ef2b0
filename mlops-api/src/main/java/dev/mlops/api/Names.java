package dev.mlops.api;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place that decides which caller-supplied strings are acceptable as names and paths.
 *
 * <p>Names of models, aliases, datasets and tag keys: 1 to 100 characters of lowercase ASCII
 * letters, digits, {@code .}, {@code _} and {@code -}, starting and ending with a letter or digit,
 * without {@code ..}, and not a Windows device name. Lowercase only (as container image names)
 * because a name becomes a directory and {@code Rain} and {@code rain} are one directory on
 * macOS and Windows. Every store key segment obeys the same rule, so no name can become a path
 * that leaves the store.
 *
 * <p>Metric and parameter names ({@link Kind#METRIC}, {@link Kind#PARAMETER}): free text, since
 * they never become paths, such as {@code val_auc}, {@code lr}, {@code f1@0.5} or
 * {@code precision[class a]}: 1 to 250 printable characters, spaces only inside; no control,
 * formatting (bidirectional overrides, zero-width characters), separator, private-use,
 * unassigned or broken UTF-16 character ({@link #isUnsafeToPrint}), so a name is shown as it
 * reads and cannot reorder or hide the text around it.
 *
 * <p>Artifact paths: relative, {@code /}-separated, each segment 1 to 255 characters of ASCII
 * letters, digits, spaces and {@code . _ - + = @ ,}, neither starting nor ending with a dot or a
 * space, no device name, 1,024 characters at most.
 */
public final class Names {
    /** Longest accepted name. */
    public static final int MAX_NAME_LENGTH = 100;
    /** Longest accepted artifact path. */
    public static final int MAX_PATH_LENGTH = 1024;
    /** Longest accepted free-text key (metric and parameter names). */
    public static final int MAX_KEY_LENGTH = 250;

    private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?");
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_+=@,-](?:[A-Za-z0-9._+=@, -]*[A-Za-z0-9_+=@,-])?");
    private static final Set<String> DEVICE_NAMES = Set.of(
            "con", "prn", "aux", "nul", "conin$", "conout$",
            "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

    private Names() {
    }

    /** What a name names; used in error messages. */
    public enum Kind {
        /** A registered model. */
        MODEL("model name"),
        /** An alias of a model. */
        ALIAS("alias"),
        /** A dataset in the catalog. */
        DATASET("dataset name"),
        /** The key of a tag. */
        TAG("tag key"),
        /** A segment of a store document key. */
        KEY_SEGMENT("document key segment"),
        /** The name of a metric, such as {@code val_auc} or {@code f1@0.5}: printable free text. */
        METRIC("metric name"),
        /** The name of a training parameter, such as {@code lr}: printable free text. */
        PARAMETER("parameter name");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** @return the words used for this kind in messages */
        public String label() {
            return label;
        }
    }

    /**
     * Checks a name and returns it unchanged.
     *
     * @param kind what the name names, for the message
     * @param name the caller's string
     * @return {@code name}
     * @throws InvalidNameException if the name breaks the rule; the message shows it escaped
     */
    public static String requireValid(Kind kind, String name) {
        Objects.requireNonNull(kind, "kind");
        if (name == null) {
            throw new InvalidNameException(kind.label() + " must not be null");
        }
        if (name.isEmpty()) {
            throw new InvalidNameException(kind.label() + " must not be empty");
        }
        if (kind == Kind.METRIC || kind == Kind.PARAMETER) {
            return requirePrintable(kind, name);
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidNameException(kind.label() + " " + quote(name) + " is " + name.length()
                    + " characters long; at most " + MAX_NAME_LENGTH + " are allowed");
        }
        if (!NAME.matcher(name).matches()) {
            throw new InvalidNameException(kind.label() + " " + quote(name)
                    + " is not valid: expected lowercase ASCII letters, digits, '.', '_' or '-',"
                    + " starting and ending with a letter or digit");
        }
        if (name.contains("..")) {
            throw new InvalidNameException(kind.label() + " " + quote(name) + " must not contain '..'");
        }
        if (isDeviceName(name)) {
            throw new InvalidNameException(kind.label() + " " + quote(name)
                    + " is a reserved device name on Windows");
        }
        return name;
    }

    /** @return true when {@link #requireValid} would accept {@code name} */
    public static boolean isValid(Kind kind, String name) {
        try {
            requireValid(kind, name);
            return true;
        } catch (InvalidNameException e) {
            return false;
        }
    }

    /** Tracked run ids: 32 lower-case hex digits, as MLflow's. */
    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");

    /**
     * Checks a tracked run's id ({@code dev.mlops.api.tracking.Run#id}). Here, not in the
     * tracking package, because a version's {@link Lineage} names a run too.
     *
     * @param id a caller's run id
     * @return {@code id}
     * @throws InvalidNameException if it is not 32 lower-case hex digits
     */
    public static String requireValidRunId(String id) {
        if (id == null || !RUN_ID.matcher(id).matches()) {
            throw new InvalidNameException("run id " + (id == null ? "null" : quote(id))
                    + " is not valid: expected 32 lower-case hex digits, as Tracking.startRun returns");
        }
        return id;
    }

    /**
     * Checks a relative path inside an artifact or dataset (for example {@code weights/layer1.bin}).
     *
     * @param path the caller's path, {@code /}-separated
     * @return {@code path}
     * @throws InvalidNameException if the path is absolute, escapes with {@code ..}, or has a
     *     segment outside the allowed characters
     */
    public static String requireValidPath(String path) {
        if (path == null) {
            throw new InvalidNameException("artifact path must not be null");
        }
        if (path.isEmpty()) {
            throw new InvalidNameException("artifact path must not be empty");
        }
        if (path.length() > MAX_PATH_LENGTH) {
            throw new InvalidNameException("artifact path " + quote(path) + " is " + path.length()
                    + " characters long; at most " + MAX_PATH_LENGTH + " are allowed");
        }
        if (path.startsWith("/") || path.endsWith("/")) {
            throw new InvalidNameException("artifact path " + quote(path)
                    + " must be relative and must not end with '/'");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidNameException("artifact path " + quote(path)
                        + " must not contain a '.' or '..' segment");
            }
            if (segment.length() > 255 || !PATH_SEGMENT.matcher(segment).matches()) {
                throw new InvalidNameException("artifact path " + quote(path) + " has segment " + quote(segment)
                        + ": expected 1 to 255 ASCII letters, digits, spaces or '._-+=@,', not starting or ending with '.' or ' '");
            }
            if (isDeviceName(segment)) {
                throw new InvalidNameException("artifact path " + quote(path)
                        + " has segment " + quote(segment) + ", a reserved device name on Windows");
            }
        }
        return path;
    }

    /**
     * Checks a free-form key such as a metric or parameter name: it is stored as JSON text and
     * never becomes a path, so the rule is only non-empty, at most 250 characters, no control
     * characters.
     *
     * @param what what the key is, for the message
     * @param key the key
     * @return {@code key}
     */
    public static String requireValidKey(String what, String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidNameException(what + " must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new InvalidNameException(what + " " + quote(key) + " is longer than " + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new InvalidNameException(what + " " + quote(key) + " contains a control character");
            }
        }
        return key;
    }

    /** The rule of metric and parameter names; see the class comment. */
    private static String requirePrintable(Kind kind, String name) {
        if (name.length() > MAX_KEY_LENGTH) {
            throw new InvalidNameException(kind.label() + " " + quote(name) + " is " + name.length()
                    + " characters long; at most " + MAX_KEY_LENGTH + " are allowed");
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            String problem = null;
            if (isUnsafeToPrint(cp)) {
                problem = "contains " + describe(cp);
            } else if (cp != ' ' && (Character.isWhitespace(cp) || Character.isSpaceChar(cp))) {
                problem = "contains " + codePoint(cp) + ", a space other than ' '";
            } else if (cp == ' ' && (i == 0 || i == name.length() - 1)) {
                problem = "starts or ends with a space";
            }
            if (problem != null) {
                throw new InvalidNameException(kind.label() + " " + quote(name) + " " + problem
                        + "; expected printable characters such as val_auc, lr or f1@0.5");
            }
            i += Character.charCount(cp);
        }
        return name;
    }

    /**
     * Whether a code point must not reach a terminal, a log line or a page as it is: control
     * characters, formatting characters (bidirectional overrides and isolates such as U+202E,
     * zero-width characters, the byte order mark), line and paragraph separators, private-use
     * and unassigned code points, and halves of broken UTF-16. Names refuse them; output that
     * shows stored free text escapes them.
     *
     * @param codePoint a Unicode code point (a lone surrogate counts as one)
     * @return true if it is unsafe to print raw
     */
    public static boolean isUnsafeToPrint(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.PRIVATE_USE, Character.UNASSIGNED, Character.SURROGATE:
                return true;
            default:
                return false;
        }
    }

    /** {@code U+202E, a formatting character (...)}: what an unsafe code point is, for messages. */
    private static String describe(int cp) {
        String what = switch (Character.getType(cp)) {
            case Character.CONTROL -> "a control character";
            case Character.FORMAT -> "a formatting character (a bidirectional control, zero-width or invisible character)";
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "a line or paragraph separator";
            case Character.PRIVATE_USE -> "a private-use character";
            case Character.SURROGATE -> "half of a broken UTF-16 pair";
            default -> "an unassigned code point";
        };
        return codePoint(cp) + ", " + what;
    }

    private static String codePoint(int cp) {
        return String.format(Locale.ROOT, "U+%04X", cp);
    }

    private static boolean isDeviceName(String segment) {
        String lower = segment.toLowerCase(Locale.ROOT);
        int dot = lower.indexOf('.');
        String stem = dot < 0 ? lower : lower.substring(0, dot);
        return DEVICE_NAMES.contains(stem);
    }

    /**
     * Quotes a caller string for an error message: control and non-ASCII characters are escaped
     * and long values are cut, so a hostile name cannot forge log lines.
     *
     * @param value any string
     * @return the value in single quotes, printable
     */
    public static String quote(String value) {
        StringBuilder sb = new StringBuilder("'");
        int limit = Math.min(value.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        if (value.length() > limit) {
            sb.append("...(").append(value.length()).append(" chars)");
        }
        return sb.append('\'').toString();
    }
}
