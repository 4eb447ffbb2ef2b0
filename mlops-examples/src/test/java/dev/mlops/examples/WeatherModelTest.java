package dev.mlops.examples;

import dev.mlops.serving.ModelServiceBuilder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.serving.ModelService;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.onnx.OnnxModelLoader;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The demo's Tribuo model")
class WeatherModelTest {
    @Test
    @DisplayName("trains on 2012, exports to ONNX, serves through ONNX Runtime, and beats a shuffled-label model")
    void trainsAndServes() throws Exception {
        List<Demo.Day> days = Demo.Day.load();
        List<Demo.Day> train = days.stream().filter(d -> d.date().startsWith("2012")).toList();
        List<Demo.Day> test = days.stream().filter(d -> d.date().startsWith("2015")).toList();
        byte[] good = WeatherModel.trainOnnx(train, 1, false);
        byte[] bad = WeatherModel.trainOnnx(train, 1, true);
        try (Mlops mlops = Mlops.builder().store(new InMemoryStore()).build()) {
            mlops.models().register("t", NewModelVersion.builder().artifact(Artifact.bytes("model.onnx", good)).format("onnx").build());
            mlops.models().register("t", NewModelVersion.builder().artifact(Artifact.bytes("model.onnx", bad)).format("onnx").build());
            double[] mae = new double[2];
            for (int v = 1; v <= 2; v++) {
                try (ModelService<float[], float[]> svc = ModelServiceBuilder.serve(mlops, ModelRef.parse("t/" + v),
                        OnnxModelLoader.floatVector("input", "output")).build()) {
                    double sum = 0;
                    for (int i = 0; i + 1 < test.size(); i++) {
                        sum += Math.abs(svc.predict(WeatherModel.features(test.get(i)))[0] - test.get(i + 1).tempMax());
                    }
                    mae[v - 1] = sum / (test.size() - 1);
                }
            }
            assertThat(mae[0]).isLessThan(3.5).isLessThan(mae[1]);
        }
    }
}
