package dev.mlops.api.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A report's dataset verdict never contradicts its columns. */
class DriftReportTest {
    private static final Distribution NONE = new Distribution(List.of(), List.of(), List.of(), List.of());

    @Test
    @DisplayName("the constructor for exact results takes exact columns, and refuses a column whose verdict is uncertain")
    void exactConstructorRefusesUncertainColumns() {
        ColumnDrift exact = new ColumnDrift("a", ColumnKind.NUMERICAL, "ks", 0.3, OptionalDouble.of(0.001),
                OptionalDouble.empty(), 0.05, true, 0, 0, 100, 100, OptionalDouble.empty(), Optional.empty(), NONE);
        DriftReport report = new DriftReport(Instant.EPOCH, 100, 100, List.of(exact), 1.0, 0.5, true, "none",
                Optional.empty());
        assertThat(report.datasetVerdict()).isEqualTo(Verdict.DRIFT);
        assertThat(report.driftShareInterval()).isEqualTo(new Interval(1.0, 1.0));

        ColumnDrift uncertain = new ColumnDrift("b", ColumnKind.NUMERICAL, "ks", 0.3, OptionalDouble.of(0.04),
                OptionalDouble.empty(), 0.05, false, 0, 0, 100, 100, OptionalDouble.of(0.1), Optional.empty(), NONE,
                Verdict.UNCERTAIN, Optional.of(new Interval(0.2, 0.4)), Optional.of(new Interval(0.01, 0.2)),
                Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> new DriftReport(Instant.EPOCH, 100, 100, List.of(exact, uncertain), 0.5, 0.5, true,
                "none", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column b has an uncertain verdict");
        // the full constructor states the verdict and the share interval the uncertain column makes
        DriftReport full = new DriftReport(Instant.EPOCH, 100, 100, List.of(exact, uncertain), 0.5, 0.5, false, "none",
                Optional.empty(), DriftInputs.none(), Verdict.UNCERTAIN, new Interval(0.5, 1.0));
        assertThat(full.uncertainColumns()).containsExactly("b");
    }
}
