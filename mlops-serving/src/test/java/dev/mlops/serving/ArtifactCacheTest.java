package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ModelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The artifact cache of a service")
class ArtifactCacheTest {

    @Test
    @DisplayName("exports each version once, shares it, keeps two idle versions and deletes the rest")
    void lifecycle(@TempDir Path root) throws Exception {
        try (ServingFixture f = new ServingFixture(4)) {
            ModelVersion[] v = new ModelVersion[5];
            for (int i = 1; i <= 4; i++) {
                v[i] = f.mlops.models().version("rain", i);
            }
            ArtifactCache cache = new ArtifactCache(root,
                    VersionSource.of(f.mlops.models()), "t-");
            ArtifactCache.Entry a = cache.acquire(v[1]);
            ArtifactCache.Entry shared = cache.acquire(v[1]);
            assertThat(shared).isSameAs(a);
            assertThat(cache.exports()).isEqualTo(1);
            assertThat(Files.readString(a.directory.resolve("model.txt"))).isEqualTo("v1");
            cache.release(a);
            assertThat(a.directory).as("still used once").isDirectory();
            cache.release(shared);
            assertThat(a.directory).as("idle, kept").isDirectory();

            ArtifactCache.Entry b = cache.acquire(v[2]);
            cache.release(b);
            ArtifactCache.Entry c = cache.acquire(v[3]);
            cache.release(c);
            assertThat(a.directory).as("third idle version evicts the oldest").doesNotExist();
            assertThat(b.directory).isDirectory();
            assertThat(cache.size()).isEqualTo(2);

            ArtifactCache.Entry again = cache.acquire(v[2]);
            assertThat(again).isSameAs(b);
            assertThat(cache.exports()).as("re-used, not exported again").isEqualTo(3);
            ArtifactCache.Entry d = cache.acquire(v[4]);
            AtomicInteger emptied = new AtomicInteger();
            cache.close(emptied::incrementAndGet);
            assertThat(c.directory).as("idle: deleted on close").doesNotExist();
            assertThat(b.directory).as("in use: kept until released").isDirectory();
            assertThat(emptied).as("two directories still in use").hasValue(0);
            assertThatThrownBy(() -> cache.acquire(v[1])).as("a closed cache exports nothing")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            cache.release(again);
            assertThat(emptied).hasValue(0);
            cache.release(d);
            assertThat(emptied).as("told once the last directory in use is released").hasValue(1);
            assertThat(b.directory).doesNotExist();
            assertThat(d.directory).doesNotExist();
            assertThat(cache.size()).isZero();
        }
    }
}
