package dev.mlops.drift;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.json.JsonFields;
import dev.mlops.json.StrictJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The counters of one monitor window: per numerical column the non-missing, missing and
 * ±Infinity counts, min, max and one count per cell of the profile's CDF grid; per categorical
 * column one count per profile category plus "other" and missing. Immutable.
 *
 * <p>States <b>merge exactly</b>: {@link #merge} adds counts and combines min/max, so the merge of
 * the windows of four monitors fed disjoint parts of a stream is identical to the window of one
 * monitor fed the whole stream, and {@link ReferenceProfile#compare(WindowState, MonitorPolicy,
 * java.time.Clock)} gives the same report. Nothing in a window is randomized or order-dependent.
 *
 * <p>JSON (see {@link #toJson()}) carries the SHA-256 of the profile it belongs to; reading or
 * merging with another profile is refused.
 */
public final class WindowState {

    /** Version of the JSON format. */
    public static final int SCHEMA_VERSION = 2;
    /** The {@code kind} field of the JSON document. */
    public static final String KIND = "mlops-drift-window";

    private final ProfileLayout layout;
    private final WindowData data;
    private final DriftReport.Window window;

    WindowState(ProfileLayout layout, WindowData data, DriftReport.Window window) {
        this.layout = layout;
        this.data = data;
        this.window = window;
    }

    /**
     * An empty window for a profile, e.g. the identity for merging.
     *
     * @param profile the profile
     * @param window  the window it stands for
     * @return an empty state
     */
    public static WindowState empty(ReferenceProfile profile, DriftReport.Window window) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(window, "window");
        ProfileLayout l = profile.layout();
        return new WindowState(l, l.newData(), window);
    }

    /**
     * Counts a whole current frame into a window of a profile, as a monitor would row by row.
     * Useful to build mergeable window states in batch jobs.
     *
     * @param profile the profile
     * @param current data with every profiled column
     * @param window  the window it stands for
     * @return the state
     * @throws ValidationException if a profiled column is missing or has another type
     */
    public static WindowState of(ReferenceProfile profile, dev.mlops.api.Frame current, DriftReport.Window window) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(window, "window");
        ProfileLayout l = profile.layout();
        WindowData d = l.newData();
        l.addFrame(d, current);
        return new WindowState(l, d, window);
    }

    WindowData data() {
        return data;
    }

    /** @return SHA-256 of the profile this window belongs to */
    public String profileSha256() {
        return layout.profile.sha256();
    }

    /** @return rows observed */
    public long rows() {
        return data.rows;
    }

    /** @return the window: start, end, sequence number */
    public DriftReport.Window window() {
        return window;
    }

    /**
     * @param column a profiled column
     * @return non-missing values observed in it
     * @throws IllegalArgumentException for an unknown column
     */
    public long count(String column) {
        return data.counts[offset(column)];
    }

    /**
     * @param column a profiled column
     * @return missing values (NaN or null) observed in it
     */
    public long missing(String column) {
        return data.counts[offset(column) + 1];
    }

    /**
     * @param column a categorical column
     * @return count per profile category and, under {@link ReferenceProfile#OTHER}, of the rest
     * @throws IllegalArgumentException if the column is not a profiled categorical column
     */
    public Map<String, Long> categoryCounts(String column) {
        for (ProfileLayout.Cat c : layout.categorical) {
            if (c.col.name().equals(column)) {
                Map<String, Long> m = new LinkedHashMap<>();
                for (int i = 0; i < c.col.categories.length; i++) {
                    m.put(c.col.categories[i], data.counts[c.off + 3 + i]);
                }
                m.put(ReferenceProfile.OTHER, data.counts[c.off + 2]);
                return m;
            }
        }
        throw new IllegalArgumentException("no categorical column " + Names.quote(column) + " in the profile");
    }

    private int offset(String column) {
        Objects.requireNonNull(column, "column");
        for (ProfileLayout.Num n : layout.numerical) {
            if (n.col.name().equals(column)) {
                return n.off;
            }
        }
        for (ProfileLayout.Cat c : layout.categorical) {
            if (c.col.name().equals(column)) {
                return c.off;
            }
        }
        throw new IllegalArgumentException("no column " + Names.quote(column) + " in the profile");
    }

    /**
     * Combines two windows of the same profile: counts add, min/max combine, the window spans
     * both (earliest start, latest end); the sequence number is this state's.
     *
     * @param other a window of the same profile
     * @return the merged state
     * @throws IllegalArgumentException if the profiles differ
     */
    public WindowState merge(WindowState other) {
        Objects.requireNonNull(other, "other");
        if (!other.profileSha256().equals(profileSha256())) {
            throw new IllegalArgumentException("cannot merge windows of different profiles: " + profileSha256() + " and "
                    + other.profileSha256());
        }
        WindowData d = data.copy();
        d.mergeFrom(other.data);
        Instant start = window.start().isBefore(other.window.start()) ? window.start() : other.window.start();
        Instant end = window.end().isAfter(other.window.end()) ? window.end() : other.window.end();
        return new WindowState(layout, d, new DriftReport.Window(start, end, window.sequence()));
    }

    void requireProfile(ReferenceProfile profile) {
        if (!profile.sha256().equals(profileSha256())) {
            throw new IllegalArgumentException("this window belongs to profile " + profileSha256() + ", not to " + profile.sha256());
        }
    }

    /**
     * The window as JSON:
     *
     * <pre>{@code
     * {"schema_version": 2, "kind": "mlops-drift-window", "profile_sha256": "…", "sequence": 3,
     *  "start": "2015-01-01T00:00:00Z", "end": "2015-01-31T00:00:00Z", "rows": 30,
     *  "event_time": {"first": "2014-12-31T00:00:00Z", "last": "2015-01-29T00:00:00Z"},  // absent without
     *                                                                // event times; version 2 on
     *  "columns": [
     *   {"name": "temp_max", "count": 30, "missing": 0, "neg_inf": 0, "pos_inf": 0,
     *    "min": 1.1, "max": 12.8, "cells": [0, 0, 3, …]},          // profile grid cells + 1 values
     *   {"name": "weather", "count": 30, "missing": 0, "other": 0,
     *    "categories": [12, 10, …]}]}                              // in the profile's category order
     * }</pre>
     *
     * @return the JSON text
     */
    public String toJson() {
        ObjectNode root = StrictJson.objectNode();
        root.put("schema_version", SCHEMA_VERSION);
        root.put("kind", KIND);
        root.put("profile_sha256", profileSha256());
        root.put("sequence", window.sequence());
        root.put("start", window.start().toString());
        root.put("end", window.end().toString());
        root.put("rows", data.rows);
        if (data.firstMillis <= data.lastMillis) {
            ObjectNode events = root.putObject("event_time");
            events.put("first", Instant.ofEpochMilli(data.firstMillis).toString());
            events.put("last", Instant.ofEpochMilli(data.lastMillis).toString());
        }
        ArrayNode cols = root.putArray("columns");
        int ni = 0;
        int ci = 0;
        for (ReferenceProfile.Column col : layout.profile.columns()) {
            ObjectNode o = cols.addObject();
            o.put("name", col.name());
            long[] c = data.counts;
            if (col instanceof ReferenceProfile.NumericalColumn) {
                ProfileLayout.Num n = layout.numerical[ni++];
                o.put("count", c[n.off]);
                o.put("missing", c[n.off + 1]);
                o.put("neg_inf", c[n.off + 2]);
                o.put("pos_inf", c[n.off + 3]);
                o.set("min", StrictJson.numberOrNonFinite(data.minMax[n.mm]));
                o.set("max", StrictJson.numberOrNonFinite(data.minMax[n.mm + 1]));
                ArrayNode cells = o.putArray("cells");
                for (int j = 0; j <= n.cuts.length; j++) {
                    cells.add(c[n.off + 4 + j]);
                }
            } else {
                ProfileLayout.Cat k = layout.categorical[ci++];
                o.put("count", c[k.off]);
                o.put("missing", c[k.off + 1]);
                o.put("other", c[k.off + 2]);
                ArrayNode cats = o.putArray("categories");
                for (int i = 0; i < k.col.categories.length; i++) {
                    cats.add(c[k.off + 3 + i]);
                }
            }
        }
        return StrictJson.writeString(root);
    }

    /**
     * Reads a window written by {@link #toJson()}.
     *
     * @param text    the JSON
     * @param profile the profile it belongs to
     * @return the state
     * @throws ValidationException if the document is invalid or belongs to another profile
     */
    public static WindowState fromJson(String text, ReferenceProfile profile) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(profile, "profile");
        return fromJson(StrictJson.readObject(text, "drift window"), profile);
    }

    /** Reads a window from its fields, such as the {@code window} of a fleet drift document. */
    static WindowState fromJson(JsonFields root, ReferenceProfile profile) {
        try {
            int version = root.intValue("schema_version");
            if (version < 1 || version > SCHEMA_VERSION || !KIND.equals(root.text("kind"))) {
                throw root.invalid("expected kind " + Names.quote(KIND) + " with schema_version 1 to " + SCHEMA_VERSION);
            }
            String sha = root.text("profile_sha256");
            if (!sha.equals(profile.sha256())) {
                throw root.invalid("profile_sha256", "the window belongs to profile " + sha + ", not to " + profile.sha256());
            }
            ProfileLayout layout = profile.layout();
            WindowData d = layout.newData();
            d.rows = nonNegative(root.integer("rows"), "rows");
            if (version >= 2) {
                // version 2 keeps the rows' event times, so a window read back reports them
                Optional<JsonFields> events = root.optionalObject("event_time");
                if (events.isPresent()) {
                    Instant first = Instant.parse(events.get().text("first"));
                    Instant last = Instant.parse(events.get().text("last"));
                    events.get().end();
                    if (first.isAfter(last)) {
                        throw root.invalid("event_time", "first " + first + " is after last " + last);
                    }
                    d.firstMillis = first.toEpochMilli();
                    d.lastMillis = last.toEpochMilli();
                }
            }
            List<JsonFields> cols = root.objects("columns");
            if (cols.size() != profile.columns().size()) {
                throw root.invalid("columns", "has " + cols.size() + " entries, the profile " + profile.columns().size());
            }
            int ni = 0;
            int ci = 0;
            for (int i = 0; i < cols.size(); i++) {
                JsonFields o = cols.get(i);
                ReferenceProfile.Column col = profile.columns().get(i);
                if (!col.name().equals(o.text("name"))) {
                    throw o.invalid("name", "column " + i + " must be " + Names.quote(col.name()));
                }
                long[] c = d.counts;
                if (col instanceof ReferenceProfile.NumericalColumn) {
                    ProfileLayout.Num n = layout.numerical[ni++];
                    c[n.off] = nonNegative(o.integer("count"), "count");
                    c[n.off + 1] = nonNegative(o.integer("missing"), "missing");
                    c[n.off + 2] = nonNegative(o.integer("neg_inf"), "neg_inf");
                    c[n.off + 3] = nonNegative(o.integer("pos_inf"), "pos_inf");
                    d.minMax[n.mm] = o.numberOrNonFinite("min");
                    d.minMax[n.mm + 1] = o.numberOrNonFinite("max");
                    long[] cells = o.integers("cells");
                    if (cells.length != n.cuts.length + 1) {
                        throw o.invalid("cells", "column " + Names.quote(col.name()) + " needs " + (n.cuts.length + 1) + " cells");
                    }
                    long sum = c[n.off + 2] + c[n.off + 3];
                    for (int j = 0; j < cells.length; j++) {
                        c[n.off + 4 + j] = nonNegative(cells[j], "cells");
                        sum += cells[j];
                    }
                    if (sum != c[n.off]) {
                        throw o.invalid("cells", "cells of column " + Names.quote(col.name()) + " sum to " + sum
                                + ", count is " + c[n.off]);
                    }
                } else {
                    ProfileLayout.Cat k = layout.categorical[ci++];
                    c[k.off] = nonNegative(o.integer("count"), "count");
                    c[k.off + 1] = nonNegative(o.integer("missing"), "missing");
                    c[k.off + 2] = nonNegative(o.integer("other"), "other");
                    long[] cats = o.integers("categories");
                    if (cats.length != k.col.categories.length) {
                        throw o.invalid("categories", "column " + Names.quote(col.name()) + " needs "
                                + k.col.categories.length + " category counts");
                    }
                    long sum = c[k.off + 2];
                    for (int j = 0; j < cats.length; j++) {
                        c[k.off + 3 + j] = nonNegative(cats[j], "categories");
                        sum += cats[j];
                    }
                    if (sum != c[k.off]) {
                        throw o.invalid("categories", "categories of column " + Names.quote(col.name()) + " sum to " + sum
                                + ", count is " + c[k.off]);
                    }
                }
                o.end();
            }
            DriftReport.Window w = new DriftReport.Window(Instant.parse(root.text("start")),
                    Instant.parse(root.text("end")), root.integer("sequence"));
            root.end();
            return new WindowState(layout, d, w);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ValidationException("invalid drift window: " + e.getMessage());
        }
    }

    private static long nonNegative(long v, String what) {
        if (v < 0) {
            throw new IllegalArgumentException(Names.quote(what) + " must not be negative, got " + v);
        }
        return v;
    }

    /** Same profile, window and counts. */
    @Override
    public boolean equals(Object o) {
        return o instanceof WindowState w && toJson().equals(w.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return "WindowState[" + window + ", " + data.rows + " rows]";
    }
}
