package dev.mlops.cards;

import dev.mlops.api.AttachmentNames;
import dev.mlops.core.Mlops;
import dev.mlops.gates.PromotionGate;
import dev.mlops.quality.Bootstrap;
import dev.mlops.quality.Fairness;
import dev.mlops.quality.PermutationImportance;
import dev.mlops.api.AliasMove;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Lineage;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.OutputFiles;
import dev.mlops.api.RegisteredModel;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.FairnessReport;
import dev.mlops.api.quality.ImportanceReport;
import dev.mlops.api.quality.MetricEstimate;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.serving.ServiceMetrics;
import dev.mlops.api.serving.VersionMetrics;
import dev.mlops.api.store.Store;
import dev.mlops.drift.FleetDrift;
import dev.mlops.drift.MonitorPolicy;
import dev.mlops.drift.ReferenceProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A model card: everything the registry knows about one model version, gathered from stored
 * metadata and rendered as Markdown or as one self-contained HTML page.
 *
 * <pre>{@code
 * ModelCard card = ModelCard.of(mlops, ModelRef.version("credit", 3));
 * card.writeMarkdown(Path.of("credit-3.md"));
 * card.writeHtml(Path.of("credit-3.html"));              // one self-contained page
 *
 * ModelCard live = ModelCard.builder(mlops, ModelRef.version("credit", 3))
 *         .servingMetrics(service.metrics())              // counters of a running ModelService
 *         .fleetDrift(store, "credit-v3-inputs")          // drift windows the store holds
 *         .build();
 * }</pre>
 *
 * <p>Sections: summary; purpose and description (model and version descriptions, tags);
 * signature; lineage (datasets with content hashes and row counts, parent version, code
 * reference); parameters; environment; metrics (with bootstrap intervals when a
 * {@link AttachmentNames#METRIC_ESTIMATES} attachment exists); fairness
 * ({@link AttachmentNames#FAIRNESS}); feature importance ({@link AttachmentNames#IMPORTANCE});
 * drift baseline ({@link AttachmentNames#DRIFT_PROFILE}); live serving metrics and the drift
 * history over monitor windows, when the {@link Builder} is given them; promotion decisions
 * ({@link AttachmentNames#DECISION_PREFIX}{@code <n>}); the alias moves to or from this version;
 * the audit entries for the version ({@link dev.mlops.api.AuditLog#entriesFor}) and those of the
 * alias changes that moved an alias to or from it. Sections
 * backed by optional attachments appear only when the attachment exists.
 *
 * <p>Serving metrics are counters of a running service: the library does not store them, so a
 * card shows them only when built in (or given the snapshot of) the serving process. The drift
 * history is read from what the store holds: the windows a {@link FleetDrift} monitor published,
 * merged over instances and compared with the version's own drift profile.
 *
 * <p>An attachment that cannot be read does not stop the card: it is left out and named in
 * {@link #notes()}, which the rendered card lists. Every stored string is escaped in both
 * renderings (Markdown: table-breaking and markup characters; HTML: markup, control characters
 * made visible). The output depends only on the stored metadata and the {@link Mlops} clock
 * (the generation time), so it is deterministic for a fixed clock.
 *
 * <p>Instances are immutable snapshots, safe to share between threads.
 */
public final class ModelCard {

    private final ModelVersion version;
    private final RegisteredModel model;
    private final Instant generatedAt;
    private final List<DatasetUse> datasets;
    private final Optional<ParentVersion> parent;
    private final List<MetricEstimate> metricEstimates;
    private final List<FairnessReport> fairness;
    private final List<ImportanceReport> importance;
    private final Optional<DriftBaseline> driftBaseline;
    private final List<RecordedDecision> decisions;
    private final List<AliasMove> aliasHistory;
    private final List<AuditEntry> auditEntries;
    private final List<AuditEntry> aliasAuditEntries;
    private final Optional<VersionMetrics> servingMetrics;
    private final List<DriftReport> driftHistory;
    private final Optional<String> driftSource;
    private final List<String> notes;
    private final List<UnreadableAttachment> unreadable;

    private ModelCard(Gatherer g) {
        this.version = g.version;
        this.model = g.model;
        this.generatedAt = g.generatedAt;
        this.datasets = List.copyOf(g.datasets);
        this.parent = g.parent;
        this.metricEstimates = List.copyOf(g.estimates);
        this.fairness = List.copyOf(g.fairness);
        this.importance = List.copyOf(g.importance);
        this.driftBaseline = g.driftBaseline;
        this.decisions = List.copyOf(g.decisions);
        this.aliasHistory = List.copyOf(g.aliasMoves);
        this.auditEntries = List.copyOf(g.audit);
        this.aliasAuditEntries = List.copyOf(g.aliasAudit);
        this.servingMetrics = g.serving;
        this.driftHistory = List.copyOf(g.driftHistory);
        this.driftSource = g.driftSource;
        this.notes = List.copyOf(g.notes);
        this.unreadable = List.copyOf(g.unreadable);
    }

    /**
     * Gathers the card of one version: the version and its model, the dataset versions of its
     * lineage, its quality attachments, the alias moves that touched it and its audit entries.
     * Reads only; records nothing.
     *
     * @param mlops the registry
     * @param ref the version
     * @return the card
     * @throws NotFoundException if the version does not exist
     */
    public static ModelCard of(Mlops mlops, ModelRef.Version ref) {
        return builder(mlops, ref).build();
    }

    /**
     * A card with live data besides the stored metadata: serving metrics and the drift history.
     *
     * @param mlops the registry
     * @param ref the version
     * @return a builder
     */
    public static Builder builder(Mlops mlops, ModelRef.Version ref) {
        return new Builder(mlops, ref);
    }

    /** @return the live serving counters of the version, when the card was given them */
    public Optional<VersionMetrics> servingMetrics() {
        return servingMetrics;
    }

    /** @return drift reports of monitor windows, oldest window first; empty when none was given or stored */
    public List<DriftReport> driftHistory() {
        return driftHistory;
    }

    /** @return where the drift history came from, such as {@code fleet monitor 'rain-v3-inputs' in ...} */
    public Optional<String> driftSource() {
        return driftSource;
    }

    /** @return the version the card describes */
    public ModelVersion version() {
        return version;
    }

    /** @return the registered model (description, tags, current aliases) */
    public RegisteredModel model() {
        return model;
    }

    /** @return when the card was gathered, from the {@link Mlops} clock */
    public Instant generatedAt() {
        return generatedAt;
    }

    /** @return the dataset versions of the lineage with their catalog entries, in role order (trained, validated, tested) */
    public List<DatasetUse> datasets() {
        return datasets;
    }

    /** @return the version this one was retrained from, if the lineage names one */
    public Optional<ParentVersion> parent() {
        return parent;
    }

    /** @return metric estimates with bootstrap intervals from every metric-estimates attachment, in attachment name order */
    public List<MetricEstimate> metricEstimates() {
        return metricEstimates;
    }

    /** @return fairness reports, in attachment name order */
    public List<FairnessReport> fairness() {
        return fairness;
    }

    /** @return permutation importance reports, in attachment name order */
    public List<ImportanceReport> importance() {
        return importance;
    }

    /** @return a summary of the drift baseline profile, if the version has one */
    public Optional<DriftBaseline> driftBaseline() {
        return driftBaseline;
    }

    /** @return every stored promotion decision, by number */
    public List<RecordedDecision> decisions() {
        return decisions;
    }

    /** @return the alias moves to or from this version, oldest first */
    public List<AliasMove> aliasHistory() {
        return aliasHistory;
    }

    /** @return the audit entries whose target is this version, in journal order */
    public List<AuditEntry> auditEntries() {
        return auditEntries;
    }

    /**
     * @return the audit entries of alias changes that moved an alias to or from this version
     *     (such as {@code alias.promote} with the decision it followed), in journal order
     */
    public List<AuditEntry> aliasAuditEntries() {
        return aliasAuditEntries;
    }

    /** @return problems met while gathering (attachments that could not be read), empty when none */
    public List<String> notes() {
        return notes;
    }

    /**
     * The attachments the card should show but could not read: damaged, missing from the store,
     * or not parseable as their kind. The rendered card says so where they belong (a damaged
     * promotion decision is never shown as "no decision"); a caller that must not present an
     * incomplete card, as the CLI, refuses when this is not empty.
     *
     * @return the unreadable attachments, by name; empty when every attachment was read
     */
    public List<UnreadableAttachment> unreadableAttachments() {
        return unreadable;
    }

    /** @return the card as GitHub-flavoured Markdown */
    public String toMarkdown() {
        return CardMarkdown.render(CardLayout.of(this));
    }

    /**
     * @return the card as one self-contained HTML page: inline CSS, no script, no external
     *     resource (a Content-Security-Policy forbids them), well-formed XML
     */
    public String toHtml() {
        return CardHtml.render(CardLayout.of(this));
    }

    /**
     * Writes {@link #toHtml()} to a file, replacing it by {@link OutputFiles}' rule: the page is
     * written to a temporary file in the same directory, forced to disk and moved into place, so
     * a reader never sees half a card. Only a new path or a regular file is replaced; a
     * directory, device, FIFO, socket or symbolic link is refused and left untouched.
     *
     * @param file the target file; its directory must exist
     * @return {@code file}
     * @throws dev.mlops.api.ValidationException if {@code file} is not a new path or a regular file
     * @throws dev.mlops.api.StorageException if the file cannot be written
     */
    public Path writeHtml(Path file) {
        return write(file, toHtml());
    }

    /**
     * Writes {@link #toMarkdown()} to a file, replacing it, as {@link #writeHtml} does.
     *
     * @param file the target file; its directory must exist
     * @return {@code file}
     * @throws dev.mlops.api.ValidationException if {@code file} is not a new path or a regular file
     * @throws dev.mlops.api.StorageException if the file cannot be written
     */
    public Path writeMarkdown(Path file) {
        return write(file, toMarkdown());
    }

    private Path write(Path file, String content) {
        Objects.requireNonNull(file, "file");
        return OutputFiles.write("cannot write the model card of " + version.ref() + " to", file, content.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ModelCard[" + version.ref() + "]";
    }

    /**
     * A dataset version named by the lineage.
     *
     * @param role {@code trained}, {@code validated} or {@code tested}
     * @param ref the dataset version
     * @param version its catalog entry (content hash, rows, schema), empty if the catalog no longer has it
     */
    public record DatasetUse(String role, DatasetRef ref, Optional<DatasetVersion> version) {
        /** Checks arguments. */
        public DatasetUse {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(version, "version");
        }
    }

    /**
     * The version a model version was retrained from.
     *
     * @param ref the parent version
     * @param version the parent as stored, empty if it has been deleted since
     */
    public record ParentVersion(ModelRef.Version ref, Optional<ModelVersion> version) {
        /** Checks arguments. */
        public ParentVersion {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(version, "version");
        }
    }

    /**
     * An attachment the card could not read.
     *
     * @param name the attachment, such as {@code promotion-decision-2}
     * @param kind what it should hold, such as {@code promotion decision}
     * @param detail why it could not be read
     */
    public record UnreadableAttachment(String name, String kind, String detail) {
        /** Checks arguments. */
        public UnreadableAttachment {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * A promotion decision as stored.
     *
     * @param attachment the attachment it was read from, such as {@code promotion-decision-2}
     * @param number its number
     * @param decision the decision
     */
    public record RecordedDecision(String attachment, int number, PromotionDecision decision) {
        /** Checks arguments. */
        public RecordedDecision {
            Objects.requireNonNull(attachment, "attachment");
            Objects.requireNonNull(decision, "decision");
        }
    }

    /**
     * A summary of the drift reference profile stored with the version.
     *
     * @param rows rows of the reference data
     * @param columns one entry per profiled column, in profile order
     */
    public record DriftBaseline(long rows, List<BaselineColumn> columns) {
        /** Copies and checks. */
        public DriftBaseline {
            columns = List.copyOf(columns);
        }
    }

    /**
     * One column of a drift baseline.
     *
     * @param name column name
     * @param kind {@code numerical} or {@code categorical} (as the profile names it)
     * @param count non-missing values
     * @param missing missing values
     * @param distinct distinct non-missing values, if recorded
     * @param min smallest value (numerical), if finite
     * @param max largest value (numerical), if finite
     * @param mean mean (numerical), if finite
     * @param std population standard deviation (numerical), if finite
     * @param topCategories the most frequent categories with their counts (categorical), most frequent first
     */
    public record BaselineColumn(String name, String kind, long count, long missing, OptionalLong distinct,
                                 OptionalDouble min, OptionalDouble max, OptionalDouble mean, OptionalDouble std,
                                 List<CategoryCount> topCategories) {
        /** Copies and checks. */
        public BaselineColumn {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(distinct, "distinct");
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            Objects.requireNonNull(mean, "mean");
            Objects.requireNonNull(std, "std");
            topCategories = List.copyOf(topCategories);
        }
    }

    /**
     * A category of a categorical baseline column.
     *
     * @param value the category
     * @param count how often it occurs in the reference
     */
    public record CategoryCount(String value, long count) {
        /** Checks arguments. */
        public CategoryCount {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Gathers a card with live data. Every option is optional; without any, the card is
     * {@link ModelCard#of}'s.
     */
    public static final class Builder {
        /** Windows shown by default: the latest 60 (two months of daily windows). */
        public static final int DEFAULT_DRIFT_WINDOWS = 60;

        private final Mlops mlops;
        private final ModelRef.Version ref;
        private Optional<VersionMetrics> serving = Optional.empty();
        private Optional<ServiceMetrics> service = Optional.empty();
        private List<DriftReport> reports;
        private String reportsSource;
        private Store fleetStore;
        private String fleetMonitor;
        private MonitorPolicy fleetPolicy;
        private int maxWindows = DEFAULT_DRIFT_WINDOWS;

        private Builder(Mlops mlops, ModelRef.Version ref) {
            this.mlops = Objects.requireNonNull(mlops, "mlops");
            this.ref = Objects.requireNonNull(ref, "ref");
        }

        /**
         * @param metrics the counters of this version from a running service
         * @return this builder
         * @throws IllegalArgumentException if the counters are of another version
         */
        public Builder servingMetrics(VersionMetrics metrics) {
            Objects.requireNonNull(metrics, "metrics");
            if (!metrics.version().equals(ref)) {
                throw new IllegalArgumentException("serving metrics of " + metrics.version() + " given for the card of " + ref);
            }
            this.serving = Optional.of(metrics);
            this.service = Optional.empty();
            return this;
        }

        /**
         * @param metrics a service's snapshot ({@code ModelService.metrics()}); the card shows this
         *     version's counters, or notes that the service has not served it
         * @return this builder
         */
        public Builder servingMetrics(ServiceMetrics metrics) {
            Objects.requireNonNull(metrics, "metrics");
            this.service = Optional.of(metrics);
            this.serving = Optional.empty();
            return this;
        }

        /**
         * @param reports drift reports of this version's monitor windows (such as those a
         *     {@code DriftMonitor} listener kept), in any order
         * @param source what they are, shown on the card, such as {@code monitor of rain@production}
         * @return this builder
         * @throws IllegalStateException if {@link #fleetDrift} was set
         */
        public Builder driftReports(List<DriftReport> reports, String source) {
            Objects.requireNonNull(reports, "reports");
            Objects.requireNonNull(source, "source");
            if (fleetStore != null) {
                throw new IllegalStateException("the drift history comes either from reports or from a fleet monitor, not both");
            }
            this.reports = List.copyOf(reports);
            this.reportsSource = source;
            return this;
        }

        /**
         * Reads the drift history from the windows a {@link FleetDrift} monitor published to a
         * store, merged over instances and compared with this version's drift profile with the
         * default {@link MonitorPolicy}.
         *
         * @param store the store the monitor publishes to
         * @param monitorName the fleet monitor's name
         * @return this builder
         */
        public Builder fleetDrift(Store store, String monitorName) {
            return fleetDrift(store, monitorName, MonitorPolicy.defaults());
        }

        /**
         * As {@link #fleetDrift(Store, String)}, with the monitor's own policy (thresholds, tests).
         *
         * @param store the store the monitor publishes to
         * @param monitorName the fleet monitor's name
         * @param policy the policy the monitor uses
         * @return this builder
         * @throws IllegalStateException if {@link #driftReports} was set
         */
        public Builder fleetDrift(Store store, String monitorName, MonitorPolicy policy) {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(policy, "policy");
            Names.requireValid(Names.Kind.KEY_SEGMENT, monitorName);
            if (reports != null) {
                throw new IllegalStateException("the drift history comes either from reports or from a fleet monitor, not both");
            }
            this.fleetStore = store;
            this.fleetMonitor = monitorName;
            this.fleetPolicy = policy;
            return this;
        }

        /**
         * @param windows the most windows shown, the latest; at least 1, default {@value #DEFAULT_DRIFT_WINDOWS}
         * @return this builder
         */
        public Builder maxDriftWindows(int windows) {
            if (windows < 1) {
                throw new IllegalArgumentException("maxDriftWindows must be at least 1, was " + windows);
            }
            this.maxWindows = windows;
            return this;
        }

        /**
         * Gathers the card. Reads only; records nothing.
         *
         * @return the card
         * @throws NotFoundException if the version does not exist
         */
        public ModelCard build() {
            Gatherer g = new Gatherer(mlops, ref).gather();
            service.ifPresent(m -> {
                g.serving = m.version(ref);
                if (g.serving.isEmpty()) {
                    g.notes.add("serving metrics of service " + Names.quote(m.service()) + " were given, but it has not served "
                            + ref);
                }
            });
            serving.ifPresent(m -> g.serving = Optional.of(m));
            if (reports != null) {
                g.driftHistory.addAll(reports);
                g.driftSource = Optional.of(reportsSource);
            } else if (fleetStore != null) {
                g.fleet(fleetStore, fleetMonitor, fleetPolicy, maxWindows);
            }
            g.driftHistory.sort(Comparator.comparing(ModelCard::windowStart));
            if (g.driftHistory.size() > maxWindows) {
                g.driftHistory.subList(0, g.driftHistory.size() - maxWindows).clear();
            }
            return new ModelCard(g);
        }
    }

    /** A report's window start, or its creation time for a report without a window. */
    static Instant windowStart(DriftReport r) {
        return r.window().map(DriftReport.Window::start).orElse(r.createdAt());
    }

    /** Reads everything once; the card keeps only the results. */
    private static final class Gatherer {
        private final Mlops mlops;
        private final ModelRegistry models;
        private final ModelRef.Version ref;
        ModelVersion version;
        RegisteredModel model;
        Instant generatedAt;
        final List<DatasetUse> datasets = new ArrayList<>();
        Optional<ParentVersion> parent = Optional.empty();
        final List<MetricEstimate> estimates = new ArrayList<>();
        final List<FairnessReport> fairness = new ArrayList<>();
        final List<ImportanceReport> importance = new ArrayList<>();
        Optional<DriftBaseline> driftBaseline = Optional.empty();
        final List<RecordedDecision> decisions = new ArrayList<>();
        final List<AliasMove> aliasMoves = new ArrayList<>();
        final List<AuditEntry> audit = new ArrayList<>();
        final List<AuditEntry> aliasAudit = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final List<UnreadableAttachment> unreadable = new ArrayList<>();
        Optional<VersionMetrics> serving = Optional.empty();
        final List<DriftReport> driftHistory = new ArrayList<>();
        Optional<String> driftSource = Optional.empty();
        /** The version's drift profile as read, for the fleet history. */
        Optional<ReferenceProfile> profile = Optional.empty();

        Gatherer(Mlops mlops, ModelRef.Version ref) {
            this.mlops = mlops;
            this.models = mlops.models();
            this.ref = ref;
        }

        Gatherer gather() {
            generatedAt = mlops.clock().instant();
            version = models.version(ref.model(), ref.number());
            model = models.model(ref.model());
            lineage(version.lineage());
            attachments();
            history();
            return this;
        }

        private void lineage(Lineage l) {
            addDatasets("trained", l.trainedOn());
            addDatasets("validated", l.validatedOn());
            addDatasets("tested", l.testedOn());
            l.retrainedFrom().ifPresent(p -> {
                Optional<ModelVersion> v;
                try {
                    v = Optional.of(models.version(p.model(), p.number()));
                } catch (NotFoundException e) {
                    v = Optional.empty();
                }
                parent = Optional.of(new ParentVersion(p, v));
            });
        }

        private void addDatasets(String role, List<DatasetRef> refs) {
            for (DatasetRef d : refs) {
                Optional<DatasetVersion> v;
                try {
                    v = Optional.of(mlops.datasets().version(d));
                } catch (NotFoundException e) {
                    v = Optional.empty();
                }
                datasets.add(new DatasetUse(role, d, v));
            }
        }

        private void attachments() {
            TreeMap<Integer, String> decisionNames = new TreeMap<>();
            for (String name : new TreeSet<>(version.attachments().keySet())) {
                OptionalInt n = AttachmentNames.decisionNumber(name);
                if (n.isPresent()) {
                    decisionNames.put(n.getAsInt(), name);
                } else if (AttachmentNames.isKind(AttachmentNames.METRIC_ESTIMATES, name)) {
                    read(name, "metric estimates", Bootstrap::estimatesFromJson).ifPresent(estimates::addAll);
                } else if (AttachmentNames.isKind(AttachmentNames.FAIRNESS, name)) {
                    read(name, "fairness report", Fairness::fromJson).ifPresent(fairness::add);
                } else if (AttachmentNames.isKind(AttachmentNames.IMPORTANCE, name)) {
                    read(name, "permutation importance", PermutationImportance::fromJson).ifPresent(importance::add);
                } else if (name.equals(AttachmentNames.DRIFT_PROFILE)) {
                    profile = read(name, "drift profile", ReferenceProfile::fromJson);
                    driftBaseline = profile.map(ModelCard::baselineOf);
                }
            }
            decisionNames.forEach((n, name) -> read(name, "promotion decision", PromotionGate::decisionFromJson)
                    .ifPresent(d -> decisions.add(new RecordedDecision(name, n, d))));
        }

        /** The latest {@code max} windows of a fleet monitor, each merged over instances and compared with the profile. */
        void fleet(Store store, String monitor, MonitorPolicy policy, int max) {
            String source = "fleet monitor " + Names.quote(monitor) + " in " + store.describe();
            driftSource = Optional.of(source);
            if (profile.isEmpty()) {
                notes.add("the drift history of " + source + " is not shown: the version has no readable "
                        + AttachmentNames.DRIFT_PROFILE + " attachment to compare its windows with");
                return;
            }
            FleetDrift fleet = FleetDrift.builder(store, monitor, profile.get()).policy(policy).clock(mlops.clock()).build();
            List<Long> windows = fleet.windows();
            for (Long w : windows.subList(Math.max(0, windows.size() - max), windows.size())) {
                try {
                    driftHistory.add(fleet.merge(w));
                } catch (RuntimeException e) {
                    // one damaged window must not hide the others: left out, and said so
                    notes.add("window " + w + " of " + source + " could not be read: " + e.getMessage());
                }
            }
        }

        private <T> Optional<T> read(String name, String what, Function<String, T> parser) {
            try {
                String text = new String(models.attachment(ref, name), StandardCharsets.UTF_8);
                return Optional.of(parser.apply(text));
            } catch (RuntimeException e) {
                String detail = String.valueOf(e.getMessage());
                notes.add("attachment " + Names.quote(name) + " could not be read as a " + what + ": " + detail);
                unreadable.add(new UnreadableAttachment(name, what, detail));
                return Optional.empty();
            }
        }

        /** One pass over the model's audit entries: the version's entries, and every alias name ever used. */
        private void history() {
            String self = ref.toString();
            String aliasPrefix = ref.model() + "@";
            TreeSet<String> aliases = new TreeSet<>(model.aliases().keySet());
            for (AuditEntry e : mlops.audit().entriesFor(ref.model())) {
                String t = e.target();
                if (t.equals(self) || t.startsWith(self + "/") || t.startsWith(self + "@")) {
                    audit.add(e);
                } else if (t.startsWith(aliasPrefix)) {
                    String alias = t.substring(aliasPrefix.length());
                    if (Names.isValid(Names.Kind.ALIAS, alias)) {
                        aliases.add(alias);
                    }
                    String number = Integer.toString(ref.number());
                    if (number.equals(e.before().get("version")) || number.equals(e.after().get("version"))) {
                        aliasAudit.add(e);
                    }
                }
            }
            Integer n = ref.number();
            for (String alias : aliases) {
                for (AliasMove m : models.aliasHistory(ref.model(), alias)) {
                    if (m.from().equals(Optional.of(n)) || m.to().equals(Optional.of(n))) {
                        aliasMoves.add(m);
                    }
                }
            }
            aliasMoves.sort(Comparator.comparing(AliasMove::at)); // stable: each alias's moves keep their order
        }
    }

    /** Categories shown per categorical column. */
    static final int TOP_CATEGORIES = 5;

    /** What a card shows of a drift reference profile, read with mlops-drift's own reader. */
    static DriftBaseline baselineOf(String json) {
        return baselineOf(ReferenceProfile.fromJson(json));
    }

    static DriftBaseline baselineOf(ReferenceProfile profile) {
        List<BaselineColumn> columns = new ArrayList<>();
        for (ReferenceProfile.Column c : profile.columns()) {
            if (c instanceof ReferenceProfile.NumericalColumn n) {
                columns.add(new BaselineColumn(n.name(), "numerical", n.count(), n.missing(), OptionalLong.of(n.distinct()),
                        finite(n.min()), finite(n.max()), finite(n.mean()), finite(n.std()), List.of()));
            } else if (c instanceof ReferenceProfile.CategoricalColumn k) {
                List<CategoryCount> top = new ArrayList<>();
                List<String> names = k.categories();
                long[] counts = k.categoryCounts();
                for (int i = 0; i < names.size() && top.size() < TOP_CATEGORIES; i++) {
                    top.add(new CategoryCount(names.get(i), counts[i]));
                }
                columns.add(new BaselineColumn(k.name(), "categorical", k.count(), k.missing(),
                        OptionalLong.of(k.distinct()), OptionalDouble.empty(), OptionalDouble.empty(),
                        OptionalDouble.empty(), OptionalDouble.empty(), top));
            }
        }
        return new DriftBaseline(profile.rows(), columns);
    }

    private static OptionalDouble finite(double v) {
        return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    }
}
