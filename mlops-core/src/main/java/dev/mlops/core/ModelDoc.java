package dev.mlops.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stored form of a registered model (key {@code models/NAME}). Aliases, their history and their
 * rollback stacks live here, so an alias move is one compare-and-set. Collections are treated
 * as immutable: every change builds a new document.
 */
record ModelDoc(int schemaVersion, String name, String description, Map<String, String> tags, String createdAt,
                String updatedAt, int latestVersion, Map<String, Integer> aliases,
                Map<String, List<AliasMoveDoc>> aliasHistory, Map<String, List<Integer>> rollbackStack,
                List<Integer> deletedVersions, Map<String, Integer> archivedMoves, Boolean pending) {

    static final int SCHEMA_VERSION = StoredDocuments.DOCUMENT_SCHEMA_VERSION;
    /** Moves per archived history chunk; the document keeps fewer than two chunks per alias. */
    static final int HISTORY_CHUNK = 100;
    /** How far back rollback reaches. */
    static final int MAX_ROLLBACK_DEPTH = 100;

    ModelDoc {
        tags = tags == null ? Map.of() : new TreeMap<>(tags);
        aliases = aliases == null ? Map.of() : new TreeMap<>(aliases);
        aliasHistory = aliasHistory == null ? Map.of() : new TreeMap<>(aliasHistory);
        rollbackStack = rollbackStack == null ? Map.of() : new TreeMap<>(rollbackStack);
        deletedVersions = deletedVersions == null ? List.of() : List.copyOf(deletedVersions);
        description = description == null ? "" : description;
        archivedMoves = archivedMoves == null ? Map.of() : new TreeMap<>(archivedMoves);
        pending = Boolean.TRUE.equals(pending) ? Boolean.TRUE : null;
    }

    static ModelDoc create(String name, String description, Map<String, String> tags, String now) {
        return new ModelDoc(SCHEMA_VERSION, name, description, tags, now, now, 0, null, null, null, null, null, null);
    }

    /**
     * A model document created by a registration for a model that did not exist yet. Until its
     * first version is committed the model does not exist for readers; if the registration
     * fails, {@code verify --repair} removes the document.
     */
    static ModelDoc pending(String name, String now) {
        return new ModelDoc(SCHEMA_VERSION, name, "", Map.of(), now, now, 0, null, null, null, null, null, true);
    }

    /** @return true while this document was made by a registration whose version may not exist */
    boolean isPending() {
        return Boolean.TRUE.equals(pending);
    }

    /** @return this document as a model that exists: its first version is committed */
    ModelDoc confirmed() {
        return new ModelDoc(schemaVersion, name, description, tags, createdAt, updatedAt, latestVersion, aliases,
                aliasHistory, rollbackStack, deletedVersions, archivedMoves, null);
    }

    ModelDoc withDescription(String d, String now) {
        return new ModelDoc(schemaVersion, name, d, tags, createdAt, now, latestVersion, aliases, aliasHistory,
                rollbackStack, deletedVersions, archivedMoves, pending);
    }

    ModelDoc withTags(Map<String, String> t, String now) {
        return new ModelDoc(schemaVersion, name, description, t, createdAt, now, latestVersion, aliases, aliasHistory,
                rollbackStack, deletedVersions, archivedMoves, pending);
    }

    ModelDoc withLatestVersion(int v, String now) {
        return new ModelDoc(schemaVersion, name, description, tags, createdAt, now, Math.max(v, latestVersion),
                aliases, aliasHistory, rollbackStack, deletedVersions, archivedMoves, pending);
    }

    ModelDoc withDeleted(int version, String now) {
        List<Integer> d = new ArrayList<>(deletedVersions);
        d.add(version);
        return new ModelDoc(schemaVersion, name, description, tags, createdAt, now, latestVersion, aliases,
                aliasHistory, rollbackStack, d, archivedMoves, pending);
    }

    /**
     * Records one alias change: new target (null removes), new stack (cut to the last
     * {@link #MAX_ROLLBACK_DEPTH} entries), the move.
     */
    ModelDoc withAlias(String alias, Integer target, List<Integer> stack, AliasMoveDoc move, String now) {
        if (stack.size() > MAX_ROLLBACK_DEPTH) {
            stack = stack.subList(stack.size() - MAX_ROLLBACK_DEPTH, stack.size());
        }
        Map<String, Integer> a = new LinkedHashMap<>(aliases);
        if (target == null) {
            a.remove(alias);
        } else {
            a.put(alias, target);
        }
        Map<String, List<Integer>> s = new LinkedHashMap<>(rollbackStack);
        s.put(alias, List.copyOf(stack));
        Map<String, List<AliasMoveDoc>> h = new LinkedHashMap<>(aliasHistory);
        List<AliasMoveDoc> moves = new ArrayList<>(h.getOrDefault(alias, List.of()));
        moves.add(move);
        h.put(alias, moves);
        return new ModelDoc(schemaVersion, name, description, tags, createdAt, now, latestVersion, a, h, s,
                deletedVersions, archivedMoves, pending);
    }

    /**
     * @return the number the alias's next move will have: moves are numbered from 1 in the order
     *     they were committed, archived ones included, so a move's number is its position in the
     *     alias history and never changes; its audit entry carries it as {@code move}
     */
    int nextMoveNumber(String alias) {
        return archivedMoves.getOrDefault(alias, 0) + aliasHistory.getOrDefault(alias, List.of()).size() + 1;
    }

    /** @return true when the alias's in-document history is long enough to archive a chunk */
    boolean historyNeedsArchiving(String alias) {
        return aliasHistory.getOrDefault(alias, List.of()).size() > 2 * HISTORY_CHUNK;
    }

    /** @return the oldest in-document chunk of moves, which is committed and will never change */
    List<AliasMoveDoc> oldestChunk(String alias) {
        return List.copyOf(aliasHistory.get(alias).subList(0, HISTORY_CHUNK));
    }

    /** @return this document without the oldest chunk, which now lives in its own document */
    ModelDoc withOldestChunkArchived(String alias) {
        Map<String, List<AliasMoveDoc>> h = new LinkedHashMap<>(aliasHistory);
        List<AliasMoveDoc> moves = h.get(alias);
        h.put(alias, List.copyOf(moves.subList(HISTORY_CHUNK, moves.size())));
        Map<String, Integer> archived = new LinkedHashMap<>(archivedMoves);
        archived.merge(alias, HISTORY_CHUNK, Integer::sum);
        return new ModelDoc(schemaVersion, name, description, tags, createdAt, updatedAt, latestVersion, aliases, h,
                rollbackStack, deletedVersions, archived, pending);
    }

    /** An archived chunk of one alias's moves (key {@code models/NAME/alias-history/ALIAS/START}). */
    record HistoryChunk(int schemaVersion, int start, List<AliasMoveDoc> moves) {
    }

    boolean isDeleted(int version) {
        return deletedVersions.contains(version);
    }

    /** One alias change as stored. */
    record AliasMoveDoc(String kind, Integer from, Integer to, String at, String actor) {
    }
}
