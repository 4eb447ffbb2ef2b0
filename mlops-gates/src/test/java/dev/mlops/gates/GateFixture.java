package dev.mlops.gates;

import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.api.Artifact;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory registry with a fixed clock, and helpers to register versions with metrics. */
final class GateFixture implements AutoCloseable {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    final Mlops mlops = Mlops.builder().store(new InMemoryStore()).clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .actor("gatekeeper").build();

    ModelVersion register(String model, Map<String, Double> metrics) {
        NewModelVersion.Builder b = NewModelVersion.builder().artifact(Artifact.bytes("model.bin",
                (model + metrics + System.nanoTime()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        metrics.forEach(b::metric);
        return mlops.models().register(model, b.build());
    }

    Optional<Integer> alias(String model, String alias) {
        return Optional.ofNullable(mlops.models().model(model).aliases().get(alias));
    }

    List<String> actions() {
        return mlops.audit().entries(1, 10_000).stream().map(AuditEntry::action).toList();
    }

    @Override
    public void close() {
        mlops.close();
    }
}
