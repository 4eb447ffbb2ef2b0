package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The JVM options Spark needs on Java 17 are one list: the build's argLine, the argument file and docs/spark.md. */
class JavaOptionsTest {

    @Test
    void theBuildTheArgumentFileAndTheDocsGiveTheSameOptions() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<spark.addOpens>([^<]*)</spark.addOpens>").matcher(pom);
        assertThat(m.find()).isTrue();
        List<String> build = Arrays.asList(m.group(1).trim().split("\\s+"));
        List<String> file = Files.readAllLines(Path.of("java17-spark.args")).stream().filter(l -> !l.isBlank()).toList();
        String docs = Files.readString(Path.of("../docs/spark.md"));
        int start = docs.indexOf("```\n--add-opens");
        String block = docs.substring(start + 4, docs.indexOf("```", start + 4));
        List<String> documented = block.lines().filter(l -> !l.isBlank()).toList();
        assertThat(build).hasSize(15).contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        assertThat(file).isEqualTo(build);
        assertThat(documented).isEqualTo(build);
    }
}
