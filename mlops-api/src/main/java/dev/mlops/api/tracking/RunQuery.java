package dev.mlops.api.tracking;

import dev.mlops.api.Names;
import dev.mlops.api.PageRequest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A search of runs: which experiments (all when none is named), a {@link RunFilter}, a
 * {@link RunOrder} and a page. Built with {@link #builder()}, which parses the filter and the
 * order at the call, so a bad one fails there with its position.
 *
 * <pre>{@code
 * Page<Run> best = tracking.searchRuns(RunQuery.builder().experiment("rain")
 *         .filter("metrics.rmse < 0.5 and params.lr = '0.1'").orderBy("metrics.rmse ASC").build());
 * }</pre>
 *
 * @param experiments experiments to search; empty for all
 * @param filter conditions every returned run meets
 * @param order how runs are sorted
 * @param page which page; its token is one returned by the same search
 */
public record RunQuery(List<String> experiments, RunFilter filter, RunOrder order, PageRequest page) {

    /** Copies and checks. */
    public RunQuery {
        experiments = List.copyOf(experiments);
        experiments.forEach(e -> Names.requireValid(Names.Kind.MODEL, e));
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(page, "page");
    }

    /** @return a builder of a search over every run, newest first, 100 a page */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RunQuery}. Not thread-safe. */
    public static final class Builder {
        private final Set<String> experiments = new LinkedHashSet<>();
        private RunFilter filter = RunFilter.ALL;
        private RunOrder order = RunOrder.NEWEST_FIRST;
        private PageRequest page = PageRequest.first(100);

        private Builder() {
        }

        /**
         * @param name an experiment to search; may be called for several
         * @return this
         */
        public Builder experiment(String name) {
            experiments.add(Names.requireValid(Names.Kind.MODEL, name));
            return this;
        }

        /**
         * @param filter a filter in {@link RunFilter}'s grammar
         * @return this
         * @throws IllegalArgumentException if it does not parse; the message names the position
         */
        public Builder filter(String filter) {
            this.filter = RunFilter.parse(filter);
            return this;
        }

        /**
         * @param order clauses in {@link RunOrder}'s form, such as {@code metrics.rmse ASC}
         * @return this
         * @throws IllegalArgumentException if it does not parse; the message names the position
         */
        public Builder orderBy(String order) {
            this.order = RunOrder.parse(order);
            return this;
        }

        /**
         * @param page which page
         * @return this
         */
        public Builder page(PageRequest page) {
            this.page = Objects.requireNonNull(page, "page");
            return this;
        }

        /** @return the query */
        public RunQuery build() {
            return new RunQuery(List.copyOf(experiments), filter, order, page);
        }
    }
}
