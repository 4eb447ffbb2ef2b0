package dev.mlops.gates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.ModelRef;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A promotion decision as stored with versions: schema-1 documents (camelCase) still read.
 */
class DecisionFormatTest {
    @Test
    @DisplayName("a schema-1 promotion decision (camelCase, as stored with versions before) still reads")
    void schema1Decision() {
        var d = PromotionGate.decisionFromJson("{ \"schemaVersion\" : 1, \"kind\" : \"promotion-decision\", \"candidate\" : "
                + "\"rain/2\", \"alias\" : \"production\", \"champion\" : null, \"decidedAt\" : \"2026-03-01T10:00:00Z\","
                + " \"policy\" : \"p\", \"passed\" : false, \"checks\" : [] }");
        assertThat(d.candidate()).isEqualTo(ModelRef.version("rain", 2));
        assertThat(d.decidedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(PromotionGate.toJson(d)).contains("\"schema_version\" : 2", "\"decided_at\"");
    }
}
