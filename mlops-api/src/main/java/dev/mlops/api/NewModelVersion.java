package dev.mlops.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to register a model version. Built with {@link #builder()}; the builder
 * fails at the call that is wrong.
 *
 * @param artifact where the bytes come from
 * @param format artifact format
 * @param signature inputs and outputs
 * @param params training parameters
 * @param metrics finite metric values
 * @param tags labels
 * @param attachments named documents to store with the version (such as a baseline profile)
 * @param description free text
 * @param lineage datasets, parent, code reference
 * @param environmentExtra extra environment entries recorded with the automatic ones
 * @param idempotencyKey when present, a retried registration with the same key returns the
 *     version the first attempt made instead of registering a duplicate
 */
public record NewModelVersion(Artifact artifact, String format, Signature signature, Map<String, String> params,
                              Map<String, Double> metrics, Map<String, String> tags, Map<String, byte[]> attachments,
                              String description, Lineage lineage, Map<String, String> environmentExtra,
                              Optional<String> idempotencyKey) {

    /** Idempotency keys: letters, digits and {@code . _ : -}, 1 to 128 characters (a UUID fits). */
    public static final java.util.regex.Pattern IDEMPOTENCY_KEY = java.util.regex.Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    /**
     * Copies and checks.
     *
     * @throws InvalidNameException if a metric or parameter name breaks {@link Names}' rule
     */
    public NewModelVersion {
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(signature, "signature");
        params = Map.copyOf(params);
        metrics = Map.copyOf(metrics);
        // the builder checks each at its call; this covers a version built without it
        params.keySet().forEach(k -> Names.requireValid(Names.Kind.PARAMETER, k));
        metrics.keySet().forEach(k -> Names.requireValid(Names.Kind.METRIC, k));
        tags = Map.copyOf(tags);
        Map<String, byte[]> a = new LinkedHashMap<>();
        attachments.forEach((k, v) -> a.put(k, v.clone()));
        attachments = java.util.Collections.unmodifiableMap(a);
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(lineage, "lineage");
        environmentExtra = Map.copyOf(environmentExtra);
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        idempotencyKey.ifPresent(NewModelVersion::requireValidIdempotencyKey);
    }

    /**
     * @param key an idempotency key
     * @return {@code key}
     * @throws IllegalArgumentException if it does not match {@link #IDEMPOTENCY_KEY}
     */
    public static String requireValidIdempotencyKey(String key) {
        if (key == null || !IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("idempotency key " + (key == null ? "null" : Names.quote(key))
                    + " is invalid: expected 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter"
                    + " or digit (a UUID or a job and attempt id fits)");
        }
        return key;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link NewModelVersion}. Not thread-safe. */
    public static final class Builder {
        private Artifact artifact;
        private String format = "generic";
        private Signature signature = Signature.NONE;
        private final Map<String, String> params = new LinkedHashMap<>();
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final Map<String, byte[]> attachments = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String description = "";
        private final List<DatasetRef> trainedOn = new ArrayList<>();
        private final List<DatasetRef> validatedOn = new ArrayList<>();
        private final List<DatasetRef> testedOn = new ArrayList<>();
        private ModelRef.Version retrainedFrom;
        private String codeRef;
        private String run;
        private String idempotencyKey;

        private Builder() {
        }

        /**
         * @param artifact the model's bytes; required
         * @return this
         */
        public Builder artifact(Artifact artifact) {
            this.artifact = Objects.requireNonNull(artifact, "artifact");
            return this;
        }

        /**
         * @param format format name, 1 to 100 characters such as {@code onnx}; default {@code generic}
         * @return this
         */
        public Builder format(String format) {
            this.format = Names.requireValidKey("format", format);
            return this;
        }

        /**
         * @param signature inputs and outputs
         * @return this
         */
        public Builder signature(Signature signature) {
            this.signature = Objects.requireNonNull(signature, "signature");
            return this;
        }

        /**
         * @param key parameter name, printable free text such as {@code lr} ({@link Names.Kind#PARAMETER})
         * @param value parameter value, any text
         * @return this
         * @throws InvalidNameException if the name is empty, too long, or holds a control,
         *     bidirectional or other non-printing character
         */
        public Builder param(String key, String value) {
            params.put(Names.requireValid(Names.Kind.PARAMETER, key), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param key metric name, printable free text such as {@code val_auc} or {@code f1@0.5}
         *     ({@link Names.Kind#METRIC})
         * @param value a finite number
         * @return this
         * @throws InvalidNameException if the name is empty, too long, or holds a control,
         *     bidirectional or other non-printing character
         * @throws IllegalArgumentException if {@code value} is NaN or infinite
         */
        public Builder metric(String key, double value) {
            Names.requireValid(Names.Kind.METRIC, key);
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("metric " + Names.quote(key) + " must be a finite number, was " + value);
            }
            metrics.put(key, value);
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
         * @param name attachment name (a name, such as {@code drift-profile})
         * @param content its bytes
         * @return this
         */
        public Builder attachment(String name, byte[] content) {
            attachments.put(Names.requireValid(Names.Kind.TAG, name), Objects.requireNonNull(content, "content").clone());
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
         * @param datasets dataset versions trained on
         * @return this
         */
        public Builder trainedOn(DatasetRef... datasets) {
            trainedOn.addAll(List.of(datasets));
            return this;
        }

        /**
         * @param datasets dataset versions validated on
         * @return this
         */
        public Builder validatedOn(DatasetRef... datasets) {
            validatedOn.addAll(List.of(datasets));
            return this;
        }

        /**
         * @param datasets dataset versions tested on
         * @return this
         */
        public Builder testedOn(DatasetRef... datasets) {
            testedOn.addAll(List.of(datasets));
            return this;
        }

        /**
         * @param parent the version this one was retrained from
         * @return this
         */
        public Builder retrainedFrom(ModelRef.Version parent) {
            this.retrainedFrom = Objects.requireNonNull(parent, "parent");
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
         * Names the tracked run that produced this version. Registration checks that the run
         * exists and adds the version to the run's {@link dev.mlops.api.tracking.Run#models() models},
         * so the lineage links both ways.
         *
         * @param runId the run's id, as {@link dev.mlops.api.tracking.ActiveRun#id()} returns
         * @return this
         * @throws InvalidNameException if it is not a run id
         */
        public Builder fromRun(String runId) {
            this.run = Names.requireValidRunId(runId);
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

        /**
         * Makes the registration idempotent: if a registration of this model with the same key
         * already committed a version (for example an attempt whose answer was lost to a crash
         * or a timeout), registering again returns that version instead of a new one. Reusing a
         * key for a different artifact or metadata is refused with a {@link ConflictException}.
         *
         * @param key letters, digits and {@code . _ : -}, 1 to 128 characters, such as a UUID
         * @return this
         * @throws IllegalArgumentException if the key is malformed
         */
        public Builder idempotencyKey(String key) {
            this.idempotencyKey = requireValidIdempotencyKey(key);
            return this;
        }

        /**
         * @return the description of the new version
         * @throws IllegalStateException if no artifact was given
         */
        public NewModelVersion build() {
            if (artifact == null) {
                throw new IllegalStateException("an artifact is required: call artifact(Artifact.file(...))");
            }
            Lineage lineage = new Lineage(trainedOn, validatedOn, testedOn,
                    Optional.ofNullable(retrainedFrom), Optional.ofNullable(codeRef), Optional.ofNullable(run));
            return new NewModelVersion(artifact, format, signature, params, metrics, tags, attachments,
                    description, lineage, environment, Optional.ofNullable(idempotencyKey));
        }
    }
}
