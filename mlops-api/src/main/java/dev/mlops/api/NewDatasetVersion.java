package dev.mlops.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to register a dataset version.
 *
 * @param source where the bytes come from
 * @param schema a schema to record instead of the inferred one
 * @param profile a profile document (JSON) to store with the version, such as a drift reference
 * @param tags labels
 * @param description free text
 * @param sourceUri where the data came from, recorded as text only: never fetched or opened
 */
public record NewDatasetVersion(DatasetSource source, Optional<Schema> schema, Optional<byte[]> profile,
                                Map<String, String> tags, String description, Optional<String> sourceUri) {
    /** Copies and checks. */
    public NewDatasetVersion {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(schema, "schema");
        profile = Objects.requireNonNull(profile, "profile").map(byte[]::clone);
        tags = Map.copyOf(tags);
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(sourceUri, "sourceUri");
    }

    /**
     * @param source where the bytes come from
     * @return a builder
     */
    public static Builder builder(DatasetSource source) {
        return new Builder(source);
    }

    /** Builds a {@link NewDatasetVersion}. */
    public static final class Builder {
        private final DatasetSource source;
        private Schema schema;
        private byte[] profile;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private String description = "";
        private String sourceUri;

        private Builder(DatasetSource source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /**
         * @param schema the schema to record (skips inference)
         * @return this
         */
        public Builder schema(Schema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /**
         * @param profileJson a profile document
         * @return this
         */
        public Builder profile(byte[] profileJson) {
            this.profile = Objects.requireNonNull(profileJson, "profileJson").clone();
            return this;
        }

        /**
         * @param key tag key
         * @param value tag value
         * @return this
         */
        public Builder tag(String key, String value) {
            tags.put(Names.requireValid(Names.Kind.TAG, key), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param description free text
         * @return this
         */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /**
         * @param uri where the data came from; stored as text, never opened
         * @return this
         */
        public Builder sourceUri(String uri) {
            this.sourceUri = Names.requireValidKey("source URI", uri);
            return this;
        }

        /** @return the description of the new dataset version */
        public NewDatasetVersion build() {
            return new NewDatasetVersion(source, Optional.ofNullable(schema), Optional.ofNullable(profile), tags,
                    description, Optional.ofNullable(sourceUri));
        }
    }
}
