package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.ModelRef;
import dev.mlops.api.Digests;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("OnnxServingExample")
class OnnxServingExampleTest {

    @Test
    @DisplayName("serves linear.onnx by alias, single and batch, and keeps serving version 1 when version 2 cannot load")
    void runs() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        OnnxServingExample.Result r = OnnxServingExample.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String console = buf.toString(StandardCharsets.UTF_8);

        // y = x W + b with W = [[0.5, -1], [2, 0.25], [-0.75, 3]], b = [0.125, -2]: exact in float
        assertThat(r.single()).as(console).containsExactly(5.0f, -4.0f);
        assertThat(r.batch()).hasSize(3);
        assertThat(r.batch().get(0)).containsExactly(0.125f, -2.0f);
        assertThat(r.batch().get(1)).containsExactly(0.625f, -3.0f);
        assertThat(r.batch().get(2)).containsExactly(1.375f, 1.25f);
        assertThat(r.failure().version()).isEqualTo(new ModelRef.Version("rain", 2));
        assertThat(r.failure().stage()).isEqualTo("load");
        assertThat(r.afterFailure()).isEqualTo(new ModelRef.Version("rain", 1));
        assertThat(r.primaryCalls()).isEqualTo(5);   // 1 single + 3 batch rows + 1 after the failure
        assertThat(console).contains("rain/2 failed at stage 'load'", "requests are still answered by rain/1",
                "rain@production -> rain/1");
    }

    @Test
    @DisplayName("the bundled linear.onnx is the same file as mlops-onnx's generated test model")
    void modelIsTheCopy() throws Exception {
        byte[] bundled;
        try (InputStream in = OnnxServingExample.class.getResourceAsStream("/models/linear.onnx")) {
            bundled = in.readAllBytes();
        }
        assertThat(bundled).hasSize(212);
        Path original = Path.of("..", "mlops-onnx", "src", "test", "resources", "dev", "mlops", "onnx", "linear.onnx");
        if (Files.exists(original)) {       // present in a full checkout; the module's own build does not need it
            assertThat(Digests.sha256Hex(bundled)).isEqualTo(Digests.sha256Hex(Files.readAllBytes(original)));
        }
    }
}
