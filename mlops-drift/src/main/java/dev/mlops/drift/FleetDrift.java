package dev.mlops.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.ConflictException;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.Store;
import dev.mlops.json.JsonFields;
import dev.mlops.json.StrictJson;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drift over a whole fleet: every application instance's {@link DriftMonitor} publishes each
 * closed window's {@link WindowState} to a shared {@link Store} (one small document per instance
 * per window), and any instance or a CI job merges the windows of all instances into one
 * {@link DriftReport}. Window states merge exactly (they are integer counters), so the merged
 * report is the report one monitor would have produced had it seen every instance's rows.
 *
 * <pre>{@code
 * FleetDrift fleet = FleetDrift.builder(store, "rain-inputs", profile)   // one name per profile
 *         .instanceId("web-07")                                          // default: random, stable per process
 *         .build();
 * DriftMonitor monitor = fleet.monitor(DriftMonitor.builder(profile)     // adds the publishing listener
 *         .timeWindow(Duration.ofHours(1)));
 * ...
 * long last = fleet.windows().get(fleet.windows().size() - 1);           // in any process
 * DriftReport all = fleet.merge(last);
 * fleet.prune(clock.instant().minus(Duration.ofDays(30)));               // retention
 * }</pre>
 *
 * <p><b>Window sequence.</b> Instances must cut their windows at the same instants, so only
 * <b>time windows</b> can be merged: they are aligned to multiples of their length since the
 * epoch of the clock, on every instance. The fleet numbers a window by its position on that
 * grid, not by the monitor's own counter (which starts at 1 when an instance starts): for a
 * tumbling window the sequence is {@code start / length}; for sliding windows (n sub-windows of
 * length {@code length / n}) it is the index of the window's last sub-window,
 * {@code end / (length / n) - 1}. {@link #windowSequence} computes it. <b>Count windows are
 * refused</b>: each instance closes a count window after its own n-th row, so window k of one
 * instance covers other times than window k of another and their sum means nothing.
 *
 * <p><b>Store layout</b> (any {@link Store}, through create-if-absent only):
 * <ul>
 *   <li>{@code fleet/<monitor>}: the fleet's document, created by the first instance to publish
 *       (not by a reader): its name and the SHA-256 of its reference profile, so fleets can be
 *       listed ({@link #fleets}) and read without knowing their profile ({@link #stored});</li>
 *   <li>{@code fleet/<monitor>/profile}: the reference profile itself, its own JSON
 *       ({@link ReferenceProfile#toJson()}), unless the publishers were built with
 *       {@link Builder#storeProfile storeProfile(false)}; a reader such as the web UI merges with
 *       it. Fleets published before these two documents existed have neither: they are still
 *       read and merged with a profile given by the caller, and gain both at their next
 *       publication;</li>
 *   <li>{@code fleet/<monitor>/windows/<sequence, 19 digits>}: a marker created by the first
 *       instance to publish that window (its grid start and end), so windows can be listed;</li>
 *   <li>{@code fleet/<monitor>/windows/<sequence>/<instance>}: one instance's window state,
 *       created once, never replaced. Publishing the same window again is a no-op; publishing
 *       different counts for a window the instance already published is a
 *       {@link ConflictException} (it happens only when {@link DriftMonitor#closeWindow()} cut a
 *       window short and the monitor then went on observing in the same window).</li>
 * </ul>
 * Documents are JSON with {@code schema_version} 1 (see {@code docs/drift.md}).
 *
 * <p><b>Profiles.</b> All instances of one monitor name must use the same reference profile;
 * a document of another profile makes {@link #merge} fail with a {@link ValidationException}
 * naming the instance. Use one monitor name per model version (e.g. {@code rain-v7-inputs}).
 *
 * <p>Thread-safe. The store is not closed by this class.
 */
public final class FleetDrift {

    /** Version of the JSON documents. */
    public static final int SCHEMA_VERSION = 1;
    /** The {@code kind} of an instance's window document. */
    public static final String KIND = "mlops-fleet-drift-window";
    /** The {@code kind} of a window marker document. */
    public static final String MARKER_KIND = "mlops-fleet-drift-marker";
    /** The {@code kind} of a fleet's own document, {@code fleet/<monitor>}. */
    public static final String FLEET_KIND = "mlops-fleet-drift";
    /** The root of every fleet's documents. */
    static final DocumentKey FLEETS = DocumentKey.of("fleet");

    static final String COUNT_WINDOWS_REFUSED = "count windows cannot be merged across instances: each instance closes"
            + " its count window after its own n-th row, so window k of one instance covers other times than window k of"
            + " another; use timeWindow(duration), whose windows are aligned to the epoch on every instance";

    private static final int PAGE = 1000;
    private static final String PROCESS_INSTANCE_ID = newInstanceId();

    private final Store store;
    private final String monitorName;
    private final ReferenceProfile profile;
    private final String instanceId;
    private final MonitorPolicy policy;
    private final Clock clock;
    private final Executor executor;
    private final DocumentKey windowsKey;
    private final boolean storeProfile;
    /** Set once this object has seen (or written) the fleet's document and profile: one check per object. */
    private final java.util.concurrent.atomic.AtomicBoolean fleetRecorded = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicReference<RuntimeException> lastFailure = new AtomicReference<>();

    private FleetDrift(Builder b) {
        this.store = b.store;
        this.monitorName = b.monitorName;
        this.profile = b.profile;
        this.instanceId = b.instanceId;
        this.policy = b.policy;
        this.clock = b.clock;
        this.executor = b.executor;
        this.windowsKey = FLEETS.child(monitorName).child("windows");
        this.storeProfile = b.storeProfile;
    }

    /**
     * @param store       the store every instance shares
     * @param monitorName the fleet monitor's name ({@link Names} rule), the same on every instance
     * @param profile     the reference profile every instance's monitor uses
     * @return a builder
     * @throws dev.mlops.api.InvalidNameException if the name breaks the rule
     */
    public static Builder builder(Store store, String monitorName, ReferenceProfile profile) {
        return new Builder(store, monitorName, profile);
    }

    /**
     * Merges every instance's window {@code windowSequence} with the default policy and the UTC
     * system clock: the one-call form for a CI job.
     *
     * @param store          the shared store
     * @param monitorName    the fleet monitor's name
     * @param windowSequence the fleet window sequence (see {@link #windows()})
     * @param profile        the reference profile
     * @return the merged report
     * @throws NotFoundException   if no instance published that window
     * @throws ValidationException if a document is damaged or belongs to another profile
     */
    public static DriftReport merge(Store store, String monitorName, long windowSequence, ReferenceProfile profile) {
        return builder(store, monitorName, profile).build().merge(windowSequence);
    }

    /**
     * @return the default instance id of this process: its pid and 8 random hex digits, drawn
     *     once per process (so two processes never share it, even on two machines)
     */
    public static String processInstanceId() {
        return PROCESS_INSTANCE_ID;
    }

    private static String newInstanceId() {
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        return ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(b);
    }

    /**
     * The fleet sequence of a window of a time-window monitor: {@code start / length} for
     * tumbling windows, the index of the last sub-window for sliding ones.
     *
     * @param monitor a time-window monitor
     * @param window  one of its windows (from a report or a {@link WindowState})
     * @return the sequence, the same on every instance for the same window
     * @throws IllegalArgumentException for a count-window monitor or a window before the epoch
     */
    public static long windowSequence(DriftMonitor monitor, DriftReport.Window window) {
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(window, "window");
        Duration length = monitor.timeWindow().orElseThrow(() -> new IllegalArgumentException(COUNT_WINDOWS_REFUSED));
        return sequence(length.toMillis() / monitor.slidingSubWindows(), window);
    }

    private static long sequence(long subMillis, DriftReport.Window window) {
        long start = window.start().toEpochMilli();
        long end = window.end().toEpochMilli();
        // the last sub-window holds the instant just before the end; a window cut short by
        // closeWindow() at the very instant it opened has end == start
        long seq = Math.floorDiv(Math.max(start, end - 1), subMillis);
        if (seq < 0) {
            throw new IllegalArgumentException("window " + window.start() + " to " + window.end()
                    + " lies before the epoch; fleet windows need a clock after 1970-01-01");
        }
        return seq;
    }

    /** @return the fleet monitor's name */
    public String monitorName() {
        return monitorName;
    }

    /** @return the id this instance publishes under */
    public String instanceId() {
        return instanceId;
    }

    /** @return the reference profile */
    public ReferenceProfile profile() {
        return profile;
    }

    // ------------------------------------------------------------------ publishing

    /**
     * Adds a listener that publishes every closed window to the store, then builds the monitor.
     * Publishing runs on the executor given to {@link Builder#executor}, by default on the
     * thread that closed the window; failures are counted ({@link #publishFailures()}), never
     * thrown at the monitor.
     *
     * @param monitorBuilder a builder with a {@link DriftMonitor.Builder#timeWindow time window}
     *                       and this fleet's profile; it gets the listener added
     * @return the built monitor
     * @throws IllegalArgumentException for a count window or another profile (nothing is added then)
     */
    public DriftMonitor monitor(DriftMonitor.Builder monitorBuilder) {
        Objects.requireNonNull(monitorBuilder, "monitorBuilder");
        if (monitorBuilder.isCountWindow()) {
            throw new IllegalArgumentException(COUNT_WINDOWS_REFUSED);
        }
        if (!monitorBuilder.profile().sha256().equals(profile.sha256())) {
            throw new IllegalArgumentException("the monitor's profile " + monitorBuilder.profile().sha256()
                    + " is not the fleet's profile " + profile.sha256() + " of fleet monitor " + Names.quote(monitorName));
        }
        AtomicReference<DriftMonitor> built = new AtomicReference<>();
        monitorBuilder.listener((report, state) -> publishLater(built.get(), state));
        DriftMonitor m = monitorBuilder.build(); // no row can close a window before this returns
        built.set(m);
        return m;
    }

    private void publishLater(DriftMonitor monitor, WindowState state) {
        Runnable task = () -> {
            try {
                publish(monitor, state);
            } catch (RuntimeException e) {
                publishFailures.incrementAndGet();
                lastFailure.set(e);
            }
        };
        if (executor == null) {
            task.run();
            return;
        }
        try {
            executor.execute(task);
        } catch (RuntimeException e) { // RejectedExecutionException
            publishFailures.incrementAndGet();
            lastFailure.set(e);
        }
    }

    /**
     * Publishes one window of a monitor now, on the calling thread (what the listener added by
     * {@link #monitor} does).
     *
     * @param monitor the time-window monitor that closed the window
     * @param state   the window
     * @return true if the document was created, false if this instance had published exactly
     *     this window already
     * @throws IllegalArgumentException for a count-window monitor, a window of another profile or before the epoch
     * @throws ConflictException        if this instance already published different counts for that window
     */
    public boolean publish(DriftMonitor monitor, WindowState state) {
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(state, "state");
        Duration length = monitor.timeWindow().orElseThrow(() -> new IllegalArgumentException(COUNT_WINDOWS_REFUSED));
        state.requireProfile(profile);
        long windowMillis = length.toMillis();
        int subWindows = monitor.slidingSubWindows();
        long subMillis = windowMillis / subWindows;
        long seq = sequence(subMillis, state.window());
        DocumentKey slot = windowsKey.child(segment(seq));
        recordFleet();
        createMarker(slot, seq, windowMillis, subWindows, subMillis);

        ObjectNode doc = StrictJson.objectNode();
        doc.put("schema_version", SCHEMA_VERSION);
        doc.put("kind", KIND);
        doc.put("monitor", monitorName);
        doc.put("instance", instanceId);
        doc.put("sequence", seq);
        doc.put("window_millis", windowMillis);
        doc.put("sub_windows", subWindows);
        doc.put("published_at", clock.instant().toString());
        doc.set("window", StrictJson.readTree(state.toJson(), "window state"));
        DocumentKey key = slot.child(instanceId);
        try {
            store.create(key, StrictJson.write(doc));
            published.incrementAndGet();
            return true;
        } catch (ConflictException e) {
            Optional<Document> existing = store.read(key);
            if (existing.isPresent()) {
                JsonNode old = readTree(existing.get().content(), "fleet drift document " + key);
                // both trees come from parsing text, so equal text gives equal nodes
                JsonNode mine = readTree(StrictJson.write(doc), "fleet drift document " + key);
                if (mine.get("window").equals(old.get("window")) && mine.get("window_millis").equals(old.get("window_millis"))
                        && mine.get("sub_windows").equals(old.get("sub_windows"))) {
                    return false;
                }
            }
            throw new ConflictException("instance " + Names.quote(instanceId) + " already published window " + seq
                    + " of fleet monitor " + Names.quote(monitorName) + " with other counts (" + key + "); a monitor publishes"
                    + " each window once: call closeWindow() only at shutdown, and give every instance its own instanceId");
        }
    }

    /**
     * Creates the fleet's document and its profile if absent (once per object): publishers write
     * them, readers never do, so a CI job that only merges needs no write access. A fleet that
     * already names another profile is refused before any window of this one is written.
     */
    private void recordFleet() {
        if (fleetRecorded.get()) {
            return;
        }
        DocumentKey fleetKey = FLEETS.child(monitorName);
        ObjectNode doc = StrictJson.objectNode();
        doc.put("schema_version", SCHEMA_VERSION);
        doc.put("kind", FLEET_KIND);
        doc.put("monitor", monitorName);
        doc.put("profile_sha256", profile.sha256());
        doc.put("created_at", clock.instant().toString());
        try {
            store.create(fleetKey, StrictJson.write(doc));
        } catch (ConflictException e) {
            Stored existing = readFleet(store, monitorName, store.read(fleetKey).orElseThrow(() -> e), false);
            if (!existing.profileSha256().equals(profile.sha256())) {
                throw new IllegalArgumentException("fleet monitor " + Names.quote(monitorName) + " in " + store.describe()
                        + " belongs to profile " + existing.profileSha256() + ", not to this instance's profile "
                        + profile.sha256() + ": use one monitor name per profile (e.g. per model version)");
            }
        }
        if (storeProfile) {
            try {
                store.create(fleetKey.child("profile"), profile.toJsonBytes());
            } catch (ConflictException e) {
                // written by another instance: the fleet document above says it is this profile
            }
        }
        fleetRecorded.set(true);
    }

    private void createMarker(DocumentKey slot, long seq, long windowMillis, int subWindows, long subMillis) {
        if (store.read(slot).isPresent()) {
            return;
        }
        ObjectNode m = StrictJson.objectNode();
        m.put("schema_version", SCHEMA_VERSION);
        m.put("kind", MARKER_KIND);
        m.put("monitor", monitorName);
        m.put("sequence", seq);
        long end = Math.multiplyExact(seq + 1, subMillis);
        m.put("start", Instant.ofEpochMilli(end - windowMillis).toString());
        m.put("end", Instant.ofEpochMilli(end).toString());
        m.put("window_millis", windowMillis);
        m.put("sub_windows", subWindows);
        try {
            store.create(slot, StrictJson.write(m));
        } catch (ConflictException e) {
            // another instance created it first: that is the normal case
        }
    }

    /** @return windows this instance published (created documents) since it was built */
    public long published() {
        return published.get();
    }

    /** @return windows the listener of {@link #monitor} failed to publish */
    public long publishFailures() {
        return publishFailures.get();
    }

    /** @return the last publishing failure of the listener, if any */
    public Optional<RuntimeException> lastPublishFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    // ------------------------------------------------------------------ reading

    /**
     * @return the sequences of every window some instance published (and that was not pruned), ascending
     */
    public List<Long> windows() {
        return windows(store, monitorName);
    }

    /**
     * The windows of a fleet, without its profile (a reader such as the web UI).
     *
     * @param store       the shared store
     * @param monitorName the fleet monitor's name
     * @return the sequences of every window some instance published, ascending
     */
    public static List<Long> windows(Store store, String monitorName) {
        Objects.requireNonNull(store, "store");
        DocumentKey parent = FLEETS.child(Names.requireValid(Names.Kind.KEY_SEGMENT, monitorName)).child("windows");
        List<Long> out = new ArrayList<>();
        for (DocumentKey k : allKeys(store, parent)) {
            parseSegment(k.name()).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Lists the fleets whose publishers recorded their fleet document (every fleet published to
     * by this version of the library; see the store layout above).
     *
     * @param store      the shared store
     * @param startAfter list only names after this one, or empty for the first page
     * @param limit      at most this many, 1 to 10,000
     * @return one page of fleet monitor names, ascending
     */
    public static Page<String> fleets(Store store, Optional<String> startAfter, int limit) {
        Objects.requireNonNull(store, "store");
        Page<DocumentKey> keys = store.listKeys(FLEETS, startAfter, limit);
        return new Page<>(keys.items().stream().map(DocumentKey::name).toList(), keys.nextPageToken());
    }

    /**
     * A fleet as its documents record it.
     *
     * @param monitorName    the fleet monitor's name
     * @param profileSha256  SHA-256 of the reference profile its instances publish windows of
     * @param createdAt      when the first instance published
     * @param profile        the profile, when the store holds it and it reads back with that digest
     * @param profileProblem why a stored profile could not be used (damaged, another digest); empty
     *                       when it was read or is simply not stored
     */
    public record Stored(String monitorName, String profileSha256, Instant createdAt, Optional<ReferenceProfile> profile,
                         Optional<String> profileProblem) {
        /** Checks the components. */
        public Stored {
            Objects.requireNonNull(monitorName, "monitorName");
            Objects.requireNonNull(profileSha256, "profileSha256");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(profileProblem, "profileProblem");
        }
    }

    /**
     * Reads a fleet's document and, if stored, its profile.
     *
     * @param store       the shared store
     * @param monitorName the fleet monitor's name
     * @return the fleet, or empty when it has no fleet document (never published, or only by a
     *     library from before fleet documents)
     * @throws ValidationException if the fleet document is damaged
     */
    public static Optional<Stored> stored(Store store, String monitorName) {
        Objects.requireNonNull(store, "store");
        DocumentKey key = FLEETS.child(Names.requireValid(Names.Kind.KEY_SEGMENT, monitorName));
        Optional<Document> doc = store.read(key);
        return doc.map(d -> readFleet(store, monitorName, d, true));
    }

    private static Stored readFleet(Store store, String monitorName, Document d, boolean withProfile) {
        JsonFields root = StrictJson.readObject(d.content(), "fleet drift document " + d.key());
        String sha;
        Instant created;
        try {
            if (root.intValue("schema_version") != SCHEMA_VERSION || !FLEET_KIND.equals(root.text("kind"))) {
                throw root.invalid("expected kind " + Names.quote(FLEET_KIND) + " with schema_version " + SCHEMA_VERSION);
            }
            String monitor = root.text("monitor");
            if (!monitorName.equals(monitor)) {
                throw root.invalid("monitor", "it names monitor " + Names.quote(monitor) + ", expected "
                        + Names.quote(monitorName) + ", the document's key");
            }
            sha = root.text("profile_sha256");
            created = Instant.parse(root.text("created_at"));
            root.end();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ValidationException("invalid fleet drift document " + d.key() + ": " + e.getMessage());
        }
        if (!withProfile) {
            return new Stored(monitorName, sha, created, Optional.empty(), Optional.empty());
        }
        Optional<ReferenceProfile> profile = Optional.empty();
        Optional<String> problem = Optional.empty();
        DocumentKey profileKey = d.key().child("profile");
        try {
            Optional<Document> p = store.read(profileKey);
            if (p.isPresent()) {
                ReferenceProfile read = ReferenceProfile.fromJson(p.get().content());
                if (read.sha256().equals(sha)) {
                    profile = Optional.of(read);
                } else {
                    problem = Optional.of("the stored profile " + profileKey + " has SHA-256 " + read.sha256()
                            + ", the fleet's is " + sha);
                }
            }
        } catch (RuntimeException e) { // ValidationException, IntegrityException: damaged, reported not thrown
            problem = Optional.of("the stored profile " + profileKey + " cannot be read: " + e.getMessage());
        }
        return new Stored(monitorName, sha, created, profile, problem);
    }

    /**
     * One instance's part of a window, as its document states it (read without the profile, so
     * its counts are not checked here; {@link #merge} checks them).
     *
     * @param instance      the instance that published it
     * @param rows          rows it observed in the window
     * @param start         its window's start
     * @param end           its window's end
     * @param publishedAt   when it was published
     * @param profileSha256 the profile it belongs to
     */
    public record Part(String instance, long rows, Instant start, Instant end, Instant publishedAt, String profileSha256) {
        /** Checks the components. */
        public Part {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(publishedAt, "publishedAt");
            Objects.requireNonNull(profileSha256, "profileSha256");
        }
    }

    /**
     * A window as stored: the grid window of its marker and every instance document, those that
     * read and those that did not.
     *
     * @param sequence the fleet window sequence
     * @param start    the grid start, when the marker reads
     * @param end      the grid end, when the marker reads
     * @param parts    the instance documents that read, ascending by instance
     * @param problems one message per document that did not read (marker or instance), naming it
     */
    public record StoredWindow(long sequence, Optional<Instant> start, Optional<Instant> end, List<Part> parts,
                               List<String> problems) {
        /** Copies the lists. */
        public StoredWindow {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            parts = List.copyOf(parts);
            problems = List.copyOf(problems);
        }

        /** @return rows of every part that read */
        public long rows() {
            return parts.stream().mapToLong(Part::rows).sum();
        }

        /** @return true if a document of this window could not be read */
        public boolean damaged() {
            return !problems.isEmpty();
        }
    }

    /**
     * Reads one window's documents leniently, for listing: a damaged document becomes a problem
     * of the window, never an exception, so one bad document does not hide the others.
     *
     * @param store          the shared store
     * @param monitorName    the fleet monitor's name
     * @param windowSequence a fleet window sequence
     * @return the window; with no part and no problem when nothing is stored under it
     */
    public static StoredWindow storedWindow(Store store, String monitorName, long windowSequence) {
        Objects.requireNonNull(store, "store");
        DocumentKey slot = FLEETS.child(Names.requireValid(Names.Kind.KEY_SEGMENT, monitorName)).child("windows")
                .child(segment(windowSequence));
        Optional<Instant> start = Optional.empty();
        Optional<Instant> end = Optional.empty();
        List<String> problems = new ArrayList<>();
        try {
            Optional<Document> marker = store.read(slot);
            if (marker.isPresent()) {
                Instant[] grid = markerGrid(marker.get());
                start = Optional.of(grid[0]);
                end = Optional.of(grid[1]);
            } else {
                problems.add("the window's marker " + slot + " is missing");
            }
        } catch (RuntimeException e) {
            problems.add("marker " + slot + ": " + e.getMessage());
        }
        List<Part> parts = new ArrayList<>();
        for (DocumentKey k : allKeys(store, slot)) {
            try {
                Document d = store.read(k).orElseThrow(() -> new NotFoundException("document " + k + " was removed meanwhile"));
                parts.add(readPart(d, monitorName, windowSequence));
            } catch (RuntimeException e) {
                problems.add("instance " + Names.quote(k.name()) + ": " + e.getMessage());
            }
        }
        return new StoredWindow(windowSequence, start, end, parts, problems);
    }

    /** Checks the fields that say what an instance's window document is: kind, version, monitor, sequence, instance. */
    private static void checkEnvelope(JsonFields root, Document d, String monitorName, long windowSequence) {
        if (root.intValue("schema_version") != SCHEMA_VERSION || !KIND.equals(root.text("kind"))) {
            throw root.invalid("expected kind " + Names.quote(KIND) + " with schema_version " + SCHEMA_VERSION);
        }
        String monitor = root.text("monitor");
        long sequence = root.integer("sequence");
        if (!monitorName.equals(monitor) || sequence != windowSequence) {
            throw root.invalid("it names monitor " + Names.quote(monitor) + " window " + sequence + ", expected "
                    + Names.quote(monitorName) + " window " + windowSequence);
        }
        if (!d.key().name().equals(root.text("instance"))) {
            throw root.invalid("instance", "expected " + Names.quote(d.key().name()) + ", the document's key");
        }
    }

    private static Part readPart(Document d, String monitorName, long windowSequence) {
        String where = d.key().toString();
        JsonFields root = StrictJson.readObject(d.content(), "fleet drift document " + where);
        try {
            checkEnvelope(root, d, monitorName, windowSequence);
            Instant published = Instant.parse(root.text("published_at"));
            JsonFields window = root.object("window");
            if (!WindowState.KIND.equals(window.text("kind"))) {
                throw window.invalid("kind", "expected " + Names.quote(WindowState.KIND));
            }
            long rows = window.integer("rows");
            if (rows < 0) {
                throw window.invalid("rows", "must not be negative, got " + rows);
            }
            return new Part(d.key().name(), rows, Instant.parse(window.text("start")), Instant.parse(window.text("end")),
                    published, window.text("profile_sha256"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ValidationException("invalid fleet drift document " + where + ": " + e.getMessage());
        }
    }

    /**
     * @param windowSequence a fleet window sequence
     * @return the instances that published it, ascending
     */
    public List<String> instances(long windowSequence) {
        List<String> out = new ArrayList<>();
        for (DocumentKey k : allKeys(windowsKey.child(segment(windowSequence)))) {
            out.add(k.name());
        }
        return out;
    }

    /**
     * The sum of every instance's window {@code windowSequence}: counts add, min/max combine; the
     * window runs from the earliest start to the latest end and carries the fleet sequence.
     *
     * @param windowSequence a fleet window sequence
     * @return the merged state
     * @throws NotFoundException   if no instance published that window
     * @throws ValidationException if a document is damaged, of another profile or of another window length
     */
    public WindowState mergedState(long windowSequence) {
        DocumentKey slot = windowsKey.child(segment(windowSequence));
        WindowData sum = profile.layout().newData();
        Instant start = null;
        Instant end = null;
        String firstShape = null;
        String firstInstance = null;
        int parts = 0;
        Optional<String> token = Optional.empty();
        do {
            Page<Document> page = store.list(slot, token, PAGE);
            for (Document d : page.items()) {
                Published p = read(d, windowSequence);
                WindowState w = p.state();
                String shape = p.windowMillis() + " ms in " + p.subWindows() + " sub-windows";
                if (firstShape == null) {
                    firstShape = shape;
                    firstInstance = d.key().name();
                } else if (!firstShape.equals(shape)) {
                    throw new ValidationException("instances of fleet monitor " + Names.quote(monitorName) + " use different windows: "
                            + Names.quote(firstInstance) + " " + firstShape + ", " + Names.quote(d.key().name()) + " " + shape);
                }
                sum.mergeFrom(w.data());
                start = start == null || w.window().start().isBefore(start) ? w.window().start() : start;
                end = end == null || w.window().end().isAfter(end) ? w.window().end() : end;
                parts++;
            }
            token = page.nextPageToken();
        } while (token.isPresent());
        if (parts == 0) {
            throw new NotFoundException("no instance has published window " + windowSequence + " of fleet monitor "
                    + Names.quote(monitorName) + " in " + store.describe());
        }
        return new WindowState(profile.layout(), sum, new DriftReport.Window(start, end, windowSequence));
    }

    /**
     * Merges every instance's window {@code windowSequence} and compares it with the profile,
     * with this fleet's policy and clock.
     *
     * @param windowSequence a fleet window sequence (see {@link #windows()})
     * @return the report; {@link DriftReport#window()} carries the fleet sequence
     * @throws NotFoundException   if no instance published that window
     * @throws ValidationException if a document is damaged, of another profile or of another window length
     */
    public DriftReport merge(long windowSequence) {
        return profile.compare(mergedState(windowSequence), policy, clock);
    }

    /** One instance's published window. */
    private record Published(WindowState state, long windowMillis, int subWindows) {
    }

    private Published read(Document d, long windowSequence) {
        String where = d.key().toString();
        JsonFields root = StrictJson.readObject(d.content(), "fleet drift document " + where);
        long windowMillis;
        int subWindows;
        JsonFields window;
        try {
            checkEnvelope(root, d, monitorName, windowSequence);
            Instant.parse(root.text("published_at"));
            windowMillis = root.integer("window_millis");
            subWindows = root.intValue("sub_windows");
            if (windowMillis < 1 || subWindows < 1) {
                throw root.invalid("window_millis and sub_windows must be positive");
            }
            window = root.object("window");
            root.end();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ValidationException("invalid fleet drift document " + where + ": " + e.getMessage());
        }
        try {
            return new Published(WindowState.fromJson(window, profile), windowMillis, subWindows);
        } catch (ValidationException e) {
            throw new ValidationException("window of instance " + Names.quote(d.key().name()) + " in " + where
                    + " cannot be merged: " + e.getMessage());
        }
    }

    /** The end of a window marker's window, reading the whole marker strictly. */
    private static Instant markerEnd(Document marker) {
        return markerGrid(marker)[1];
    }

    /** The start and end of a window marker's window, reading the whole marker strictly. */
    private static Instant[] markerGrid(Document marker) {
        JsonFields m = StrictJson.readObject(marker.content(), "fleet drift marker " + marker.key());
        try {
            if (m.intValue("schema_version") != SCHEMA_VERSION || !MARKER_KIND.equals(m.text("kind"))) {
                throw m.invalid("expected kind " + Names.quote(MARKER_KIND) + " with schema_version " + SCHEMA_VERSION);
            }
            m.text("monitor");
            m.integer("sequence");
            Instant start = Instant.parse(m.text("start"));
            Instant end = Instant.parse(m.text("end"));
            m.integer("window_millis");
            m.intValue("sub_windows");
            m.end();
            return new Instant[] {start, end};
        } catch (DateTimeParseException e) {
            throw new ValidationException("invalid fleet drift marker " + marker.key() + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ retention

    /**
     * Deletes every window (markers and instance documents) that ended at or before
     * {@code olderThan}. Safe to run from several processes at once.
     *
     * @param olderThan windows whose grid end is not after this instant are removed
     * @return how many windows were removed
     */
    public int prune(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        int removed = 0;
        Optional<String> token = Optional.empty();
        List<Document> markers = new ArrayList<>();
        do {
            Page<Document> page = store.list(windowsKey, token, PAGE);
            markers.addAll(page.items());
            token = page.nextPageToken();
        } while (token.isPresent());
        for (Document marker : markers) {
            Instant end = markerEnd(marker);
            if (end.isAfter(olderThan)) {
                continue;
            }
            Optional<String> t = Optional.empty();
            do {
                Page<Document> page = store.list(marker.key(), t, PAGE);
                for (Document d : page.items()) {
                    deleteQuietly(d);
                }
                t = page.nextPageToken();
            } while (t.isPresent());
            deleteQuietly(marker);
            removed++;
        }
        return removed;
    }

    private void deleteQuietly(Document d) {
        try {
            store.delete(d.key(), d.revision());
        } catch (NotFoundException | ConflictException e) {
            // another pruner was first (or the document was re-created): leave it
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<DocumentKey> allKeys(DocumentKey parent) {
        return allKeys(store, parent);
    }

    private static List<DocumentKey> allKeys(Store store, DocumentKey parent) {
        List<DocumentKey> out = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            Page<DocumentKey> page = store.listKeys(parent, token, PAGE);
            out.addAll(page.items());
            token = page.nextPageToken();
        } while (token.isPresent());
        return out;
    }

    static String segment(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("window sequence must not be negative, got " + seq);
        }
        return String.format("%019d", seq);
    }

    private static Optional<Long> parseSegment(String s) {
        if (s.length() != 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(s));
    }

    private static JsonNode readTree(byte[] json, String what) {
        JsonNode n = StrictJson.readTree(json, what);
        if (!n.isObject()) {
            throw new ValidationException(what + ": expected a JSON object");
        }
        return n;
    }

    @Override
    public String toString() {
        return "FleetDrift[" + monitorName + " as " + instanceId + " on " + store.describe() + "]";
    }

    // ------------------------------------------------------------------ builder

    /** Builds a {@link FleetDrift}; each setter checks its value at once. */
    public static final class Builder {
        private final Store store;
        private final String monitorName;
        private final ReferenceProfile profile;
        private String instanceId = PROCESS_INSTANCE_ID;
        private MonitorPolicy policy = MonitorPolicy.defaults();
        private Clock clock = Clock.systemUTC();
        private Executor executor;
        private boolean storeProfile = true;

        private Builder(Store store, String monitorName, ReferenceProfile profile) {
            this.store = Objects.requireNonNull(store, "store");
            this.monitorName = Names.requireValid(Names.Kind.KEY_SEGMENT, monitorName);
            this.profile = Objects.requireNonNull(profile, "profile");
        }

        /**
         * @param id this instance's id ({@link Names} rule), unique in the fleet and stable while
         *           the process runs (default {@link #processInstanceId()})
         * @return this
         * @throws dev.mlops.api.InvalidNameException if the id breaks the rule
         */
        public Builder instanceId(String id) {
            this.instanceId = Names.requireValid(Names.Kind.KEY_SEGMENT, id);
            return this;
        }

        /**
         * @param policy methods, thresholds and drift share of merged reports (default
         *               {@link MonitorPolicy#defaults()}); use the monitors' policy
         * @return this
         */
        public Builder policy(MonitorPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param clock time of merged reports and of {@code published_at} (default UTC system clock)
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param executor runs the store writes of the listener added by {@link FleetDrift#monitor},
         *                 so the request thread that closes a window does not wait for the store
         *                 (default: none, the closing thread writes)
         * @return this
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * @param store whether publishing stores the reference profile under
         *              {@code fleet/<monitor>/profile} (default true), so a reader such as the web
         *              UI can merge windows without being given the profile. False keeps the
         *              profile's quantiles and categories out of the shared store; readers then
         *              show row counts only, and merging needs the profile from elsewhere
         * @return this
         */
        public Builder storeProfile(boolean store) {
            this.storeProfile = store;
            return this;
        }

        /** @return the fleet drift handle */
        public FleetDrift build() {
            return new FleetDrift(this);
        }
    }
}
