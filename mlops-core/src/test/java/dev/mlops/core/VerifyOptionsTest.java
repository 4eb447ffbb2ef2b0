package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("VerifyOptions")
class VerifyOptionsTest {

    @Test
    @DisplayName("check() reports only and repair() repairs, both with the default grace period of one minute")
    void factories() {
        assertThat(VerifyOptions.check()).isEqualTo(new VerifyOptions(false, Duration.ofMinutes(1)));
        assertThat(VerifyOptions.repair()).isEqualTo(new VerifyOptions(true, Duration.ofMinutes(1)));
    }

    @Test
    @DisplayName("auditGracePeriod(d) changes the grace period and keeps whether to repair")
    void gracePeriod() {
        assertThat(VerifyOptions.repair().auditGracePeriod(Duration.ZERO)).isEqualTo(new VerifyOptions(true, Duration.ZERO));
        assertThat(VerifyOptions.check().auditGracePeriod(Duration.ofHours(2)))
                .isEqualTo(new VerifyOptions(false, Duration.ofHours(2)));
    }

    @Test
    @DisplayName("a negative or missing grace period is refused, naming the value")
    void badGracePeriod() {
        assertThatThrownBy(() -> VerifyOptions.check().auditGracePeriod(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auditGracePeriod").hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> VerifyOptions.repair().auditGracePeriod(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("auditGracePeriod");
        InMemoryStore store = new InMemoryStore();
        assertThatThrownBy(() -> Mlops.builder().store(store).build().verify(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("options");
    }
}
