package dev.mlops.registry.tck.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.AliasMove;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.AuditLog;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.VersionQuery;
import dev.mlops.api.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/** Checks shared by the multi-process tests. */
public final class RegistryChecks {
    private RegistryChecks() {
    }

    /** @return every version of the model, archived included, following page tokens */
    public static List<ModelVersion> allVersions(ModelRegistry registry, String model) {
        return allVersions(registry, model, null, null);
    }

    /**
     * @param tag a tag the versions must carry, or null for all versions
     * @param value the tag's value
     * @return every version of the model carrying the tag, archived ones too, by listing pages
     */
    public static List<ModelVersion> allVersions(ModelRegistry registry, String model, String tag, String value) {
        List<ModelVersion> out = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            VersionQuery.Builder q = VersionQuery.builder().includeArchived(true).page(new PageRequest(100, token));
            if (tag != null) {
                q.tag(tag, value);
            }
            Page<ModelVersion> p = registry.listVersions(model, q.build());
            out.addAll(p.items());
            token = p.nextPageToken();
        } while (token.isPresent());
        return out;
    }

    /**
     * Counts the marks writers left in a model's version index (core's documents
     * {@code models/NAME/version-index/B}, field {@code pending}): each is a tag or status change
     * whose writer died between marking the version and recording it.
     *
     * @return the number of versions marked pending
     */
    public static int versionIndexMarks(dev.mlops.api.store.Store store, String model) {
        dev.mlops.api.store.DocumentKey parent = dev.mlops.api.store.DocumentKey.of("models").child(model)
                .child("version-index");
        int marks = 0;
        Optional<String> cursor = Optional.empty();
        do {
            Page<dev.mlops.api.store.DocumentKey> keys = store.listKeys(parent, cursor, 100);
            for (dev.mlops.api.store.DocumentKey key : keys.items()) {
                var doc = store.read(key);
                if (doc.isPresent()) {
                    var pending = dev.mlops.json.StrictJson.readTree(doc.get().content(), key.toString()).get("pending");
                    marks += pending == null ? 0 : pending.size();
                }
            }
            cursor = keys.nextPageToken();
        } while (cursor.isPresent());
        return marks;
    }

    /** @return every audit entry, in sequence order */
    public static List<AuditEntry> allEntries(AuditLog audit) {
        List<AuditEntry> out = new ArrayList<>();
        while (true) {
            List<AuditEntry> page = audit.entries(out.size() + 1L, 1000);
            out.addAll(page);
            if (page.size() < 1000) {
                return out;
            }
        }
    }

    /** @return the bytes of one artifact file, read through the registry's verifying stream */
    public static byte[] read(ModelRegistry registry, ModelRef.Version ref, String path) {
        try (InputStream in = registry.openArtifact(ref, path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every stored version was written by a worker: its parameters name the seed and iteration,
     * so its one file must be exactly the bytes that worker generated. A half-written version
     * would fail here.
     */
    public static void assertComplete(ModelRegistry registry, ModelVersion v) {
        long seed = Long.parseLong(v.params().get("seed"));
        int iteration = Integer.parseInt(v.params().get("iteration"));
        int max = Integer.parseInt(v.params().get("max-size"));
        byte[] expected = Payloads.bytes(seed, iteration, max);
        String sha = Digests.sha256Hex(expected);
        assertThat(v.artifact().entries()).as("manifest of %s/%d", v.model(), v.number()).hasSize(1);
        assertThat(v.artifact().entries().get(0).path()).isEqualTo("model.bin");
        assertThat(v.artifact().entries().get(0).size()).isEqualTo(expected.length);
        assertThat(v.artifact().digest()).as("digest of %s/%d", v.model(), v.number()).isEqualTo(sha);
        byte[] stored = read(registry, ModelRef.version(v.model(), v.number()), "model.bin");
        assertThat(Digests.sha256Hex(stored)).as("stored bytes of %s/%d", v.model(), v.number()).isEqualTo(sha);
    }

    /**
     * Each move starts where the previous one ended, and the alias's current value is where the
     * last one ended.
     */
    public static void assertChained(String model, String alias, List<AliasMove> history, Optional<Integer> current) {
        Optional<Integer> previousTo = Optional.empty();
        for (int i = 0; i < history.size(); i++) {
            AliasMove m = history.get(i);
            assertThat(m.alias()).isEqualTo(alias);
            assertThat(m.from()).as("%s@%s move %d (%s) starts where move %d ended", model, alias, i, m, i - 1)
                    .isEqualTo(previousTo);
            previousTo = m.to();
        }
        assertThat(current).as("%s@%s now, after %d moves", model, alias, history.size()).isEqualTo(previousTo);
    }

    /**
     * After {@code verify(VerifyOptions.repair())} with every writer stopped, including those
     * killed between a commit and its audit entry: every stored version has exactly one {@code version.register}
     * entry, and every move of every alias exactly one entry, which carries the move's number
     * (its position in the history, from 1) and the move's versions.
     *
     * @param stored the stored version numbers, by model
     * @param aliases the aliases that may have moved
     * @param trail the whole audit trail
     * @return how many alias moves were checked
     */
    public static int assertEveryChangeAuditedOnce(ModelRegistry registry, Map<String, ? extends Collection<Integer>> stored,
                                                   String[] aliases, List<AuditEntry> trail) {
        List<String> registered = trail.stream().filter(e -> e.action().equals("version.register"))
                .map(AuditEntry::target).toList();
        int moves = 0;
        for (Map.Entry<String, ? extends Collection<Integer>> model : stored.entrySet()) {
            for (int n : model.getValue()) {
                assertThat(registered).as("version.register entries of %s/%d", model.getKey(), n)
                        .containsOnlyOnce(model.getKey() + "/" + n);
            }
            if (registry.findModel(model.getKey()).isEmpty()) {
                continue;
            }
            for (String alias : aliases) {
                List<AliasMove> history = registry.aliasHistory(model.getKey(), alias);
                assertMovesAuditedOnce(model.getKey() + "@" + alias, history, trail);
                moves += history.size();
            }
        }
        return moves;
    }

    private static void assertMovesAuditedOnce(String target, List<AliasMove> history, List<AuditEntry> trail) {
        List<AuditEntry> moves = trail.stream()
                .filter(e -> e.target().equals(target) && e.action().startsWith("alias.")).toList();
        assertThat(moves).extracting(e -> e.after().get("move")).as("move numbers in the audit entries of %s", target)
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, history.size())
                        .mapToObj(Integer::toString).toList());
        for (AuditEntry e : moves) {
            AliasMove m = history.get(Integer.parseInt(e.after().get("move")) - 1);
            assertThat(Optional.ofNullable(e.before().get("version")).map(Integer::valueOf))
                    .as("%s move %s: version before, in entry %d", target, e.after().get("move"), e.sequence())
                    .isEqualTo(m.from());
            assertThat(Optional.ofNullable(e.after().get("version")).map(Integer::valueOf))
                    .as("%s move %s: version after, in entry %d", target, e.after().get("move"), e.sequence())
                    .isEqualTo(m.to());
        }
    }

    /**
     * @param history an alias history
     * @param kind a kind of move
     * @param to the version moved to
     * @return how many moves of that kind went to that version
     */
    public static long count(List<AliasMove> history, AliasMove.Kind kind, int to) {
        return history.stream().filter(m -> m.kind() == kind && Objects.equals(m.to().orElse(null), to)).count();
    }
}
