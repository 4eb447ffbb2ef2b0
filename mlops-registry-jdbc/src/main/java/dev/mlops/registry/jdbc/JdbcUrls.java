package dev.mlops.registry.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Database URLs as they may be shown: the one place that decides what of a URL appears in a
 * message, a log line or {@link PostgresStore#describe()}.
 *
 * <p>{@link #redact} keeps the scheme, the hosts and ports, the path (the database) and the
 * names of the query parameters, and the values of the parameters in {@link #SHOWN_PARAMETERS}
 * only (and those only when they are plain words, numbers or lists). It replaces with {@value #HIDDEN}: the user information ({@code user:password@}, shown
 * as {@code ***@}), every other parameter's value, a parameter without a value unless it is a
 * shown one, a parameter name that is not a plain name, and a fragment. It fails closed: where
 * the part before the query is not {@code //HOST[:PORT][,HOST[:PORT]...][/PATH]} after the user
 * information is taken off, or when an {@code @} follows the {@code ?} or {@code #}, all of it
 * is hidden, so that a password with an unescaped {@code /}, {@code ?}, {@code #} or {@code @}
 * never shows, at the price of hiding more than necessary in a malformed URL (and in one with
 * an {@code @} in a parameter, such as {@code ?user=me@example.com}). The result of redacting is redacted already: redacting it again
 * changes nothing.
 *
 * <pre>{@code
 * jdbc:postgresql://ci:SeCrEt@db1:5432,db2:5433/mlops?sslmode=require&password=x&foo=bar
 *   -> jdbc:postgresql://***@db1:5432,db2:5433/mlops?sslmode=require&password=***&foo=***
 * }</pre>
 */
public final class JdbcUrls {
    /** What stands in place of a hidden part. */
    public static final String HIDDEN = "***";

    /**
     * The query parameters (pgjdbc's names, compared ignoring case) whose values are shown: they
     * select the server, the database's schema, TLS, timeouts and how the driver talks, and are
     * needed to tell why a connection failed. None of them holds a credential; the file paths of
     * TLS keys and certificates ({@code sslkey}, {@code sslcert}, {@code sslrootcert}) and
     * {@code options} (which may carry any server setting) are not among them.
     */
    public static final Set<String> SHOWN_PARAMETERS = Set.of(
            "ssl", "sslmode", "sslnegotiation", "gssencmode", "channelbinding",
            "connecttimeout", "sockettimeout", "logintimeout", "cancelsignaltimeout", "tcpkeepalive",
            "currentschema", "applicationname", "targetservertype", "loadbalancehosts", "hostrecheckseconds",
            "readonly", "readonlymode", "preferquerymode", "preparethreshold", "binarytransfer",
            "rewritebatchedinserts", "defaultrowfetchsize", "stringtype", "assumeminserverversion",
            "protocolversion", "autosave");

    /** Parameters that hold a password (pgjdbc's names, compared ignoring case). */
    private static final Set<String> PASSWORD_PARAMETERS = Set.of("password", "sslpassword");

    /** {@code jdbc:SUBPROTOCOL:} or a plain URI scheme such as {@code postgresql:}. */
    private static final Pattern SCHEME = Pattern.compile("(?:jdbc:)?[A-Za-z][A-Za-z0-9+.\\-]*:");
    private static final String HOST = "(?:\\[[0-9A-Za-z:.%]*\\]|[A-Za-z0-9._~%\\-]*)(?::[0-9]*)?";
    private static final Pattern HOSTS = Pattern.compile(HOST + "(?:," + HOST + ")*");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]{0,63}");
    /**
     * What a shown parameter's value may look like to be shown: a word, a number, a list of
     * schemas; anything else (an {@code @}, a {@code ?}, a {@code /}) means the URL is not what it
     * seems, say a password with an unescaped {@code ?sslmode=} in it, and the value is hidden.
     */
    private static final Pattern SHOWN_VALUE = Pattern.compile("[A-Za-z0-9_.,:+%$\\-]{0,128}");
    /** Where a URL starts inside a message: a JDBC URL or a libpq URI. */
    private static final Pattern URL_IN_TEXT = Pattern.compile(
            "(?i)(?<![A-Za-z0-9+.\\-])(?:jdbc:[a-z0-9+.\\-]+:|postgres(?:ql)?://)");
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s");
    /** Quotes and brackets that may enclose a URL in a message, and their closing characters. */
    private static final String OPENERS = "'\"`(<[";
    private static final String CLOSERS = "'\"`)>]";

    private JdbcUrls() {
    }

    /**
     * @param url a URL as given, well formed or not; null is allowed
     * @return the URL with its secrets hidden, as described on this class; {@value #HIDDEN} for
     *     a value that does not start with a scheme
     */
    public static String redact(String url) {
        if (url == null) {
            return "(no URL)";
        }
        return parse(url).map(Parsed::redacted).orElse(HIDDEN);
    }

    /**
     * The URL redacted and quoted for a message: in single quotes, whole (a URL is not cut short,
     * as long names are), with a quote, a backslash and every character outside printable ASCII
     * written as {@code \\uXXXX}, so that it cannot break the line or the terminal.
     *
     * @param url a URL as given; null is allowed
     * @return {@code 'REDACTED'}
     */
    public static String quoted(String url) {
        String shown = redact(url);
        StringBuilder sb = new StringBuilder(shown.length() + 2).append('\'');
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.append('\'').toString();
    }

    /**
     * Redacts every URL inside a text (a message, a stack trace): each stretch that starts like a
     * JDBC URL or a libpq URI and runs to the next white space, or, when a quote or bracket stands
     * just before it, to the last matching closing character before that white space (so that a
     * quote inside a password does not end the URL early). A safety net for text that this
     * library did not build, such as a driver's message; messages built here redact their URLs
     * with {@link #redact} where they are made. A password with white space in it, unescaped,
     * cannot be told from the text after the URL: the part after the white space may show.
     *
     * @param text any text; null is returned as it is
     * @return the text with each URL in it redacted
     */
    public static String redactWithin(String text) {
        if (text == null) {
            return null;
        }
        Matcher start = URL_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        Matcher space = WHITE_SPACE.matcher(text);
        while (start.find(copied)) {
            int from = start.start();
            int stop = space.find(start.end()) ? space.start() : text.length();
            int opener = from > 0 ? OPENERS.indexOf(text.charAt(from - 1)) : -1;
            if (opener >= 0) {
                int closer = text.lastIndexOf(CLOSERS.charAt(opener), stop - 1);
                if (closer >= start.end()) {
                    stop = closer;
                }
            }
            out.append(text, copied, from).append(redact(text.substring(from, stop)));
            copied = stop;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /**
     * Where a URL holds a password, for a caller that refuses URLs with secrets (a command line,
     * which shows in the process list and the shell history).
     *
     * @param url a URL as given
     * @return {@code the user:password@ part}, or {@code parameter 'NAME'} for the first
     *     parameter that holds a password; empty if neither is present
     */
    public static Optional<String> passwordIn(String url) {
        Optional<Parsed> parsed = parse(url);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Parsed p = parsed.get();
        if (p.userInfo() != null && p.userInfo().contains(":")) {
            return Optional.of("the user:password@ part");
        }
        for (Parameter parameter : p.parameters()) {
            if (PASSWORD_PARAMETERS.contains(parameter.name().toLowerCase(Locale.ROOT))) {
                return Optional.of("parameter '" + parameter.name() + "'");
            }
        }
        return Optional.empty();
    }

    /**
     * Why the driver should not be given {@code url}, checked before it is: pgjdbc reads no user
     * information, where it cannot parse the hosts it logs them (a password typed in their place
     * included) through {@code java.util.logging} before refusing, and it takes a fragment as part
     * of the database name, which the server then repeats in its error.
     *
     * @param url a URL starting with a scheme
     * @return what is wrong, naming no part of the URL; empty if nothing found here
     */
    public static Optional<String> unreadableByDriver(String url) {
        Optional<Parsed> parsed = parse(url);
        if (parsed.isEmpty()) {
            return Optional.of("it does not start with a scheme such as jdbc:postgresql:");
        }
        Parsed p = parsed.get();
        if (p.unreadable()) {
            return Optional.of("the part before the query is not //HOST[:PORT][,HOST[:PORT]...]/DATABASE");
        }
        if (p.userInfo() != null) {
            return Optional.of("it holds a user" + (p.userInfo().contains(":") ? ":password" : "") + "@ part, which the"
                    + " PostgreSQL JDBC driver does not read");
        }
        if (p.fragment() != null) {
            // the server would echo it back: "database "mlops#..." does not exist"
            return Optional.of("it has a #fragment, which the driver would take as part of the database name or of"
                    + " the last parameter's value");
        }
        return Optional.empty();
    }

    /** A query parameter as written: its name, and its value if it has an {@code =}. */
    private record Parameter(String name, String value) {
    }

    /**
     * A URL taken apart: {@code scheme}, then either {@code //userInfo@hosts path} or
     * {@code path}, then {@code ?parameters}, then {@code #fragment}.
     *
     * @param userInfo null when absent
     * @param unreadable the part before the query was not understood: it is hidden whole
     * @param query null when the URL has no {@code ?}
     * @param fragment null when the URL has no {@code #}
     */
    private record Parsed(String scheme, boolean authority, String userInfo, String hosts, String path,
                          boolean unreadable, String query, List<Parameter> parameters, String fragment) {

        String redacted() {
            StringBuilder sb = new StringBuilder(scheme);
            if (authority) {
                sb.append("//");
            }
            if (unreadable) {
                sb.append(HIDDEN);
            } else {
                if (userInfo != null) {
                    sb.append(HIDDEN).append('@');
                }
                sb.append(hosts).append(path);
            }
            if (query != null) {
                sb.append('?');
                List<String> shown = new ArrayList<>();
                for (String pair : query.split("&", -1)) {
                    shown.add(redactParameter(pair));
                }
                sb.append(String.join("&", shown));
            }
            if (fragment != null) {
                sb.append('#').append(HIDDEN);
            }
            return sb.toString();
        }
    }

    private static String redactParameter(String pair) {
        if (pair.isEmpty()) {
            return pair;
        }
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        boolean shown = SHOWN_PARAMETERS.contains(name.toLowerCase(Locale.ROOT));
        if (eq < 0) {
            return shown ? name : HIDDEN;
        }
        String shownName = PARAMETER_NAME.matcher(name).matches() ? name : HIDDEN;
        String value = pair.substring(eq + 1);
        return shownName + "=" + (shown && SHOWN_VALUE.matcher(value).matches() ? value : HIDDEN);
    }

    private static Optional<Parsed> parse(String url) {
        if (url == null) {
            return Optional.empty();
        }
        Matcher scheme = SCHEME.matcher(url);
        if (!scheme.lookingAt()) {
            return Optional.empty();
        }
        String rest = url.substring(scheme.end());
        int queryAt = rest.indexOf('?');
        int fragmentAt = rest.indexOf('#');
        // the part before the query ends at the first '?' or '#', whichever comes first
        int preEnd = rest.length();
        if (queryAt >= 0) {
            preEnd = queryAt;
        }
        if (fragmentAt >= 0 && fragmentAt < preEnd) {
            preEnd = fragmentAt;
        }
        String pre = rest.substring(0, preEnd);
        String query = null;
        String fragment = null;
        if (preEnd < rest.length() && rest.charAt(preEnd) == '?') {
            int hash = rest.indexOf('#', preEnd);
            query = rest.substring(preEnd + 1, hash < 0 ? rest.length() : hash);
            fragment = hash < 0 ? null : rest.substring(hash + 1);
        } else if (preEnd < rest.length()) {
            fragment = rest.substring(preEnd + 1);
        }
        List<Parameter> parameters = new ArrayList<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    parameters.add(new Parameter(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? null : pair.substring(eq + 1)));
                }
            }
        }
        String s = scheme.group();
        // an '@' after a '?' or '#' may end user information that holds an unescaped '?' or '#'
        boolean atAfter = query != null && query.indexOf('@') >= 0 || fragment != null && fragment.indexOf('@') >= 0;
        if (!pre.startsWith("//")) {
            // jdbc:postgresql:DATABASE: no hosts; an '@' means something here is not what it seems
            boolean unreadable = atAfter || pre.indexOf('@') >= 0;
            return Optional.of(new Parsed(s, false, null, "", pre, unreadable, query, parameters, fragment));
        }
        String body = pre.substring(2);
        String userInfo = null;
        int at = body.lastIndexOf('@');
        if (at >= 0) {
            userInfo = body.substring(0, at);
            body = body.substring(at + 1);
            if (userInfo.indexOf('/') >= 0) {
                // the '@' is in the path, or a '/' in the user information: which is which is unknowable
                return Optional.of(new Parsed(s, true, userInfo, "", "", true, query, parameters, fragment));
            }
        }
        int slash = body.indexOf('/');
        String hosts = slash < 0 ? body : body.substring(0, slash);
        String path = slash < 0 ? "" : body.substring(slash);
        boolean unreadable = atAfter || !HOSTS.matcher(hosts).matches();
        return Optional.of(new Parsed(s, true, userInfo, hosts, path, unreadable, query, parameters, fragment));
    }
}
