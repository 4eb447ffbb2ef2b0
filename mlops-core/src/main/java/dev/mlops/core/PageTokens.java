package dev.mlops.core;

import dev.mlops.api.InvalidNameException;
import dev.mlops.api.Names;

/**
 * Page tokens read back. A token is what a previous page carried; anything else is refused with
 * the listing's name, instead of being taken as a position the listing never gave.
 */
final class PageTokens {
    private PageTokens() {
    }

    /**
     * @param listing the call that hands out the token, for the message
     * @param token the caller's token
     * @return the non-negative number it carries (a version, an offset)
     * @throws IllegalArgumentException if it is not a decimal number (leading zeros allowed: listings hand out zero-padded ones) from 0 to {@link Integer#MAX_VALUE}
     */
    static int number(String listing, String token) {
        if (token.matches("[0-9]{1,10}")) {
            long n = Long.parseLong(token);
            if (n <= Integer.MAX_VALUE) {
                return (int) n;
            }
        }
        throw new IllegalArgumentException("page token " + Names.quote(token) + " is not one returned by " + listing
                + ": expected the decimal number a previous page carried");
    }

    /**
     * @param kind what the listing lists, whose names are its tokens
     * @param listing the call that hands out the token, for the message
     * @param token the caller's token
     * @return {@code token}
     * @throws IllegalArgumentException if it is not a valid name of that kind
     */
    static String name(Names.Kind kind, String listing, String token) {
        try {
            return Names.requireValid(kind, token);
        } catch (InvalidNameException e) {
            throw new IllegalArgumentException("page token " + Names.quote(token) + " is not one returned by " + listing
                    + ": expected the " + kind.label() + " a previous page ended with", e);
        }
    }
}
