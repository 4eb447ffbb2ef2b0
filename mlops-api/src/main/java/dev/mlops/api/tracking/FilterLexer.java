package dev.mlops.api.tracking;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a run filter or order into tokens, each with its 1-based position, so that every error
 * can point at the character that is wrong. Shared by {@link RunFilter} and {@link RunOrder}.
 */
final class FilterLexer {
    /** Longest filter or order accepted, so a hostile string cannot make parsing expensive. */
    static final int MAX_LENGTH = 4096;

    enum Type { WORD, NUMBER, STRING, QUOTED_NAME, DOT, COMPARATOR, COMMA, END }

    record Token(Type type, String text, int position) {
        String describe() {
            return type == Type.END ? "the end" : "'" + text + "'";
        }
    }

    private final String what;
    private final String input;
    private int at;

    private FilterLexer(String what, String input) {
        this.what = what;
        this.input = input;
    }

    static List<Token> tokens(String what, String input) {
        if (input.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " is " + input.length() + " characters long; at most "
                    + MAX_LENGTH + " are allowed");
        }
        return new FilterLexer(what, input).all();
    }

    /** An error at a position, quoting the input so the caller sees where. */
    static IllegalArgumentException error(String what, String input, int position, String message) {
        return new IllegalArgumentException(what + " " + dev.mlops.api.Names.quote(input) + ": at character "
                + position + ", " + message);
    }

    private List<Token> all() {
        List<Token> out = new ArrayList<>();
        while (true) {
            while (at < input.length() && isSpace(input.charAt(at))) {
                at++;
            }
            if (at >= input.length()) {
                out.add(new Token(Type.END, "", input.length() + 1));
                return out;
            }
            out.add(next());
        }
    }

    private Token next() {
        int start = at;
        char c = input.charAt(at);
        if ((c < 128 && Character.isLetter(c)) || c == '_') {
            while (at < input.length() && isWordPart(input.charAt(at))) {
                at++;
            }
            return new Token(Type.WORD, input.substring(start, at), start + 1);
        }
        if (Character.isDigit(c) || (c == '-' && at + 1 < input.length()
                && (Character.isDigit(input.charAt(at + 1)) || input.charAt(at + 1) == '.'))
                || (c == '.' && at + 1 < input.length() && Character.isDigit(input.charAt(at + 1)) && !afterWordDot())) {
            return number(start);
        }
        switch (c) {
            case '.' -> {
                at++;
                return new Token(Type.DOT, ".", start + 1);
            }
            case ',' -> {
                at++;
                return new Token(Type.COMMA, ",", start + 1);
            }
            case '\'' -> {
                return quoted(start, '\'', Type.STRING);
            }
            case '"' -> {
                return quoted(start, '"', Type.STRING);
            }
            case '`' -> {
                return quoted(start, '`', Type.QUOTED_NAME);
            }
            case '=', '<', '>', '!' -> {
                return comparator(start);
            }
            default -> throw error(what, input, start + 1, "unexpected character " + describeChar(c)
                    + "; expected a name such as metrics.rmse, a comparator, a number or a quoted string");
        }
    }

    /** A dot right after a word is a separator (metrics.7), not the start of a number. */
    private boolean afterWordDot() {
        return at > 0 && isWordPart(input.charAt(at - 1));
    }

    private Token number(int start) {
        if (input.charAt(at) == '-') {
            at++;
        }
        digits();
        if (at < input.length() && input.charAt(at) == '.') {
            at++;
            digits();
        }
        if (at < input.length() && (input.charAt(at) == 'e' || input.charAt(at) == 'E')) {
            at++;
            if (at < input.length() && (input.charAt(at) == '+' || input.charAt(at) == '-')) {
                at++;
            }
            int before = at;
            digits();
            if (at == before) {
                throw error(what, input, at + 1, "expected the digits of an exponent in the number "
                        + input.substring(start, at));
            }
        }
        if (at < input.length() && isWordPart(input.charAt(at))) {
            throw error(what, input, at + 1, "unexpected " + describeChar(input.charAt(at))
                    + " after the number " + input.substring(start, at));
        }
        return new Token(Type.NUMBER, input.substring(start, at), start + 1);
    }

    private void digits() {
        while (at < input.length() && Character.isDigit(input.charAt(at)) && input.charAt(at) < 128) {
            at++;
        }
    }

    private Token quoted(int start, char quote, Type type) {
        StringBuilder text = new StringBuilder();
        at++;
        while (at < input.length()) {
            char c = input.charAt(at);
            if (c == quote) {
                // SQL style: a doubled quote stands for one
                if (at + 1 < input.length() && input.charAt(at + 1) == quote) {
                    text.append(quote);
                    at += 2;
                    continue;
                }
                at++;
                return new Token(type, text.toString(), start + 1);
            }
            text.append(c);
            at++;
        }
        throw error(what, input, start + 1, "the quote " + quote + " is never closed");
    }

    private Token comparator(int start) {
        char c = input.charAt(at);
        at++;
        boolean eq = at < input.length() && input.charAt(at) == '=';
        String text;
        if (c == '!') {
            if (!eq) {
                throw error(what, input, start + 1, "'!' must be followed by '=' (the comparator !=)");
            }
            at++;
            text = "!=";
        } else if (c == '=') {
            if (eq) {
                throw error(what, input, start + 1, "'==' is not a comparator; use '='");
            }
            text = "=";
        } else if (eq) {
            at++;
            text = c + "=";
        } else if (c == '<' && at < input.length() && input.charAt(at) == '>') {
            at++;
            text = "!=";
        } else {
            text = String.valueOf(c);
        }
        return new Token(Type.COMPARATOR, text, start + 1);
    }

    private static boolean isWordPart(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-');
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static String describeChar(char c) {
        return Character.isISOControl(c) || c > 126 ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }
}
