package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Assembling a profile from column summaries computed elsewhere (a batch engine's merged partitions). */
class ReferenceProfileOfColumnsTest {

    @Test
    void aProfileRebuiltFromItsOwnPartsIsTheSameProfile() {
        ReferenceProfile original = ReferenceProfile.of(ReferenceProfileTest.mixedFrame(3000, 5, 0));
        List<ReferenceProfile.Column> parts = new ArrayList<>();
        for (ReferenceProfile.Column c : original.columns()) {
            if (c instanceof ReferenceProfile.NumericalColumn n) {
                parts.add(ReferenceProfile.NumericalColumn.of(n.name(), n.count(), n.missing(), n.distinct(), n.min(), n.max(),
                        n.mean(), n.std(), n.binEdges(), n.binValues(), n.binCounts(), n.gridCuts(), n.gridBelow(), n.sketch()));
            } else {
                ReferenceProfile.CategoricalColumn k = (ReferenceProfile.CategoricalColumn) c;
                parts.add(ReferenceProfile.CategoricalColumn.of(k.name(), k.count(), k.missing(), k.distinct(), k.categories(),
                        k.categoryCounts(), k.otherCount()));
            }
        }
        ReferenceProfile rebuilt = ReferenceProfile.ofColumns(original.rows(), original.options(), parts);
        assertThat(rebuilt.toJson()).isEqualTo(original.toJson());
        assertThat(rebuilt.sha256()).isEqualTo(original.sha256());
    }

    @Test
    void partsThatDoNotAddUpAreRefused() {
        ReferenceProfile.NumericalColumn n = (ReferenceProfile.NumericalColumn) ReferenceProfile
                .of(ReferenceProfileTest.mixedFrame(500, 6, 0)).column("a").orElseThrow();
        long[] wrongBins = n.binCounts();
        wrongBins[0]++;
        assertThatThrownBy(() -> ReferenceProfile.NumericalColumn.of("a", n.count(), n.missing(), n.distinct(), n.min(), n.max(),
                n.mean(), n.std(), n.binEdges(), n.binValues(), wrongBins, n.gridCuts(), n.gridBelow(), n.sketch()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bin counts sum to " + (n.count() + 1));
        long[] wrongBelow = n.gridBelow();
        wrongBelow[wrongBelow.length - 1] = n.count() + 1;
        assertThatThrownBy(() -> ReferenceProfile.NumericalColumn.of("a", n.count(), n.missing(), n.distinct(), n.min(), n.max(),
                n.mean(), n.std(), n.binEdges(), n.binValues(), n.binCounts(), n.gridCuts(), wrongBelow, n.sketch()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grid is not increasing");
        assertThatThrownBy(() -> ReferenceProfile.ofColumns(n.count() + n.missing() + 1, ProfileOptions.defaults(), List.of(n)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but the reference has " + (n.count() + n.missing() + 1) + " rows");
        assertThatThrownBy(() -> ReferenceProfile.ofColumns(n.count() + n.missing(), ProfileOptions.defaults(), List.of(n, n)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' is given twice");
        assertThatThrownBy(() -> ReferenceProfile.CategoricalColumn.of("c", 3, 0, 2, List.of("x", "x"), new long[] {2, 1}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("categories must be distinct");
    }

    @Test
    void sturgesEdgesAreTheProfilesOwn() {
        ReferenceProfile.NumericalColumn n = (ReferenceProfile.NumericalColumn) ReferenceProfile
                .of(ReferenceProfileTest.mixedFrame(4000, 7, 0)).column("a").orElseThrow();
        assertThat(BinnedDistances.sturgesEdges(n.min(), n.max(), n.count())).containsExactly(n.binEdges());
    }
}
