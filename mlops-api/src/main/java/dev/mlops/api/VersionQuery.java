package dev.mlops.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A filter over the versions of one model ({@link ModelRegistry#listVersions}) or dataset
 * ({@link DatasetCatalog#listVersions}, which takes tags and the page only), with paging.
 * Versions are listed in ascending version order; archived versions are left out unless asked for.
 *
 * @param tags every tag here must be present with this value
 * @param minMetrics each metric here must be present and {@code >=} the bound
 * @param maxMetrics each metric here must be present and {@code <=} the bound
 * @param alias only the version this alias points at
 * @param includeArchived list archived versions too
 * @param page which page
 */
public record VersionQuery(Map<String, String> tags, Map<String, Double> minMetrics, Map<String, Double> maxMetrics,
                           Optional<String> alias, boolean includeArchived, PageRequest page) {

    /** Copies and checks. */
    public VersionQuery {
        tags = Map.copyOf(tags);
        minMetrics = Map.copyOf(minMetrics);
        maxMetrics = Map.copyOf(maxMetrics);
        Objects.requireNonNull(alias, "alias");
        alias.ifPresent(a -> Names.requireValid(Names.Kind.ALIAS, a));
        Objects.requireNonNull(page, "page");
    }

    /** @return the first 100 active versions, unfiltered */
    public static VersionQuery all() {
        return builder().build();
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link VersionQuery}. */
    public static final class Builder {
        private final Map<String, String> tags = new java.util.LinkedHashMap<>();
        private final Map<String, Double> min = new java.util.LinkedHashMap<>();
        private final Map<String, Double> max = new java.util.LinkedHashMap<>();
        private String alias;
        private boolean includeArchived;
        private PageRequest page = PageRequest.first(100);

        private Builder() {
        }

        /**
         * @param key tag key
         * @param value required value
         * @return this
         */
        public Builder tag(String key, String value) {
            tags.put(Names.requireValid(Names.Kind.TAG, key), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param metric metric name
         * @param bound lower bound, inclusive
         * @return this
         */
        public Builder metricAtLeast(String metric, double bound) {
            min.put(Names.requireValid(Names.Kind.METRIC, metric), requireNotNaN(bound));
            return this;
        }

        /**
         * @param metric metric name
         * @param bound upper bound, inclusive
         * @return this
         */
        public Builder metricAtMost(String metric, double bound) {
            max.put(Names.requireValid(Names.Kind.METRIC, metric), requireNotNaN(bound));
            return this;
        }

        /**
         * @param alias only the version this alias points at
         * @return this
         */
        public Builder alias(String alias) {
            this.alias = Names.requireValid(Names.Kind.ALIAS, alias);
            return this;
        }

        /**
         * @param include list archived versions too
         * @return this
         */
        public Builder includeArchived(boolean include) {
            this.includeArchived = include;
            return this;
        }

        /**
         * @param page which page; default the first 100
         * @return this
         */
        public Builder page(PageRequest page) {
            this.page = Objects.requireNonNull(page, "page");
            return this;
        }

        /** @return the query */
        public VersionQuery build() {
            return new VersionQuery(tags, min, max, Optional.ofNullable(alias), includeArchived, page);
        }

        private static double requireNotNaN(double bound) {
            if (Double.isNaN(bound)) {
                throw new IllegalArgumentException("metric bound must not be NaN");
            }
            return bound;
        }
    }
}
