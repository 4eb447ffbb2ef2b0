package dev.mlops.serving;

import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.InferenceLog;
import dev.mlops.api.serving.InferenceRecord;
import dev.mlops.api.serving.InputObserver;
import dev.mlops.api.serving.OutputObserver;
import dev.mlops.api.serving.Prediction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The optional features of a service's request path (input check, monitor, output monitor, inference log,
 * feedback window, shadow) as stages, built once with the service. A stage implements the
 * hooks it needs; the request path runs each hook's stages from an array, so a feature that is
 * not configured has no stage and costs nothing. A new feature is one stage class here and one
 * line in the constructor.
 *
 * @param <I> input type
 * @param <O> output type
 */
final class RequestStages<I, O> {

    /** Runs for each input before the model sees it; may refuse the input by throwing. */
    interface BeforeModel<I, O> {
        void before(Deployment<I, O> d, I input);
    }

    /** Runs for each input once answered, by the model or a fallback, or once nothing answered it. */
    interface AfterAnswer<I, O> {
        /**
         * @param stats the answering version's counters; null for a fallback function
         * @param id the prediction id known so far, or null
         * @return the prediction id: {@code id}, or one this stage made because it needed one
         */
        String answered(Prediction.Route route, ModelRef.Version version, VersionStats stats, I input, O output,
                        long nanos, String id);

        /** The model failed and no fallback answered: there is no output. */
        default void unanswered(Prediction.Route route, ModelRef.Version version, I input, long nanos, String id) {
        }

        /**
         * @return true if this stage reads {@code nanos}, so every call must be timed for it;
         *     otherwise calls are timed on the service's latency sample only
         */
        default boolean usesLatency() {
            return false;
        }
    }

    /** Runs once for a request the model itself answered: a batch once, as a whole. */
    interface AfterServe<I, O> {
        void served(I input, O output);

        void servedAll(List<I> inputs, List<O> outputs);
    }

    final BeforeModel<I, O>[] before;
    final AfterAnswer<I, O>[] afterAnswer;
    final AfterServe<I, O>[] afterServe;

    /**
     * @param shadow the shadow runner, or null
     * @param feedback the feedback window, or null
     * @param ids makes a prediction id
     * @param observerErrors counts monitors that threw
     * @param logFailures counts log offers that threw
     */
    RequestStages(ModelServiceBuilder<I, O> b, ShadowRunner<I, O> shadow, FeedbackWindow feedback, Clock clock,
                  Supplier<String> ids, LongAdder observerErrors, LongAdder logFailures) {
        // in the order they run: an input is checked before it is observed, and the log makes
        // the id the feedback window keeps
        List<Object> stages = new ArrayList<>();
        if (b.inputColumns != null) {
            stages.add(new InputCheckStage<I, O>(b.inputColumns));
        }
        if (b.observer != null) {
            stages.add(new MonitorStage<I, O>(b.observer, b.observerRate, observerErrors));
        }
        if (b.outputObserver != null) {
            stages.add(new OutputMonitorStage<I, O>(b.outputObserver, b.outputObserverRate, observerErrors));
        }
        if (b.log != null) {
            stages.add(new LogStage<I, O>(b.log, b.logRate, b.logInput, clock, ids, logFailures));
        }
        if (feedback != null) {
            stages.add(new FeedbackStage<I, O>(feedback));
        }
        if (shadow != null) {
            stages.add(new ShadowStage<>(shadow, b.shadowRate));
        }
        this.before = select(stages, BeforeModel.class, new BeforeModel<?, ?>[0]);
        this.afterAnswer = select(stages, AfterAnswer.class, new AfterAnswer<?, ?>[0]);
        this.afterServe = select(stages, AfterServe.class, new AfterServe<?, ?>[0]);
    }

    @SuppressWarnings("unchecked")
    private static <T> T[] select(List<Object> stages, Class<?> hook, Object[] empty) {
        return (T[]) stages.stream().filter(hook::isInstance).toList().toArray(empty);
    }

    static boolean sampled(double rate) {
        return rate >= 1.0 || rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    /** Checks an input's columns against the serving version's input signature. */
    private static final class InputCheckStage<I, O> implements BeforeModel<I, O> {
        private final Function<? super I, ? extends Map<String, ?>> columns;

        InputCheckStage(Function<? super I, ? extends Map<String, ?>> columns) {
            this.columns = columns;
        }

        @Override
        public void before(Deployment<I, O> d, I input) {
            if (d.check.active()) {
                d.check.check(columns.apply(input));
            }
        }
    }

    /** Hands a sample of inputs to an observer; one that throws is counted and ignored. */
    private static final class MonitorStage<I, O> implements BeforeModel<I, O> {
        private final InputObserver<? super I> observer;
        private final double rate;
        private final LongAdder errors;

        MonitorStage(InputObserver<? super I> observer, double rate, LongAdder errors) {
            this.observer = observer;
            this.rate = rate;
            this.errors = errors;
        }

        @Override
        public void before(Deployment<I, O> d, I input) {
            if (sampled(rate)) {
                try {
                    observer.observe(input);
                } catch (RuntimeException e) {
                    errors.increment();
                }
            }
        }
    }

    /** Hands a sample of the model's answers to an observer; one that throws is counted and ignored. */
    private static final class OutputMonitorStage<I, O> implements AfterAnswer<I, O> {
        private final OutputObserver<? super I, ? super O> observer;
        private final double rate;
        private final LongAdder errors;

        OutputMonitorStage(OutputObserver<? super I, ? super O> observer, double rate, LongAdder errors) {
            this.observer = observer;
            this.rate = rate;
            this.errors = errors;
        }

        @Override
        public String answered(Prediction.Route route, ModelRef.Version version, VersionStats stats, I input, O output,
                               long nanos, String id) {
            // a fallback's answer says nothing about the model's performance
            if (route != Prediction.Route.FALLBACK && sampled(rate)) {
                try {
                    observer.observe(input, output);
                } catch (RuntimeException e) {
                    errors.increment();
                }
            }
            return id;
        }
    }

    /** Offers a sample of predictions to the inference log, giving each logged one an id. */
    private static final class LogStage<I, O> implements AfterAnswer<I, O> {
        private final InferenceLog log;
        private final double rate;
        private final Function<? super I, ?> logInput;
        private final Clock clock;
        private final Supplier<String> ids;
        private final LongAdder failures;

        LogStage(InferenceLog log, double rate, Function<? super I, ?> logInput, Clock clock, Supplier<String> ids,
                 LongAdder failures) {
            this.log = log;
            this.rate = rate;
            this.logInput = logInput;
            this.clock = clock;
            this.ids = ids;
            this.failures = failures;
        }

        @Override
        public boolean usesLatency() {
            return true; // every logged record carries the call's latency
        }

        @Override
        public String answered(Prediction.Route route, ModelRef.Version version, VersionStats stats, I input, O output,
                               long nanos, String id) {
            if (!sampled(rate)) {
                return id;
            }
            String logged = id != null ? id : ids.get();
            offer(logged, version, route, input, output, nanos);
            return logged;
        }

        @Override
        public void unanswered(Prediction.Route route, ModelRef.Version version, I input, long nanos, String id) {
            if (sampled(rate)) {
                offer(id != null ? id : ids.get(), version, route, input, null, nanos);
            }
        }

        private void offer(String id, ModelRef.Version version, Prediction.Route route, I input, O output, long nanos) {
            try {
                Object logged = logInput == null ? input : logInput.apply(input);
                log.offer(new InferenceRecord(id, clock.instant(), version, route, logged, output, nanos));
            } catch (RuntimeException e) {
                failures.increment();
            }
        }
    }

    /** Keeps the answered predictions that have an id, for ground truth to join later. */
    private static final class FeedbackStage<I, O> implements AfterAnswer<I, O> {
        private final FeedbackWindow window;

        FeedbackStage(FeedbackWindow window) {
            this.window = window;
        }

        @Override
        public String answered(Prediction.Route route, ModelRef.Version version, VersionStats stats, I input, O output,
                               long nanos, String id) {
            if (id != null) {
                window.put(id, stats, output);
            }
            return id;
        }
    }

    /** Mirrors a sample of the model's answered requests to the shadow version, off the request thread. */
    private static final class ShadowStage<I, O> implements AfterServe<I, O> {
        private final ShadowRunner<I, O> runner;
        private final double rate;

        ShadowStage(ShadowRunner<I, O> runner, double rate) {
            this.runner = runner;
            this.rate = rate;
        }

        @Override
        public void served(I input, O output) {
            if (sampled(rate)) {
                runner.offer(input, output);
            }
        }

        @Override
        public void servedAll(List<I> inputs, List<O> outputs) {
            if (sampled(rate)) {
                // copies: the caller may change its lists once the call returns
                runner.offerAll(new ArrayList<>(inputs), new ArrayList<>(outputs));
            }
        }
    }
}
