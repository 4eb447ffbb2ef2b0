package dev.mlops.rollout;

import dev.mlops.api.ConflictException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.Store;
import dev.mlops.core.Mlops;
import dev.mlops.gates.PromotionGate;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A guarded rollout of a candidate version against the version holding an alias, run by every
 * instance of a fleet on one shared {@link Store}.
 *
 * <pre>{@code
 * Rollout rollout = Rollout.builder(mlops, store, "rain-v4")
 *         .candidate(new ModelRef.Version("rain", 4)).alias("production")
 *         .policy(RolloutPolicy.defaults())
 *         .gate(PromotionGate.of(mlops, gatePolicy))          // promotion: the gate's CAS alias move
 *         .onShare(service::setChallengerShare)               // the service's sticky split
 *         .build();
 * rollout.start();                                            // idempotent: the first instance creates it
 * service.onLatency(rollout.recorder().latencyListener(rollout.state().control(), candidate));
 * // every few seconds, on every instance:
 * rollout.tick();
 * }</pre>
 *
 * <p>{@link #tick()} publishes this instance's per-arm statistics (one document per instance,
 * which only this instance replaces), reads the state, sums the statistics of every instance,
 * lets the policy {@link RolloutPolicy#decide decide} and, when the step changes or the rollout
 * ends, replaces the state document by compare-and-set on the revision it read: of many instances
 * looking at once, exactly one makes the decision, and the others see the new state on their
 * next tick. A rollback is audited ({@code rollout.rollback}) with every guardrail's evidence; a
 * promotion goes through the {@link PromotionGate}, whose compare-and-set alias move is audited
 * ({@code alias.promote}) with the gate's recorded decision, after {@code rollout.promote} records
 * the sequential evidence. A process that restarts finds the state in the store and resumes at
 * the same step; the statistics its earlier life published stay in the sums (under a fixed
 * instance id they are read back and continued).
 *
 * <p>Traffic: the candidate's share ({@link RolloutState#candidateShare}) is handed to
 * {@code onShare} whenever it changes: {@code ModelService.setChallengerShare} of a service built
 * with the candidate as its challenger, or the application's own sticky split. Thread-safe.
 */
public final class Rollout {

    private static final Logger LOG = LoggerFactory.getLogger(Rollout.class);
    private static final String PROCESS_INSTANCE_ID = newInstanceId();
    private static final int PAGE = 1000;
    /** Looks kept per rollout before the series is thinned. */
    static final int MAX_LOOKS = 512;

    private final Mlops mlops;
    private final Store store;
    private final String name;
    private final ModelRef.Version candidate;
    private final String alias;
    private final RolloutPolicy configuredPolicy;
    /** The rollout's policy: the stored one once read (the same on every instance), else the configured one. */
    private volatile RolloutPolicy policy;
    private boolean policyAdopted;
    private final Optional<PromotionGate> gate;
    private final String instanceId;
    private final DoubleConsumer onShare;
    private final ArmRecorder recorder;
    private final DocumentKey stateKey;
    private final DocumentKey instancesKey;
    private final DocumentKey policyKey;
    private final DocumentKey looksKey;
    private final Duration lookEvery;
    private Optional<RolloutDocuments.Arms> base;
    private double appliedShare = Double.NaN;
    private volatile RolloutState lastState;
    private Instant lastLookRecorded = Instant.MIN;
    private final Map<String, LongAdder> decisionsMade = new ConcurrentHashMap<>();

    private Rollout(Builder b) {
        this.mlops = b.mlops;
        this.store = b.store;
        this.name = b.name;
        this.candidate = b.candidate;
        this.alias = b.alias;
        this.configuredPolicy = b.policy;
        this.policy = b.policy;
        this.lookEvery = b.lookEvery;
        this.gate = Optional.ofNullable(b.gate);
        this.instanceId = b.instanceId;
        this.onShare = b.onShare;
        this.recorder = new ArmRecorder(b.predictionLow, b.predictionHigh);
        this.stateKey = stateKey(name);
        this.instancesKey = DocumentKey.of("rollouts", name, "instances");
        this.policyKey = policyKey(name);
        this.looksKey = looksKey(name);
    }

    static DocumentKey stateKey(String name) {
        return DocumentKey.of("rollouts", name, "state");
    }

    static DocumentKey policyKey(String name) {
        return DocumentKey.of("rollouts", name, "policy");
    }

    static DocumentKey looksKey(String name) {
        return DocumentKey.of("rollouts", name, "looks");
    }

    /**
     * @param mlops the registry and audit log (alias, gate, audit entries)
     * @param store the store every instance shares (the registry's store, or another one)
     * @param name the rollout's name ({@link Names} key-segment rule), the same on every instance
     * @return a builder
     */
    public static Builder builder(Mlops mlops, Store store, String name) {
        return new Builder(mlops, store, name);
    }

    /** @return this process's default instance id: its pid and 8 random hex digits */
    public static String processInstanceId() {
        return PROCESS_INSTANCE_ID;
    }

    private static String newInstanceId() {
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        return ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(b);
    }

    /** @return the recorder to feed this instance's requests and losses into */
    public ArmRecorder recorder() {
        return recorder;
    }

    /** @return the rollout's name */
    public String name() {
        return name;
    }

    /** @return the version being rolled out */
    public ModelRef.Version candidate() {
        return candidate;
    }

    /** @return the id this instance publishes under */
    public String instanceId() {
        return instanceId;
    }

    /**
     * Starts the rollout, or joins it when another instance (or an earlier life of this process)
     * started it: the control is the version holding the alias now.
     *
     * @return the state
     * @throws NotFoundException if the alias is not set or the candidate does not exist
     * @throws ConflictException if a rollout of this name exists for another candidate or alias,
     *     or the candidate already holds the alias
     */
    public synchronized RolloutState start() {
        if (store.read(stateKey).isEmpty()) {
            mlops.models().resolve(candidate);
            int holder = mlops.models().model(candidate.model()).alias(alias).orElseThrow(() -> new NotFoundException(
                    "alias " + candidate.model() + "@" + alias + " is not set; a rollout needs a control version"));
            if (holder == candidate.number()) {
                throw new ConflictException(candidate + " already holds " + alias + "; nothing to roll out");
            }
            Instant now = mlops.clock().instant();
            RolloutState s = new RolloutState(name, alias, new ModelRef.Version(candidate.model(), holder), candidate,
                    RolloutState.Status.RUNNING, 0, now, now, 0, Optional.empty(), "started", List.of(), false);
            writePolicy();
            try {
                store.create(stateKey, RolloutDocuments.state(s));
                mlops.audit().record("rollout.start", candidate.toString(), Map.of(),
                        Map.of("rollout", name, "alias", alias, "control", s.control().toString(),
                                "instance", instanceId));
            } catch (ConflictException startedMeanwhile) {
                // another instance created it first: join it below, like any later instance
            }
        }
        RolloutState s = state();
        if (!s.candidate().equals(candidate) || !s.alias().equals(alias)) {
            throw new ConflictException("rollout " + name + " exists for " + s.candidate() + " on alias " + s.alias()
                    + ", not for " + candidate + " on " + alias);
        }
        adoptPolicy();
        apply(s);
        return s;
    }

    /**
     * Stores the configured policy before the state exists. A policy left by a starter that died
     * before creating the state is replaced; of two starters racing, the later write wins and
     * every instance then adopts that one ({@link #adoptPolicy}), so the fleet agrees.
     */
    private void writePolicy() {
        byte[] doc = RolloutDocuments.policy(name, configuredPolicy);
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<Document> old = store.read(policyKey);
            try {
                if (old.isEmpty()) {
                    store.create(policyKey, doc);
                } else {
                    store.replace(policyKey, old.get().revision(), doc);
                }
                return;
            } catch (ConflictException anotherStarter) {
                // read again: its write and ours are both before the state exists
            }
        }
    }

    /** Uses the stored policy, so every instance of the fleet applies the same steps and guardrails. */
    private void adoptPolicy() {
        Optional<Document> d = store.read(policyKey);
        if (d.isPresent()) {
            RolloutPolicy stored = RolloutDocuments.readPolicy(d.get().content(), name, policyKey.toString());
            if (!stored.equals(configuredPolicy)) {
                LOG.warn("rollout {}: using the policy it was started with, not this instance's configured one", name);
            }
            policy = stored;
        }
        policyAdopted = true;
    }

    /** @return the policy this instance applies: the stored one once started or ticked */
    public RolloutPolicy policy() {
        return policy;
    }

    /** @return the state as this instance last read it ({@link #start}, {@link #tick}, {@link #abort}) */
    public Optional<RolloutState> lastState() {
        return Optional.ofNullable(lastState);
    }

    /**
     * @return how many decisions this instance made, by kind ({@code step}, {@code rollback},
     *     {@code promote}, {@code abort}, as in the audit actions {@code rollout.*}); of a fleet,
     *     exactly one instance counts each decision, so the sum over instances is the rollout's
     */
    public Map<String, Long> decisionsMade() {
        Map<String, Long> m = new TreeMap<>();
        decisionsMade.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    private void decided(String kind) {
        decisionsMade.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /**
     * @return the stored state
     * @throws NotFoundException if the rollout was never started
     */
    public RolloutState state() {
        Document d = store.read(stateKey).orElseThrow(() -> new NotFoundException("rollout " + name + " not started"));
        return RolloutDocuments.readState(d.content(), d.key().toString());
    }

    /**
     * One look: publish, read, decide (at most one instance per state revision), apply.
     *
     * @return the state after the look
     */
    public synchronized RolloutState tick() {
        if (!policyAdopted) {
            adoptPolicy();
        }
        publish();
        Document d = store.read(stateKey).orElseThrow(() -> new NotFoundException("rollout " + name + " not started"));
        RolloutState s = RolloutDocuments.readState(d.content(), d.key().toString());
        if (s.status() == RolloutState.Status.PROMOTED && !s.aliasMoved()) {
            s = finishPromotion(d.revision(), s);
        } else if (s.status() == RolloutState.Status.RUNNING) {
            s = look(d.revision(), s);
        }
        apply(s);
        return s;
    }

    /**
     * Stops a running rollout: candidate share 0, alias unchanged, audited. A finished rollout is
     * left as it is.
     *
     * @param reason why, for the audit trail
     * @return the state
     */
    public synchronized RolloutState abort(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (!policyAdopted) {
            adoptPolicy();
        }
        while (true) {
            Document d = store.read(stateKey).orElseThrow(() -> new NotFoundException("rollout " + name + " not started"));
            RolloutState s = RolloutDocuments.readState(d.content(), d.key().toString());
            if (s.status().finished()) {
                apply(s);
                return s;
            }
            RolloutState next = finish(s, RolloutState.Status.ABORTED, "aborted: " + reason, s.evidence());
            if (replace(d.revision(), next)) {
                mlops.audit().record("rollout.abort", candidate.toString(), Map.of("step", String.valueOf(s.step())),
                        Map.of("rollout", name, "reason", reason, "instance", instanceId));
                decided("abort");
                apply(next);
                return next;
            }
        }
    }

    /** @return the fleet-wide statistics: control and candidate summed over every instance's last publication */
    public List<ArmStats> fleetStatistics() {
        Fleet f = fleet(store, name);
        return List.of(f.control(), f.candidate());
    }

    /** The arms summed over every instance's last publication, and how many instances published. */
    record Fleet(ArmStats control, ArmStats candidate, int instances) {
    }

    static Fleet fleet(Store store, String name) {
        DocumentKey instances = DocumentKey.of("rollouts", name, "instances");
        ArmStats control = ArmStats.EMPTY;
        ArmStats cand = ArmStats.EMPTY;
        int n = 0;
        Optional<String> after = Optional.empty();
        while (true) {
            var page = store.list(instances, after, PAGE);
            for (Document doc : page.items()) {
                RolloutDocuments.Arms a = RolloutDocuments.readArms(doc.content(), name, doc.key().name(),
                        doc.key().toString());
                control = control.plus(a.control());
                cand = cand.plus(a.candidate());
                n++;
            }
            if (page.nextPageToken().isEmpty()) {
                return new Fleet(control, cand, n);
            }
            after = page.nextPageToken();
        }
    }

    private RolloutState look(long revision, RolloutState s) {
        List<ArmStats> fleet = fleetStatistics();
        Instant now = mlops.clock().instant();
        RolloutPolicy.Look look = policy.decide(s.step(), s.stepStartedAt(), s.candidateRequestsAtStepStart(),
                fleet.get(0), fleet.get(1), now);
        switch (look.action()) {
            case HOLD -> {
                if (!now.isBefore(lastLookRecorded.plus(lookEvery))) {
                    recordLook(now, s, fleet, look, false);
                }
                return s;
            }
            case ADVANCE -> {
                RolloutState next = new RolloutState(name, alias, s.control(), candidate, RolloutState.Status.RUNNING,
                        s.step() + 1, s.startedAt(), now, fleet.get(1).requests(), Optional.empty(),
                        "step " + (s.step() + 1) + " passed", look.results(), false);
                if (replace(revision, next)) {
                    mlops.audit().record("rollout.step", candidate.toString(), Map.of("step", String.valueOf(s.step())),
                            evidence(next, look.results()));
                    decided("step");
                    recordLook(now, s, fleet, look, true);
                    return next;
                }
                return state();
            }
            case ROLL_BACK -> {
                String by = look.results().stream().filter(r -> r.verdict() == GuardrailResult.Verdict.WORSE)
                        .map(r -> r.guardrail().jsonName()).reduce((a, b) -> a + ", " + b).orElse("?");
                RolloutState next = finish(s, RolloutState.Status.ROLLED_BACK, "regression: " + by, look.results());
                if (replace(revision, next)) {
                    LOG.warn("rollout {}: {} rolled back, {} stays on {} ({})", name, candidate, alias, s.control(),
                            next.reason());
                    mlops.audit().record("rollout.rollback", candidate.toString(),
                            Map.of("step", String.valueOf(s.step())), evidence(next, look.results()));
                    decided("rollback");
                    recordLook(now, s, fleet, look, true);
                    return next;
                }
                return state();
            }
            case PROMOTE -> {
                RolloutState next = finish(s, RolloutState.Status.PROMOTED, "every step passed", look.results());
                if (replace(revision, next)) {
                    mlops.audit().record("rollout.promote", candidate.toString(),
                            Map.of("step", String.valueOf(s.step())), evidence(next, look.results()));
                    decided("promote");
                    recordLook(now, s, fleet, look, true);
                    return finishPromotion(revision + 1, next);
                }
                return state();
            }
            default -> throw new IllegalStateException("unknown action " + look.action());
        }
    }

    /** Moves the alias through the gate; retried by any instance until the state says it moved. */
    private RolloutState finishPromotion(long revision, RolloutState s) {
        Optional<Integer> holder = mlops.models().model(candidate.model()).alias(alias);
        RolloutState next;
        if (holder.isPresent() && holder.get() == candidate.number()) {
            next = withAliasMoved(s, RolloutState.Status.PROMOTED, s.reason());
        } else if (holder.isEmpty() || holder.get() != s.control().number()) {
            next = withAliasMoved(s, RolloutState.Status.PROMOTION_REFUSED, "the alias moved to "
                    + holder.map(String::valueOf).orElse("nothing") + " during the rollout; not promoted");
        } else if (gate.isEmpty()) {
            next = withAliasMoved(s, RolloutState.Status.PROMOTION_REFUSED, "no promotion gate configured");
        } else {
            PromotionGate.Promotion p;
            try {
                p = gate.get().promote(candidate, alias, gateInputs(s.evidence()));
            } catch (ConflictException movedMeanwhile) {
                return state();
            }
            next = p.promoted() ? withAliasMoved(s, RolloutState.Status.PROMOTED, s.reason())
                    : withAliasMoved(s, RolloutState.Status.PROMOTION_REFUSED, "the promotion gate refused: "
                            + String.join(", ", p.decision().failures().stream().map(c -> c.name()).toList()));
        }
        return replace(revision, next) ? next : state();
    }

    private static PromotionGate.Inputs gateInputs(List<GuardrailResult> evidence) {
        Map<String, Double> cand = new TreeMap<>();
        Map<String, Double> champion = new TreeMap<>();
        for (GuardrailResult r : evidence) {
            cand.put("rollout_" + r.guardrail().jsonName(), r.candidate());
            champion.put("rollout_" + r.guardrail().jsonName(), r.control());
        }
        return PromotionGate.inputs().candidateMetrics(cand).championMetrics(champion).build();
    }

    /**
     * Appends a look to the rollout's series. An ordinary look is recorded at most once per
     * {@code lookEvery} across the fleet (a lost compare-and-set means another instance just
     * recorded one, and this one is skipped); a decision's look is retried until it is written.
     * The series is bounded: past {@value #MAX_LOOKS} looks every other ordinary one is dropped,
     * which halves the resolution and keeps the whole span and every decision.
     */
    private void recordLook(Instant now, RolloutState s, List<ArmStats> fleet, RolloutPolicy.Look look,
                            boolean decision) {
        RolloutLook point = new RolloutLook(now, s.step(), s.candidateShare(policy), fleet.get(0).requests(),
                fleet.get(1).requests(), look.action(), look.results());
        for (int attempt = 0; attempt < (decision ? 10 : 1); attempt++) {
            Optional<Document> d = store.read(looksKey);
            List<RolloutLook> looks = new ArrayList<>(d.map(doc -> RolloutDocuments.readLooks(doc.content(), name,
                    looksKey.toString())).orElse(List.of()));
            if (!decision && !looks.isEmpty() && now.isBefore(looks.get(looks.size() - 1).at().plus(lookEvery))) {
                lastLookRecorded = looks.get(looks.size() - 1).at();
                return;
            }
            looks.add(point);
            if (looks.size() > MAX_LOOKS) {
                looks = thinned(looks);
            }
            try {
                byte[] doc = RolloutDocuments.looks(name, looks);
                if (d.isEmpty()) {
                    store.create(looksKey, doc);
                } else {
                    store.replace(looksKey, d.get().revision(), doc);
                }
                lastLookRecorded = now;
                return;
            } catch (ConflictException anotherInstanceRecorded) {
                // read again (a decision) or leave the look to the instance that recorded one
            }
        }
    }

    /** Every decision and every other ordinary look, the last one kept. */
    static List<RolloutLook> thinned(List<RolloutLook> looks) {
        List<RolloutLook> kept = new ArrayList<>();
        for (int i = 0; i < looks.size(); i++) {
            if (looks.get(i).action() != RolloutPolicy.Action.HOLD || i % 2 == 0 || i == looks.size() - 1) {
                kept.add(looks.get(i));
            }
        }
        return kept;
    }

    private RolloutState finish(RolloutState s, RolloutState.Status status, String reason, List<GuardrailResult> ev) {
        return new RolloutState(name, alias, s.control(), candidate, status, s.step(), s.startedAt(), s.stepStartedAt(),
                s.candidateRequestsAtStepStart(), Optional.of(mlops.clock().instant()), reason, ev, false);
    }

    private static RolloutState withAliasMoved(RolloutState s, RolloutState.Status status, String reason) {
        return new RolloutState(s.name(), s.alias(), s.control(), s.candidate(), status, s.step(), s.startedAt(),
                s.stepStartedAt(), s.candidateRequestsAtStepStart(), s.decidedAt(), reason, s.evidence(),
                status == RolloutState.Status.PROMOTED);
    }

    private Map<String, String> evidence(RolloutState next, List<GuardrailResult> results) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("rollout", name);
        m.put("instance", instanceId);
        m.put("reason", next.reason());
        for (GuardrailResult r : results) {
            m.put(r.guardrail().jsonName(), String.format(java.util.Locale.ROOT,
                    "%s: control %.6g (n=%d), candidate %.6g (n=%d), log ratio worse %.4g, not worse %.4g, threshold %.4g",
                    r.verdict().name().toLowerCase(java.util.Locale.ROOT), r.control(), r.controlCount(), r.candidate(),
                    r.candidateCount(), r.logRatioWorse(), r.logRatioNotWorse(), r.logThreshold()));
        }
        return m;
    }

    private boolean replace(long revision, RolloutState next) {
        try {
            store.replace(stateKey, revision, RolloutDocuments.state(next));
            return true;
        } catch (ConflictException anotherInstanceDecided) {
            return false;
        }
    }

    /** Publishes this instance's statistics, continuing what an earlier life under the same id published. */
    private void publish() {
        DocumentKey key = instancesKey.child(instanceId);
        Optional<Document> mine = store.read(key);
        if (base == null) {
            base = mine.map(d -> RolloutDocuments.readArms(d.content(), name, instanceId, key.toString()));
        }
        ArmStats control = recorder.snapshot(Arm.CONTROL);
        ArmStats cand = recorder.snapshot(Arm.CANDIDATE);
        if (base.isPresent()) {
            control = control.plus(base.get().control());
            cand = cand.plus(base.get().candidate());
        }
        byte[] doc = RolloutDocuments.arms(name, instanceId, mlops.clock().instant(), control, cand);
        if (mine.isEmpty()) {
            store.create(key, doc);
        } else {
            store.replace(key, mine.get().revision(), doc);
        }
    }

    private void apply(RolloutState s) {
        lastState = s;
        double share = s.candidateShare(policy);
        if (share != appliedShare) {
            appliedShare = share;
            onShare.accept(share);
        }
    }

    /** Builds a {@link Rollout}. */
    public static final class Builder {
        private final Mlops mlops;
        private final Store store;
        private final String name;
        private ModelRef.Version candidate;
        private String alias;
        private RolloutPolicy policy = RolloutPolicy.defaults();
        private PromotionGate gate;
        private String instanceId = PROCESS_INSTANCE_ID;
        private DoubleConsumer onShare = share -> { };
        private Duration lookEvery = Duration.ofMinutes(1);
        private double predictionLow = 0;
        private double predictionHigh = 1;

        private Builder(Mlops mlops, Store store, String name) {
            this.mlops = Objects.requireNonNull(mlops, "mlops");
            this.store = Objects.requireNonNull(store, "store");
            this.name = Names.requireValid(Names.Kind.KEY_SEGMENT, Objects.requireNonNull(name, "name"));
        }

        /**
         * @param version the version to roll out
         * @return this
         */
        public Builder candidate(ModelRef.Version version) {
            this.candidate = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * @param alias the alias whose holder is the control, and which the candidate takes on promotion
         * @return this
         */
        public Builder alias(String alias) {
            this.alias = Objects.requireNonNull(alias, "alias");
            return this;
        }

        /**
         * @param policy steps, guardrails and α (default {@link RolloutPolicy#defaults()}); stored
         *     by the instance that starts the rollout, and every instance applies the stored one
         * @return this
         */
        public Builder policy(RolloutPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param gate the gate a passed rollout promotes through; it is given the arms' final
         *     estimates as metrics {@code rollout_<guardrail>} of the candidate and the champion.
         *     Without a gate a passed rollout ends {@code PROMOTION_REFUSED}
         * @return this
         */
        public Builder gate(PromotionGate gate) {
            this.gate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        /**
         * @param id this instance's id ({@link Names} key-segment rule); default
         *     {@link #processInstanceId()}
         * @return this
         */
        public Builder instanceId(String id) {
            this.instanceId = Names.requireValid(Names.Kind.KEY_SEGMENT, Objects.requireNonNull(id, "id"));
            return this;
        }

        /**
         * @param onShare told the candidate's traffic share when it changes (and once at start)
         * @return this
         */
        public Builder onShare(DoubleConsumer onShare) {
            this.onShare = Objects.requireNonNull(onShare, "onShare");
            return this;
        }

        /**
         * @param interval how often an ordinary look is recorded in the rollout's series of looks,
         *     across the fleet (default 1 minute); every decision's look is recorded
         * @return this
         */
        public Builder lookEvery(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("look interval must be >= 0, was " + interval);
            }
            this.lookEvery = interval;
            return this;
        }

        /**
         * @param low the low end of the range the predictions are declared in (default 0)
         * @param high the high end (default 1): the control's prediction quartiles, for the
         *     prediction-drift guardrails, are resolved to 1/{@value ArmRecorder#PREDICTION_BINS}
         *     of this range; values outside it still count, in the edge bins
         * @return this
         */
        public Builder predictionRange(double low, double high) {
            new ArmRecorder(low, high); // checks the range now, naming it
            this.predictionLow = low;
            this.predictionHigh = high;
            return this;
        }

        /**
         * @return the rollout
         * @throws IllegalStateException if the candidate or alias is missing
         */
        public Rollout build() {
            if (candidate == null || alias == null) {
                throw new IllegalStateException("a rollout needs candidate(version) and alias(name)");
            }
            Names.requireValid(Names.Kind.ALIAS, alias);
            return new Rollout(this);
        }
    }
}
