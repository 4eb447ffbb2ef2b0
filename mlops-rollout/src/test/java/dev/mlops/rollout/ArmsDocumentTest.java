package dev.mlops.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ValidationException;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.core.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The arms document across the schema change: a fleet upgraded instance by instance has
 * schema-1 writers (no predictions) and schema-2 writers publishing side by side.
 */
class ArmsDocumentTest {

    static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    static final ArmStats PLAIN = new ArmStats(100, 5, 2, 1.5, 1.25, 90, 45, 1);
    static final ArmStats WITH_PREDICTIONS = new ArmStats(100, 5, 2, 1.5, 1.25, 90, 45, 1, 80, 60, 40, 20, 3, 70, 7.0,
            1.5);

    /** A document as the schema-1 writer (before predictions) wrote it. */
    static final String SCHEMA_1 = """
            {"schema_version":1,"kind":"mlops-rollout-arms","rollout":"r","instance":"old","published_at":"2026-12-01T10:00:00Z",
             "control":{"requests":100,"errors":5,"losses":2,"loss_sum":1.5,"loss_sum_squares":1.25,"latencies":90,"over_p50":45,"over_p99":1},
             "candidate":{"requests":10,"errors":1,"losses":0,"loss_sum":0.0,"loss_sum_squares":0.0,"latencies":9,"over_p50":4,"over_p99":0}}
            """;

    @Test
    void withoutPredictionsOrEstimatesTheDocumentStaysSchema1SoInstancesNotUpgradedReadIt() {
        String json = new String(RolloutDocuments.arms("r", "new", AT, PLAIN, PLAIN), StandardCharsets.UTF_8);
        assertThat(json).contains("\"schema_version\":1").doesNotContain("predictions");
        assertThat(RolloutDocuments.readArms(json.getBytes(StandardCharsets.UTF_8), "r", "new", "k").control())
                .isEqualTo(PLAIN);
    }

    @Test
    void withPredictionsItIsSchema2AndReadsBackExactly() {
        byte[] doc = RolloutDocuments.arms("r", "new", AT, WITH_PREDICTIONS, PLAIN);
        assertThat(new String(doc, StandardCharsets.UTF_8)).contains("\"schema_version\":2", "\"over_q75\":20",
                "\"invalid_predictions\":3", "\"estimate_sum\":7.0");
        RolloutDocuments.Arms a = RolloutDocuments.readArms(doc, "r", "new", "k");
        assertThat(a.control()).isEqualTo(WITH_PREDICTIONS);
        assertThat(a.candidate()).isEqualTo(PLAIN);
    }

    @Test
    void aSchema1WritersDocumentReadsWithNoPredictionsAndMergesWithSchema2Ones() {
        InMemoryStore store = new InMemoryStore(java.time.Clock.fixed(AT, java.time.ZoneOffset.UTC));
        DocumentKey instances = DocumentKey.of("rollouts", "r", "instances");
        store.create(instances.child("old"), SCHEMA_1.getBytes(StandardCharsets.UTF_8));
        store.create(instances.child("new"), RolloutDocuments.arms("r", "new", AT, WITH_PREDICTIONS, WITH_PREDICTIONS));
        Rollout.Fleet f = Rollout.fleet(store, "r");
        assertThat(f.instances()).isEqualTo(2);
        assertThat(f.control().requests()).isEqualTo(200);
        assertThat(f.control().predictions()).as("only the upgraded instance counts predictions").isEqualTo(80);
        assertThat(f.candidate().requests()).isEqualTo(110);
        assertThat(f.candidate().overQ50()).isEqualTo(40);
    }

    @Test
    void aSchema1DocumentWithSchema2FieldsAndAnUnknownVersionAreRefusedNamingThem() {
        String smuggled = SCHEMA_1.replace("\"over_p99\":0}", "\"over_p99\":0,\"predictions\":5}");
        assertThatThrownBy(() -> RolloutDocuments.readArms(smuggled.getBytes(StandardCharsets.UTF_8), "r", "old", "k"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("predictions");
        String v3 = SCHEMA_1.replace("\"schema_version\":1", "\"schema_version\":3");
        assertThatThrownBy(() -> RolloutDocuments.readArms(v3.getBytes(StandardCharsets.UTF_8), "r", "old", "k"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("version 3");
        String inconsistent = new String(RolloutDocuments.arms("r", "new", AT, WITH_PREDICTIONS, PLAIN),
                StandardCharsets.UTF_8).replace("\"over_q25\":60", "\"over_q25\":81");
        assertThatThrownBy(() -> RolloutDocuments.readArms(inconsistent.getBytes(StandardCharsets.UTF_8), "r", "new", "k"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("exceed the predictions counted (80)");
    }
}
