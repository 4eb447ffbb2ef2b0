package dev.mlops.core;

import dev.mlops.api.ArtifactManifest;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.MlopsException;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.core.DatasetDocs.DatasetVersionDoc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Binds the state to the audit trail: replays the trail and checks that the state holds what it
 * records. Every audited model and dataset exists; every audited version exists (unless audited
 * as deleted) with the artifact and attachments its entries record; every alias move the trail
 * numbers is the same move in the alias's history, and the alias points where its history's last
 * move put it. The chain alone only proves the trail was not edited; this proves the state was
 * not either. Changes made after the cutoff are left alone where a writer may not have appended
 * its entry yet.
 */
final class AuditReplay {
    private final Instant cutoff;
    private final List<IntegrityProblem> problems = new ArrayList<>();
    private final Map<String, Long> models = new TreeMap<>();
    private final Map<String, VersionFacts> versions = new TreeMap<>();
    private final Map<String, AliasFacts> aliases = new TreeMap<>();
    private final Map<String, Long> datasets = new TreeMap<>();
    private final Map<String, DatasetFacts> datasetVersions = new TreeMap<>();

    /** What the trail says of one model version. */
    private static final class VersionFacts {
        long registeredIn;
        String artifact;
        boolean deleted;
        final Map<String, String> attachments = new TreeMap<>();
        final Map<String, Long> attachedIn = new HashMap<>();
    }

    /** The last move of an alias the trail records. */
    private record AliasFacts(long sequence, Integer move, Integer target, Instant time) {
    }

    /** What the trail says of one dataset version. */
    private record DatasetFacts(long sequence, String content) {
    }

    AuditReplay(Instant cutoff) {
        this.cutoff = cutoff;
    }

    /** Takes in one entry, in journal order. */
    void replay(AuditEntry e) {
        String action = e.action();
        String target = e.target();
        long seq = e.sequence();
        if (action.startsWith("model.")) {
            models.putIfAbsent(target, seq);
        } else if (action.startsWith("version.")) {
            int slash = target.lastIndexOf('/');
            if (slash <= 0) {
                return;
            }
            models.putIfAbsent(target.substring(0, slash), seq);
            VersionFacts v = versions.computeIfAbsent(target, t -> new VersionFacts());
            switch (action) {
                case "version.register" -> {
                    v.registeredIn = seq;
                    v.artifact = e.after().get("artifact_sha256");
                    e.after().forEach((k, sha) -> {
                        if (k.startsWith(JournalAuditLog.ATTACHMENT)) {
                            v.attachments.put(k.substring(JournalAuditLog.ATTACHMENT.length()), sha);
                            v.attachedIn.put(k.substring(JournalAuditLog.ATTACHMENT.length()), seq);
                        }
                    });
                }
                case "version.delete" -> v.deleted = true;
                case "version.attach" -> {
                    String name = e.after().get("attachment");
                    if (name != null && e.after().get("sha256") != null) {
                        v.attachments.put(name, e.after().get("sha256"));
                        v.attachedIn.put(name, seq);
                    }
                }
                default -> {
                    // tags and status are slots: a change without its entry, lost or forged, is
                    // found by the coverage of slots, which can tell the two apart no better
                }
            }
        } else if (action.startsWith("alias.")) {
            int at = target.lastIndexOf('@');
            if (at <= 0) {
                return;
            }
            models.putIfAbsent(target.substring(0, at), seq);
            Integer move = parse(e.after().get(JournalAuditLog.MOVE));
            Integer to = action.equals("alias.remove") ? null : parse(e.after().get("version"));
            aliases.put(target, new AliasFacts(seq, move, to, e.time()));
        } else if (action.equals("dataset.register")) {
            int slash = target.lastIndexOf('/');
            if (slash <= 0) {
                return;
            }
            datasets.putIfAbsent(target.substring(0, slash), seq);
            datasetVersions.put(target, new DatasetFacts(seq, e.after().get("content_sha256")));
        }
    }

    /**
     * Compares what was replayed with the state.
     *
     * @param model reads a model document (empty if absent); throws if it is damaged
     * @param version reads a version document
     * @param history an alias's whole history, archived chunks first, if it can be read
     * @param dataset whether a dataset document exists
     * @param datasetVersion reads a dataset version document
     * @return every contradiction found
     */
    List<IntegrityProblem> compare(Function<String, Optional<ModelDoc>> model,
                                   BiFunction<String, Integer, Optional<VersionDoc>> version,
                                   BiFunction<ModelDoc, String, Optional<List<ModelDoc.AliasMoveDoc>>> history,
                                   Function<String, Boolean> dataset,
                                   BiFunction<String, Integer, Optional<DatasetVersionDoc>> datasetVersion) {
        Map<String, ModelDoc> read = new HashMap<>();
        models.forEach((name, seq) -> guarded(name, () -> {
            Optional<ModelDoc> m = model.apply(name);
            if (m.isEmpty()) {
                mismatch(Keys.model(name).toString(), "model " + name + " is in the audit trail (from entry " + seq
                        + ") but its document is missing");
            } else {
                read.put(name, m.get());
            }
        }));
        versions.forEach((target, facts) -> guarded(target, () -> compareVersion(target, facts, read, version)));
        aliases.forEach((target, facts) -> guarded(target, () -> compareAlias(target, facts, read, history)));
        datasets.forEach((name, seq) -> guarded(name, () -> {
            if (!dataset.apply(name)) {
                mismatch(Keys.dataset(name).toString(), "dataset " + name + " is in the audit trail (from entry " + seq
                        + ") but its document is missing");
            }
        }));
        datasetVersions.forEach((target, facts) -> guarded(target, () -> {
            int slash = target.lastIndexOf('/');
            Integer n = parse(target.substring(slash + 1));
            if (n == null) {
                return;
            }
            Optional<DatasetVersionDoc> d = datasetVersion.apply(target.substring(0, slash), n);
            if (d.isEmpty()) {
                mismatch(Keys.datasetVersion(target.substring(0, slash), n).toString(), "dataset version " + target
                        + " was registered (entry " + facts.sequence() + ") but its document is missing");
            } else if (!d.get().deleted() && facts.content() != null && !facts.content().equals(d.get().contentSha256())) {
                mismatch(Keys.datasetVersion(target.substring(0, slash), n).toString(), "dataset version " + target
                        + " holds content " + d.get().contentSha256() + ", but its registration (entry "
                        + facts.sequence() + ") recorded " + facts.content() + ": its document was replaced");
            }
        }));
        return problems;
    }

    private void compareVersion(String target, VersionFacts facts, Map<String, ModelDoc> models,
                                BiFunction<String, Integer, Optional<VersionDoc>> version) {
        int slash = target.lastIndexOf('/');
        String name = target.substring(0, slash);
        Integer n = parse(target.substring(slash + 1));
        ModelDoc model = models.get(name);
        if (n == null || model == null || facts.registeredIn == 0) {
            return; // the model's absence is reported; versions known only from later entries are not replayed
        }
        String key = Keys.version(name, n).toString();
        Optional<VersionDoc> doc = version.apply(name, n);
        if (doc.isEmpty()) {
            mismatch(key, "version " + target + " was registered (entry " + facts.registeredIn + ")"
                    + (facts.deleted ? " and deleted" : "") + " but its document is missing");
            return;
        }
        VersionDoc v = doc.get();
        if (v.deleted() || model.isDeleted(n)) {
            return; // a delete without its entry is reported by the coverage of changes
        }
        String artifact = new ArtifactManifest(v.artifact()).digest();
        if (facts.artifact != null && !facts.artifact.equals(artifact)) {
            mismatch(key, "version " + target + " holds artifact " + artifact + ", but its registration (entry "
                    + facts.registeredIn + ") recorded " + facts.artifact + ": the version document or its artifact was"
                    + " replaced");
        }
        facts.attachments.forEach((attachment, sha) -> {
            String now = v.attachments().get(attachment);
            if (!sha.equals(now)) {
                mismatch(key, "attachment " + attachment + " of " + target + " was recorded with digest " + sha + " (entry "
                        + facts.attachedIn.get(attachment) + ") but is " + (now == null ? "missing" : now));
            }
        });
    }

    private void compareAlias(String target, AliasFacts facts, Map<String, ModelDoc> models,
                              BiFunction<ModelDoc, String, Optional<List<ModelDoc.AliasMoveDoc>>> history) {
        int at = target.lastIndexOf('@');
        ModelDoc model = models.get(target.substring(0, at));
        String alias = target.substring(at + 1);
        if (model == null) {
            return;
        }
        Integer current = model.aliases().get(alias);
        Optional<List<ModelDoc.AliasMoveDoc>> moves = history.apply(model, alias);
        if (moves.isEmpty()) {
            return; // an unreadable history is reported where it is read
        }
        List<ModelDoc.AliasMoveDoc> h = moves.get();
        Integer last = h.isEmpty() ? null : h.get(h.size() - 1).to();
        if (!Objects.equals(current, last)) {
            mismatch(Keys.model(model.name()).toString(), "alias " + target + " points at " + show(current)
                    + ", but the last move in its history put it at " + show(last) + ": the model document was edited");
        }
        if (facts.move() != null) {
            if (facts.move() > h.size()) {
                mismatch(Keys.model(model.name()).toString(), "alias " + target + " has " + h.size() + " moves in its"
                        + " history, but the audit trail records move " + facts.move() + " (entry " + facts.sequence()
                        + "): its history was cut");
            } else if (!Objects.equals(h.get(facts.move() - 1).to(), facts.target())) {
                mismatch(Keys.model(model.name()).toString(), "move " + facts.move() + " of alias " + target
                        + " put it at " + show(h.get(facts.move() - 1).to()) + " in its history, but at "
                        + show(facts.target()) + " in the audit trail (entry " + facts.sequence() + ")");
            }
        } else if (!h.isEmpty() && settled(h.get(h.size() - 1).at()) && !Objects.equals(current, facts.target())) {
            // an entry written before move numbers: only the current target can be compared
            mismatch(Keys.model(model.name()).toString(), "alias " + target + " points at " + show(current)
                    + ", but its last audited move (entry " + facts.sequence() + ") put it at " + show(facts.target()));
        }
    }

    /** A damaged document is reported by the walk over the state, not here. */
    private void guarded(String target, Runnable check) {
        try {
            check.run();
        } catch (MlopsException damaged) {
            // reported where the document is read
        }
    }

    private void mismatch(String location, String detail) {
        problems.add(IntegrityProblem.unrepairable(IntegrityProblem.Kind.AUDIT_MISMATCH, location, detail));
    }

    private boolean settled(String time) {
        try {
            return !Instant.parse(time).isAfter(cutoff);
        } catch (RuntimeException unreadable) {
            return true;
        }
    }

    private static String show(Integer version) {
        return version == null ? "no version (removed)" : "version " + version;
    }

    private static Integer parse(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
