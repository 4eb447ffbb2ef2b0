package dev.mlops.registry.jdbc;

import dev.mlops.api.InvalidNameException;
import dev.mlops.api.Digests;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.IntegrityProblem.Kind;
import dev.mlops.api.store.JournalEntry;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's self-check ({@link PostgresStore#check}), run on one connection inside the
 * caller's read-only transaction. Walks each table by key in pages, so memory stays bounded by
 * a page of rows and one blob chunk.
 */
final class PostgresCheck {
    private static final int PAGE = 500;

    private final Connection c;
    private final Schema schema;
    private final String description;
    private final List<IntegrityProblem> problems = new ArrayList<>();

    PostgresCheck(Connection c, Schema schema, String description) {
        this.c = c;
        this.schema = schema;
        this.description = description;
    }

    /** @return the problems found, blobs first, then documents, then the journal */
    List<IntegrityProblem> run() throws SQLException {
        checkBlobs();
        checkDocuments();
        checkJournal();
        return problems;
    }

    private record BlobRow(String sha256, long size, int chunkCount, long upload) {
    }

    private void checkBlobs() throws SQLException {
        String after = "";
        while (true) {
            List<BlobRow> page = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT sha256, size, chunk_count, upload_id FROM "
                    + schema.blobs + " WHERE sha256 > ? ORDER BY sha256 LIMIT ?")) {
                ps.setString(1, after);
                ps.setInt(2, PAGE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(new BlobRow(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getLong(4)));
                    }
                }
            }
            for (BlobRow b : page) {
                String problem = rehash(b);
                if (problem != null) {
                    problems.add(IntegrityProblem.unrepairable(Kind.CORRUPT_BLOB, b.sha256(), problem));
                }
            }
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).sha256();
        }
    }

    /** @return what is wrong with the blob's chunks, or null */
    private String rehash(BlobRow b) throws SQLException {
        MessageDigest md = Digests.sha256();
        long bytes = 0;
        int expectedIndex = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT idx, data FROM " + schema.chunks
                + " WHERE upload_id = ? ORDER BY idx")) {
            ps.setFetchSize(1); // one chunk in memory at a time (the transaction makes this a cursor)
            ps.setLong(1, b.upload());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int idx = rs.getInt(1);
                    if (idx != expectedIndex) {
                        return "chunk " + (expectedIndex + 1) + " of " + b.chunkCount() + " is missing";
                    }
                    byte[] data = rs.getBytes(2);
                    md.update(data);
                    bytes += data.length;
                    expectedIndex++;
                }
            }
        }
        if (expectedIndex != b.chunkCount() || bytes != b.size()) {
            return "it records " + b.size() + " bytes in " + b.chunkCount() + " chunks, but " + expectedIndex
                    + " chunk rows hold " + bytes + " bytes";
        }
        String actual = Digests.hex(md.digest());
        return actual.equals(b.sha256()) ? null : "its content hashes to " + actual + ", not to its address";
    }

    private void checkDocuments() throws SQLException {
        String afterParent = "";
        String afterSegment = "";
        boolean first = true;
        while (true) {
            int rows = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT parent, segment, revision, content, checksum FROM "
                    + schema.documents + (first ? "" : " WHERE (parent, segment) > (?, ?)")
                    + " ORDER BY parent, segment LIMIT " + PAGE)) {
                if (!first) {
                    ps.setString(1, afterParent);
                    ps.setString(2, afterSegment);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        afterParent = rs.getString(1);
                        afterSegment = rs.getString(2);
                        checkDocument(afterParent, afterSegment, rs.getLong(3), rs.getBytes(4), rs.getInt(5));
                    }
                }
            }
            if (rows < PAGE) {
                return;
            }
            first = false;
        }
    }

    private void checkDocument(String parent, String segment, long revision, byte[] content, int checksum) {
        String location = parent.isEmpty() ? segment : parent + "/" + segment;
        DocumentKey key;
        try {
            key = DocumentKey.parse(location);
        } catch (InvalidNameException e) {
            problems.add(IntegrityProblem.unrepairable(Kind.CORRUPT_DOCUMENT, location,
                    "the row's key is not a valid document key: " + e.getMessage()));
            return;
        }
        if (PostgresStore.checksum(key, revision, content) != checksum) {
            problems.add(IntegrityProblem.unrepairable(Kind.CORRUPT_DOCUMENT, location, "document " + location + " (revision "
                    + revision + ", " + content.length + " bytes) does not match the checksum stored with it"));
        }
    }

    private void checkJournal() throws SQLException {
        String previous = JournalEntry.GENESIS_HASH;
        long expected = 1;
        while (true) {
            int rows = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT sequence, previous_hash, hash, payload FROM "
                    + schema.journal + " WHERE sequence >= ? ORDER BY sequence LIMIT " + PAGE)) {
                ps.setLong(1, expected);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        long sequence = rs.getLong(1);
                        String prev = rs.getString(2);
                        String hash = rs.getString(3);
                        byte[] payload = rs.getBytes(4);
                        String problem = sequence != expected ? "is missing (the next stored entry is " + sequence + ")"
                                : !prev.equals(previous) ? "does not link to the hash of the entry before it"
                                : !JournalEntry.chainHash(sequence, prev, payload).equals(hash)
                                        ? "content does not match its hash" : null;
                        if (problem != null) {
                            broken(expected, "journal entry " + expected + " " + problem);
                            return;
                        }
                        previous = hash;
                        expected++;
                    }
                }
            }
            if (rows < PAGE) {
                break;
            }
        }
        long last = expected - 1;
        try (PreparedStatement ps = c.prepareStatement("SELECT sequence, hash FROM " + schema.journalTail
                + " WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                broken(last, "the journal tail row is missing");
            } else if (rs.getLong(1) != last || !rs.getString(2).equals(previous)) {
                broken(last, "the journal tail records entry " + rs.getLong(1) + " as the last, but the chain ends at"
                        + " entry " + last + " with another hash");
            }
        }
    }

    private void broken(long sequence, String detail) {
        problems.add(IntegrityProblem.unrepairable(Kind.BROKEN_JOURNAL, "journal/" + sequence,
                detail + " in " + description + "; every later entry is unverified"));
    }
}
