package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ValidationException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static List<String> keys(List<Chunk> chunks) {
        return chunks.stream().map(Chunk::key).toList();
    }

    @Test
    void bySizeKeepsAppendsOrDropsTheLastShortChunk() {
        assertThat(keys(Chunker.split(Chunking.bySize(3), 10, null, "analysis")))
                .containsExactly("[0:2]", "[3:5]", "[6:8]", "[9:9]");
        assertThat(keys(Chunker.split(new Chunking.BySize(3, Chunking.Incomplete.APPEND), 10, null, "analysis")))
                .containsExactly("[0:2]", "[3:5]", "[6:9]");
        assertThat(keys(Chunker.split(new Chunking.BySize(3, Chunking.Incomplete.DROP), 10, null, "analysis")))
                .containsExactly("[0:2]", "[3:5]", "[6:8]");
        assertThat(keys(Chunker.split(Chunking.bySize(5), 10, null, "analysis"))).containsExactly("[0:4]", "[5:9]");
    }

    @Test
    void fewerRowsThanOneChunk() {
        // keep: one short chunk, as NannyML
        List<Chunk> one = Chunker.split(Chunking.bySize(5), 3, null, "analysis");
        assertThat(keys(one)).containsExactly("[0:2]");
        assertThat(one.get(0).size()).isEqualTo(3);
        assertThatThrownBy(() -> Chunker.split(new Chunking.BySize(5, Chunking.Incomplete.APPEND), 3, null, "analysis"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("cannot append the last 3 rows").hasMessageContaining("chunks of 5");
        assertThatThrownBy(() -> Chunker.split(new Chunking.BySize(5, Chunking.Incomplete.DROP), 3, null, "analysis"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("gives no chunk of 5 rows");
    }

    @Test
    void byNumberUsesIntegerDivisionSoKeepCanGiveOneChunkMore() {
        // 10 rows in 3 chunks: size 10 // 3 = 3, and the last row a chunk of its own (NannyML's CountBasedChunker)
        assertThat(keys(Chunker.split(Chunking.byNumber(3), 10, null, "analysis")))
                .containsExactly("[0:2]", "[3:5]", "[6:8]", "[9:9]");
        assertThat(keys(Chunker.split(new Chunking.ByNumber(3, Chunking.Incomplete.APPEND), 10, null, "analysis")))
                .containsExactly("[0:2]", "[3:5]", "[6:9]");
        assertThat(Chunker.split(Chunking.defaultChunking(), 100, null, "analysis")).hasSize(10);
        assertThatThrownBy(() -> Chunker.split(Chunking.byNumber(4), 3, null, "reference"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("cannot split the 3 rows of the reference data into 4 chunks");
    }

    @Test
    void noRowsIsRefused() {
        assertThatThrownBy(() -> Chunker.split(Chunking.bySize(5), 0, null, "analysis"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("the analysis data has no rows");
    }

    @Test
    void badSettingsFailAtTheCall() {
        assertThatThrownBy(() -> Chunking.bySize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunk size is 0");
        assertThatThrownBy(() -> Chunking.byNumber(-2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunk number is -2");
    }

    @Test
    void byPeriodGivesOneChunkPerPeriodThatHoldsRows() {
        Instant[] t = {
            Instant.parse("2018-01-01T00:00:00Z"), Instant.parse("2018-01-31T23:59:59Z"),
            // no row in February: no chunk for it
            Instant.parse("2018-03-01T00:00:00Z"), Instant.parse("2018-03-15T12:00:00Z"),
            Instant.parse("2018-10-02T00:00:00Z")};
        List<Chunk> months = Chunker.split(Chunking.byPeriod(Chunking.PeriodUnit.MONTH), t.length, t, "analysis");
        assertThat(keys(months)).containsExactly("2018-01", "2018-03", "2018-10");
        assertThat(months.get(0).startIndex()).isZero();
        assertThat(months.get(0).endIndex()).isEqualTo(1);
        assertThat(months.get(0).startTime()).contains(Instant.parse("2018-01-01T00:00:00Z"));
        assertThat(months.get(0).endTime()).contains(Instant.parse("2018-01-31T23:59:59.999999999Z"));
        assertThat(keys(Chunker.split(Chunking.byPeriod(Chunking.PeriodUnit.QUARTER), t.length, t, "analysis")))
                .containsExactly("2018Q1", "2018Q4");
        assertThat(keys(Chunker.split(Chunking.byPeriod(Chunking.PeriodUnit.YEAR), t.length, t, "analysis")))
                .containsExactly("2018");
        // 2018-01-01 is a Monday; pandas' W is the week ending on Sunday
        assertThat(keys(Chunker.split(Chunking.byPeriod(Chunking.PeriodUnit.WEEK), 2, t, "analysis")))
                .containsExactly("2018-01-01/2018-01-07", "2018-01-29/2018-02-04");
        assertThat(keys(Chunker.split(Chunking.byPeriod(Chunking.PeriodUnit.DAY), 2, t, "analysis")))
                .containsExactly("2018-01-01", "2018-01-31");
        assertThat(keys(Chunker.split(Chunking.byPeriod(Chunking.PeriodUnit.HOUR), 2, t, "analysis")))
                .containsExactly("2018-01-01 00:00", "2018-01-31 23:00");
    }

    @Test
    void byPeriodNeedsTimestamps() {
        assertThatThrownBy(() -> Chunker.split(Chunking.byPeriod(Chunking.PeriodUnit.MONTH), 3, null, "analysis"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("chunking the analysis data by period needs timestamps");
    }

    @Test
    void sizeChunksCarryTheirFirstAndLastTimestamp() {
        Instant[] t = {Instant.ofEpochSecond(10), Instant.ofEpochSecond(20), Instant.ofEpochSecond(30)};
        List<Chunk> chunks = Chunker.split(Chunking.bySize(2), 3, t, "analysis");
        assertThat(chunks.get(0).startTime()).contains(Instant.ofEpochSecond(10));
        assertThat(chunks.get(0).endTime()).contains(Instant.ofEpochSecond(20));
        assertThat(chunks.get(1).startTime()).contains(Instant.ofEpochSecond(30));
        assertThat(Chunker.split(Chunking.bySize(2), 3, null, "analysis").get(0).startTime()).isEmpty();
    }
}
