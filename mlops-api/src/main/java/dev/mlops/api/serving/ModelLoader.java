package dev.mlops.api.serving;

import java.util.Objects;
import java.util.function.Function;

/**
 * Builds a {@link Model} from a registered version and a verified local copy of its artifact.
 * Called off the request path when a service starts or its alias moves; a loader that throws
 * leaves the previous version serving.
 *
 * @param <I> input type
 * @param <O> output type
 */
@FunctionalInterface
public interface ModelLoader<I, O> {

    /**
     * @param context the version and where its artifact files are
     * @return a ready model
     * @throws Exception anything; the service reports it and keeps the old version
     */
    Model<I, O> load(LoadContext context) throws Exception;

    /**
     * A loader for models that are plain functions chosen by version, e.g. from a parameter
     * stored with the version.
     *
     * @param factory builds the function for a version's context
     * @param <I> input type
     * @param <O> output type
     * @return the loader
     */
    static <I, O> ModelLoader<I, O> ofFunction(Function<LoadContext, Function<? super I, ? extends O>> factory) {
        Objects.requireNonNull(factory, "factory");
        return context -> Model.of(factory.apply(context));
    }
}
