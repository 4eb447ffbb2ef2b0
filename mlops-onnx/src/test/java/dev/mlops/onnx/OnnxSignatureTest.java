package dev.mlops.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Artifact;
import dev.mlops.api.MlopsException;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Signature;
import dev.mlops.api.TensorSpec;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures read with ONNX Runtime from real model files, as registration records them. */
class OnnxSignatureTest {

    @Test
    void linearModelHasItsTensorsWithSymbolicBatchAndFixedWidth() {
        Signature s = OnnxSignature.read(OnnxTestModels.linear());
        assertThat(s.inputTensors()).containsExactly(new TensorSpec("x", "float", List.of("batch", "3")));
        assertThat(s.outputTensors()).containsExactly(new TensorSpec("y", "float", List.of("batch", "2")));
        assertThat(s.inputs().size()).isZero(); // tensors, not columns: serving's input check is not affected
    }

    @Test
    void shippedFileReadsAsTheGeneratedBytes() throws IOException {
        Path file = Path.of("src/test/resources/dev/mlops/onnx/linear.onnx");
        assertThat(OnnxSignature.read(file)).isEqualTo(OnnxSignature.read(Files.readAllBytes(file)));
    }

    @Test
    void inputsKeepTheModelsOrderAndElementTypes() {
        Signature s = OnnxSignature.read(OnnxTestModels.tabular());
        assertThat(s.inputTensors()).extracting(TensorSpec::name).containsExactly("temp", "humidity", "hour");
        assertThat(s.inputTensors()).extracting(TensorSpec::elementType).containsExactly("float", "double", "int64");
        assertThat(s.outputTensors()).containsExactly(new TensorSpec("score", "float", List.of("batch", "1")));
    }

    @Test
    void fixedAndUnnamedDynamicDimensions() {
        assertThat(OnnxSignature.read(OnnxTestModels.linearFixedBatch()).inputTensors().get(0).shape())
                .containsExactly("1", "3");
        assertThat(OnnxSignature.read(OnnxTestModels.linearUnnamedBatch()).inputTensors().get(0).shape())
                .containsExactly(TensorSpec.DYNAMIC, "3");
    }

    @Test
    void notAModelIsRefusedSayingWhatWasExpected(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> OnnxSignature.read("not a model".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MlopsException.class).hasMessageContaining("expected an ONNX model file");
        Path missing = dir.resolve("missing.onnx");
        assertThatThrownBy(() -> OnnxSignature.read(missing))
                .isInstanceOf(MlopsException.class).hasMessageContaining("missing.onnx").hasMessageContaining("not a regular file");
        Path text = Files.writeString(dir.resolve("model.onnx"), "not a model");
        assertThatThrownBy(() -> OnnxSignature.read(text))
                .isInstanceOf(MlopsException.class).hasMessageContaining("model.onnx").hasMessageContaining("expected an ONNX model file");
    }

    @Test
    void registeredWithTheVersionAndReadBack() {
        byte[] onnx = OnnxTestModels.linear();
        try (Mlops mlops = Mlops.builder().store(new InMemoryStore()).build()) {
            ModelVersion v = mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.onnx", onnx)).format("onnx").signature(OnnxSignature.read(onnx)).build());
            assertThat(mlops.models().version("rain", v.number()).signature().inputTensors())
                    .containsExactly(new TensorSpec("x", "float", List.of("batch", "3")));
        }
    }
}
