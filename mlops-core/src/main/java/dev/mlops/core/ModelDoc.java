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
                List<Integer> deletedVersions) {

    static final int SCHEMA_VERSION = 1;

    ModelDoc {
        tags = tags == null ? Map.of() : new TreeMap<>(tags);
        aliases = aliases == null ? Map.of() : new TreeMap<>(aliases);
        aliasHistory = aliasHistory == null ? Map.of() : new TreeMap<>(aliasHistory);
        rollbackStack = rollbackStack == null ? Map.of() : new TreeMap<>(rollbackStack);
        deletedVersions = deletedVersions == null ? List.of() : List.copyOf(deletedVersions);
        description = description == null ? "" : description;
    }

    static ModelDoc create(String name, String description, Map<String, String> tags, String now) {
        return new ModelDoc(SCHEMA_VERSION, name, description, tags, now, now, 0, null, null, null, null);
    }

    ModelDoc withDescription(String d, String now) {
        return new ModelDoc(schemaVersion, name, d, tags, createdAt, now, latestVersion, aliases, aliasHistory,
                rollbackStack, deletedVersions);
    }

    ModelDoc withTags(Map<String, String> t, String now) {
        return new ModelDoc(schemaVersion, name, description, t, createdAt, now, latestVersion, aliases, aliasHistory,
                rollbackStack, deletedVersions);
    }

    ModelDoc withLatestVersion(int v, String now) {
        return new ModelDoc(schemaVersion, name, description, tags, createdAt, now, Math.max(v, latestVersion),
                aliases, aliasHistory, rollbackStack, deletedVersions);
    }

    ModelDoc withDeleted(int version, String now) {
        List<Integer> d = new ArrayList<>(deletedVersions);
        d.add(version);
        return new ModelDoc(schemaVersion, name, description, tags, createdAt, now, latestVersion, aliases,
                aliasHistory, rollbackStack, d);
    }

    /** Records one alias change: new target (null removes), new stack, the move. */
    ModelDoc withAlias(String alias, Integer target, List<Integer> stack, AliasMoveDoc move, String now) {
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
                deletedVersions);
    }

    boolean isDeleted(int version) {
        return deletedVersions.contains(version);
    }

    /** One alias change as stored. */
    record AliasMoveDoc(String kind, Integer from, Integer to, String at, String actor) {
    }
}
