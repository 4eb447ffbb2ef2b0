package dev.mlops.api.quality;

import java.util.List;
import java.util.Objects;

/**
 * Constraints suggested from a reference frame: the suite to edit and store, and the rule and
 * evidence behind every constraint.
 *
 * @param suite the suggested suite
 * @param suggestions one entry per constraint of the suite, in the same order
 */
public record SuggestionResult(ValidationSuite suite, List<Suggestion> suggestions) {
    /** Copies the list and checks arguments. */
    public SuggestionResult {
        Objects.requireNonNull(suite, "suite");
        suggestions = List.copyOf(suggestions);
    }
}
