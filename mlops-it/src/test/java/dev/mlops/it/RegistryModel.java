package dev.mlops.it;

import dev.mlops.api.ConflictException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Digests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A plain in-memory model of the model registry's rules, written from the {@code ModelRegistry}
 * Javadoc, independent of mlops-core: maps and lists, no store, no JSON. The property test
 * drives it and the real registry with the same operations and compares what is observable.
 *
 * <p>Rules: versions are numbered 1, 2, 3... per model and never reused (deleted numbers
 * included); {@code register} creates the model on first use. An alias move to the version it
 * already points at changes nothing. The alias history is a stack: each move of setAlias and
 * each removeAlias pushes the version it left; rollback pops, skipping deleted versions, and
 * fails with a conflict when nothing is left. Archive and restore of a version already in that
 * state change nothing. Deleting a version an alias points at is a conflict; deleted and
 * unknown versions are not found. Every change appends one audit entry (register of a new model
 * two: model.create and version.register).
 */
final class RegistryModel {

    /** A version as the model holds it. */
    static final class Version {
        final int number;
        final String sha256;
        final Map<String, String> tags;
        boolean archived;
        boolean deleted;

        Version(int number, String sha256, Map<String, String> tags) {
            this.number = number;
            this.sha256 = sha256;
            this.tags = new TreeMap<>(tags);
        }
    }

    /** A model as the model holds it. */
    static final class Model {
        final TreeMap<Integer, Version> versions = new TreeMap<>();
        int latest;
        final TreeMap<String, Integer> aliases = new TreeMap<>();
        final Map<String, List<Integer>> stacks = new TreeMap<>();
        final Map<String, List<String>> history = new TreeMap<>();
    }

    final TreeMap<String, Model> models = new TreeMap<>();
    final List<String> audit = new ArrayList<>();

    int register(String name, byte[] content, Map<String, String> tags) {
        Model m = models.get(name);
        if (m == null) {
            m = new Model();
            models.put(name, m);
            audit.add("model.create " + name);
        }
        int n = ++m.latest;
        m.versions.put(n, new Version(n, Digests.sha256Hex(content), tags));
        audit.add("version.register " + name + "/" + n);
        return n;
    }

    int setAlias(String name, String alias, int version) {
        Model m = model(name);
        live(name, m, version);
        Integer current = m.aliases.get(alias);
        if (current != null && current == version) {
            return version;
        }
        if (current != null) {
            m.stacks.computeIfAbsent(alias, a -> new ArrayList<>()).add(current);
        }
        m.aliases.put(alias, version);
        m.history.computeIfAbsent(alias, a -> new ArrayList<>()).add(move("SET", current, version));
        audit.add("alias.set " + name + "@" + alias);
        return version;
    }

    int rollback(String name, String alias) {
        Model m = model(name);
        List<Integer> stack = new ArrayList<>(m.stacks.getOrDefault(alias, List.of()));
        Integer target = null;
        while (!stack.isEmpty() && target == null) {
            int candidate = stack.remove(stack.size() - 1);
            if (!m.versions.get(candidate).deleted) {
                target = candidate;
            }
        }
        if (target == null) {
            throw new ConflictException("no earlier version");
        }
        m.stacks.put(alias, stack);
        Integer current = m.aliases.get(alias);
        m.aliases.put(alias, target);
        m.history.computeIfAbsent(alias, a -> new ArrayList<>()).add(move("ROLLBACK", current, target));
        audit.add("alias.rollback " + name + "@" + alias);
        return target;
    }

    void removeAlias(String name, String alias) {
        Model m = model(name);
        Integer current = m.aliases.get(alias);
        if (current == null) {
            throw new NotFoundException("no alias");
        }
        m.stacks.computeIfAbsent(alias, a -> new ArrayList<>()).add(current);
        m.aliases.remove(alias);
        m.history.computeIfAbsent(alias, a -> new ArrayList<>()).add(move("REMOVE", current, null));
        audit.add("alias.remove " + name + "@" + alias);
    }

    int archive(String name, int version) {
        Version v = live(name, model(name), version);
        if (!v.archived) {
            v.archived = true;
            audit.add("version.archive " + name + "/" + version);
        }
        return version;
    }

    int restore(String name, int version) {
        Version v = live(name, model(name), version);
        if (v.archived) {
            v.archived = false;
            audit.add("version.restore " + name + "/" + version);
        }
        return version;
    }

    void delete(String name, int version) {
        Model m = model(name);
        Version v = live(name, m, version);
        if (m.aliases.containsValue(version)) {
            throw new ConflictException("an alias points at it");
        }
        v.deleted = true;
        audit.add("version.delete " + name + "/" + version);
    }

    int setTag(String name, int version, String key, String value) {
        Version v = live(name, model(name), version);
        v.tags.put(key, value);
        audit.add("version.tag " + name + "/" + version);
        return version;
    }

    int removeTag(String name, int version, String key) {
        Version v = live(name, model(name), version);
        if (v.tags.remove(key) != null) {
            audit.add("version.tag " + name + "/" + version);
        }
        return version;
    }

    int resolve(String name, String alias) {
        Model m = model(name);
        Integer v = m.aliases.get(alias);
        if (v == null) {
            throw new NotFoundException("no alias");
        }
        return v;
    }

    private Model model(String name) {
        Model m = models.get(name);
        if (m == null) {
            throw new NotFoundException("no model " + name);
        }
        return m;
    }

    private static Version live(String name, Model m, int number) {
        Version v = m.versions.get(number);
        if (v == null || v.deleted) {
            throw new NotFoundException("no version " + name + "/" + number);
        }
        return v;
    }

    static String move(String kind, Integer from, Integer to) {
        return kind + " " + Optional.ofNullable(from).map(String::valueOf).orElse("-") + "->"
                + Optional.ofNullable(to).map(String::valueOf).orElse("-");
    }
}
