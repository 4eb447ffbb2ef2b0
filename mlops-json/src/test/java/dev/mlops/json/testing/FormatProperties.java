package dev.mlops.json.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ValidationException;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Test support for the round-trip properties of each module's formats: values that stress a
 * writer (quotes, backslashes, non-ASCII, non-finite numbers) and the check that a document
 * reads back equal and is refused, naming the key's path, with any one key repeated.
 */
public final class FormatProperties {
    /** The end of the message for a repeated key. */
    public static final String DUPLICATE = ": the field appears twice; expected each field once in an object";

    private FormatProperties() {
    }

    /** @return text with quotes, backslashes, non-ASCII and spaces, never an unpaired surrogate */
    public static Arbitrary<String> text() {
        return Arbitraries.strings().alpha().numeric().withChars("_-. é雨\"\\/:").ofMaxLength(12);
    }

    /** @return a non-empty map key */
    public static Arbitrary<String> key() {
        return Arbitraries.strings().alpha().numeric().withChars("_-. é").ofMinLength(1).ofMaxLength(8);
    }

    /** @return small maps of text */
    public static Arbitrary<Map<String, String>> texts() {
        return Arbitraries.maps(key(), text()).ofMaxSize(3);
    }

    /** @return instants as ISO-8601 text, 1970 to 2096 */
    public static Arbitrary<String> instant() {
        return Arbitraries.longs().between(0, 4_000_000_000L).map(s -> Instant.ofEpochSecond(s).toString());
    }

    /** @return finite doubles of either sign */
    public static Arbitrary<Double> finite() {
        return Arbitraries.doubles().between(-1e12, 1e12);
    }

    /** @return mostly finite doubles, sometimes NaN or an infinity */
    public static Arbitrary<Double> anyDouble() {
        return Arbitraries.frequencyOf(Tuple.of(8, finite()),
                Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
    }

    /**
     * A user-written document (schema 2, pretty-printed): it reads back equal, and with the key
     * {@code choice} picks written twice it is refused naming that key's path.
     *
     * @param json the document as written
     * @param read the format's reader
     * @param value what was written
     * @param what the document's name in messages, such as {@code promotion policy}
     * @param choice picks the key to repeat
     * @param <T> the value's type
     */
    public static <T> void assertUserRoundTrip(String json, Function<String, T> read, T value, String what, int choice) {
        assertThat(json).contains("\"schema_version\" : 2").doesNotContain("schemaVersion");
        assertThat(read.apply(json)).isEqualTo(value);
        JsonEdits.Duplicate d = JsonEdits.duplicateField(json, choice);
        assertThatThrownBy(() -> read.apply(d.json())).isInstanceOf(ValidationException.class)
                .hasMessage(what + ": " + d.path() + DUPLICATE);
    }
}
