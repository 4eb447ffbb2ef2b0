package dev.mlops.drift;

import static dev.mlops.drift.DriftReportFixtures.CONTROL;
import static dev.mlops.drift.DriftReportFixtures.HOSTILE;
import static dev.mlops.drift.DriftReportFixtures.HOSTILE_LABEL;
import static dev.mlops.drift.DriftReportFixtures.QUOTES;
import static dev.mlops.drift.DriftReportFixtures.UNICODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.StorageException;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.DriftInputs;
import dev.mlops.api.drift.DriftReport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The HTML drift report: escaping, structure, self-containment, determinism, files. */
class DriftReportHtmlTest {

    /** Parses the page with the JDK's XML parser: the markup must be well-formed. */
    static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        f.setValidating(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> select(Node root, String xpath) throws Exception {
        XPath xp = XPathFactory.newInstance().newXPath();
        NodeList nodes = (NodeList) xp.evaluate(xpath, root, XPathConstants.NODESET);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    static List<Element> allElements(Document doc) throws Exception {
        return select(doc, "//*");
    }

    @Nested
    class Escaping {

        @Test
        void escapesTheFiveMarkupCharacters() {
            assertThat(HtmlText.escape("&<>\"'")).isEqualTo("&amp;&lt;&gt;&quot;&#39;");
            assertThat(HtmlText.escape(HOSTILE)).isEqualTo("&lt;script&gt;alert(1)&lt;/script&gt;");
            assertThat(HtmlText.escape("a&amp;b")).isEqualTo("a&amp;amp;b");
        }

        @Test
        void leavesOrdinaryTextAndUnicodeAlone() {
            assertThat(HtmlText.escape("")).isEmpty();
            assertThat(HtmlText.escape("temp_max-2.5 (°C)")).isEqualTo("temp_max-2.5 (°C)");
            assertThat(HtmlText.escape(UNICODE)).isEqualTo(UNICODE);
            assertThat(HtmlText.escape("\uD83C\uDF27")).isEqualTo("\uD83C\uDF27");
        }

        @Test
        void controlCharactersBecomeVisibleSymbols() {
            assertThat(HtmlText.escape("a\u0000b\tc\nd\re\u001bf\u007fg")).isEqualTo(
                    "a\u2400b\u2409c\u240Ad\u240De\u241Bf\u2421g");
            assertThat(HtmlText.escape("x\u0085y\u009fz")).isEqualTo("x\uFFFDy\uFFFDz");
        }

        @Test
        void invalidUtf16AndNoncharactersBecomeReplacementCharacters() {
            assertThat(HtmlText.escape("a\uD83Cb")).isEqualTo("a\uFFFDb");
            assertThat(HtmlText.escape("a\uDF27b")).isEqualTo("a\uFFFDb");
            assertThat(HtmlText.escape("end\uD83C")).isEqualTo("end\uFFFD");
            assertThat(HtmlText.escape("\uFFFE\uFFFF\uFDD0")).isEqualTo("\uFFFD\uFFFD\uFFFD");
        }

        @Test
        void everyCharacterOutputIsSafeInTextAndQuotedAttributes() {
            StringBuilder all = new StringBuilder();
            for (char c = 0; c < 0x300; c++) {
                all.append(c);
            }
            String escaped = HtmlText.escape(all.toString());
            assertThat(escaped).doesNotContain("<", ">", "\"", "'");
            assertThat(escaped.replaceAll("&(amp|lt|gt|quot|#39);", "")).doesNotContain("&");
            assertThat(escaped.chars().filter(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f))).isEmpty();
        }

        @Test
        void shortenCutsByCodePointsWithAnEllipsis() {
            assertThat(HtmlText.shorten("abc", 3)).isEqualTo("abc");
            assertThat(HtmlText.shorten("abcd", 3)).isEqualTo("ab\u2026");
            assertThat(HtmlText.shorten("🌧🌧🌧🌧", 3)).isEqualTo("🌧🌧\u2026");
        }
    }

    @Nested
    class Numbers {

        @Test
        void fourSignificantDigitsPlainOrScientific() {
            assertThat(HtmlText.number(0.123456)).isEqualTo("0.1235");
            assertThat(HtmlText.number(0.05)).isEqualTo("0.05");
            assertThat(HtmlText.number(1.0)).isEqualTo("1");
            assertThat(HtmlText.number(-2.5)).isEqualTo("-2.5");
            assertThat(HtmlText.number(0.0)).isEqualTo("0");
            assertThat(HtmlText.number(-0.0)).isEqualTo("0");
            assertThat(HtmlText.number(1234.5678)).isEqualTo("1235");
            assertThat(HtmlText.number(0.00012345)).isEqualTo("0.0001234");
            assertThat(HtmlText.number(1.5e-7)).isEqualTo("1.5e-7");
            assertThat(HtmlText.number(3.14159e-300)).isEqualTo("3.142e-300");
            assertThat(HtmlText.number(12_345_678)).isEqualTo("1.235e7");
            assertThat(HtmlText.number(Double.MIN_VALUE)).isEqualTo("4.941e-324");
        }

        @Test
        void nonFiniteNumbersAreWords() {
            assertThat(HtmlText.number(Double.NaN)).isEqualTo("NaN");
            assertThat(HtmlText.number(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
            assertThat(HtmlText.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
            assertThat(HtmlText.percent(Double.NaN)).isEqualTo("NaN");
        }

        @Test
        void percentages() {
            assertThat(HtmlText.percent(0.5)).isEqualTo("50%");
            assertThat(HtmlText.percent(0.12345)).isEqualTo("12.3%");
            assertThat(HtmlText.percent(1.0)).isEqualTo("100%");
            assertThat(HtmlText.percent(0.0)).isEqualTo("0%");
            assertThat(HtmlText.percent(1e-5)).isEqualTo("0.001%");
        }

        @Test
        void coordinatesHaveAtMostOneDecimalAndNeverNaN() {
            StringBuilder sb = new StringBuilder();
            for (double v : new double[] {0, 12.34, 12.35, -3.06, 100, Double.NaN, Double.POSITIVE_INFINITY}) {
                HtmlText.coordinate(sb, v);
                sb.append(' ');
            }
            assertThat(sb.toString()).isEqualTo("0 12.3 12.4 -3.1 100 0 0 ");
        }

        @Test
        void theYAxisIsARoundScaleAboveTheLargestDrawableShare() {
            assertThat(DistributionSvg.scale(DriftReportFixtures.categorical(List.of("a", "b"),
                    new double[] {0.37, 0.63}, new double[] {0.5, 0.5}))).satisfies(s -> {
                        assertThat(s.top()).isCloseTo(0.8, Offset.offset(1e-12));
                        assertThat(s.step()).isCloseTo(0.2, Offset.offset(1e-12));
                        assertThat(s.ticks()).isEqualTo(4);
                    });
            assertThat(DistributionSvg.scale(DriftReportFixtures.categorical(List.of("a"),
                    new double[] {Double.NaN}, new double[] {Double.POSITIVE_INFINITY})).top()).isEqualTo(1.0);
            assertThat(DistributionSvg.scale(DriftReportFixtures.categorical(List.of("a", "b"),
                    new double[] {0.02, 0.01}, new double[] {0.0, 0.03})).top()).isCloseTo(0.03, Offset.offset(1e-12));
            assertThat(DistributionSvg.scale(DriftReportFixtures.categorical(List.of("a"),
                    new double[] {1.0}, new double[] {1.0})).ticks()).isEqualTo(5);
        }
    }

    @Nested
    class Structure {

        final DriftReport report = DriftReportFixtures.sample();
        final String html = DriftReportHtml.render(report);

        @Test
        void isWellFormedHtml5WithDoctypeLanguageAndCharset() throws Exception {
            assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>");
            Document doc = parse(html);
            assertThat(doc.getDocumentElement().getTagName()).isEqualTo("html");
            assertThat(select(doc, "/html/head/title")).singleElement()
                    .satisfies(t -> assertThat(t.getTextContent()).isEqualTo("Drift report: dataset drift"));
        }

        @Test
        void oneSectionWithAChartPerColumnDriftedFirstInReportOrder() throws Exception {
            Document doc = parse(html);
            List<Element> sections = select(doc, "//section[contains(@class,'column')]");
            assertThat(sections).hasSize(report.columns().size());
            List<String> names = new ArrayList<>();
            for (Element s : sections) {
                names.add(select(s, "h2/span[@class='name']").get(0).getTextContent());
                assertThat(select(s, ".//svg")).as(s.getAttribute("id")).hasSize(1);
                assertThat(select(s, ".//svg/title")).hasSize(1);
                assertThat(select(s, ".//svg/desc")).hasSize(1);
            }
            // by verdict (drift, uncertain, no drift, not compared), then drift score: psi at infinity,
            // the test's log p / log threshold = 4.9, the distance's 0.2346 / 0.1; ties by name
            assertThat(names).containsExactly(CONTROL.replace('\t', '\u2409').replace('\u0001', '\u2401')
                    .replace('\u007f', '\u2421'), HOSTILE, UNICODE, "precipitation", "constant", "weather", "empty_col");
            assertThat(sections.subList(0, 3)).allSatisfy(s -> assertThat(s.getAttribute("class")).isEqualTo("column drift"));
            assertThat(sections.get(3).getAttribute("class")).isEqualTo("column uncertain");
            assertThat(sections.subList(4, 6)).allSatisfy(s -> assertThat(s.getAttribute("class")).isEqualTo("column nodrift"));
            assertThat(sections.get(6).getAttribute("class")).isEqualTo("column notcompared");
        }

        @Test
        void theOverviewLinksEveryRowToItsSection() throws Exception {
            Document doc = parse(html);
            List<Element> rows = select(doc, "//table[@class='overview']/tbody/tr");
            List<Element> sections = select(doc, "//section[contains(@class,'column')]");
            assertThat(rows).hasSize(sections.size());
            for (int i = 0; i < rows.size(); i++) {
                Element link = select(rows.get(i), "td/a").get(0);
                assertThat(link.getAttribute("href")).isEqualTo("#" + sections.get(i).getAttribute("id"));
                assertThat(link.getTextContent())
                        .isEqualTo(select(sections.get(i), "h2/span[@class='name']").get(0).getTextContent());
            }
        }

        @Test
        void idsAreUniqueAndEveryAriaReferenceResolves() throws Exception {
            Document doc = parse(html);
            Set<String> ids = new HashSet<>();
            for (Element e : allElements(doc)) {
                if (e.hasAttribute("id")) {
                    assertThat(ids.add(e.getAttribute("id"))).as("duplicate id " + e.getAttribute("id")).isTrue();
                }
            }
            for (Element e : select(doc, "//*[@aria-labelledby]")) {
                for (String ref : e.getAttribute("aria-labelledby").split(" ")) {
                    assertThat(ids).contains(ref);
                }
            }
            for (Element a : select(doc, "//a")) {
                assertThat(ids).contains(a.getAttribute("href").substring(1));
            }
        }

        @Test
        void theSummaryShowsVerdictShareRowsCorrectionAndWindow() throws Exception {
            Document doc = parse(html);
            assertThat(select(doc, "//p[@id='dataset-verdict']").get(0).getTextContent()).isEqualTo("Dataset drift detected");
            String summary = facts(select(doc, "//section[@id='summary']").get(0));
            assertThat(select(doc, "//section[@id='summary']/h2").get(0).getTextContent()).isEqualTo("Overview");
            assertThat(summary).contains("Dataset verdict=drift")
                    .contains("Drift share=between 50% and 66.7% (uncertain columns counted as not drifted, then as"
                            + " drifted); 3 drifted, 1 uncertain, 2 not drifted of 6 columns with a verdict")
                    .contains("Dataset drift when share \u2265=50%")
                    .contains("Reference rows=1,000").contains("Current rows=1,000").contains("Columns compared=7")
                    .contains("Multiple-testing correction=benjamini-hochberg")
                    .contains("Monitor window=#42, processed 2024-05-06T06:00:00Z to 2024-05-06T07:00:00Z (end exclusive)")
                    .contains("Computed at=2024-05-06T07:08:09.123Z");
        }

        @Test
        void anExactResultFromAProfileSaysSoInsteadOfABoundOfZero() throws Exception {
            ReferenceProfile profile = ReferenceProfile.of(DriftAnalysisTest.strings("weather", "rain", "sun", "rain", "fog"));
            DriftReport r = profile.compare(DriftAnalysisTest.strings("weather", "sun", "sun", "sun", "rain"));
            assertThat(r.columns().get(0).errorBound()).hasValue(0.0);
            String facts = facts(section(parse(DriftReportHtml.render(r)), "weather"));
            assertThat(facts).contains("Estimated from=nothing: exact counts from the profile").doesNotContain("\u00b1", "\u2248");
        }

        @Test
        void withoutWindowTheSummaryHasNoWindow() throws Exception {
            DriftReport r = DriftReportFixtures.large(2, 3);
            Document doc = parse(DriftReportHtml.render(r));
            String summary = facts(select(doc, "//section[@id='summary']").get(0));
            assertThat(summary).doesNotContain("Window").contains("Multiple-testing correction=none");
            assertThat(select(doc, "//p[@id='dataset-verdict']").get(0).getTextContent()).isEqualTo("No dataset drift");
        }

        @Test
        void aSectionShowsEveryFieldOfItsColumn() throws Exception {
            Document doc = parse(html);
            Element hostile = section(doc, HOSTILE);
            String facts = facts(hostile);
            assertThat(facts).contains("Kind=categorical", "Method=" + QUOTES, "Statistic=12.5", "p-value=1.5e-7",
                    "Adjusted p-value=4.5e-7", "Threshold=drift when adjusted p-value < 0.05", "Verdict=drift",
                    "Missing share=reference 0%, current 0%", "Values compared=reference 1,000, current 1,000",
                    "Error bound=\u00b1 0.0125 (statistic from sketches)");
            assertThat(select(hostile, "p[@class='note']").get(0).getTextContent())
                    .isEqualTo("Note: " + HOSTILE + " " + QUOTES);
            assertThat(select(hostile, ".//dd[@title]").get(0).getAttribute("title")).isEqualTo("12.5");

            String distance = facts(section(doc, UNICODE));
            assertThat(distance).contains("Method=wasserstein_norm", "Statistic=0.2346",
                    "p-value=\u2014 (a distance, not a test)", "Threshold=drift when statistic \u2265 0.1",
                    "Missing share=reference 1%, current 12.5%", "Values compared=reference 990, current 875");
            assertThat(distance).doesNotContain("Adjusted", "Error bound", "Estimated from", "\u2248");
            assertThat(facts(section(doc, "weather"))).contains("Threshold=drift when adjusted p-value < 0.05",
                    "Verdict=no drift");
        }

        @Test
        void nanAndInfiniteValuesAreTextAndNeverReachTheSvg() throws Exception {
            Document doc = parse(html);
            assertThat(facts(section(doc, "empty_col"))).contains("Statistic=NaN", "p-value=NaN");
            Element control = section(doc, CONTROL.replace('\t', '\u2409').replace('\u0001', '\u2401')
                    .replace('\u007f', '\u2421'));
            assertThat(facts(control)).contains("Statistic=Infinity");
            assertThat(select(control, ".//svg//title").stream().map(Element::getTextContent))
                    .contains("[1, 2): reference NaN, current 100%", "[2, 3): reference Infinity, current -Infinity");
            Pattern numeric = Pattern.compile("-?\\d+(\\.\\d)?");
            for (Element svg : select(doc, "//svg")) {
                for (Element e : select(svg, "descendant-or-self::*")) {
                    for (String a : List.of("x", "y", "x1", "x2", "y1", "y2", "width", "height")) {
                        if (e.hasAttribute(a)) {
                            assertThat(e.getAttribute(a)).as(a).matches(numeric);
                        }
                    }
                    if (e.hasAttribute("viewBox")) {
                        assertThat(e.getAttribute("viewBox")).matches("0 0 \\d+ \\d+");
                    }
                    if (e.hasAttribute("transform")) {
                        assertThat(e.getAttribute("transform")).matches("rotate\\(-?\\d+ [\\d.]+ [\\d.]+\\)");
                    }
                }
            }
            // negative, NaN and infinite shares draw no bar: the control column has bars for 0.5 and 1.0 only
            assertThat(select(control, ".//svg//g[@class='bars']//rect")).hasSize(2);
        }

        @Test
        void anEmptyDistributionStillHasAnAccessibleChart() throws Exception {
            Document doc = parse(html);
            Element empty = section(doc, "empty_col");
            Element svg = select(empty, ".//svg").get(0);
            assertThat(svg.getTextContent()).contains("no distribution data");
            assertThat(select(svg, "desc").get(0).getTextContent()).isEqualTo("No distribution data for this column.");
            assertThat(select(empty, ".//details")).isEmpty();
            assertThat(select(empty, "p[@class='note']").get(0).getTextContent())
                    .isEqualTo("Note: every current value is missing: nothing to compare");
        }

        @Test
        void chartsHaveAxesLegendAndOneTooltipPerBin() throws Exception {
            Document doc = parse(html);
            Element weather = section(doc, "weather");
            Element svg = select(weather, ".//svg").get(0);
            assertThat(svg.getAttribute("role")).isEqualTo("img");
            assertThat(select(svg, "title").get(0).getTextContent()).isEqualTo("Distribution of weather: reference vs current");
            assertThat(select(svg, "desc").get(0).getTextContent())
                    .contains("5 categories").contains("Largest difference: rain, reference 44%, current 40%.");
            assertThat(select(svg, "g[@class='legend']/text").stream().map(Element::getTextContent))
                    .containsExactly("reference", "current");
            assertThat(select(svg, "g[@class='legend']/rect").stream().map(e -> e.getAttribute("class")))
                    .containsExactly("ref", "cur");
            assertThat(select(svg, ".//text[@class='title']").stream().map(Element::getTextContent))
                    .containsExactly("share of values", "category");
            assertThat(select(svg, "g[@class='axis']/text[@text-anchor='end']").stream().map(Element::getTextContent))
                    .containsExactly("0%", "10%", "20%", "30%", "40%", "50%");
            List<Element> bins = select(svg, "g[@class='bars']/g");
            assertThat(bins).hasSize(5);
            assertThat(select(bins.get(2), "title").get(0).getTextContent()).isEqualTo("rain: reference 44%, current 40%");
            assertThat(select(bins.get(2), "rect")).extracting(e -> e.getAttribute("class")).containsExactly("ref", "cur");
            assertThat(select(weather, ".//details/table/tbody/tr")).hasSize(5);

            Element numeric = select(section(doc, UNICODE), ".//svg").get(0);
            assertThat(select(numeric, ".//text[@class='title']").get(1).getTextContent()).isEqualTo("bin");
            List<Element> xLabels = select(numeric, "g[@class='axis'][2]/text[not(@class)]");
            assertThat(xLabels).hasSize(8).allSatisfy(t -> assertThat(t.hasAttribute("transform")).isFalse());
            assertThat(xLabels.get(0).getTextContent()).isEqualTo("[-5, -2.5)");
        }

        @Test
        void barHeightsAreProportionalToShares() throws Exception {
            Document doc = parse(html);
            List<Element> bins = select(section(doc, "weather"), ".//svg/g[@class='bars']/g");
            double sun = Double.parseDouble(select(bins.get(4), "rect[@class='ref']").get(0).getAttribute("height"));
            double rain = Double.parseDouble(select(bins.get(2), "rect[@class='ref']").get(0).getAttribute("height"));
            assertThat(sun / rain).isCloseTo(0.42 / 0.44, Offset.offset(0.01));
            double ySun = Double.parseDouble(select(bins.get(4), "rect[@class='ref']").get(0).getAttribute("y"));
            assertThat(ySun + sun).isCloseTo(224, Offset.offset(0.11)); // bars stand on the axis
        }

        @Test
        void manyBinsGetThinnedRotatedLabels() throws Exception {
            Document doc = parse(DriftReportHtml.render(DriftReportFixtures.large(1, 50)));
            Element svg = select(doc, "//svg").get(0);
            assertThat(select(svg, "g[@class='bars']/g")).hasSize(50);
            assertThat(select(svg, "g[@class='axis']/text[@transform and not(@class)]")).hasSize(25);
            assertThat(select(svg, ".//text[@class='title']").get(1).getTextContent()).isEqualTo("bin (1 label in 2 shown)");
        }

        @Test
        void aReportWithoutColumnsRenders() throws Exception {
            DriftReport empty = new DriftReport(DriftReportFixtures.CREATED, 0, 0, List.of(), 0, 0.5, false, "none",
                    Optional.empty());
            Document doc = parse(DriftReportHtml.render(empty));
            assertThat(select(doc, "//section[contains(@class,'column')]")).isEmpty();
            assertThat(select(doc, "//table[@class='overview']/tbody/tr/td").get(0).getTextContent())
                    .isEqualTo("No columns were compared.");
        }

        @Test
        void theInputsNameModelProfileDataSetsFilesRowsAndTimeRanges() throws Exception {
            Document doc = parse(html);
            assertThat(select(doc, "//main/section").get(0).getAttribute("id")).as("the inputs come first").isEqualTo("inputs");
            String inputs = facts(select(doc, "//section[@id='inputs']").get(0));
            assertThat(inputs).contains("Model=temp-max/1", "Reference profile=sha256:6f1e0c",
                    "Reference data=data set weather-2012/1, file weather-2012.csv; 1,000 rows",
                    "Reference time range=2012-01-01T00:00:00Z to 2012-12-31T00:00:00Z (event time, column date)",
                    "Current data=file " + HOSTILE + ".csv; 1,000 rows",
                    "Current time range=2015-11-04T00:00:00Z to 2015-12-29T00:00:00Z (event time, column " + QUOTES + ")");
            assertThat(html).doesNotContain("<script>");
        }

        @Test
        void aMonitorWindowShowsTheRowsEventTimesOrSaysItHasOnlyProcessingTime() throws Exception {
            ReferenceProfile profile = ReferenceProfile.of(DriftAnalysisTest.strings("weather", "rain", "sun", "rain", "fog"));
            dev.mlops.api.testing.ManualTestClock clock = new dev.mlops.api.testing.ManualTestClock(
                    Instant.parse("2026-12-05T20:13:01Z"));
            List<DriftReport> reports = new ArrayList<>();
            DriftMonitor monitor = DriftMonitor.builder(profile).clock(clock).countWindow(2)
                    .listener((r, w) -> reports.add(r)).build();
            monitor.observe(new double[0], new String[] {"sun"});
            monitor.observe(new double[0], new String[] {"rain"});
            monitor.observe(new double[0], new String[] {"sun"}, Instant.parse("2015-12-29T00:00:00Z"));
            monitor.observe(new double[0], new String[] {"fog"}, Instant.parse("2015-11-04T00:00:00Z"));
            // a service's observer takes the event time from each input
            dev.mlops.api.serving.InputObserver<String> observer = monitor.observer((String w, double[] n, String[] c) -> c[0] = w,
                    w -> w.equals("rain") ? Instant.parse("2016-01-02T00:00:00Z") : Instant.parse("2016-01-01T00:00:00Z"));
            observer.observe("rain");
            observer.observe("sun");
            assertThat(reports).hasSize(3);
            assertThat(facts(select(parse(DriftReportHtml.render(reports.get(2))), "//section[@id='inputs']").get(0)))
                    .contains("Current time range=2016-01-01T00:00:00Z to 2016-01-02T00:00:00Z (event time)");
            String processing = facts(select(parse(DriftReportHtml.render(reports.get(0))), "//section[@id='inputs']").get(0));
            assertThat(processing).contains("Current time range=2026-12-05T20:13:01Z to 2026-12-05T20:13:01Z"
                    + " (processing time: no event time was given)").contains("Reference profile=sha256:" + profile.sha256());
            String event = facts(select(parse(DriftReportHtml.render(reports.get(1))), "//section[@id='inputs']").get(0));
            assertThat(event).contains("Current time range=2015-11-04T00:00:00Z to 2015-12-29T00:00:00Z (event time)");
        }

        @Test
        void aWindowReadBackKeepsItsEventTimesAndAVersion1WindowHasNone() throws Exception {
            ReferenceProfile profile = ReferenceProfile.of(DriftAnalysisTest.strings("weather", "rain", "sun", "rain", "fog"));
            List<WindowState> states = new ArrayList<>();
            DriftMonitor monitor = DriftMonitor.builder(profile).countWindow(2)
                    .listener((r, w) -> states.add(w)).build();
            monitor.observe(new double[0], new String[] {"sun"}, Instant.parse("2015-12-29T00:00:00Z"));
            monitor.observe(new double[0], new String[] {"fog"}, Instant.parse("2015-11-04T00:00:00Z"));
            String json = states.get(0).toJson();
            assertThat(json).contains("\"schema_version\":2", "\"event_time\":{\"first\":\"2015-11-04T00:00:00Z\"");
            WindowState back = WindowState.fromJson(json, profile);
            assertThat(back).isEqualTo(states.get(0));
            DriftInputs.TimeRange time = monitor.report(back).inputs().current().time().orElseThrow();
            assertThat(time.eventTime()).isTrue();
            assertThat(time.first()).isEqualTo(Instant.parse("2015-11-04T00:00:00Z"));
            assertThat(time.last()).isEqualTo(Instant.parse("2015-12-29T00:00:00Z"));
            // a version 1 window (before event times were kept) is still read; with the key it is refused
            String v1 = json.replace("\"schema_version\":2", "\"schema_version\":1")
                    .replaceAll(",\"event_time\":\\{[^}]*\\}", "");
            assertThat(monitor.report(WindowState.fromJson(v1, profile)).inputs().current().time().orElseThrow().eventTime())
                    .isFalse();
            assertThatThrownBy(() -> WindowState.fromJson(json.replace("\"schema_version\":2", "\"schema_version\":1"), profile))
                    .isInstanceOf(dev.mlops.api.ValidationException.class).hasMessageContaining("event_time");
            assertThatThrownBy(() -> WindowState.fromJson(json.replace("\"first\":\"2015-11-04", "\"first\":\"2016-11-04"),
                    profile)).isInstanceOf(dev.mlops.api.ValidationException.class).hasMessageContaining("is after last");
        }

        @Test
        void anEstimateIsPrintedAsAnEstimateWithItsIntervalAndTheVerdictUncertain() throws Exception {
            Document doc = parse(html);
            Element precipitation = section(doc, "precipitation");
            assertThat(precipitation.getAttribute("class")).isEqualTo("column uncertain");
            assertThat(select(precipitation, "h2/span[@class='badge uncertain']").get(0).getTextContent()).isEqualTo("uncertain");
            String facts = facts(precipitation);
            assertThat(facts).contains("Statistic (estimate)=\u2248 0.32 [0.13, 0.52]",
                    "p-value (estimate)=\u2248 5.1e-5 [1.2e-12, 0.21]", "Verdict=uncertain (the estimate's interval"
                            + " straddles the threshold: drift for some values in it, none for others)")
                    .doesNotContain("Statistic=", "p-value=", "Verdict=drift", "Verdict=no drift");
            Element row = select(doc, "//table[@class='overview']/tbody/tr[td/a='precipitation']").get(0);
            assertThat(row.getAttribute("class")).isEqualTo("uncertain");
            assertThat(select(row, "td").stream().map(Element::getTextContent)).contains("\u2248 0.32 [0.13, 0.52]",
                    "\u2248 5.1e-5 [1.2e-12, 0.21]", "uncertain");
            // an exact result keeps its plain number
            assertThat(facts(section(doc, UNICODE))).contains("Statistic=0.2346").doesNotContain("\u2248");
        }

        @Test
        void eachColumnShowsReferenceAndCurrentSummariesSideBySide() throws Exception {
            Document doc = parse(html);
            assertThat(statsRows(section(doc, UNICODE))).containsExactly("count|990|875", "missing|10|125",
                    "mean|16.4|18.1", "std|7.2|7.9", "min|-1.6|2.2", "25%|10.6|12.2", "50%|15.6|17.2", "75%|22.2|23.9",
                    "max|35.6|35");
            assertThat(statsRows(section(doc, "precipitation"))).contains("mean|3.35|\u2014", "25%|\u2248 0|\u2248 0.3",
                    "75%|\u2248 3.8|\u2248 10.2");
            assertThat(statsRows(section(doc, "weather"))).contains("count|990|875", "share of rain|44% (436)|40% (350)",
                    "share of sun|42% (416)|44% (385)", "share of snow|1.92% (19)|2.97% (26)");
        }

        List<String> statsRows(Element section) throws Exception {
            List<String> rows = new ArrayList<>();
            for (Element tr : select(section, ".//table[@class='stats']/tbody/tr")) {
                rows.add(select(tr, "th").get(0).getTextContent() + "|" + select(tr, "td").get(0).getTextContent() + "|"
                        + select(tr, "td").get(1).getTextContent());
            }
            return rows;
        }

        String facts(Element scope) throws Exception {
            StringBuilder sb = new StringBuilder();
            for (Element div : select(scope, "dl/div")) {
                sb.append(select(div, "dt").get(0).getTextContent()).append('=')
                        .append(select(div, "dd").get(0).getTextContent()).append('\n');
            }
            return sb.toString();
        }

        Element section(Document doc, String name) throws Exception {
            for (Element s : select(doc, "//section[contains(@class,'column')]")) {
                if (select(s, "h2/span[@class='name']").get(0).getTextContent().equals(name)) {
                    return s;
                }
            }
            throw new AssertionError("no section for " + name);
        }
    }

    @Nested
    class HostileInput {

        final String html = DriftReportHtml.render(DriftReportFixtures.sample());

        @Test
        void hostileNamesAndLabelsAreTextNeverMarkup() throws Exception {
            assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img")
                    .doesNotContain("<b>").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                    .contains("&lt;img src=x onerror=alert(2)&gt;");
            Document doc = parse(html);
            assertThat(select(doc, "//script | //img | //b | //iframe | //object | //embed | //link")).isEmpty();
            for (Element e : allElements(doc)) {
                NamedNodeMap attrs = e.getAttributes();
                for (int i = 0; i < attrs.getLength(); i++) {
                    String name = ((Attr) attrs.item(i)).getName().toLowerCase(Locale.ROOT);
                    assertThat(name).as("event handler attribute on <" + e.getTagName() + ">").doesNotStartWith("on");
                    assertThat(name).isNotIn("src", "srcset", "xlink:href", "style", "background", "action");
                }
            }
            // the names come back exactly when the markup is parsed: escaped, not altered
            assertThat(doc.getDocumentElement().getTextContent()).contains(HOSTILE, HOSTILE_LABEL, QUOTES, UNICODE);
        }

        @Test
        void labelsInAttributesCannotBreakOut() throws Exception {
            // every attribute value the renderer writes is either fixed, numeric, an id or an escaped report string
            Matcher m = Pattern.compile("\\s([a-zA-Z:-]+)=\"([^\"]*)\"").matcher(html);
            int attributes = 0;
            while (m.find()) {
                attributes++;
                assertThat(m.group(2)).doesNotContain("<", ">");
            }
            assertThat(attributes).isGreaterThan(100);
        }

        @Test
        void nothingExternalIsReferenced() throws Exception {
            // a page without report strings that could mention URLs: the whole text is checked
            String plain = DriftReportHtml.render(DriftReportFixtures.large(3, 5)).toLowerCase(Locale.ROOT);
            assertThat(plain).doesNotContain("http://", "https://", "src=", "url(", "@import", "<link", "//cdn",
                    "@font-face", "<script", "<iframe", "<object", "<embed", "data:", "xlink");
            // the hostile page: text may mention anything, tags may not (text never holds a raw '<')
            Matcher tags = Pattern.compile("<[^>]*>").matcher(html);
            int count = 0;
            while (tags.find()) {
                count++;
                assertThat(tags.group().toLowerCase(Locale.ROOT)).doesNotContain("http:", "https:", "src=", "url(",
                        "javascript:", "data:", "<script", "onerror");
            }
            assertThat(count).isGreaterThan(500);
            Document doc = parse(html);
            for (Element a : select(doc, "//*[@href]")) {
                assertThat(a.getAttribute("href")).startsWith("#");
            }
            assertThat(select(doc, "/html/head/meta[@http-equiv='Content-Security-Policy']").get(0).getAttribute("content"))
                    .startsWith("default-src 'none'; style-src 'unsafe-inline'");
        }

        @Test
        void aUrlAsAColumnNameStaysText() throws Exception {
            ColumnDrift c = DriftReportFixtures.column("https://evil.example/x.js", ColumnKind.NUMERICAL, "ks", 0.1,
                    OptionalDouble.of(0.5), OptionalDouble.empty(), 0.05, false, Optional.empty(),
                    DriftReportFixtures.categorical(List.of("javascript:alert(1)"), new double[] {1}, new double[] {1}));
            String page = DriftReportHtml.render(new DriftReport(DriftReportFixtures.CREATED, 1, 1, List.of(c), 0, 0.5,
                    false, "none", Optional.empty()));
            Document doc = parse(page);
            for (Element e : allElements(doc)) {
                NamedNodeMap attrs = e.getAttributes();
                for (int i = 0; i < attrs.getLength(); i++) {
                    assertThat(attrs.item(i).getNodeValue()).doesNotContain("evil.example", "javascript:");
                }
            }
            assertThat(doc.getDocumentElement().getTextContent()).contains("https://evil.example/x.js");
        }
    }

    @Nested
    class Determinism {

        @Test
        void equalReportsGiveIdenticalBytes() {
            String a = DriftReportHtml.render(DriftReportFixtures.sample());
            String b = DriftReportHtml.render(DriftReportFixtures.sample());
            assertThat(b).isEqualTo(a);
            assertThat(DriftReportHtml.render(DriftReportFixtures.large(20, 10)))
                    .isEqualTo(DriftReportHtml.render(DriftReportFixtures.large(20, 10)));
        }

        @Test
        void theDefaultLocaleDoesNotMatter() {
            Locale saved = Locale.getDefault();
            try {
                Locale.setDefault(Locale.ROOT);
                String root = DriftReportHtml.render(DriftReportFixtures.sample());
                for (Locale l : List.of(Locale.GERMANY, Locale.forLanguageTag("ar-EG"), Locale.forLanguageTag("hi-IN"),
                        Locale.forLanguageTag("fr-CH"), Locale.forLanguageTag("th-TH-u-nu-thai"))) {
                    Locale.setDefault(l);
                    assertThat(DriftReportHtml.render(DriftReportFixtures.sample())).as(l.toLanguageTag()).isEqualTo(root);
                }
            } finally {
                Locale.setDefault(saved);
            }
        }

        /**
         * Snapshot of the sample page (the test runs in the module directory, as Surefire does).
         * After a deliberate layout change, check target/drift-report-sample.actual.html and
         * update the snapshot with {@code -Ddrift.html.update=true}.
         */
        @Test
        void theSamplePageMatchesItsSnapshot() throws Exception {
            String html = DriftReportHtml.render(DriftReportFixtures.sample());
            Path snapshot = Path.of("src/test/resources/drift-report-sample.html");
            if (Boolean.getBoolean("drift.html.update")) {
                Files.writeString(snapshot, html, StandardCharsets.UTF_8);
            }
            assertThat(snapshot).as("snapshot (create it with -Ddrift.html.update=true)").isRegularFile();
            String expected = Files.readString(snapshot, StandardCharsets.UTF_8);
            if (!html.equals(expected)) {
                Path actual = Path.of("target/drift-report-sample.actual.html");
                Files.createDirectories(actual.getParent());
                Files.writeString(actual, html, StandardCharsets.UTF_8);
            }
            assertThat(html).as("rendered sample vs " + snapshot + " (actual page written to"
                    + " target/drift-report-sample.actual.html)").isEqualTo(expected);
        }
    }

    @Nested
    class Size {

        @Test
        void twoHundredColumnsOfFiftyBinsStayCompactAndWellFormed() throws Exception {
            DriftReport big = DriftReportFixtures.large(200, 50);
            String html = DriftReportHtml.render(big);
            int bytes = html.getBytes(StandardCharsets.UTF_8).length;
            assertThat(bytes).as("page size").isLessThan(5_000_000);
            Document doc = parse(html);
            assertThat(select(doc, "//section[contains(@class,'column')]")).hasSize(200);
            assertThat(select(doc, "//svg")).hasSize(200);
            assertThat(select(doc, "//svg/g[@class='bars']/g")).hasSize(200 * 50);
        }
    }

    @Nested
    class Files_ {

        @Test
        void writeStoresTheRenderedPageAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("report.html");
            Files.writeString(file, "old");
            DriftReportHtml.write(DriftReportFixtures.sample(), file);
            assertThat(Files.readAllBytes(file))
                    .isEqualTo(DriftReportHtml.render(DriftReportFixtures.sample()).getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("report.html");
            }
        }

        @Test
        void aSymbolicLinkIsRefusedAndLeftAsItWas(@TempDir Path dir) throws Exception {
            Path input = Files.writeString(dir.resolve("reference.csv"), "a\n1\n");
            Path link = Files.createSymbolicLink(dir.resolve("report.html"), input);
            assertThatThrownBy(() -> DriftReportHtml.write(DriftReportFixtures.sample(), link))
                    .isInstanceOf(dev.mlops.api.ValidationException.class)
                    .hasMessageContaining("cannot write the drift report to").hasMessageContaining("symbolic link");
            assertThat(Files.isSymbolicLink(link)).isTrue();
            assertThat(Files.readString(input)).isEqualTo("a\n1\n");
        }

        @Test
        void aDirectoryIsRefused(@TempDir Path dir) {
            assertThatThrownBy(() -> DriftReportHtml.write(DriftReportFixtures.sample(), dir))
                    .isInstanceOf(dev.mlops.api.ValidationException.class).hasMessageContaining("is a directory");
        }

        @Test
        void aMissingDirectoryIsAStorageExceptionNamingTheFile(@TempDir Path dir) {
            Path file = dir.resolve("missing").resolve("report.html");
            assertThatThrownBy(() -> DriftReportHtml.write(DriftReportFixtures.sample(), file))
                    .isInstanceOf(StorageException.class).hasMessageContaining("report.html")
                    .hasMessageContaining("cannot write the drift report");
        }
    }
}
