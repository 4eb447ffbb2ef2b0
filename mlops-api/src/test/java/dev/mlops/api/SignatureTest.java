package dev.mlops.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureTest {

    @Test
    void columnsOnlySignatureHasNoTensors() {
        Signature s = new Signature(Schema.of(new Field("temp", FieldType.DOUBLE)), Schema.EMPTY);
        assertThat(s.inputTensors()).isEmpty();
        assertThat(s.outputTensors()).isEmpty();
        assertThat(s.isEmpty()).isFalse();
        assertThat(Signature.NONE.isEmpty()).isTrue();
    }

    @Test
    void tensorSignatureKeepsOrderAndCopies() {
        List<TensorSpec> in = new ArrayList<>(List.of(new TensorSpec("b", "float", List.of("?", "3")),
                new TensorSpec("a", "int64", List.of())));
        Signature s = Signature.ofTensors(in, List.of(new TensorSpec("y", "float", List.of("batch", "1"))));
        in.clear();
        assertThat(s.inputTensors()).extracting(TensorSpec::name).containsExactly("b", "a");
        assertThat(s.inputTensors().get(0).shapeText()).isEqualTo("[?, 3]");
        assertThat(s.inputTensors().get(1).shapeText()).isEqualTo("[]");
        assertThat(s.isEmpty()).isFalse();
    }

    @Test
    void repeatedTensorNameIsRefusedNamingIt() {
        TensorSpec x = new TensorSpec("x", "float", List.of("1"));
        assertThatThrownBy(() -> Signature.ofTensors(List.of(x, x), List.of()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("input tensor 'x' appears twice");
    }

    @Test
    void badTensorSpecIsRefusedNamingTheTensor() {
        assertThatThrownBy(() -> new TensorSpec("", "float", List.of())).isInstanceOf(InvalidNameException.class)
                .hasMessageContaining("tensor name");
        assertThatThrownBy(() -> new TensorSpec("x", "float", List.of("3", "")))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("dimension of tensor 'x'");
        assertThatThrownBy(() -> new TensorSpec("x", "fl\noat", List.of()))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("element type of tensor 'x'");
    }
}
