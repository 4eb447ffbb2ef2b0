package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Signature;
import dev.mlops.api.TensorSpec;
import dev.mlops.onnx.OnnxSignature;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The signature of the demo's Tribuo-exported ONNX model")
class WeatherModelSignatureTest {
    @Test
    @DisplayName("is read from the exported file: one float input row of the features, one float output")
    void readFromTheExport() throws Exception {
        List<Demo.Day> days = Demo.Day.load().stream().filter(d -> d.date().startsWith("2012")).toList();
        Signature s = OnnxSignature.read(WeatherModel.trainOnnx(days, 1, false));
        assertThat(s.inputTensors()).hasSize(1);
        TensorSpec input = s.inputTensors().get(0);
        assertThat(input.name()).isEqualTo("input");
        assertThat(input.elementType()).isEqualTo("float");
        assertThat(input.shape()).hasSize(2);
        assertThat(input.shape().get(1)).isEqualTo(Integer.toString(WeatherModel.features(days.get(0)).length));
        assertThat(s.outputTensors()).extracting(TensorSpec::name).contains("output");
        System.out.println("demo model signature: " + s);
    }
}
