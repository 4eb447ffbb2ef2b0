package dev.mlops.onnx;

import dev.mlops.serving.ModelServiceBuilder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.Prediction;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An ONNX model served by alias")
class OnnxServingTest {

    @Test
    @DisplayName("serves rain@production through ONNX Runtime, single and batch, and follows the alias to a new version")
    void servesByAlias() {
        try (Mlops mlops = Mlops.builder().store(new InMemoryStore()).build()) {
            ModelVersion v1 = mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("linear.onnx", OnnxTestModels.linear())).format("onnx").build());
            mlops.models().setAlias("rain", "production", v1.number());
            try (ModelService<float[], float[]> svc = ModelServiceBuilder.serve(mlops, ModelRef.parse("rain@production"),
                    OnnxModelLoader.floatVector("x", "y")).build()) {
                float[] x = {1.0f, 2.0f, -0.5f};
                assertThat(svc.predict(x)).containsExactly(OnnxTestModels.linearExpected(x));
                List<float[]> batch = svc.predictAll(List.of(x, new float[] {0f, 0f, 0f}));
                assertThat(batch.get(1)).containsExactly(OnnxTestModels.B);
                Prediction<float[]> p = svc.predictDetailed(x);
                assertThat(p.servedBy()).isEqualTo(v1.ref());

                // a second version (another artifact) becomes production: the service follows at once
                ModelVersion v2 = mlops.models().register("rain", NewModelVersion.builder()
                        .artifact(Artifact.bytes("model.onnx", OnnxTestModels.linear())).format("onnx").build());
                mlops.models().setAlias("rain", "production", v2.number());
                assertThat(svc.refresh()).isEqualTo(v2.ref());
                assertThat(svc.predictDetailed(x).servedBy()).isEqualTo(v2.ref());
                assertThat(svc.metrics().version(v1.ref()).orElseThrow().calls()).isGreaterThanOrEqualTo(4);
            }
        }
    }
}
