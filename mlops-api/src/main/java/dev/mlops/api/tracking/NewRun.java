package dev.mlops.api.tracking;

import dev.mlops.api.DatasetRef;
import dev.mlops.api.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run starts with. Built with {@link #builder()}; the builder fails at the call that is
 * wrong. Parameters, tags and inputs can also be logged later through {@link ActiveRun}.
 *
 * @param name a label for people, may be empty
 * @param params parameters known at the start
 * @param tags labels
 * @param inputs dataset versions the run reads
 * @param codeRef a reference to the training code, such as a git commit
 * @param environmentExtra extra environment entries recorded with the automatic ones
 */
public record NewRun(String name, Map<String, String> params, Map<String, String> tags, List<DatasetRef> inputs,
                     Optional<String> codeRef, Map<String, String> environmentExtra) {

    /** Longest run name. */
    public static final int MAX_NAME_LENGTH = 250;

    /** Copies and checks. */
    public NewRun {
        Objects.requireNonNull(name, "name");
        if (!name.isEmpty()) {
            Names.requireValidKey("run name", name);
        }
        params = Map.copyOf(params);
        params.keySet().forEach(k -> Names.requireValid(Names.Kind.PARAMETER, k));
        tags = Map.copyOf(tags);
        tags.keySet().forEach(k -> Names.requireValid(Names.Kind.TAG, k));
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(codeRef, "codeRef");
        environmentExtra = Map.copyOf(environmentExtra);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link NewRun}. Not thread-safe. */
    public static final class Builder {
        private String name = "";
        private final Map<String, String> params = new LinkedHashMap<>();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final List<DatasetRef> inputs = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String codeRef;

        private Builder() {
        }

        /**
         * @param name a label for people, printable text of at most 250 characters
         * @return this
         */
        public Builder name(String name) {
            this.name = Names.requireValidKey("run name", name);
            return this;
        }

        /**
         * @param key parameter name ({@link Names.Kind#PARAMETER})
         * @param value its value
         * @return this
         * @throws IllegalArgumentException if {@code key} was given another value already
         */
        public Builder param(String key, String value) {
            Names.requireValid(Names.Kind.PARAMETER, key);
            Objects.requireNonNull(value, "value");
            String before = params.putIfAbsent(key, value);
            if (before != null && !before.equals(value)) {
                throw new IllegalArgumentException("parameter " + Names.quote(key) + " was already given the value "
                        + Names.quote(before) + "; a parameter has one value");
            }
            return this;
        }

        /**
         * @param key tag key (a name)
         * @param value tag value
         * @return this
         */
        public Builder tag(String key, String value) {
            tags.put(Names.requireValid(Names.Kind.TAG, key), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param datasets dataset versions the run reads
         * @return this
         */
        public Builder input(DatasetRef... datasets) {
            for (DatasetRef d : datasets) {
                inputs.add(Objects.requireNonNull(d, "dataset"));
            }
            return this;
        }

        /**
         * @param codeRef reference to the training code, such as a git commit
         * @return this
         */
        public Builder codeRef(String codeRef) {
            this.codeRef = Names.requireValidKey("code reference", codeRef);
            return this;
        }

        /**
         * @param key an extra environment entry (such as {@code tribuo.version})
         * @param value its value
         * @return this
         */
        public Builder environment(String key, String value) {
            environment.put(Names.requireValidKey("environment key", key), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** @return the run's description */
        public NewRun build() {
            return new NewRun(name, params, tags, inputs, Optional.ofNullable(codeRef), environment);
        }
    }
}
