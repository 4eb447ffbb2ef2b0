package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.registry.tck.process.FootprintRun;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the demo's {@code main} as the README does, in a child JVM whose home directory,
 * temporary directory and working directory are empty, and checks that it writes only into its
 * output folder.
 */
@DisplayName("The README demo, run as a program")
class DemoFootprintTest {

    @Test
    @DisplayName("leaves nothing outside its output folder")
    void leavesNothingOutsideItsOutputFolder(@TempDir Path tmp) {
        FootprintRun run = FootprintRun.of(Demo.class, tmp, 180, "demo-output");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("audit chain: ok");

        assertThat(FootprintRun.left(run.home())).as("written under the home directory").isEmpty();
        assertThat(FootprintRun.left(run.tmp())).as("written under java.io.tmpdir").isEmpty();
        assertThat(FootprintRun.left(run.work()).stream().filter(f -> !f.startsWith("demo-output/")))
                .as("written into the working directory").containsExactly("demo-output");
        Path out = run.work().resolve("demo-output");
        assertThat(FootprintRun.left(out).stream().filter(f -> !f.contains("/")))
                .containsExactlyInAnyOrder("store", "data", "onnxruntime", "drift-report.html", "model-card.html",
                        "model-card.md");
        // paths inside the working directory are printed as the user named them
        assertThat(run.output()).contains("Store: demo-output/store", "demo-output/drift-report.html",
                "demo-output/model-card.html");
    }
}
