package dev.mlops.training;

import dev.mlops.core.Mlops;
import dev.mlops.gates.PromotionGate;
import dev.mlops.api.AuditLog;
import dev.mlops.api.ConflictException;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Lineage;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.estimation.PerformanceWindow;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.gate.RetrainTrigger;
import dev.mlops.api.serving.ModelService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retraining loop of one model and alias: trigger, train, register with lineage, evaluate,
 * gate, then promote or refuse, every step audited and published to listeners.
 *
 * <pre>{@code
 * ContinuousTraining ct = ContinuousTraining.builder(mlops, "rain", "production")
 *         .policy(RetrainPolicy.builder().onDatasetDrift().consecutiveSignals(2).cooldown(Duration.ofDays(7)).build())
 *         .datasets("weather")                                  // latest versions go to the trainer
 *         .trainer(request -> trainOn(request.dataset("weather")))
 *         .gate(PromotionGate.of(mlops, policy), (candidate, request) -> PromotionGate.inputs()
 *                 .frame(holdoutOf(request.dataset("weather"))).regressor(v -> evaluatorFor(v)).build())
 *         .executor(trainingExecutor)                           // your threads, never request threads
 *         .listener(event -> log.info("{}", event))
 *         .build();
 * DriftMonitor monitor = DriftMonitor.builder(profile).countWindow(500)
 *         .listener((report, state) -> ct.onDriftReport(report)).build();
 * }</pre>
 *
 * <p><b>A run</b>, on the executor: resolve the alias holder (the champion, if any); record
 * {@value #ACTION_TRIGGERED}; read the latest version of each configured dataset; call the
 * {@link Trainer}; register its candidate, adding lineage it did not set itself
 * ({@code retrainedFrom} = the champion, {@code trainedOn} = the configured datasets) and the tag
 * {@code retrain.trigger} = the trigger's kind; hand it to the {@link Gate}, normally a
 * {@link PromotionGate}, which evaluates it against the current alias holder, records its
 * {@link PromotionDecision} with the candidate ({@code version.attach}) and either moves the alias
 * by compare-and-set ({@code alias.promote}) or records the refusal ({@code promotion.refused}).
 * Any exception in a step ends the run as {@link TrainingEvent.TrainingFailed} with the stage,
 * recorded as {@value #ACTION_FAILED}; the loop itself goes on. If the alias moved between the
 * gate's decision and its move, the gate throws {@code ConflictException}: a failure of stage
 * {@value #STAGE_PROMOTE}, and the alias keeps what the other writer set.
 *
 * <p><b>Threads.</b> Triggers may come from any thread, including request threads (a drift
 * monitor's listener runs on the request that closed a window): a trigger only consults the
 * policy and enqueues; all I/O and training happen in a task given to the caller's
 * {@link Executor}. Use an executor with its own threads; a direct executor
 * ({@code Runnable::run}) would run the whole run on the triggering thread.
 *
 * <p><b>One run at a time, coalescing.</b> At most one run is in progress and at most one is
 * pending. A trigger while a run is in progress makes the pending run; further triggers while
 * that one waits are merged into it (it keeps the first pending trigger as its reason and counts
 * the merged ones in {@link TrainingEvent.Triggered#coalesced()} and the audit entry). So a burst
 * of signals during a long training costs at most one more run, and that run starts after the
 * current one, on fresh data. Within one store object, one open instance per model is allowed
 * ({@link Builder#build()} refuses a second); separate processes are not coordinated (the
 * registry keeps their writes safe).
 *
 * <p><b>Results.</b> Trigger methods return a future of the run's {@link TrainingEvent.Outcome}
 * (the pending run's when coalesced), completed on the executor; listeners receive every event
 * in order, on the executor thread, and must be quick (one that throws is logged and skipped).
 */
public final class ContinuousTraining implements AutoCloseable {
    /** Audit action recorded when a run starts. */
    public static final String ACTION_TRIGGERED = "training.triggered";
    /** Audit action recorded when a run fails. */
    public static final String ACTION_FAILED = "training.failed";

    /** Failure stage: the alias holder could not be read. */
    public static final String STAGE_CHAMPION = "champion";
    /** Failure stage: a dataset could not be read. */
    public static final String STAGE_DATASETS = "datasets";
    /** Failure stage: the trainer threw or returned nothing. */
    public static final String STAGE_TRAIN = "train";
    /** Failure stage: the candidate could not be registered. */
    public static final String STAGE_REGISTER = "register";
    /** Failure stage: the gate (or the inputs it needs) threw, or returned an unusable result. */
    public static final String STAGE_GATE = "gate";
    /** Failure stage: the alias could not be moved (it moved since the decision), or did not move as reported. */
    public static final String STAGE_PROMOTE = "promote";
    /** Failure stage: an audit entry could not be written. */
    public static final String STAGE_AUDIT = "audit";
    /** Failure stage: a defect of the loop itself (an unexpected exception outside the user's code). */
    public static final String STAGE_INTERNAL = "internal";

    /** Tag set on every registered candidate: the kind of trigger that made it. */
    public static final String TRIGGER_TAG = "retrain.trigger";

    private static final Logger LOG = LoggerFactory.getLogger(ContinuousTraining.class);
    /** Open instances: store object to model names. */
    /** Open loops by store description and model: one per model and store in this JVM, whichever instance opened it. */
    private static final Map<String, Set<String>> ACTIVE = new java.util.HashMap<>();

    private final Mlops mlops;
    private final ModelRegistry models;
    private final AuditLog audit;
    private final String model;
    private final String alias;
    private final List<String> datasets;
    private final Trainer trainer;
    private final Gate gate;
    private final Executor executor;
    private final RetrainPolicy policy;
    private final Clock clock;
    private final Set<String> requiredAttachments;
    private final List<Consumer<? super TrainingEvent>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong runs = new AtomicLong();

    private final Object lock = new Object();
    // guarded by lock
    private boolean running;
    private Run pending;
    private boolean closed;

    private ContinuousTraining(Builder b) {
        this.mlops = b.mlops;
        this.models = mlops.models();
        this.audit = mlops.audit();
        this.model = b.model;
        this.alias = b.alias;
        this.datasets = List.copyOf(b.datasets);
        this.trainer = b.trainer;
        this.gate = b.gate;
        this.executor = b.executor;
        this.policy = b.policy;
        this.requiredAttachments = Set.copyOf(b.requiredAttachments);
        this.clock = b.clock != null ? b.clock : policy != null ? policy.clock() : Clock.systemUTC();
        this.listeners.addAll(b.listeners);
    }

    /**
     * @param mlops the registry, catalog and audit log to use
     * @param model the model to retrain (a valid model name)
     * @param alias the alias a passing candidate receives, such as {@code production}
     * @return a builder; trainer, gate and executor are required
     */
    public static Builder builder(Mlops mlops, String model, String alias) {
        return new Builder(mlops, model, alias);
    }

    /**
     * Judges a registered candidate and, when every check passes, moves the alias to it. Usually
     * a {@link PromotionGate}: {@code (candidate, request) -> gate.promote(candidate.ref(),
     * request.alias(), inputs)}, which records its decision with the candidate and moves the
     * alias by compare-and-set against the champion it judged against (see
     * {@link Builder#gate(PromotionGate, GateInputs)}). Throwing makes the run a failure of stage
     * {@value ContinuousTraining#STAGE_GATE} ({@value ContinuousTraining#STAGE_PROMOTE} for a
     * {@code ConflictException}); the loop then checks that a reported promotion really moved
     * the alias.
     */
    @FunctionalInterface
    public interface Gate {
        /**
         * @param candidate the registered candidate
         * @param request the run: trigger, champion when the run started, datasets
         * @return the decision about {@code candidate} for the run's alias, and whether the alias moved
         * @throws Exception when evaluation fails
         */
        PromotionGate.Promotion promote(ModelVersion candidate, TrainingRequest request) throws Exception;
    }

    /**
     * What a {@link PromotionGate} needs to judge a run's candidate: typically a holdout frame
     * of the latest dataset version and an evaluator factory that loads a version's model.
     */
    @FunctionalInterface
    public interface GateInputs {
        /**
         * @param candidate the registered candidate
         * @param request the run
         * @return the gate's inputs
         * @throws Exception when they cannot be prepared (a failure of stage {@value ContinuousTraining#STAGE_GATE})
         */
        PromotionGate.Inputs inputs(ModelVersion candidate, TrainingRequest request) throws Exception;
    }

    // ------------------------------------------------------------------ signals

    /**
     * Passes a drift report to the policy (for example every closed window of a drift monitor).
     *
     * @param report a drift report
     * @return the run's outcome, if the report triggered one
     * @throws IllegalStateException if there is no policy or it has no drift trigger
     */
    public Optional<CompletableFuture<TrainingEvent.Outcome>> onDriftReport(DriftReport report) {
        return decide(report).run();
    }

    /**
     * Passes a drift report to the policy, as {@link #onDriftReport} does, and also returns the
     * policy's decision: why this report did or did not start a run (no drift, hysteresis,
     * cooldown).
     *
     * @param report a drift report
     * @return the decision, and the run's outcome if it triggered one
     * @throws IllegalStateException if there is no policy or it has no drift trigger
     */
    public Signal decide(DriftReport report) {
        Objects.requireNonNull(report, "report");
        RetrainPolicy p = requirePolicy();
        if (isClosed()) {
            return new Signal(new RetrainDecision(RetrainPolicy.DRIFT, RetrainDecision.Verdict.IGNORED, 0,
                    p.consecutiveSignals(), Optional.empty(), Optional.empty(), "the retraining loop of " + target()
                            + " is closed"), Optional.empty());
        }
        RetrainDecision d = p.decide(report);
        return new Signal(d, d.trigger().map(this::submit));
    }

    /**
     * A signal's decision and, when it triggered, the run it started (or was merged into).
     *
     * @param decision what the policy decided, and why
     * @param run the run's outcome, when the decision is {@link RetrainDecision.Verdict#TRIGGERED}
     */
    public record Signal(RetrainDecision decision, Optional<CompletableFuture<TrainingEvent.Outcome>> run) {
        /** Checks arguments. */
        public Signal {
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(run, "run");
        }
    }

    /**
     * Passes a performance monitor's window to the policy ({@link RetrainPolicy#decide(PerformanceWindow)}):
     * a run starts when it makes an estimated-drop trigger fire.
     *
     * @param window a monitored window's estimates
     * @return the decision, and the run's outcome if it triggered one
     * @throws IllegalStateException if there is no policy or it has no estimated-drop trigger
     */
    public Signal decide(PerformanceWindow window) {
        Objects.requireNonNull(window, "window");
        RetrainPolicy p = requirePolicy();
        if (isClosed()) {
            return new Signal(new RetrainDecision(RetrainPolicy.ESTIMATED_DROP, RetrainDecision.Verdict.IGNORED, 0,
                    p.consecutiveSignals(), Optional.empty(), Optional.empty(), "the retraining loop of " + target()
                            + " is closed"), Optional.empty());
        }
        RetrainDecision d = p.decide(window);
        return new Signal(d, d.trigger().map(this::submit));
    }

    /**
     * Passes one detection of an online detector on the live error to the policy.
     *
     * @param detail which detector and what it saw
     * @return the run's outcome, if the detection triggered one
     * @throws IllegalStateException if there is no policy or it has no live-error trigger
     */
    public Optional<CompletableFuture<TrainingEvent.Outcome>> liveErrorDrift(String detail) {
        Objects.requireNonNull(detail, "detail");
        return isClosed() ? Optional.empty() : requirePolicy().liveErrorDrift(detail).map(this::submit);
    }

    /**
     * Passes the state an online detector returned for the latest live error to the policy
     * ({@link RetrainPolicy#liveErrorState}).
     *
     * @param detector the detector's name
     * @param state a constant named {@code NONE}, {@code WARNING} or {@code DRIFT}
     * @return the run's outcome, if the state triggered one
     * @throws IllegalStateException if there is no policy or it has no live-error trigger
     */
    public Optional<CompletableFuture<TrainingEvent.Outcome>> liveErrorState(String detector, Enum<?> state) {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(state, "state");
        return isClosed() ? Optional.empty() : requirePolicy().liveErrorState(detector, state).map(this::submit);
    }

    /**
     * Checks the policy's metric bounds on a service and then its schedule; call it from your
     * scheduler, e.g. every minute.
     *
     * @param service the service whose metrics to read
     * @return the run's outcome, if a check triggered one
     * @throws IllegalStateException if there is no policy
     */
    public Optional<CompletableFuture<TrainingEvent.Outcome>> poll(ModelService<?, ?> service) {
        Objects.requireNonNull(service, "service");
        if (isClosed()) {
            return Optional.empty();
        }
        RetrainPolicy p = requirePolicy();
        Optional<RetrainTrigger> t = p.checkMetrics(service);
        return t.or(p::checkSchedule).map(this::submit);
    }

    /**
     * Checks the policy's schedule.
     *
     * @return the run's outcome, if the schedule triggered one
     * @throws IllegalStateException if there is no policy
     */
    public Optional<CompletableFuture<TrainingEvent.Outcome>> poll() {
        return isClosed() ? Optional.empty() : requirePolicy().checkSchedule().map(this::submit);
    }

    /**
     * Starts (or queues) a run now, whatever the policy says; the policy, if any, counts it as a
     * trigger (cooldown and schedule restart).
     *
     * @param detail why, in words
     * @return the run's outcome
     * @throws IllegalStateException if this instance is closed
     */
    public CompletableFuture<TrainingEvent.Outcome> trigger(String detail) {
        Objects.requireNonNull(detail, "detail");
        requireOpen();
        RetrainTrigger t = policy != null ? policy.manual(detail)
                : new RetrainTrigger(RetrainPolicy.MANUAL, detail, clock.instant(), Map.of());
        return submit(t);
    }

    /**
     * Starts (or queues) a run for a trigger made elsewhere (your own rule), bypassing the policy.
     *
     * @param trigger why
     * @return the run's outcome
     * @throws IllegalStateException if this instance is closed
     */
    public CompletableFuture<TrainingEvent.Outcome> trigger(RetrainTrigger trigger) {
        Objects.requireNonNull(trigger, "trigger");
        requireOpen();
        return submit(trigger);
    }

    /**
     * @param listener receives every event, on the executor thread
     * @return a handle; {@code close()} unsubscribes
     */
    public AutoCloseable onEvent(Consumer<? super TrainingEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** @return true while a run is in progress or pending */
    public boolean busy() {
        synchronized (lock) {
            return running || pending != null;
        }
    }

    /** @return the model being retrained */
    public String model() {
        return model;
    }

    /** @return the alias a passing candidate receives */
    public String alias() {
        return alias;
    }

    /** @return the policy, if one was configured */
    public Optional<RetrainPolicy> policy() {
        return Optional.ofNullable(policy);
    }

    /**
     * Stops accepting triggers and cancels the pending run (its future is cancelled). A run in
     * progress finishes on the executor. Signals after close are ignored; {@link #trigger}
     * throws. Idempotent.
     */
    @Override
    public void close() {
        Run dropped;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            dropped = pending;
            pending = null;
        }
        if (dropped != null) {
            dropped.future.cancel(false);
        }
        synchronized (ACTIVE) {
            Set<String> open = ACTIVE.get(mlops.describeStore());
            if (open != null && open.remove(model) && open.isEmpty()) {
                ACTIVE.remove(mlops.describeStore());
            }
        }
    }

    @Override
    public String toString() {
        return "ContinuousTraining[" + model + "@" + alias + ", datasets " + datasets + ", "
                + (policy == null ? "no policy" : policy) + "]";
    }

    // ------------------------------------------------------------------ queueing

    private static final class Run {
        final long number;
        final RetrainTrigger trigger;
        final CompletableFuture<TrainingEvent.Outcome> future = new CompletableFuture<>();
        int coalesced; // guarded by the instance's lock

        Run(long number, RetrainTrigger trigger) {
            this.number = number;
            this.trigger = trigger;
        }
    }

    private CompletableFuture<TrainingEvent.Outcome> submit(RetrainTrigger trigger) {
        Run start = null;
        Run result;
        synchronized (lock) {
            if (closed) {
                CompletableFuture<TrainingEvent.Outcome> f = new CompletableFuture<>();
                f.cancel(false);
                return f;
            }
            if (!running) {
                running = true;
                start = new Run(runs.incrementAndGet(), trigger);
                result = start;
            } else if (pending == null) {
                pending = new Run(runs.incrementAndGet(), trigger);
                result = pending;
            } else {
                pending.coalesced++;
                result = pending;
                LOG.debug("retraining of {}@{}: trigger {} merged into pending run {}", model, alias, trigger.kind(),
                        result.number);
            }
        }
        if (start != null) {
            start(start);
        }
        return result.future.copy();
    }

    private void start(Run run) {
        try {
            executor.execute(() -> runThenNext(run));
        } catch (RejectedExecutionException e) {
            Run dropped;
            synchronized (lock) {
                running = false;
                dropped = pending;
                pending = null;
            }
            LOG.warn("retraining of {}@{}: the executor refused run {} ({}); no run started", model, alias, run.number,
                    e.toString());
            run.future.completeExceptionally(e);
            if (dropped != null) {
                dropped.future.completeExceptionally(e);
            }
        }
    }

    /**
     * Runs, then updates the loop's state, and only then completes the run's future: whoever
     * wakes up on the future sees the loop idle (or the next run started), never a stale
     * {@link #busy()}.
     */
    private void runThenNext(Run run) {
        TrainingEvent.Outcome outcome = null;
        VirtualMachineError fatal = null;
        try {
            outcome = execute(run);
        } catch (VirtualMachineError e) {
            fatal = e;
        }
        Run next;
        synchronized (lock) {
            next = pending;
            pending = null;
            if (next == null) {
                running = false;
            }
        }
        if (fatal != null) {
            run.future.completeExceptionally(fatal);
        } else {
            run.future.complete(outcome);
        }
        if (next != null) {
            start(next);
        }
        if (fatal != null) {
            throw fatal;
        }
    }

    // ------------------------------------------------------------------ a run

    private TrainingEvent.Outcome execute(Run run) {
        try {
            return steps(run);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            // a defect of the loop itself: still an audited failure, never a dead loop
            return fail(run, STAGE_INTERNAL, t, Optional.empty());
        }
    }

    private TrainingEvent.Outcome steps(Run run) {
        int coalesced;
        synchronized (lock) {
            coalesced = run.coalesced;
        }
        // 1. champion
        Optional<ModelVersion> champion = Optional.empty();
        Exception championError = null;
        try {
            champion = findChampion();
        } catch (Exception e) {
            championError = e;
        }
        Map<String, String> after = new LinkedHashMap<>();
        after.put("run", Long.toString(run.number));
        after.put("kind", run.trigger.kind());
        after.put("detail", run.trigger.detail());
        after.put("trigger_time", run.trigger.at().toString());
        after.put("champion", championError != null ? "unknown" : champion.map(v -> v.ref().toString()).orElse("none"));
        after.put("coalesced", Integer.toString(coalesced));
        after.put("datasets", String.join(",", datasets));
        run.trigger.facts().forEach((k, v) -> after.put("fact." + k, v));
        try {
            audit.record(ACTION_TRIGGERED, target(), Map.of(), after);
        } catch (Exception e) {
            return fail(run, STAGE_AUDIT, e, Optional.empty());
        }
        emit(new TrainingEvent.Triggered(run.number, model, run.trigger, clock.instant(),
                champion.map(ModelVersion::ref), coalesced));
        if (championError != null) {
            return fail(run, STAGE_CHAMPION, championError, Optional.empty());
        }

        // 2. datasets
        Map<String, DatasetVersion> latest = new LinkedHashMap<>();
        try {
            for (String name : datasets) {
                int n = mlops.datasets().findDataset(name).orElseThrow(() -> new NotFoundException("dataset "
                        + Names.quote(name) + " does not exist: register a version before retraining " + model))
                        .latestVersion();
                latest.put(name, mlops.datasets().version(new DatasetRef(name, n)));
            }
        } catch (Exception e) {
            return fail(run, STAGE_DATASETS, e, Optional.empty());
        }
        TrainingRequest request = new TrainingRequest(run.number, model, alias, run.trigger, champion, latest);

        // 3. train
        NewModelVersion spec;
        try {
            spec = trainer.train(request);
            if (spec == null) {
                throw new IllegalStateException("the trainer returned null instead of a candidate");
            }
            List<String> missing = requiredAttachments.stream().filter(n -> !spec.attachments().containsKey(n)).sorted()
                    .toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("the trainer's candidate has no attachment " + missing + ", which this loop"
                        + " requires of every version it registers (requireAttachments); attach it in the trainer");
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return fail(run, STAGE_TRAIN, e, Optional.empty());
        }

        // 4. register with lineage
        ModelVersion candidate;
        try {
            candidate = models.register(model, withLineage(spec, champion, latest, run.trigger));
        } catch (Exception e) {
            return fail(run, STAGE_REGISTER, e, Optional.empty());
        }
        emit(new TrainingEvent.Registered(run.number, model, run.trigger, clock.instant(), candidate));

        // 5. evaluate, decide, and promote (the gate moves the alias, the loop checks it did)
        PromotionGate.Promotion promotion;
        try {
            promotion = gate.promote(candidate, request);
            if (promotion == null) {
                throw new IllegalStateException("the gate returned null instead of a promotion");
            }
            PromotionDecision d = promotion.decision();
            if (!d.candidate().equals(candidate.ref()) || !d.alias().equals(alias)) {
                throw new IllegalStateException("the gate decided about " + d.candidate() + " for alias "
                        + Names.quote(d.alias()) + ", expected " + candidate.ref() + " for alias " + Names.quote(alias));
            }
        } catch (ConflictException e) {
            return fail(run, STAGE_PROMOTE, e, Optional.of(candidate.ref()));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return fail(run, STAGE_GATE, e, Optional.of(candidate.ref()));
        }
        PromotionDecision decision = promotion.decision();
        if (!decision.passed()) {
            if (promotion.promoted()) {
                return fail(run, STAGE_GATE, new IllegalStateException("the gate reports a promotion of " + candidate.ref()
                        + " although its decision did not pass"), Optional.of(candidate.ref()));
            }
            TrainingEvent.Refused refused = new TrainingEvent.Refused(run.number, model, run.trigger, clock.instant(),
                    candidate, decision);
            LOG.info("retraining of {}@{}: run {} candidate {} refused: {}", model, alias, run.number, candidate.ref(),
                    decision.failures().stream().map(CheckResult::name).toList());
            emit(refused);
            return refused;
        }
        ModelVersion promoted;
        try {
            if (!promotion.promoted()) {
                throw new IllegalStateException("the decision about " + candidate.ref() + " passed but the gate did not move "
                        + "the alias");
            }
            promoted = findChampion().filter(v -> v.ref().equals(candidate.ref())).orElseThrow(() ->
                    new IllegalStateException("the gate reports " + candidate.ref() + " promoted but " + target()
                            + " points at " + findChampion().map(v -> v.ref().toString()).orElse("nothing")));
        } catch (Exception e) {
            return fail(run, STAGE_PROMOTE, e, Optional.of(candidate.ref()));
        }
        TrainingEvent.Promoted ok = new TrainingEvent.Promoted(run.number, model, run.trigger, clock.instant(), promoted,
                decision);
        LOG.info("retraining of {}@{}: run {} promoted {}", model, alias, run.number, candidate.ref());
        emit(ok);
        return ok;
    }

    private Optional<ModelVersion> findChampion() {
        try {
            return Optional.of(models.resolve(ModelRef.alias(model, alias)));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private NewModelVersion withLineage(NewModelVersion spec, Optional<ModelVersion> champion,
                                        Map<String, DatasetVersion> latest, RetrainTrigger trigger) {
        Lineage l = spec.lineage();
        List<DatasetRef> trainedOn = l.trainedOn().isEmpty()
                ? latest.values().stream().map(DatasetVersion::ref).toList() : l.trainedOn();
        Optional<ModelRef.Version> parent = l.retrainedFrom().or(() -> champion.map(ModelVersion::ref));
        Map<String, String> tags = new LinkedHashMap<>(spec.tags());
        tags.putIfAbsent(TRIGGER_TAG, trigger.kind());
        return new NewModelVersion(spec.artifact(), spec.format(), spec.signature(), spec.params(), spec.metrics(), tags,
                spec.attachments(), spec.description(),
                new Lineage(trainedOn, l.validatedOn(), l.testedOn(), parent, l.codeRef(), l.run()), spec.environmentExtra(),
                spec.idempotencyKey());
    }

    private TrainingEvent.TrainingFailed fail(Run run, String stage, Throwable e, Optional<ModelRef.Version> candidate) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        LOG.warn("retraining of {}@{}: run {} failed at stage {}: {}", model, alias, run.number, stage, message, e);
        Map<String, String> after = new LinkedHashMap<>();
        after.put("run", Long.toString(run.number));
        after.put("stage", stage);
        after.put("error", message);
        after.put("kind", run.trigger.kind());
        candidate.ifPresent(c -> after.put("candidate", c.toString()));
        try {
            audit.record(ACTION_FAILED, target(), Map.of(), after);
        } catch (Exception auditError) {
            LOG.error("retraining of {}@{}: run {} failure could not be audited: {}", model, alias, run.number,
                    auditError.toString());
        }
        TrainingEvent.TrainingFailed failed = new TrainingEvent.TrainingFailed(run.number, model, run.trigger,
                clock.instant(), stage, message, candidate);
        emit(failed);
        return failed;
    }

    private void emit(TrainingEvent event) {
        for (Consumer<? super TrainingEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("retraining of {}@{}: a listener threw on {}: {}", model, alias,
                        event.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private String target() {
        return model + "@" + alias;
    }

    private RetrainPolicy requirePolicy() {
        if (policy == null) {
            throw new IllegalStateException("no retrain policy: build with policy(RetrainPolicy) to pass signals, "
                    + "or call trigger(...)");
        }
        return policy;
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private void requireOpen() {
        if (isClosed()) {
            throw new IllegalStateException("continuous training of " + target() + " is closed");
        }
    }

    // ------------------------------------------------------------------ builder

    /** Builds a {@link ContinuousTraining}; each call checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final Mlops mlops;
        private final String model;
        private final String alias;
        private final Set<String> datasets = new LinkedHashSet<>();
        private Trainer trainer;
        private Gate gate;
        private Executor executor;
        private RetrainPolicy policy;
        private Clock clock;
        private final List<Consumer<? super TrainingEvent>> listeners = new ArrayList<>();
        private final Set<String> requiredAttachments = new LinkedHashSet<>();

        private Builder(Mlops mlops, String model, String alias) {
            this.mlops = Objects.requireNonNull(mlops, "mlops");
            this.model = Names.requireValid(Names.Kind.MODEL, model);
            this.alias = Names.requireValid(Names.Kind.ALIAS, alias);
        }

        /**
         * @param trainer the training code; required
         * @return this
         */
        public Builder trainer(Trainer trainer) {
            this.trainer = Objects.requireNonNull(trainer, "trainer");
            return this;
        }

        /**
         * @param gate judges the candidate and moves the alias when it passes; required (this or
         *     {@link #gate(PromotionGate, GateInputs)})
         * @return this
         */
        public Builder gate(Gate gate) {
            this.gate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        /**
         * Judges each candidate with a {@link PromotionGate}: {@code gate.promote(candidate,
         * alias, inputs.inputs(candidate, request))}.
         *
         * @param gate the promotion gate
         * @param inputs what the gate needs for a run's candidate
         * @return this
         */
        public Builder gate(PromotionGate gate, GateInputs inputs) {
            Objects.requireNonNull(gate, "gate");
            Objects.requireNonNull(inputs, "inputs");
            this.gate = (candidate, request) -> gate.promote(candidate.ref(), request.alias(),
                    inputs.inputs(candidate, request));
            return this;
        }

        /**
         * @param executor runs the runs; required. Give it its own threads (not request threads).
         * @return this
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * @param policy decides which signals trigger a run; without one only {@link #trigger} starts runs
         * @return this
         */
        public Builder policy(RetrainPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Attachments every candidate must carry, such as
         * {@code AttachmentNames.DRIFT_PROFILE} so that a drift monitor following the alias can
         * switch to the new version's profile. A candidate without one is not registered: the run
         * fails at stage {@value ContinuousTraining#STAGE_TRAIN}, naming what is missing.
         *
         * @param names attachment names
         * @return this
         */
        public Builder requireAttachments(String... names) {
            Objects.requireNonNull(names, "names");
            for (String n : names) {
                Names.requireValid(Names.Kind.TAG, n);
                requiredAttachments.add(n);
            }
            return this;
        }

        /**
         * @param names datasets whose latest versions each run reads and hands to the trainer
         * @return this
         * @throws IllegalArgumentException for an invalid or repeated name
         */
        public Builder datasets(String... names) {
            Objects.requireNonNull(names, "names");
            for (String n : names) {
                Names.requireValid(Names.Kind.DATASET, n);
                if (!datasets.add(n)) {
                    throw new IllegalArgumentException("dataset " + Names.quote(n) + " is named twice");
                }
            }
            return this;
        }

        /**
         * @param clock time of events and manual triggers (default the policy's clock, else UTC system clock)
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param listener receives every event, on the executor thread
         * @return this
         */
        public Builder listener(Consumer<? super TrainingEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @return the loop, ready for triggers
         * @throws IllegalStateException if trainer, gate or executor is missing, or another open
         *     instance retrains this model on the same store object
         */
        public ContinuousTraining build() {
            if (trainer == null) {
                throw new IllegalStateException("a trainer is required: call trainer(...)");
            }
            if (gate == null) {
                throw new IllegalStateException("a gate is required: call gate(...)");
            }
            if (executor == null) {
                throw new IllegalStateException("an executor is required: call executor(...) with one that has its own threads");
            }
            synchronized (ACTIVE) {
                Set<String> open = ACTIVE.computeIfAbsent(mlops.describeStore(), s -> new HashSet<>());
                if (!open.add(model)) {
                    throw new IllegalStateException("continuous training of model " + Names.quote(model)
                            + " is already open on this store: close it first (one run at a time per model)");
                }
            }
            return new ContinuousTraining(this);
        }
    }
}
