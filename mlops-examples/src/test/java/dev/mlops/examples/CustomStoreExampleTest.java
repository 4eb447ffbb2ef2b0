package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.IntegrityProblem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CustomStoreExample")
class CustomStoreExampleTest {

    @Test
    @DisplayName("runs the registry over the example's key-value store, verifies it, and finds a rotten blob")
    void runs() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CustomStoreExample.Result r = CustomStoreExample.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String console = buf.toString(StandardCharsets.UTF_8);

        assertThat(r.keys()).as(console)
                .contains("d/models/rain", "d/models/rain/versions/0000000001", "d/models/rain/versions/0000000002")
                .anySatisfy(k -> assertThat(k).startsWith("b/"))
                .anySatisfy(k -> assertThat(k).startsWith("j/"))
                .isSorted();
        assertThat(r.healthy().ok()).as(console).isTrue();
        assertThat(r.chain().ok()).isTrue();
        // register x2, alias.set x2, alias.rollback (model.create may be audited too)
        assertThat(r.chain().entriesChecked()).isGreaterThanOrEqualTo(5);
        assertThat(r.damaged().ok()).isFalse();
        assertThat(r.damaged().problems()).anySatisfy(p -> {
            assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.CORRUPT_BLOB);
            assertThat(p.location()).contains(r.damagedBlob());
        });
        assertThat(console).contains("resolve(rain@production) = rain/1", "store: ok (0 problems); audit chain: ok",
                "CORRUPT_BLOB");
    }
}
