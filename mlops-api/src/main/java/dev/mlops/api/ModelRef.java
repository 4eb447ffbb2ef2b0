package dev.mlops.api;

import java.util.Objects;

/**
 * A reference to a model version, either moving ({@code rain@production}, follows the alias) or
 * pinned ({@code rain/3}). Parsed from and printed to that text form.
 */
public sealed interface ModelRef permits ModelRef.Alias, ModelRef.Version {

    /** @return the model name */
    String model();

    /**
     * Parses {@code name@alias} or {@code name/N}.
     *
     * @param text the reference
     * @return the parsed reference
     * @throws InvalidNameException if the text has neither form or a part is invalid
     */
    static ModelRef parse(String text) {
        if (text == null) {
            throw new InvalidNameException("model reference must not be null");
        }
        int at = text.indexOf('@');
        int slash = text.indexOf('/');
        if (at > 0 && slash < 0) {
            return new Alias(text.substring(0, at), text.substring(at + 1));
        }
        if (slash > 0 && at < 0) {
            return new Version(text.substring(0, slash), parseVersionNumber(text, text.substring(slash + 1)));
        }
        throw new InvalidNameException("model reference " + Names.quote(text)
                + " is not valid: expected NAME@ALIAS or NAME/VERSION, e.g. rain@production or rain/3");
    }

    /**
     * @param model model name
     * @param alias alias name
     * @return the moving reference
     */
    static Alias alias(String model, String alias) {
        return new Alias(model, alias);
    }

    /**
     * @param model model name
     * @param number version number
     * @return the pinned reference
     */
    static Version version(String model, int number) {
        return new Version(model, number);
    }

    /** Parses a version number for references to models and datasets. */
    static int parseVersionNumber(String whole, String number) {
        if (number.isEmpty() || number.length() > 9 || !number.chars().allMatch(c -> c >= '0' && c <= '9')
                || number.charAt(0) == '0') {
            throw new InvalidNameException("version in " + Names.quote(whole)
                    + " is not valid: expected a whole number from 1 to 999999999");
        }
        return Integer.parseInt(number);
    }

    /**
     * A moving reference: whatever version the alias points at when resolved.
     *
     * @param model model name
     * @param alias alias name
     */
    record Alias(String model, String alias) implements ModelRef {
        /** Validates both names. */
        public Alias {
            Names.requireValid(Names.Kind.MODEL, model);
            Names.requireValid(Names.Kind.ALIAS, alias);
        }

        @Override
        public String toString() {
            return model + "@" + alias;
        }
    }

    /**
     * A pinned reference to one version.
     *
     * @param model model name
     * @param number version number, 1 or more
     */
    record Version(String model, int number) implements ModelRef {
        /** Validates the name and number. */
        public Version {
            Names.requireValid(Names.Kind.MODEL, model);
            if (number < 1) {
                throw new InvalidNameException("version number must be >= 1, was " + number);
            }
        }

        @Override
        public String toString() {
            return model + "/" + number;
        }
    }

    /** Null-checking helper for implementations. */
    static ModelRef requireNonNull(ModelRef ref) {
        return Objects.requireNonNull(ref, "ref");
    }
}
