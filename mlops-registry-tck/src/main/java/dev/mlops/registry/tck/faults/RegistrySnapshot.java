package dev.mlops.registry.tck.faults;

import dev.mlops.api.AuditEntry;
import dev.mlops.api.Dataset;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.RegisteredModel;
import dev.mlops.api.VersionQuery;
import dev.mlops.core.Mlops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a user can see of a registry, as text that compares equal exactly when the visible
 * states are equal: models, versions, aliases and their histories, datasets, and the audit
 * trail as a multiset of (actor, action, target, before, after). Fields that verification adds
 * to a recovered entry, and garbage-collection entries (whose counts depend on how far a failed
 * collection got), are left out.
 */
public final class RegistrySnapshot {
    private static final Set<String> RECOVERY_FIELDS = Set.of("recovered_by", "committed_at", "committed_by");

    private RegistrySnapshot() {
    }

    /**
     * @param mlops a healthy instance over the store
     * @return the visible state as text, one fact per line
     */
    public static String of(Mlops mlops) {
        List<String> lines = new ArrayList<>();
        for (RegisteredModel m : all(t -> mlops.models().listModels(page(t)))) {
            lines.add("model " + m.name() + " description=" + m.description() + " tags=" + m.tags() + " aliases="
                    + m.aliases() + " latest=" + m.latestVersion());
            for (ModelVersion v : all(t -> mlops.models().listVersions(m.name(),
                    VersionQuery.builder().includeArchived(true).page(page(t)).build()))) {
                lines.add("  version " + v.number() + " format=" + v.format() + " artifact=" + v.artifact().entries()
                        + " params=" + new TreeMap<>(v.params()) + " metrics=" + new TreeMap<>(v.metrics()) + " tags="
                        + new TreeMap<>(v.tags()) + " attachments=" + new TreeMap<>(v.attachments()) + " description="
                        + v.description() + " status=" + v.status() + " aliases=" + v.aliases() + " lineage="
                        + v.lineage() + " created=" + v.createdAt() + " by " + v.creator());
            }
            for (String alias : m.aliases().keySet()) {
                lines.add("  history " + alias + " " + mlops.models().aliasHistory(m.name(), alias));
            }
        }
        for (Dataset d : all(t -> mlops.datasets().listDatasets(page(t)))) {
            lines.add("dataset " + d.name() + " tags=" + d.tags() + " latest=" + d.latestVersion());
            for (DatasetVersion v : all(t -> mlops.datasets().listVersions(d.name(), VersionQuery.builder().page(page(t)).build()))) {
                lines.add("  version " + v.version() + " content=" + v.contentSha256() + " files=" + v.files().entries()
                        + " rows=" + v.rowCount() + " profile=" + v.profileSha256() + " tags=" + new TreeMap<>(v.tags()));
            }
        }
        List<String> audit = new ArrayList<>();
        for (long from = 1; ; from += 1000) {
            List<AuditEntry> batch = mlops.audit().entries(from, 1000);
            for (AuditEntry e : batch) {
                if (!e.action().equals("store.gc")) {
                    audit.add("audit " + e.actor() + " " + e.action() + " " + e.target() + " " + new TreeMap<>(e.before())
                            + " -> " + withoutRecovery(e.after()));
                }
            }
            if (batch.size() < 1000) {
                break;
            }
        }
        audit.sort(null);
        lines.addAll(audit);
        return String.join("\n", lines);
    }

    private static Map<String, String> withoutRecovery(Map<String, String> after) {
        Map<String, String> out = new TreeMap<>(after);
        out.keySet().removeAll(RECOVERY_FIELDS);
        return out;
    }

    private static PageRequest page(Optional<String> token) {
        return token.map(t -> PageRequest.after(t, 100)).orElse(PageRequest.first(100));
    }

    private static <T> List<T> all(java.util.function.Function<Optional<String>, Page<T>> fetch) {
        List<T> out = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            Page<T> p = fetch.apply(token);
            out.addAll(p.items());
            token = p.nextPageToken();
        } while (token.isPresent());
        return out;
    }
}
