package dev.mlops.api;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The names under which quality documents are stored as model version attachments, in one
 * place, so that whoever stores them (evaluation code, the promotion gate, continuous training,
 * users) and whoever reads them (the model card, serving) agree. See {@code docs/model-cards.md}.
 *
 * <p>A <em>kind</em> name may be used alone or with a suffix: {@code fairness} and
 * {@code fairness-age} are both fairness reports (one per sensitive column); the same holds for
 * {@link #METRIC_ESTIMATES} and {@link #IMPORTANCE}. {@link #DRIFT_PROFILE} is one exact name.
 * Promotion decisions are numbered: {@code promotion-decision-1}, {@code promotion-decision-2}, ...
 */
public final class AttachmentNames {

    /** Metric estimates with bootstrap intervals, {@code Bootstrap.toJson(estimates)}. */
    public static final String METRIC_ESTIMATES = "metric-estimates";
    /** A fairness report, {@code Fairness.toJson(report)}; one per sensitive column, e.g. {@code fairness-age}. */
    public static final String FAIRNESS = "fairness";
    /** Permutation feature importance, {@code PermutationImportance.toJson(report)}. */
    public static final String IMPORTANCE = "permutation-importance";
    /** The drift reference profile of the training data, mlops-drift's {@code ReferenceProfile.toJsonBytes()}. */
    public static final String DRIFT_PROFILE = "drift-profile";
    /**
     * Prefix of promotion decision documents, followed by their number: {@code promotion-decision-1}.
     * The promotion gate records each decision under the next free number
     *.
     */
    public static final String DECISION_PREFIX = "promotion-decision-";

    private AttachmentNames() {
    }

    /**
     * @param n the decision's number, 1 or more (the first decision about a version is 1)
     * @return {@code promotion-decision-<n>}
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static String decision(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("decision number must be >= 1, was " + n);
        }
        return DECISION_PREFIX + n;
    }

    /**
     * @param name an attachment name
     * @return the decision number if the name is {@code promotion-decision-<n>} with n &ge; 1 written
     *     without leading zeros
     */
    public static OptionalInt decisionNumber(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.startsWith(DECISION_PREFIX)) {
            return OptionalInt.empty();
        }
        String n = name.substring(DECISION_PREFIX.length());
        if (n.isEmpty() || n.length() > 9 || n.charAt(0) == '0' || !n.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(n));
    }

    /**
     * @param kind {@link #METRIC_ESTIMATES}, {@link #FAIRNESS} or {@link #IMPORTANCE}
     * @param suffix what distinguishes this document, such as a sensitive column {@code age}
     * @return {@code kind-suffix}, a valid attachment name
     * @throws dev.mlops.api.InvalidNameException if the result is not a valid name
     */
    public static String of(String kind, String suffix) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(suffix, "suffix");
        return Names.requireValid(Names.Kind.TAG, kind + "-" + suffix);
    }

    /**
     * @param kind {@link #METRIC_ESTIMATES}, {@link #FAIRNESS} or {@link #IMPORTANCE}
     * @param name an attachment name
     * @return true when the name is the kind itself or the kind followed by {@code -} and a suffix
     */
    public static boolean isKind(String kind, String name) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        return name.equals(kind) || (name.startsWith(kind + "-") && name.length() > kind.length() + 1);
    }
}
