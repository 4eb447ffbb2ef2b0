package dev.mlops.core;

import dev.mlops.api.store.ForwardingStore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The metadata cache")
class CachingModelRegistryTest {
    private final AtomicLong nanos = new AtomicLong();

    @Test
    @DisplayName("sees this JVM's alias moves at once and other processes' moves after the TTL")
    void staleness() {
        InMemoryStore store = new InMemoryStore();
        Mlops cached = Mlops.builder().store(store).metadataCache(Duration.ofSeconds(1)).ticker(nanos::get).build();
        Mlops sameJvm = Mlops.builder().store(store).build();
        // another process: same data, but its moves are not announced in this JVM
        Mlops other = Mlops.builder().store(new ForwardingStore(store) {
            @Override
            public String describe() {
                return "another process's view of " + store.describe();
            }
        }).build();
        for (int i = 0; i < 3; i++) {
            cached.models().register("rain", NewModelVersion.builder().artifact(Artifact.bytes("m", new byte[] {(byte) i})).build());
        }
        ModelRef prod = ModelRef.parse("rain@production");
        cached.models().setAlias("rain", "production", 1);
        assertThat(cached.models().resolve(prod).number()).isEqualTo(1);
        cached.models().setAlias("rain", "production", 2);
        assertThat(cached.models().resolve(prod).number()).isEqualTo(2);

        sameJvm.models().setAlias("rain", "production", 1);
        assertThat(cached.models().resolve(prod).number()).as("a move by another instance in this JVM").isEqualTo(1);

        other.models().setAlias("rain", "production", 3);
        assertThat(cached.models().resolve(prod).number()).as("within the TTL").isEqualTo(1);
        nanos.addAndGet(Duration.ofMillis(1001).toNanos());
        assertThat(cached.models().resolve(prod).number()).as("after the TTL").isEqualTo(3);
        assertThat(cached.models().version("rain", 3).aliases()).containsExactly("production");
        assertThat(AliasEvents.listenerCount(store.describe())).isEqualTo(1);
        cached.close();
        assertThat(AliasEvents.listenerCount(store.describe())).isZero();
    }
}
