package dev.mlops.core;

import dev.mlops.api.AliasMove;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.MlopsException;
import dev.mlops.api.Names;
import dev.mlops.api.VersionStatus;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.core.DatasetDocs.DatasetVersionDoc;
import dev.mlops.core.JournalAuditLog.Recorded;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Finds committed changes whose audit entry was lost (the writer stopped between the commit and
 * the append) by comparing what the store holds with what the trail says, and on repair appends
 * each missing entry, marked {@code recovered_by: verify --repair}.
 *
 * <ul>
 *   <li>Creations (a model, a model version, a dataset version) and deletions of versions: the
 *       document, or the model's list of deleted versions, must have its entry.</li>
 *   <li>Alias moves: the i-th move in an alias's history is move number i, and its entry carries
 *       {@code move = i}. Entries written before move numbers existed are paired with the
 *       remaining moves by kind, versions and actor, and among those by time.</li>
 *   <li>Tags, descriptions, status and attachments: each is a slot whose value the entries move
 *       from {@code before} to {@code after}. Without a loss, the values a slot was given (its
 *       value at creation and every entry's after) are exactly the values it was moved away from
 *       (every entry's before) plus its current value, whatever order the entries were appended
 *       in. A value given but never left {@code p}, and one left or current but never given
 *       {@code q}, is one lost change from {@code p} to {@code q}. A slot is checked only when its
 *       value at creation is known (see {@link Recorded#listsCreationState()}).</li>
 * </ul>
 *
 * A change committed after {@code cutoff} is not checked: its writer may still be appending the
 * entry, and a recovered entry would then be a duplicate.
 */
final class AuditCoverage {
    private static final String RECOVERED = "verify --repair";
    private static final String LOST = "; its writer stopped between the commit and the audit entry";
    private static final int BATCH = 1000;
    private static final String DESCRIPTION = "description";
    private static final String STATUS = "status";

    private final JournalAuditLog audit;
    private final Instant cutoff;
    private final boolean repair;
    private final boolean chainIntact;
    private final java.util.function.Function<String, java.util.OptionalLong> blobSize;
    /** Entries of registry and catalog actions by target, in journal order; null if the journal cannot be read. */
    private final Map<String, List<Recorded>> byTarget;
    private final List<Gap> gaps = new ArrayList<>();

    /** A committed change without its entry, and the entry that recovers it (null when it cannot be told). */
    private record Gap(Instant committedAt, String target, String detail, String action, Map<String, String> before,
                       Map<String, String> after) {
    }

    /**
     * Reads the journal once.
     *
     * @param cutoff changes committed after it are left alone
     * @param repair append recovered entries in {@link #finish()}
     * @param chainIntact whether the audit chain verifies: entries removed from a broken chain
     *     look like lost ones, and appending recovered entries would paper over the tampering
     * @param blobSize the size of a stored blob, for recovered attachment entries
     */
    AuditCoverage(JournalAuditLog audit, Instant cutoff, boolean repair, boolean chainIntact,
                  java.util.function.Function<String, java.util.OptionalLong> blobSize) {
        this.blobSize = blobSize;
        this.audit = audit;
        this.cutoff = cutoff;
        this.repair = repair;
        this.chainIntact = chainIntact;
        this.byTarget = index(audit);
    }

    private static Map<String, List<Recorded>> index(JournalAuditLog audit) {
        Map<String, List<Recorded>> out = new HashMap<>();
        try {
            long next = 1;
            while (true) {
                List<Recorded> batch = audit.recorded(next, BATCH);
                for (Recorded r : batch) {
                    String action = r.entry().action();
                    if (action.startsWith("model.") || action.startsWith("version.") || action.startsWith("alias.")
                            || action.startsWith("dataset.")) {
                        out.computeIfAbsent(r.entry().target(), t -> new ArrayList<>()).add(r);
                    }
                }
                if (batch.size() < BATCH) {
                    return out;
                }
                next += BATCH;
            }
        } catch (MlopsException unreadable) {
            // the chain check reports it; without the whole trail every change would look unaudited
            return null;
        }
    }

    // ---- models -----------------------------------------------------------------------------

    /** The model's creation, description, tags and deleted versions. */
    void checkModel(ModelDoc model) {
        if (byTarget == null) {
            return;
        }
        String target = model.name();
        List<Recorded> entries = entries(target, "model.");
        Map<String, String> slots = tagSlots(model.tags());
        slots.put(DESCRIPTION, model.description());
        Optional<Recorded> created = checkCreated("model.create", target, entries, model.createdAt(), null,
                initialSlots(slots, entries), "model");
        for (int n : model.deletedVersions()) {
            String version = target + "/" + n;
            if (first(entries(version, "version."), "version.delete").isEmpty() && settled(model.updatedAt())) {
                gaps.add(new Gap(instant(model.updatedAt()), version, "version.delete entry missing: the version is"
                        + " deleted" + LOST, "version.delete", Map.of(STATUS, "present"), Map.of(STATUS, "deleted")));
            }
        }
        if (!settled(model.updatedAt())) {
            return;
        }
        Map<String, String> actual = tagSlots(model.tags());
        actual.put(DESCRIPTION, model.description());
        Map<String, String> initial = new TreeMap<>();
        boolean descriptionKnown = created.isPresent() && (created.get().entry().after().containsKey(DESCRIPTION)
                || !created.get().entry().after().containsKey(JournalAuditLog.RECOVERED_BY));
        created.ifPresent(c -> initial.put(DESCRIPTION, c.entry().after().getOrDefault(DESCRIPTION, "")));
        boolean tagsKnown = created.isPresent() && created.get().listsCreationState();
        created.ifPresent(c -> initial.putAll(prefixed(c.entry().after(), JournalAuditLog.TAG)));
        checkSlots(target, "model", model.updatedAt(), entries, actual, initial,
                slot -> slot.equals(DESCRIPTION) ? descriptionKnown : tagsKnown);
    }

    /** An alias's moves, in order: move i is {@code moves.get(i - 1)}. */
    void checkAlias(ModelDoc model, String alias, List<ModelDoc.AliasMoveDoc> moves) {
        if (byTarget == null) {
            return;
        }
        String target = model.name() + "@" + alias;
        boolean[] audited = new boolean[moves.size() + 1];
        List<AuditEntry> unnumbered = new ArrayList<>();
        for (Recorded r : entries(target, "alias.")) {
            String move = r.entry().after().get(JournalAuditLog.MOVE);
            if (move == null) {
                unnumbered.add(r.entry());
                continue;
            }
            int n = parseOrZero(move);
            if (n >= 1 && n <= moves.size()) {
                audited[n] = true;
            }
        }
        // Entries written before move numbers: each is paired with an unpaired move of the same
        // kind, versions and actor, the latest one committed by the entry's time (a writer
        // appends right after its commit, by the same clock).
        Map<String, NavigableMap<Instant, TreeSet<Integer>>> open = new HashMap<>();
        for (int n = 1; n <= moves.size(); n++) {
            if (!audited[n]) {
                ModelDoc.AliasMoveDoc m = moves.get(n - 1);
                open.computeIfAbsent(describe(m.kind(), m.from(), m.to(), m.actor()), k -> new TreeMap<>())
                        .computeIfAbsent(instant(m.at()), t -> new TreeSet<>()).add(n);
            }
        }
        for (AuditEntry e : unnumbered) {
            NavigableMap<Instant, TreeSet<Integer>> candidates = open.get(describe(e));
            if (candidates == null || candidates.isEmpty()) {
                continue;
            }
            Map.Entry<Instant, TreeSet<Integer>> at = candidates.floorEntry(e.time());
            if (at == null) {
                at = candidates.firstEntry(); // the entry's clock was behind the move's
            }
            audited[at.getValue().pollLast()] = true;
            if (at.getValue().isEmpty()) {
                candidates.remove(at.getKey());
            }
        }
        for (int n = 1; n <= moves.size(); n++) {
            ModelDoc.AliasMoveDoc m = moves.get(n - 1);
            if (audited[n] || !settled(m.at())) {
                continue;
            }
            String action = AliasMove.Kind.ROLLBACK.name().equals(m.kind()) ? "alias.rollback"
                    : AliasMove.Kind.REMOVE.name().equals(m.kind()) ? "alias.remove" : "alias.set";
            Map<String, String> after = committed(m.at(), m.actor());
            after.put(JournalAuditLog.MOVE, Integer.toString(n));
            if (m.to() != null) {
                after.put("version", m.to().toString());
            }
            gaps.add(new Gap(instant(m.at()), target, action + " entry missing: move " + n + " ("
                    + action.substring("alias.".length()) + " from " + orNone(m.from()) + " to " + orNone(m.to())
                    + " at " + m.at() + " by " + Names.quote(String.valueOf(m.actor())) + ")" + LOST, action,
                    m.from() == null ? Map.of() : Map.of("version", m.from().toString()), after));
        }
    }

    // ---- versions ---------------------------------------------------------------------------

    /** A live model version: its registration, status, tags and attachments. */
    void checkVersion(VersionDoc v) {
        if (byTarget == null) {
            return;
        }
        String target = v.model() + "/" + v.version();
        List<Recorded> entries = entries(target, "version.");
        Map<String, String> facts = new TreeMap<>(Map.of("artifact_sha256",
                new dev.mlops.api.ArtifactManifest(v.artifact()).digest(), "format", v.format()));
        Map<String, String> slots = tagSlots(v.tags());
        v.attachments().forEach((name, sha) -> slots.put(JournalAuditLog.ATTACHMENT + name, sha));
        facts.putAll(initialSlots(slots, entries));
        Optional<Recorded> registered = checkCreated("version.register", target, entries, v.createdAt(), v.creator(),
                facts, "version");
        if (!settled(v.changedAt())) {
            return;
        }
        Map<String, String> actual = tagSlots(v.tags());
        v.attachments().forEach((name, sha) -> actual.put(JournalAuditLog.ATTACHMENT + name, sha));
        actual.put(STATUS, v.status());
        Map<String, String> initial = new TreeMap<>();
        initial.put(STATUS, VersionStatus.ACTIVE.name());
        boolean listed = registered.isPresent() && registered.get().listsCreationState();
        registered.ifPresent(r -> {
            initial.putAll(prefixed(r.entry().after(), JournalAuditLog.TAG));
            initial.putAll(prefixed(r.entry().after(), JournalAuditLog.ATTACHMENT));
        });
        checkSlots(target, "version", v.changedAt(), entries, actual, initial, slot -> slot.equals(STATUS) || listed);
    }

    /** A live dataset version: its registration and tags. */
    void checkDatasetVersion(DatasetVersionDoc v) {
        if (byTarget == null) {
            return;
        }
        String target = v.dataset() + "/" + v.version();
        List<Recorded> entries = entries(target, "dataset.");
        Map<String, String> facts = new TreeMap<>(Map.of("content_sha256", v.contentSha256(),
                "rows", v.rowCount() == null ? "" : v.rowCount().toString()));
        facts.putAll(initialSlots(tagSlots(v.tags()), entries));
        Optional<Recorded> registered = checkCreated("dataset.register", target, entries, v.createdAt(), v.creator(),
                facts, "dataset version");
        if (!settled(v.changedAt())) {
            return;
        }
        boolean listed = registered.isPresent() && registered.get().listsCreationState();
        Map<String, String> initial = new TreeMap<>();
        registered.ifPresent(r -> initial.putAll(prefixed(r.entry().after(), JournalAuditLog.TAG)));
        checkSlots(target, "dataset", v.changedAt(), entries, tagSlots(v.tags()), initial, slot -> listed);
    }

    /**
     * A model, version or dataset version exists, so its creation must have its entry.
     *
     * @param facts what the recovered entry records besides when and by whom
     * @return the creation entry, if any
     */
    private Optional<Recorded> checkCreated(String action, String target, List<Recorded> entries, String createdAt,
                                            String creator, Map<String, String> facts, String what) {
        Optional<Recorded> created = first(entries, action);
        if (created.isEmpty() && settled(createdAt)) {
            Map<String, String> after = committed(createdAt, creator);
            after.putAll(facts);
            gaps.add(new Gap(instant(createdAt), target, action + " entry missing: the " + what + " exists" + LOST, action,
                    Map.of(), after));
        }
        return created;
    }

    // ---- slots ------------------------------------------------------------------------------

    /**
     * The slots' values at creation, for a recovered creation entry: each current value is
     * unwound through the audited changes, newest first. If a value does not match the change
     * that should have produced it, a change was lost and the state at creation cannot be told:
     * then nothing is listed (a partial list would claim the other slots were absent).
     */
    private static Map<String, String> initialSlots(Map<String, String> current, List<Recorded> entries) {
        Map<String, String> value = new TreeMap<>(current);
        for (int i = entries.size() - 1; i >= 0; i--) {
            for (Map.Entry<String, String[]> t : transitions(entries.get(i).entry()).entrySet()) {
                String slot = t.getKey();
                if (slot.equals(STATUS)) {
                    continue; // not part of the creation entry
                }
                if (!Objects.equals(value.get(slot), t.getValue()[1])) {
                    return Map.of();
                }
                if (t.getValue()[0] == null) {
                    value.remove(slot);
                } else {
                    value.put(slot, t.getValue()[0]);
                }
            }
        }
        return value;
    }

    /**
     * @param family {@code model}, {@code version} or {@code dataset}: names the actions
     * @param actual every slot's current value
     * @param initial slots' values at creation; a known slot not listed was absent
     * @param known which slots' values at creation are known
     */
    private void checkSlots(String target, String family, String changedAt, List<Recorded> entries,
                            Map<String, String> actual, Map<String, String> initial, Predicate<String> known) {
        // per slot: how often each value was given (+1) and left (-1); null stands for absent
        Map<String, Map<String, Integer>> balance = new TreeMap<>();
        actual.forEach((slot, value) -> add(balance, slot, value, -1));
        initial.forEach((slot, value) -> add(balance, slot, value, +1));
        for (Recorded r : entries) {
            transitions(r.entry()).forEach((slot, change) -> {
                add(balance, slot, change[0], -1);
                add(balance, slot, change[1], +1);
            });
        }
        balance.forEach((slot, values) -> {
            if (!known.test(slot)) {
                return;
            }
            // slots mentioned nowhere else start and stay absent
            Map<String, Integer> b = new HashMap<>(values);
            if (!actual.containsKey(slot)) {
                b.merge(null, -1, Integer::sum);
            }
            if (!initial.containsKey(slot)) {
                b.merge(null, +1, Integer::sum);
            }
            b.values().removeIf(c -> c == 0);
            if (b.isEmpty()) {
                return;
            }
            List<String> given = new ArrayList<>();
            List<String> left = new ArrayList<>();
            b.forEach((value, count) -> {
                for (int i = 0; i < Math.abs(count); i++) {
                    (count > 0 ? given : left).add(value);
                }
            });
            String action = actionFor(family, slot, left.get(0));
            if (given.size() == 1) {
                String from = given.get(0);
                String to = left.get(0);
                gaps.add(new Gap(instant(changedAt), target, action + " entry missing: " + slot + " changed from "
                        + show(from) + " to " + show(to) + LOST, action, before(slot, from), after(slot, from, to)));
            } else {
                gaps.add(new Gap(instant(changedAt), target, action + " entries missing: " + given.size() + " changes of "
                        + slot + " (values given but never left: " + shows(given) + "; left but never given: "
                        + shows(left) + "); their order cannot be told, so they are not recovered" + LOST, null,
                        Map.of(), Map.of()));
            }
        });
    }

    private static void add(Map<String, Map<String, Integer>> balance, String slot, String value, int delta) {
        balance.computeIfAbsent(slot, s -> new HashMap<>()).merge(value, delta, Integer::sum);
    }

    /** How an entry moved each slot it names: {before, after}, null for absent. */
    private static Map<String, String[]> transitions(AuditEntry e) {
        Map<String, String[]> out = new HashMap<>();
        switch (e.action()) {
            case "version.attach" -> {
                String name = e.after().get("attachment");
                if (name != null) {
                    out.put(JournalAuditLog.ATTACHMENT + name, new String[] {null, e.after().get("sha256")});
                }
            }
            case "model.update" -> out.put(DESCRIPTION, new String[] {e.before().get(DESCRIPTION),
                    e.after().get(DESCRIPTION)});
            case "version.archive", "version.restore" -> out.put(STATUS, new String[] {e.before().get(STATUS),
                    e.after().get(STATUS)});
            case "model.tag", "version.tag", "dataset.tag" -> {
                TreeSet<String> keys = new TreeSet<>(e.before().keySet());
                keys.addAll(e.after().keySet());
                for (String k : keys) {
                    if (k.startsWith(JournalAuditLog.TAG)) {
                        out.put(k, new String[] {e.before().get(k), e.after().get(k)});
                    }
                }
            }
            default -> {
                // creations, deletions and events name no slot
            }
        }
        return out;
    }

    private static String actionFor(String family, String slot, String to) {
        if (slot.equals(DESCRIPTION)) {
            return "model.update";
        }
        if (slot.equals(STATUS)) {
            return VersionStatus.ARCHIVED.name().equals(to) ? "version.archive" : "version.restore";
        }
        if (slot.startsWith(JournalAuditLog.ATTACHMENT)) {
            return "version.attach";
        }
        return family + ".tag";
    }

    private static Map<String, String> before(String slot, String from) {
        return from == null || slot.startsWith(JournalAuditLog.ATTACHMENT) ? Map.of() : Map.of(slot, from);
    }

    private Map<String, String> after(String slot, String from, String to) {
        Map<String, String> after = new TreeMap<>();
        if (slot.startsWith(JournalAuditLog.ATTACHMENT)) {
            if (from != null || to == null) {
                return null; // attachments are only ever added; no entry can say this
            }
            after.put("attachment", slot.substring(JournalAuditLog.ATTACHMENT.length()));
            after.put("sha256", to);
            blobSize.apply(to).ifPresent(size -> after.put("size", Long.toString(size)));
        } else if (to != null) {
            after.put(slot, to);
        }
        return after;
    }

    // ---- the end ----------------------------------------------------------------------------

    /**
     * Reports every gap and, when repairing, appends the recovered entries, oldest change first.
     *
     * @return one problem per gap
     */
    List<IntegrityProblem> finish() {
        gaps.sort(Comparator.comparing(Gap::committedAt).thenComparing(Gap::target).thenComparing(Gap::detail));
        List<IntegrityProblem> problems = new ArrayList<>(gaps.size());
        for (Gap g : gaps) {
            boolean repaired = false;
            if (repair && chainIntact && g.action() != null && g.after() != null) {
                Map<String, String> after = new TreeMap<>(g.after());
                after.put(JournalAuditLog.RECOVERED_BY, RECOVERED);
                audit.append(g.action(), g.target(), g.before(), after);
                repaired = true;
            }
            boolean recoverable = chainIntact && g.action() != null && g.after() != null;
            problems.add(new IntegrityProblem(IntegrityProblem.Kind.MISSING_AUDIT_ENTRY, g.target(), g.detail(), repaired,
                    recoverable));
        }
        gaps.clear();
        return problems;
    }

    // ---- helpers ----------------------------------------------------------------------------

    private List<Recorded> entries(String target, String actionPrefix) {
        return byTarget.getOrDefault(target, List.of()).stream()
                .filter(r -> r.entry().action().startsWith(actionPrefix)).toList();
    }

    private static Optional<Recorded> first(List<Recorded> entries, String action) {
        return entries.stream().filter(r -> r.entry().action().equals(action)).findFirst();
    }

    /** @return true if a change made at {@code time} is older than the grace period */
    private boolean settled(String time) {
        return !instant(time).isAfter(cutoff);
    }

    /** A time that cannot be read counts as old: the document is damaged, not being written. */
    private static Instant instant(String time) {
        try {
            return Instant.parse(Objects.requireNonNull(time, "time"));
        } catch (DateTimeParseException | NullPointerException unreadable) {
            return Instant.EPOCH;
        }
    }

    private static Map<String, String> committed(String at, String actor) {
        Map<String, String> m = new TreeMap<>();
        m.put("committed_at", at);
        if (actor != null) {
            m.put("committed_by", actor);
        }
        return m;
    }

    private static Map<String, String> tagSlots(Map<String, String> tags) {
        Map<String, String> out = new TreeMap<>();
        tags.forEach((k, v) -> out.put(JournalAuditLog.TAG + k, v));
        return out;
    }

    private static Map<String, String> prefixed(Map<String, String> after, String prefix) {
        Map<String, String> out = new TreeMap<>();
        after.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String describe(String kind, Integer from, Integer to, String actor) {
        return kind + " " + from + " " + to + " " + actor;
    }

    private static String describe(AuditEntry e) {
        String kind = switch (e.action()) {
            case "alias.set", "alias.promote" -> AliasMove.Kind.SET.name();
            case "alias.rollback" -> AliasMove.Kind.ROLLBACK.name();
            case "alias.remove" -> AliasMove.Kind.REMOVE.name();
            default -> "?";
        };
        return kind + " " + e.before().get("version") + " " + e.after().get("version") + " " + e.actor();
    }

    private static int parseOrZero(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String orNone(Integer v) {
        return v == null ? "none" : v.toString();
    }

    private static String show(String value) {
        return value == null ? "(absent)" : Names.quote(value);
    }

    private static String shows(List<String> values) {
        return String.join(", ", values.stream().map(AuditCoverage::show).toList());
    }
}
