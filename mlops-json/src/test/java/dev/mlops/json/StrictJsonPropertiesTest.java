package dev.mlops.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ValidationException;
import dev.mlops.json.testing.JsonEdits;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Data binding round-trips any value, and a repeated key anywhere is refused naming its path. */
class StrictJsonPropertiesTest {
    record Rule(String metricName, double bound, boolean minimum) {
    }

    record Doc(int schemaVersion, String name, List<Rule> rules, Map<String, String> tags, Long rowCount) {
    }

    @Provide
    Arbitrary<Doc> docs() {
        Arbitrary<Rule> rules = Combinators.combine(Arbitraries.strings().ofMaxLength(20),
                Arbitraries.doubles().between(-1e300, 1e300), Arbitraries.of(true, false)).as(Rule::new);
        return Combinators.combine(Arbitraries.integers().between(1, 9), Arbitraries.strings().ofMaxLength(30),
                rules.list().ofMaxSize(5), Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(10),
                        Arbitraries.strings().ofMaxLength(10)).ofMaxSize(4),
                Arbitraries.longs().injectNull(0.3)).as(Doc::new);
    }

    @Property(tries = 300)
    void writtenThenReadIsEqual(@ForAll("docs") Doc doc) {
        byte[] json = StrictJson.write(doc);
        assertThat(StrictJson.read(json, Doc.class, "doc")).isEqualTo(doc);
    }

    @Property(tries = 300)
    void aRepeatedKeyIsRefusedNamingItsPath(@ForAll("docs") Doc doc, @ForAll int choice) {
        JsonEdits.Duplicate d = JsonEdits.duplicateField(StrictJson.writeString(doc), choice);
        assertThatThrownBy(() -> StrictJson.read(d.json(), Doc.class, "doc")).isInstanceOf(ValidationException.class)
                .hasMessage("doc: " + d.path() + ": the field appears twice; expected each field once in an object");
    }
}
