package dev.mlops.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("ModelRef and DatasetRef")
class ModelRefTest {
    @Test
    @DisplayName("parse and print name@alias and name/N")
    void roundTrip() {
        assertThat(ModelRef.parse("rain@production")).isEqualTo(ModelRef.alias("rain", "production"));
        assertThat(ModelRef.parse("rain/3")).isEqualTo(ModelRef.version("rain", 3));
        assertThat(ModelRef.parse("rain@production").toString()).isEqualTo("rain@production");
        assertThat(ModelRef.parse("rain/3").toString()).isEqualTo("rain/3");
        assertThat(DatasetRef.parse("weather/12")).isEqualTo(new DatasetRef("weather", 12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rain", "rain@", "@prod", "rain/0", "rain/-1", "rain/03", "rain/1/2", "rain@a@b",
            "rain/x", "rain/1@a", "../rain/1", "rain/99999999999", ""})
    @DisplayName("reject anything else")
    void rejects(String text) {
        assertThatThrownBy(() -> ModelRef.parse(text)).isInstanceOf(InvalidNameException.class);
    }
}
