package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftInputs;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.drift.Verdict;
import dev.mlops.api.testing.DumpedDom;
import dev.mlops.api.testing.HeadlessChromium;
import dev.mlops.api.testing.ManualTestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real drift report in headless Chromium, checked part by part: a 56-day window of a
 * {@link DriftMonitor} on the 2012 profile of the Seattle weather, fed 2015 day by day with each
 * day's date as event time, on a profile grid of 16 cells, so that the grid's estimates are wide
 * enough for a column to be uncertain. Its screenshot is docs/images/drift-report.png (copied
 * there when {@code -Ddrift.screenshot.update=true}). Skipped without Chromium, failing on CI.
 */
class DriftReportPartsChromiumTest {

    static final Path TARGET = Path.of("target");

    HeadlessChromium chromium;

    @BeforeEach
    void findChromium() {
        chromium = HeadlessChromium.locate(TARGET);
    }

    /** The first window with an uncertain column, naming its model and data. */
    static DriftReport monitorReport() throws Exception {
        List<SeattleWeatherMonitorTest.Day> days = SeattleWeatherMonitorTest.load();
        List<SeattleWeatherMonitorTest.Day> y2012 = days.stream().filter(d -> d.date().getYear() == 2012).toList();
        List<SeattleWeatherMonitorTest.Day> y2015 = days.stream().filter(d -> d.date().getYear() == 2015).toList();
        ReferenceProfile profile = ReferenceProfile.of(SeattleWeatherMonitorTest.frame(y2012),
                ProfileOptions.builder().gridCells(16).build());
        List<DriftReport> reports = new ArrayList<>();
        DriftMonitor monitor = DriftMonitor.builder(profile).countWindow(56)
                .clock(new ManualTestClock(Instant.parse("2026-12-05T20:13:01Z"))).listener((r, s) -> reports.add(r)).build();
        for (SeattleWeatherMonitorTest.Day d : y2015) {
            monitor.observe(d.numerical(), new String[] {d.weather()}, d.date().atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        DriftReport window = reports.stream().filter(r -> !r.uncertainColumns().isEmpty()).findFirst()
                .orElseThrow(() -> new AssertionError("no window with an uncertain column among " + reports.size()));
        DriftInputs found = window.inputs();
        return window.withInputs(new DriftInputs(Optional.of("temp-max/1"), found.profile(),
                new DriftInputs.Side(Optional.of("weather-2012/1"), Optional.of("seattle-weather.csv"),
                        Optional.of(new DriftInputs.TimeRange(Instant.parse("2012-01-01T00:00:00Z"),
                                Instant.parse("2012-12-31T00:00:00Z"), true, Optional.of("date")))),
                new DriftInputs.Side(Optional.empty(), Optional.of("traffic of temp-max@production"), found.current().time())));
    }

    @Test
    void everyPartOfTheReportIsDrawn() throws Exception {
        DriftReport report = monitorReport();
        assertThat(report.inputs().current().time()).hasValueSatisfying(t -> assertThat(t.eventTime()).isTrue());
        Path page = TARGET.resolve("drift-report-parts.html");
        Files.createDirectories(TARGET);
        DriftReportHtml.write(report, page);

        HeadlessChromium.Run run = chromium.dumpDom("dump-dom-parts", page);
        assertThat(run.exitCode()).isZero();
        assertThat(run.pageErrors()).isEmpty();
        assertThat(run.pageRequests()).isEmpty();
        assertThat(DumpedDom.of(run.dom()).problems()).isEmpty();
        String dom = run.stdout();
        assertThat(dom).doesNotContainIgnoringCase("<script");

        String inputs = part(dom, "inputs");
        assertThat(inputs).contains("temp-max/1", "sha256:", "weather-2012/1", "seattle-weather.csv", "366 rows",
                "traffic of temp-max@production", "56 rows");
        DriftInputs.TimeRange t = report.inputs().current().time().orElseThrow();
        assertThat(part(dom, "current-time", "div")).contains(t.first() + " to " + t.last() + " (event time)")
                .startsWith(" id=\"current-time\"><dt>Current time range</dt><dd>2015-");

        String overview = part(dom, "summary");
        assertThat(overview).contains("<h2 id=\"summary-h\">Overview</h2>", "Dataset verdict",
                report.datasetVerdict().label(), "Dataset drift when share");

        String columns = part(dom, "columns");
        List<String> order = new ArrayList<>();
        Matcher row = Pattern.compile("<tr class=\"(\\w+)\"><td class=\"name\"><a href=\"#col-\\d+\">(.*?)</a>").matcher(columns);
        while (row.find()) {
            order.add(row.group(1));
        }
        assertThat(order).hasSize(report.columns().size());
        List<String> ranked = new ArrayList<>(order);
        ranked.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        assertThat(order).as("columns by verdict, then drift score").isEqualTo(ranked);

        assertThat(dom.split("<table class=\"stats\">", -1)).as("a stats table per column").hasSize(report.columns().size() + 1);
        assertThat(dom.split("<svg", -1)).as("a chart per column").hasSize(report.columns().size() + 1);
        assertThat(dom).contains("<th scope=\"row\">25%</th>", "<th scope=\"row\">mean</th>");

        ColumnDrift uncertain = report.columns().stream().filter(c -> c.verdict() == Verdict.UNCERTAIN).findFirst().orElseThrow();
        String section = dom.substring(dom.indexOf("<section class=\"column uncertain\""));
        section = section.substring(0, section.indexOf("</section>"));
        assertThat(section).contains(uncertain.column(), "<span class=\"badge uncertain\">uncertain</span>",
                "Statistic (estimate)", DriftReportHtml.estimate(uncertain.statistic(), uncertain.statisticInterval().orElseThrow()));

        Path png = TARGET.resolve("drift-report-parts.png").toAbsolutePath();
        Files.deleteIfExists(png);
        HeadlessChromium.Screenshot shot = chromium.screenshot("screenshot-parts", page, png, 1280, 2000);
        assertThat(shot.run().pageErrors()).isEmpty();
        assertThat(shot.bytes()).as("a drawn page, not a blank image").isGreaterThan(20_000);
        if (Boolean.getBoolean("drift.screenshot.update")) {
            Path docs = Path.of("../docs/images/drift-report.png");
            Files.createDirectories(docs.getParent());
            Files.copy(png, docs, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(TARGET.resolve("drift-report-parts-dom.html"), dom, StandardCharsets.UTF_8);
    }

    private static int rank(String verdictClass) {
        return switch (verdictClass) {
            case "drift" -> 0;
            case "uncertain" -> 1;
            case "nodrift" -> 2;
            default -> 3;
        };
    }

    /** The markup of the element with this id (a section unless told). */
    private static String part(String dom, String id) {
        return part(dom, id, "section");
    }

    private static String part(String dom, String id, String tag) {
        int start = dom.indexOf(" id=\"" + id + "\"");
        assertThat(start).as("element #" + id + " in the rendered DOM").isPositive();
        return dom.substring(start, dom.indexOf("</" + tag + ">", start));
    }
}
