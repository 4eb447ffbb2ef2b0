package dev.mlops.core;

import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.MlopsException;
import dev.mlops.api.VersionQuery;
import dev.mlops.api.VersionStatus;
import dev.mlops.api.store.DocumentKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a filtered version listing needs to know of each version (status, tags, metrics), kept
 * for {@value #BUCKET} versions to a document, so that a listing filtered by tag or metric reads
 * the versions it returns instead of every version it passes.
 *
 * <p>The index is derived data and is never trusted to say "yes": a version it says matches is
 * read and checked. It must never wrongly say "no", which is what the write protocol is for. A
 * change that alters what the index records (a tag, the status) first marks the version
 * <em>pending</em> in its bucket, then writes the version, then records the version as read
 * after the write and removes the mark, each step a compare-and-set of the bucket. A pending
 * version, and one the index has not recorded yet, is read directly. A writer killed between the
 * steps leaves its mark, so the version is read directly from then on: slower, never wrong. A
 * listing records the unrecorded versions it read, in one compare-and-set of the bucket as it
 * read it, so it cannot overwrite a mark or a record made meanwhile.
 */
final class VersionIndex {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VersionIndex.class);
    /** Versions per bucket document: a page of 100 filtered one in ten spans about four. */
    static final int BUCKET = 256;
    static final int SCHEMA_VERSION = StoredDocuments.DOCUMENT_SCHEMA_VERSION;
    /** Tags and metrics longer than this are not copied into the index; such a version is read directly. */
    static final int MAX_SUMMARY_CHARS = 4096;
    private static final int MAX_ATTEMPTS = 10_000;
    /** 64 buckets: 16,384 versions, a few MiB at most. */
    private static final int PARSED_BUCKETS = 64;

    private final Documents docs;
    private final Clock clock;
    /** The last {@value #PARSED_BUCKETS} buckets parsed, least recently used first. */
    private final Map<DocumentKey, Parsed> parsed = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<DocumentKey, Parsed> eldest) {
            return size() > PARSED_BUCKETS;
        }
    };

    VersionIndex(Documents docs, Clock clock) {
        this.docs = docs;
        this.clock = clock;
    }

    /** A version as the index records it; {@code large} when its tags and metrics were too long to copy. */
    record Entry(String status, boolean deleted, Map<String, String> tags, Map<String, Double> metrics, Boolean large) {
        Entry {
            tags = tags == null ? Map.of() : new TreeMap<>(tags);
            metrics = metrics == null ? Map.of() : new TreeMap<>(metrics);
            large = Boolean.TRUE.equals(large) ? Boolean.TRUE : null;
        }

        static Entry of(VersionDoc d) {
            Entry full = new Entry(d.status(), d.deleted(), d.tags(), d.metrics(), null);
            int chars = 0;
            for (Map.Entry<String, String> t : full.tags.entrySet()) {
                chars += t.getKey().length() + t.getValue().length();
            }
            for (String m : full.metrics.keySet()) {
                chars += m.length() + 24;
            }
            return chars <= MAX_SUMMARY_CHARS ? full : new Entry(d.status(), d.deleted(), null, null, true);
        }

        /**
         * @return false only if the version cannot match {@code q}: the filters other than the
         *     alias, which the caller checks on the version itself
         */
        boolean mayMatch(VersionQuery q) {
            if (Boolean.TRUE.equals(large)) {
                return true;
            }
            if (deleted || (!q.includeArchived() && VersionStatus.ARCHIVED.name().equals(status))) {
                return false;
            }
            for (Map.Entry<String, String> t : q.tags().entrySet()) {
                if (!t.getValue().equals(tags.get(t.getKey()))) {
                    return false;
                }
            }
            for (Map.Entry<String, Double> m : q.minMetrics().entrySet()) {
                Double v = metrics.get(m.getKey());
                if (v == null || v < m.getValue()) {
                    return false;
                }
            }
            for (Map.Entry<String, Double> m : q.maxMetrics().entrySet()) {
                Double v = metrics.get(m.getKey());
                if (v == null || v > m.getValue()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A writer's mark on a version it is changing, with when it was made (for an operator reading the store). */
    record Mark(String token, String since) {
    }

    /** Stored form of one bucket (key {@code models/NAME/version-index/B}); map keys are version numbers. */
    record BucketDoc(int schemaVersion, String model, int bucket, Map<String, Entry> entries,
                     Map<String, List<Mark>> pending) {
        BucketDoc {
            entries = entries == null ? Map.of() : new TreeMap<>(entries);
            pending = pending == null ? Map.of() : new TreeMap<>(pending);
        }

        static BucketDoc empty(String model, int bucket) {
            return new BucketDoc(SCHEMA_VERSION, model, bucket, null, null);
        }

        /** @return the recorded entry of version {@code n} if no writer has it marked, else null */
        Entry known(int n) {
            String k = Integer.toString(n);
            return pending.containsKey(k) ? null : entries.get(k);
        }

        boolean unrecorded(int n) {
            String k = Integer.toString(n);
            return !pending.containsKey(k) && !entries.containsKey(k);
        }

        BucketDoc withMark(int n, Mark mark) {
            Map<String, List<Mark>> p = new TreeMap<>(pending);
            List<Mark> marks = new ArrayList<>(p.getOrDefault(Integer.toString(n), List.of()));
            marks.add(mark);
            p.put(Integer.toString(n), List.copyOf(marks));
            return new BucketDoc(schemaVersion, model, bucket, entries, p);
        }

        /** Records {@code entry} (or forgets the version, if null) and removes {@code token}'s mark. */
        BucketDoc withEntry(int n, Entry entry, String token) {
            String k = Integer.toString(n);
            Map<String, Entry> e = new TreeMap<>(entries);
            if (entry == null) {
                e.remove(k);
            } else {
                e.put(k, entry);
            }
            Map<String, List<Mark>> p = new TreeMap<>(pending);
            if (token != null && p.containsKey(k)) {
                List<Mark> rest = p.get(k).stream().filter(m -> !m.token().equals(token)).toList();
                if (rest.isEmpty()) {
                    p.remove(k);
                } else {
                    p.put(k, rest);
                }
            }
            return new BucketDoc(schemaVersion, model, bucket, e, p);
        }
    }

    /** A bucket as read, with its revision (0: absent) for the compare-and-set of a later record. */
    record Bucket(BucketDoc doc, long revision) {
    }

    /** A mark this process holds; {@link #end} removes it. */
    record Pending(String model, int version, String token) {
    }

    static int bucketOf(int version) {
        return (version - 1) / BUCKET;
    }

    static int lastOf(int bucket) {
        return (bucket + 1) * BUCKET;
    }

    static DocumentKey key(String model, int bucket) {
        return Keys.model(model).child("version-index").child(Keys.number(bucket));
    }

    /**
     * Reads a bucket for a listing. A damaged bucket reads as empty, so every version in it is
     * read directly; verify reports it. Parsing a bucket costs more than reading it, so the last
     * buckets parsed are kept with their bytes, and a bucket read back byte for byte the same at
     * the same revision is not parsed again: the bytes are what the answer rests on, never a copy.
     */
    Bucket read(String model, int bucket) {
        DocumentKey key = key(model, bucket);
        try {
            Optional<dev.mlops.api.store.Document> stored = docs.store().read(key);
            if (stored.isEmpty()) {
                return new Bucket(BucketDoc.empty(model, bucket), 0);
            }
            dev.mlops.api.store.Document d = stored.get();
            Parsed p;
            synchronized (parsed) {
                p = parsed.get(key);
            }
            if (p == null || p.revision() != d.revision() || !java.util.Arrays.equals(p.content(), d.content())) {
                p = new Parsed(d.content(), d.revision(), Documents.parse(d, BucketDoc.class).value());
                synchronized (parsed) {
                    parsed.put(key, p);
                }
            }
            return new Bucket(p.doc(), d.revision());
        } catch (IntegrityException e) {
            LOG.warn("ignoring damaged version index document {}; run verify: {}", key, e.getMessage());
            return new Bucket(BucketDoc.empty(model, bucket), -1);
        }
    }

    /** A bucket's stored bytes and what they parsed to; the document is never changed in place. */
    private record Parsed(byte[] content, long revision, BucketDoc doc) {
    }

    /**
     * Records versions a listing read and the bucket did not know, in one compare-and-set of the
     * bucket as the listing read it. Best effort: a lost race or a failed write only leaves them
     * unrecorded, and a listing must not fail on a read-only or full store.
     */
    void record(String model, Bucket read, Map<Integer, VersionDoc> learned) {
        if (learned.isEmpty() || read.revision() < 0) {
            return;
        }
        BucketDoc next = read.doc();
        for (Map.Entry<Integer, VersionDoc> v : learned.entrySet()) {
            next = next.withEntry(v.getKey(), Entry.of(v.getValue()), null);
        }
        try {
            if (read.revision() == 0) {
                docs.create(key(model, read.doc().bucket()), next);
            } else {
                docs.replace(key(model, read.doc().bucket()), read.revision(), next);
            }
        } catch (ConflictException raced) {
            LOG.debug("version index {} changed meanwhile; not recording {}", key(model, read.doc().bucket()), learned.keySet());
        } catch (MlopsException e) {
            LOG.debug("could not record versions {} in the version index: {}", learned.keySet(), e.getMessage());
        }
    }

    /**
     * Marks a version pending before a change to what the index records. If this fails, the
     * change must not be made: the failure is the caller's.
     *
     * @return the mark, or empty if the bucket is damaged: then no listing uses it and no writer
     *     can change it until verify's repair removes it, so the change needs no mark
     */
    Optional<Pending> begin(String model, int version) {
        Pending p = new Pending(model, version, UUID.randomUUID().toString());
        Mark mark = new Mark(p.token(), clock.instant().toString());
        try {
            change(model, bucketOf(version), b -> b.withMark(version, mark));
        } catch (IntegrityException damaged) {
            LOG.warn("changing version {}/{} without its version index entry, whose document is damaged: {}; 'verify"
                    + " --repair' rebuilds it", model, version, damaged.getMessage());
            return Optional.empty();
        }
        return Optional.of(p);
    }

    /**
     * Records the version as it is now and removes the mark. A failure is logged, not thrown:
     * the change is made, and the mark left behind only makes listings read the version directly.
     */
    void end(Pending p) {
        try {
            change(p.model(), bucketOf(p.version()), b -> {
                Optional<Versioned<VersionDoc>> now = docs.read(Keys.version(p.model(), p.version()), VersionDoc.class);
                return b.withEntry(p.version(), now.map(v -> Entry.of(v.value())).orElse(null), p.token());
            });
        } catch (MlopsException e) {
            LOG.warn("version {}/{} changed, but its version index entry could not be updated ({}); listings read it"
                    + " directly until 'verify --repair'", p.model(), p.version(), e.getMessage());
        }
    }

    /**
     * Refreshes the entry of a version from the version as it is now, keeping writers' marks
     * (verify's repair). Same compare-and-set as {@link #end}, without a mark of its own.
     */
    void refresh(String model, int version) {
        change(model, bucketOf(version), b -> {
            Optional<Versioned<VersionDoc>> now = docs.read(Keys.version(model, version), VersionDoc.class);
            return b.withEntry(version, now.map(v -> Entry.of(v.value())).orElse(null), null);
        });
    }

    /** @return true if {@code before} and {@code after} differ in what the index records */
    static boolean changes(VersionDoc before, VersionDoc after) {
        return !Entry.of(before).equals(Entry.of(after));
    }

    /** Compare-and-set of a bucket, creating it if absent; the change is applied again after a lost race. */
    private void change(String model, int bucket, java.util.function.UnaryOperator<BucketDoc> change) {
        DocumentKey key = key(model, bucket);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Versioned<BucketDoc>> current = docs.read(key, BucketDoc.class);
            BucketDoc next = change.apply(current.map(Versioned::value).orElseGet(() -> BucketDoc.empty(model, bucket)));
            try {
                if (current.isEmpty()) {
                    docs.create(key, next);
                } else {
                    docs.replace(key, current.get().revision(), next);
                }
                return;
            } catch (ConflictException lostRace) {
                Thread.onSpinWait();
            }
        }
        throw new ConflictException("gave up updating " + key + " after " + MAX_ATTEMPTS
                + " compare-and-set attempts lost to concurrent writers");
    }
}
