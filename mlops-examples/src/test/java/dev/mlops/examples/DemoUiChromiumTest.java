package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.ModelRef;
import dev.mlops.api.PageRequest;
import dev.mlops.api.testing.DumpedDom;
import dev.mlops.api.testing.HeadlessChromium;
import dev.mlops.api.tracking.Run;
import dev.mlops.api.tracking.RunQuery;
import dev.mlops.core.Mlops;
import dev.mlops.registry.fs.FileSystemStore;
import dev.mlops.api.store.Store;
import dev.mlops.drift.FleetDrift;
import dev.mlops.ui.MlopsUi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The web UI over the store the README demo leaves: the demo logs its trainings through tracking
 * and publishes its inputs' drift windows through FleetDrift, and every page of the UI over that store loads in headless
 * Chromium without an error, with its charts drawn and its tables filled. Its screenshots,
 * {@code target/ui-demo-NAME.png}, are the ones in {@code docs/images} and {@code docs/ui.md}.
 */
@DisplayName("The web UI over the demo's store, in headless Chromium")
class DemoUiChromiumTest {
    static final Path TARGET = Path.of("target");
    static final Path OUT = TARGET.resolve("demo-ui-output");
    static Store store;
    static Mlops mlops;
    static MlopsUi.Server ui;
    static Map<String, String> pages;
    HeadlessChromium chromium;

    @BeforeEach
    void findChromiumAndRunTheDemo() throws Exception {
        chromium = HeadlessChromium.locate(TARGET);
        if (ui == null) {
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            assertThat(Demo.run(OUT.toAbsolutePath(), new PrintStream(console, true, StandardCharsets.UTF_8)))
                    .as(console.toString(StandardCharsets.UTF_8)).isTrue();
            store = FileSystemStore.open(OUT.resolve("store"));
            mlops = Mlops.builder().store(store).build();
            ui = MlopsUi.builder(mlops, store).start();
            List<Run> trainings = mlops.tracking().searchRuns(RunQuery.builder().experiment(Demo.MODEL)
                    .orderBy("attributes.start_time ASC").page(PageRequest.first(100)).build()).items();
            int production = mlops.models().resolve(ModelRef.parse(Demo.MODEL + "@production")).number();
            pages = new LinkedHashMap<>();
            pages.put("models", "/");
            pages.put("model", "/models/" + Demo.MODEL);
            pages.put("version", "/models/" + Demo.MODEL + "/versions/" + production);
            pages.put("version-refused", "/models/" + Demo.MODEL + "/versions/4");
            pages.put("lineage", "/models/" + Demo.MODEL + "/lineage");
            pages.put("card", "/models/" + Demo.MODEL + "/versions/" + production + "/card");
            pages.put("experiment", "/experiments/" + Demo.MODEL);
            pages.put("run", "/runs/" + trainings.get(0).id());
            pages.put("compare", "/compare?" + trainings.stream().map(r -> "run=" + r.id()).collect(Collectors.joining("&")));
            pages.put("drift", "/drift");
            pages.put("drift-windows", "/drift/fleets/" + Demo.fleetName(ModelRef.version(Demo.MODEL, production)));
            long first = FleetDrift.windows(store, Demo.fleetName(ModelRef.version(Demo.MODEL, 1))).get(0);
            pages.put("drift-report", "/drift/fleets/" + Demo.fleetName(ModelRef.version(Demo.MODEL, 1)) + "/windows/" + first);
            pages.put("audit", "/audit");
        }
    }

    @AfterAll
    static void stop() {
        if (ui != null) {
            ui.close();
            mlops.close();
        }
    }

    @Test
    @DisplayName("the demo tracked its 4 trainings (a 20-epoch curve each, linked to their versions) and published its inputs' drift windows")
    void theDemoTracksItsRuns() {
        List<Run> trainings = mlops.tracking().searchRuns(RunQuery.builder().experiment(Demo.MODEL)
                .page(PageRequest.first(100)).build()).items();
        assertThat(trainings).hasSize(4).allSatisfy(r -> {
            assertThat(mlops.tracking().metricHistory(r.id(), "train_mae")).hasSize(20);
            assertThat(r.models()).hasSize(1);
            assertThat(r.inputs()).hasSize(1);
            assertThat(mlops.models().version(r.models().get(0).model(), r.models().get(0).number()).lineage().run())
                    .contains(r.id());
        });
        // the monitor's inputs as fleet drift windows, one fleet per profile it compared with; each stores its profile
        List<String> fleets = FleetDrift.fleets(store, Optional.empty(), 100).items();
        assertThat(fleets).containsExactly(Demo.fleetName(ModelRef.version(Demo.MODEL, 1)),
                Demo.fleetName(ModelRef.version(Demo.MODEL, 2)), Demo.fleetName(ModelRef.version(Demo.MODEL, 3)));
        long rows = 0;
        int windows = 0;
        for (String f : fleets) {
            assertThat(FleetDrift.stored(store, f).orElseThrow().profile()).as(f).isPresent();
            for (long w : FleetDrift.windows(store, f)) {
                FleetDrift.StoredWindow sw = FleetDrift.storedWindow(store, f, w);
                assertThat(sw.damaged()).isFalse();
                assertThat(sw.parts()).extracting(FleetDrift.Part::instance).containsExactly("demo");
                rows += sw.rows();
                windows++;
            }
        }
        assertThat(rows).as("every served day, once").isEqualTo(729);
        assertThat(windows).as("729 days in 28-day windows, split where the profile changed").isBetween(27, 30);
    }

    @Test
    @DisplayName("every page loads without an error, draws its charts and tables, and is screenshot")
    void everyPage() throws Exception {
        for (Map.Entry<String, String> page : pages.entrySet()) {
            String name = "ui-demo-" + page.getKey();
            URI uri = ui.uri().resolve(page.getValue().substring(1));
            Path png = TARGET.resolve(name + ".png").toAbsolutePath();
            HeadlessChromium.Run r = chromium.run(name, uri, "--dump-dom", "--screenshot=" + png,
                    "--window-size=1200,1300", "--hide-scrollbars");
            assertThat(r.exitCode()).as("%s; stderr in target/chromium-%s.log", name, name).isZero();
            assertThat(r.pageErrors()).as(name).isEmpty();
            DumpedDom dom = DumpedDom.of(r.dom());
            assertThat(dom.problems().stream().filter(p -> !p.matches(
                    "references something outside the page: <(a|link|form) (href|action)=\"/[^\"]*\">")).toList())
                    .as(name).isEmpty();
            assertThat(r.dom()).as(name).doesNotContainIgnoringCase("<script");
            assertThat(png).as(name).isRegularFile();
            switch (page.getKey()) {
                case "run" -> assertThat(DumpedDom.text(r.dom())).contains("train_mae by step: 20 points");
                case "compare", "model" -> assertThat(dom.svgs()).as(name).isNotEmpty();
                case "drift-windows" -> assertThat(dom.svgs().get(0).drawnShapes("line")).as("drift share and threshold")
                        .hasSize(2);
                case "drift" -> assertThat(dom.tables().get(0).rows()).as("one fleet per profile").hasSize(3);
                case "lineage" -> assertThat(dom.svgs().get(0).drawnShapes("retrain")).as("3 retrains").hasSize(3);
                default -> {
                    // loads, with its tables checked above
                }
            }
        }
    }
}
