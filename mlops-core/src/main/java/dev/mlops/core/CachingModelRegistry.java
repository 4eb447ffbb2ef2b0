package dev.mlops.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.mlops.api.AliasMove;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.RegisteredModel;
import dev.mlops.api.VersionQuery;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Caches {@link #resolve} and {@link #version} results for a bounded time. Changes made in this
 * JVM (through this or any other instance on the same store) invalidate the model's entries at
 * once, through {@link AliasEvents} and this instance's own writes; changes made by other
 * processes are seen within the time-to-live. Everything else passes straight through.
 */
final class CachingModelRegistry implements ModelRegistry, AutoCloseable {
    private final ModelRegistry delegate;
    private final Cache<ModelRef, ModelVersion> resolved;
    private final String store;
    private final java.util.Map<String, dev.mlops.api.Subscription> subscriptions = new java.util.concurrent.ConcurrentHashMap<>();

    CachingModelRegistry(ModelRegistry delegate, String store, Duration ttl, Ticker ticker) {
        this.delegate = delegate;
        this.store = store;
        this.resolved = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).ticker(ticker).build();
    }

    @Override
    public ModelVersion resolve(ModelRef ref) {
        ModelVersion v = resolved.getIfPresent(ref);
        if (v == null) {
            subscriptions.computeIfAbsent(ref.model(), m -> AliasEvents.subscribe(store, m, (model, alias) -> invalidate(model)));
            v = delegate.resolve(ref);
            resolved.put(ref, v);
        }
        return v;
    }

    private void invalidate(String model) {
        resolved.asMap().keySet().removeIf(k -> k.model().equals(model));
    }

    /** Stops listening for alias notices. */
    @Override
    public void close() {
        subscriptions.values().forEach(dev.mlops.api.Subscription::close);
        subscriptions.clear();
    }

    @Override
    public ModelVersion version(String name, int version) {
        return resolve(new ModelRef.Version(name, version));
    }

    private <T> T changing(String model, Supplier<T> change) {
        try {
            return change.get();
        } finally {
            invalidate(model);
        }
    }

    @Override
    public RegisteredModel createModel(String name, String description, Map<String, String> tags) {
        return changing(name, () -> delegate.createModel(name, description, tags));
    }

    @Override
    public Optional<RegisteredModel> findModel(String name) {
        return delegate.findModel(name);
    }

    @Override
    public RegisteredModel model(String name) {
        return delegate.model(name);
    }

    @Override
    public Page<RegisteredModel> listModels(PageRequest page) {
        return delegate.listModels(page);
    }

    @Override
    public RegisteredModel setModelDescription(String name, String description) {
        return changing(name, () -> delegate.setModelDescription(name, description));
    }

    @Override
    public RegisteredModel setModelTag(String name, String key, String value) {
        return changing(name, () -> delegate.setModelTag(name, key, value));
    }

    @Override
    public RegisteredModel removeModelTag(String name, String key) {
        return changing(name, () -> delegate.removeModelTag(name, key));
    }

    @Override
    public ModelVersion register(String name, NewModelVersion version) {
        return changing(name, () -> delegate.register(name, version));
    }

    @Override
    public Page<ModelVersion> listVersions(String name, VersionQuery query) {
        return delegate.listVersions(name, query);
    }

    @Override
    public ModelVersion setVersionTag(ModelRef.Version ref, String key, String value) {
        return changing(ref.model(), () -> delegate.setVersionTag(ref, key, value));
    }

    @Override
    public ModelVersion removeVersionTag(ModelRef.Version ref, String key) {
        return changing(ref.model(), () -> delegate.removeVersionTag(ref, key));
    }

    @Override
    public ModelVersion addAttachment(ModelRef.Version ref, String name, byte[] content) {
        return changing(ref.model(), () -> delegate.addAttachment(ref, name, content));
    }

    @Override
    public ModelVersion setAlias(String name, String alias, int version) {
        return changing(name, () -> delegate.setAlias(name, alias, version));
    }

    @Override
    public ModelVersion setAliasIf(String name, String alias, int version, java.util.OptionalInt expected,
                                   Map<String, String> evidence) {
        return changing(name, () -> delegate.setAliasIf(name, alias, version, expected, evidence));
    }

    /** The listener hears of a move only after this cache forgot the model, so it reads the new holder. */
    @Override
    public dev.mlops.api.Subscription onAliasMoved(String model, dev.mlops.api.AliasListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        return delegate.onAliasMoved(model, (m, a) -> {
            invalidate(m);
            listener.aliasMoved(m, a);
        });
    }

    @Override
    public ModelVersion rollback(String name, String alias) {
        return changing(name, () -> delegate.rollback(name, alias));
    }

    @Override
    public void removeAlias(String name, String alias) {
        changing(name, () -> {
            delegate.removeAlias(name, alias);
            return null;
        });
    }

    @Override
    public List<AliasMove> aliasHistory(String name, String alias) {
        return delegate.aliasHistory(name, alias);
    }

    @Override
    public ModelVersion archive(ModelRef.Version ref) {
        return changing(ref.model(), () -> delegate.archive(ref));
    }

    @Override
    public ModelVersion restore(ModelRef.Version ref) {
        return changing(ref.model(), () -> delegate.restore(ref));
    }

    @Override
    public void deleteVersion(ModelRef.Version ref) {
        changing(ref.model(), () -> {
            delegate.deleteVersion(ref);
            return null;
        });
    }

    @Override
    public InputStream openArtifact(ModelRef.Version ref, String path) {
        return delegate.openArtifact(ref, path);
    }

    @Override
    public Path exportArtifact(ModelRef.Version ref, Path targetDirectory) {
        return delegate.exportArtifact(ref, targetDirectory);
    }

    @Override
    public byte[] attachment(ModelRef.Version ref, String name) {
        return delegate.attachment(ref, name);
    }

    @Override
    public List<ModelVersion> versionsUsing(DatasetRef dataset) {
        return delegate.versionsUsing(dataset);
    }
}
