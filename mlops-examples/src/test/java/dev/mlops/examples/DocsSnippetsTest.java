package dev.mlops.examples;

import dev.mlops.serving.ModelServiceBuilder;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.engine.discovery.DiscoverySelectors;

/**
 * Must-show 3: every code block marked {@code ```java} in README.md and docs/*.md compiles and
 * runs. Blocks marked {@code ```java-fragment} are illustrations and are skipped (docs/README.md
 * states the convention).
 *
 * <p>How a block runs:
 * <ul>
 *   <li>A block of <b>statements</b> becomes the body of a method, after the fixed
 *   {@link #IMPORTS} plus any {@code import} lines the block starts with, and after the
 *   {@link #CONTEXT} entries it needs: the variables, types and helpers it uses without
 *   declaring them (a registry, a CSV file of real data, ...). It then runs with a fresh
 *   temporary directory; whatever the context opened is closed afterwards.</li>
 *   <li>A block that <b>declares a class</b> is compiled as a source file of its own. A JUnit
 *   test class (such as a compatibility-kit subclass) is run with the JUnit launcher and must
 *   find tests and pass them all; any other class must have a {@code main} method, which runs.</li>
 * </ul>
 * A block may not name files by literal paths ({@code Path.of("...")}): files come from the
 * context, so the test can supply real ones and nothing is written outside target/. The test
 * fails naming the file and line of every block that does not compile, throws, or fails.
 */
@DisplayName("Docs: every ```java block of README.md and docs/*.md compiles and runs")
class DocsSnippetsTest {

    /** The repository root: surefire runs in the module directory. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path WORK = Path.of("target", "doc-snippets").toAbsolutePath();
    private static final String PACKAGE = "docsnippets";
    private static final long HANG_GUARD_MINUTES = 5;

    /** Imports every block gets: what a reader of these docs imports anyway. */
    static final List<String> IMPORTS = List.of("java.io.*", "java.nio.file.*", "java.time.*", "java.util.*",
            "java.util.concurrent.*", "java.util.function.*", "dev.mlops.api.*", "dev.mlops.api.store.*", "dev.mlops.api.serving.*",
            "dev.mlops.api.drift.*", "dev.mlops.api.quality.*", "dev.mlops.api.gate.*", "dev.mlops.core.*", "dev.mlops.quality.*", "dev.mlops.serving.*",
            "dev.mlops.gates.*", "dev.mlops.training.*", "dev.mlops.cards.*",
            "dev.mlops.drift.*", "dev.mlops.drift.online.*", "dev.mlops.estimation.*", "dev.mlops.onnx.*", "dev.mlops.micrometer.*", "dev.mlops.registry.fs.*",
            "dev.mlops.registry.tck.*", "dev.mlops.examples.*");

    /**
     * The context of the blocks, per file ({@code "*"}: every file; a file's own entry of the same
     * name wins). An entry goes before a block when the block uses its name and does not declare
     * it, and so do the entries that entry's code uses. {@code local}: a statement run before the
     * block ({@code tmp} is the block's fresh directory, {@code track(x)} closes x afterwards);
     * {@code member}: a type or method of the class around the block.
     */
    static final Map<String, List<Context>> CONTEXT = Map.ofEntries(
            entry("*", List.of(
                    local("mlops", "Mlops mlops = track(Mlops.open(tmp.resolve(\"store\")));"))),
            entry("ui.md", List.of(
                    // one entry: the store is declared before the registry built on it (an entry keeps the place of "*"'s)
                    local("mlops", "Store store = track(FileSystemStore.open(tmp.resolve(\"store\")));"
                            + " Mlops mlops = track(Mlops.builder().store(store).build());"))),
            entry("README.md", List.of(
                    local("storeDir", "Path storeDir = tmp.resolve(\"mlops\");"),
                    local("trainCsv", "Path trainCsv = DocFixtures.weatherCsv(tmp, 2012);"),
                    local("todayCsv", "Path todayCsv = DocFixtures.weatherCsv(tmp, 2015);"),
                    local("onnxFile", "Path onnxFile = DocFixtures.linearOnnx(tmp);"),
                    local("exportDir", "Path exportDir = tmp.resolve(\"export\");"))),
            entry("continuous-training.md", List.of(
                    local("mlops", "Mlops mlops = track(DocFixtures.rainRegistry(tmp.resolve(\"store\")));  // rain/1..7, @production = 5"),
                    local("clock", "Clock clock = Clock.systemUTC();"),
                    local("trainingFrame", "Frame trainingFrame = DocFixtures.weather(2012, \"temp_max\", \"weather\");"),
                    local("profile", "ReferenceProfile profile = ReferenceProfile.of(trainingFrame);"),
                    member("trainOn", """
                            static Path trainOn(InputStream csv) throws IOException {     // your training code
                                Path model = Files.createTempFile("rain", ".model");
                                Files.write(model, csv.readAllBytes());
                                return model;
                            }"""),
                    member("holdoutOf", """
                            static Frame holdoutOf(DatasetVersion data) {
                                return DocFixtures.weather(2015);
                            }"""),
                    member("evaluatorFor", """
                            static FrameEvaluator<ClassificationData> evaluatorFor(ModelVersion version) {
                                return Evaluation.labelClassifier(Model.<Double, String>of(t -> t > 15 ? "sun" : "rain"),
                                        "weather", List.of("drizzle", "fog", "rain", "snow", "sun"),
                                        row -> row.number("temp_max"), label -> label);
                            }"""),
                    local("promotionPolicy", "PromotionPolicy promotionPolicy = PromotionPolicy.builder(\"rain\").minimum(\"accuracy\", 0.5).build();"),
                    local("trainingExecutor", """
                            ExecutorService trainingExecutor = Executors.newSingleThreadExecutor();
                            track((AutoCloseable) trainingExecutor::shutdownNow);"""),
                    local("log", "org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(\"continuous-training\");"),
                    local("ct", """
                            ContinuousTraining ct = track(ContinuousTraining.builder(mlops, "rain", "production")
                                    .policy(RetrainPolicy.builder().onDatasetDrift().onLiveError().every(Duration.ofDays(1)).build())
                                    .trainer(request -> { throw new UnsupportedOperationException("no training here"); })
                                    .gate((candidate, request) -> { throw new UnsupportedOperationException("no gate here"); })
                                    .executor(trainingExecutor).build());"""),
                    local("svc", """
                            ModelService<Double, String> svc = track(ModelServiceBuilder.serve(mlops, ModelRef.parse("rain@production"),
                                    ModelLoader.<Double, String>ofFunction(ctx -> mm -> mm > 0 ? "rain" : "sun")).build());"""),
                    local("scheduler", """
                            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
                            track((AutoCloseable) scheduler::shutdownNow);"""))),
            entry("tracking-tribuo.md", List.of(
                    local("trainCsv", "Path trainCsv = DocFixtures.weatherCsv(tmp, 2012);"),
                    local("testCsv", "Path testCsv = DocFixtures.weatherCsv(tmp, 2013);"))),
            entry("micrometer.md", List.of(
                    local("mlops", "Mlops mlops = track(DocFixtures.rainRegistry(tmp.resolve(\"store\")));  // rain/1..7, @production = 5"),
                    local("service", """
                            ModelService<Double, Double> service = track(ModelServiceBuilder.serve(mlops, ModelRef.parse("rain@production"),
                                    ModelLoader.<Double, Double>ofFunction(ctx -> mm -> 2 * mm)).build());"""),
                    local("registry", """
                            io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
                            track((AutoCloseable) registry::close);"""),
                    local("profile", "ReferenceProfile profile = ReferenceProfile.of(DocFixtures.weather(2012, \"temp_max\", \"weather\"));"))),
            entry("drift-online.md", List.of(
                    member("Labelled", "record Labelled(int prediction, int label) { }"),
                    member("retrain", "static void retrain() { }"),
                    local("labelledPredictions", """
                            List<Labelled> labelledPredictions = new ArrayList<>();      // errors 10%, then 40%
                            Random random = new Random(1);
                            for (int i = 0; i < 2000; i++) {
                                int label = random.nextInt(2);
                                boolean wrong = random.nextDouble() < (i < 1000 ? 0.1 : 0.4);
                                labelledPredictions.add(new Labelled(wrong ? 1 - label : label, label));
                            }"""))),
            entry("estimation.md", List.of(
                    member("outputs", """
                            static ModelOutputs outputs(int rows, long seed, boolean withTargets) {  // a calibrated classifier, one row a minute
                                Random random = new Random(seed);
                                double[] p = new double[rows];
                                int[] predicted = new int[rows];
                                int[] actual = new int[rows];
                                List<Instant> times = new ArrayList<>();
                                for (int i = 0; i < rows; i++) {
                                    p[i] = Math.rint(100 * random.nextDouble()) / 100;
                                    predicted[i] = p[i] >= 0.5 ? 1 : 0;
                                    actual[i] = random.nextDouble() < p[i] ? 1 : 0;
                                    times.add(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(60L * i));
                                }
                                ModelOutputs out = ModelOutputs.binary(p, predicted).withTimestamps(times);
                                return withTargets ? out.withTargets(actual) : out;
                            }"""),
                    local("reference", "ModelOutputs reference = outputs(30_000, 1, true);"),
                    local("analysis", "ModelOutputs analysis = outputs(30_000, 2, false);"),
                    member("cars", """
                            static double[][] cars(int rows, long seed) {  // predicted price, age, km, price, fuel code
                                Random random = new Random(seed);
                                double[][] c = new double[5][rows];
                                for (int i = 0; i < rows; i++) {
                                    double age = random.nextInt(15);
                                    double km = 10_000 * age + 20_000 * random.nextDouble();
                                    double price = 30_000 - 1_500 * age - 0.05 * km + 2_000 * random.nextGaussian();
                                    c[0][i] = price * (1 + 0.1 * random.nextGaussian());
                                    c[1][i] = age;
                                    c[2][i] = km;
                                    c[3][i] = price;
                                    c[4][i] = random.nextInt(3);
                                }
                                return c;
                            }"""),
                    member("fuels", """
                            static List<String> fuels(double[] codes) {
                                List<String> out = new ArrayList<>();
                                for (double c : codes) {
                                    out.add(List.of("petrol", "diesel", "electric").get((int) c));
                                }
                                return out;
                            }"""),
                    local("predictedPrice", "double[] predictedPrice = cars(12_000, 1)[0];"),
                    local("carAge", "double[] carAge = cars(12_000, 1)[1];"),
                    local("km", "double[] km = cars(12_000, 1)[2];"),
                    local("actualPrice", "double[] actualPrice = cars(12_000, 1)[3];"),
                    local("fuel", "List<String> fuel = fuels(cars(12_000, 1)[4]);"),
                    local("times", """
                            List<Instant> times = new ArrayList<>();
                            for (int i = 0; i < 12_000; i++) {
                                times.add(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(60L * i));
                            }"""),
                    local("recentCars", """
                            double[][] now = cars(6_000, 2);
                            RegressionOutputs recentCars = RegressionOutputs.of(now[0]).withNumericFeature("car_age", now[1])
                                    .withNumericFeature("km_driven", now[2]).withCategoricalFeature("fuel", fuels(now[4]));"""))),
            entry("drift.md", List.of(
                    local("reference", "double[] reference = DocFixtures.weather(2012).numeric(\"temp_max\");"),
                    local("current", "double[] current = DocFixtures.weather(2015).numeric(\"temp_max\");"),
                    local("refCategories", "String[] refCategories = DocFixtures.weather(2012).strings(\"weather\");"),
                    local("curCategories", "String[] curCategories = DocFixtures.weather(2015).strings(\"weather\");"),
                    local("referenceCsv", "Path referenceCsv = DocFixtures.weatherCsv(tmp, 2012);"),
                    local("currentCsv", "Path currentCsv = DocFixtures.weatherCsv(tmp, 2015);"),
                    local("trainingFrame", "Frame trainingFrame = DocFixtures.weather(2012, \"temp_max\", \"weather\");"),
                    local("todayFrame", "Frame todayFrame = DocFixtures.weather(2015, \"temp_max\", \"weather\").slice(180, 211);"),
                    local("profile", "ReferenceProfile profile = ReferenceProfile.of(trainingFrame);"),
                    local("outputDir", "Path outputDir = tmp;"),
                    local("clock", "Clock clock = Clock.fixed(Instant.parse(\"2015-07-01T12:30:00Z\"), ZoneOffset.UTC);"),
                    local("store", """
                            Store store = track(new InMemoryStore());
                            DocFixtures.publishFleetWindow(store, "rain-v7-inputs", profile, "web-01");  // another instance's hour"""),
                    local("publishExecutor", "Executor publishExecutor = Runnable::run;"),
                    member("Features", "record Features(double tempMax, String weather) { }"),
                    member("archive", "static void archive(String windowJson) { }"),
                    member("page", "static void page(List<String> driftedColumns) { }"))),
            entry("inference-log.md", List.of(
                    local("logDir", "Path logDir = tmp.resolve(\"log\");"))),
            entry("onnx.md", List.of(
                    local("onnxFile", "Path onnxFile = DocFixtures.linearOnnx(tmp);"),
                    local("batch", "List<float[]> batch = List.of(new float[] {1f, 2f, -0.5f}, new float[] {0f, 0f, 0f});"))),
            entry("quality.md", List.of(
                    local("train", "Frame train = DocFixtures.germanCredit(0, 700);"),
                    local("evalFrame", "Frame evalFrame = DocFixtures.germanCredit(700, 1000);"),
                    member("Scores", "record Scores(double[] probabilities) { }"),
                    member("features", """
                            static double[] features(Row row) {
                                return new double[] {row.number("duration"), row.number("credit_amount"), row.number("age")};
                            }"""),
                    local("model", """
                            Model<double[], Scores> model = Model.of(x -> {      // longer, larger loans are riskier
                                double good = 1 / (1 + Math.exp(-(1.6 - 0.04 * x[0] - 0.00005 * x[1] + 0.01 * x[2])));
                                return new Scores(new double[] {1 - good, good});
                            });"""),
                    local("champion", """
                            ClassificationData champion = Evaluation.classifier(Model.<double[], Scores>of(
                                    x -> new Scores(new double[] {0.3, 0.7})), "class", List.of("bad", "good"),
                                    r -> features(r), Scores::probabilities).evaluate(evalFrame);"""),
                    local("holdoutInputs", """
                            List<double[]> holdoutInputs = new ArrayList<>();
                            for (int i = 0; i < 50; i++) {
                                holdoutInputs.add(new double[] {12 + i % 24, 1000 + 100 * i, 20 + i % 50});
                            }"""))),
            entry("gates.md", List.of(
                    local("mlops", """
                            Mlops mlops = track(Mlops.open(tmp.resolve("store")));     // credit/1 @production, credit/2
                            for (int v = 1; v <= 2; v++) {
                                mlops.models().register("credit", NewModelVersion.builder()
                                        .artifact(Artifact.bytes("model.bin", new byte[] {(byte) v})).build());
                            }
                            mlops.models().setAlias("credit", "production", 1);"""),
                    local("holdout", "Frame holdout = DocFixtures.germanCredit(700, 1000);"),
                    local("suite", """
                            ValidationSuite suite = ValidationSuite.builder("eval").isComplete("age")
                                    .rowCount(100, 100_000).build();"""),
                    member("Scores", "record Scores(double[] probabilities) { }"),
                    member("scorer", """
                            static Model<double[], Scores> scorer(boolean constant) {   // longer, larger loans are riskier
                                return Model.of(x -> {
                                    double good = constant ? 0.7
                                            : 1 / (1 + Math.exp(-(1.6 - 0.04 * x[0] - 0.00005 * x[1] + 0.01 * x[2])));
                                    return new Scores(new double[] {1 - good, good});
                                });
                            }"""),
                    member("evaluatorFor", """
                            static FrameEvaluator<ClassificationData> evaluatorFor(ModelVersion version) {
                                return Evaluation.classifier(scorer(version.number() == 1), "class", List.of("bad", "good"),
                                        row -> new double[] {row.number("duration"), row.number("credit_amount"),
                                                row.number("age")}, Scores::probabilities);
                            }"""),
                    local("candidateModel", "Model<double[], Scores> candidateModel = scorer(false);"),
                    local("holdoutInputs", """
                            List<double[]> holdoutInputs = new ArrayList<>();
                            for (int i = 0; i < 50; i++) {
                                holdoutInputs.add(new double[] {12 + i % 24, 1000 + 100 * i, 20 + i % 50});
                            }"""))),
            entry("model-cards.md", List.of(
                    local("mlops", """
                            Mlops mlops = track(Mlops.open(tmp.resolve("store")));     // credit/1 @production, credit/2
                            for (int v = 1; v <= 2; v++) {
                                mlops.models().register("credit", NewModelVersion.builder()
                                        .artifact(Artifact.bytes("model.bin", new byte[] {(byte) v})).build());
                            }
                            mlops.models().setAlias("credit", "production", 1);"""),
                    local("outputDir", "Path outputDir = tmp;"),
                    local("modelFile", "Path modelFile = DocFixtures.linearOnnx(tmp);"),
                    local("trainFrame", "Frame trainFrame = DocFixtures.germanCredit(0, 700);"),
                    local("testFrame", "Frame testFrame = DocFixtures.germanCredit(700, 1000);"),
                    local("train", """
                            DatasetVersion train = mlops.datasets().register("credit-train",
                                    DatasetSource.csv(DocFixtures.germanCreditCsv(tmp, 0, 700)));"""),
                    local("test", """
                            DatasetVersion test = mlops.datasets().register("credit-test",
                                    DatasetSource.csv(DocFixtures.germanCreditCsv(tmp, 700, 1000)));"""),
                    member("Scores", "record Scores(double[] probabilities) { }"),
                    local("eval", """
                            FrameEvaluator<ClassificationData> eval = Evaluation.classifier(Model.<double[], Scores>of(x -> {
                                        double good = 1 / (1 + Math.exp(-(1.6 - 0.04 * x[0] - 0.00005 * x[1] + 0.01 * x[2])));
                                        return new Scores(new double[] {1 - good, good});
                                    }), "class", List.of("bad", "good"),
                                    row -> new double[] {row.number("duration"), row.number("credit_amount"), row.number("age")},
                                    Scores::probabilities);"""))),
            entry("serving.md", List.of(
                    local("mlops", "Mlops mlops = track(DocFixtures.rainRegistry(tmp.resolve(\"store\")));  // rain/1..7"),
                    member("Features", """
                            record Features(double temp, String city) {
                                Map<String, Object> columns() {
                                    return Map.of("temp", temp, "city", city);
                                }
                            }"""),
                    member("MyModel", """
                            static final class MyModel implements Model<Features, Double> {
                                private final double weight;

                                MyModel(Path file) throws IOException {
                                    weight = Double.parseDouble(Files.readString(file).trim());
                                }

                                @Override
                                public Double predict(Features f) {
                                    return weight * f.temp();
                                }
                            }"""),
                    local("sampleFeatures", "Features sampleFeatures = new Features(12.5, \"seattle\");"),
                    local("features", "Features features = new Features(8.0, \"seattle\");"),
                    local("userId", "String userId = \"user-42\";"),
                    local("observedValue", "double observedValue = 4.2;"),
                    local("log", "JsonLinesInferenceLog log = track(JsonLinesInferenceLog.builder(tmp.resolve(\"log\")).build());"),
                    local("driftObserver", """
                            InputObserver<Features> driftObserver = DriftMonitor.builder(ReferenceProfile.of(
                                    DocFixtures.weather(2012, "temp_max"))).countWindow(100).build()
                                    .observer((f, num, cat) -> num[0] = f.temp());"""))));

    /** One context entry: a local statement or a member declaration, named by what it defines. */
    record Context(String name, String code, boolean member) {
    }

    private static Context local(String name, String code) {
        return new Context(name, code, false);
    }

    private static Context member(String name, String code) {
        return new Context(name, code, true);
    }

    /**
     * A fenced block.
     *
     * @param file the Markdown file, relative to the repository root
     * @param line the line of the opening fence (1-based)
     * @param info the fence's info string ({@code java}, {@code java-fragment})
     * @param code the block's text
     */
    record Block(String file, int line, String info, String code) {
        String where() {
            return file + ":" + line;
        }

        String fileName() {
            return Path.of(file).getFileName().toString();
        }

        String className() {
            String stem = fileName().replaceFirst("\\.md$", "").replaceAll("[^A-Za-z0-9]", "_");
            return stem + "_L" + line;
        }
    }

    private static final Pattern DECLARATION = Pattern.compile(
            "^(?:@\\w+(?:\\([^)]*\\))?\\s+)*(?:(?:public|abstract|final|sealed)\\s+)*(class|record|interface|enum)\\s+(\\w+)");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*$");
    private static final Pattern LITERAL_PATH = Pattern.compile("(Path\\.of|Paths\\.get|new File)\\(\\s*\"");

    @Test
    @DisplayName("compiles every block with its context, runs it, and names file and line of each failure")
    void everyJavaBlockCompilesAndRuns() throws Exception {
        Outcome o = check(ROOT, WORK);
        System.out.println(o.summary());
        assertThat(o.java()).as("```java blocks found").isNotEmpty();
        if (!o.failures().isEmpty()) {
            fail(o.failures().size() + " of " + o.java().size() + " docs code blocks failed:\n\n"
                    + String.join("\n\n", o.failures()) + "\n\n(generated sources: " + WORK.resolve("src") + ")");
        }
        assertThat(o.ran()).isEqualTo(o.java().size());
    }

    @Test
    @DisplayName("a block that does not compile, throws or names a literal path fails with its file and line")
    void failuresNameFileAndLine(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("README.md"), "# Title\n\n```java\nint x = 1;\n```\n");
        Files.writeString(root.resolve("docs").resolve("bad.md"), String.join("\n",
                "# Bad", "",
                "```java", "int a = 1;", "String s = a;", "```", "",                                 // lines 3-6
                "```java", "Object o = null;", "", "o.toString();", "```", "",                      // lines 8-12
                "```java", "Path p = Path.of(\"x.csv\");", "```", "",                              // lines 14-16
                "```java-fragment", "not java at all", "```", ""));
        Outcome compileError = check(root, root.resolve("work"));
        assertThat(compileError.java()).hasSize(4);
        assertThat(compileError.fragments()).isEqualTo(1);
        assertThat(String.join("\n", compileError.failures()))
                .contains("docs/bad.md:3: does not compile", "docs/bad.md:5: incompatible types")
                .contains("docs/bad.md:14: names a file by a literal path");
        assertThat(compileError.ran()).isZero();

        Files.writeString(root.resolve("docs").resolve("bad.md"), String.join("\n",
                "# Bad", "", "```java", "Object o = null;", "", "o.toString();", "```", ""));
        Outcome throwing = check(root, root.resolve("work"));
        assertThat(throwing.ran()).isEqualTo(1);
        assertThat(throwing.failures()).singleElement().asString()
                .startsWith("docs/bad.md:3: threw java.lang.NullPointerException")
                .contains("(at docs/bad.md:6)");
    }

    /**
     * What checking a tree's docs found.
     *
     * @param java the ```java blocks
     * @param fragments how many ```java-fragment blocks were skipped
     * @param ran blocks that compiled and ran without failure
     * @param testClasses of those, JUnit test classes
     * @param failures one message per failed block, naming file and line
     */
    record Outcome(List<Block> java, long fragments, int ran, int testClasses, List<String> failures) {
        String summary() {
            return String.format(Locale.ROOT, "Docs code blocks: %d ```java blocks in %d files compiled, %d ran"
                            + " (%d statement blocks, %d test classes), %d failed; %d ```java-fragment blocks skipped%n%s",
                    java.size(), java.stream().map(Block::file).distinct().count(), ran, ran - testClasses, testClasses,
                    failures.size(), fragments, java.stream().collect(Collectors.groupingBy(Block::file,
                            LinkedHashMap::new, Collectors.counting())).entrySet().stream()
                            .map(e -> "  " + e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n")));
        }
    }

    /** Extracts, compiles and runs the blocks of {@code root}'s README.md and docs/*.md, working in {@code work}. */
    static Outcome check(Path root, Path work) throws Exception {
        List<Block> all = blocks(root);
        List<Block> java = all.stream().filter(b -> b.info().equals("java")).toList();
        long fragments = all.stream().filter(b -> b.info().equals("java-fragment")).count();

        deleteTree(work);
        Path src = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> failures = new ArrayList<>();
        Map<Block, Generated> generated = new LinkedHashMap<>();
        for (Block b : java) {
            Matcher literal = LITERAL_PATH.matcher(b.code());
            if (literal.find()) {
                failures.add(b.where() + ": names a file by a literal path (" + literal.group() + "...); use a context"
                        + " variable so the test can supply the file (see DocsSnippetsTest.CONTEXT)");
                continue;
            }
            Generated g = generate(b, src);
            generated.put(b, g);
            String copyOf = differsFromTestFile(b, g);
            if (copyOf != null) {
                failures.add(copyOf);
            }
        }

        int beforeCompiling = failures.size();
        compile(generated, classes, failures);
        int ran = 0;
        int testClasses = 0;
        if (failures.size() == beforeCompiling) {            // javac writes no classes when any unit has errors
            try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                    DocsSnippetsTest.class.getClassLoader())) {
                for (Map.Entry<Block, Generated> e : generated.entrySet()) {
                    String failure = run(e.getKey(), e.getValue(), loader, work);
                    if (failure != null) {
                        failures.add(failure);
                    } else {
                        ran++;
                        testClasses += e.getValue().declared() != null ? 1 : 0;
                    }
                }
            }
        }
        Outcome o = new Outcome(java, fragments, ran, testClasses, failures);
        Files.writeString(work.resolve("summary.txt"), o.summary() + "\n");
        return o;
    }

    @Test
    @DisplayName("every fence that says java is either ```java or ```java-fragment, and fences are closed")
    void fencesAreKnown() {
        List<Block> all = blocks(ROOT);
        assertThat(all).extracting(Block::info).allSatisfy(info -> assertThat(info).isIn("java", "java-fragment"));
    }

    // ---- extraction -------------------------------------------------------------------------

    /** Every fenced block whose info string starts with "java" (any case), in README.md and docs/*.md. */
    static List<Block> blocks(Path root) {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> blocks = new ArrayList<>();
        for (Path f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String name = root.relativize(f).toString().replace('\\', '/');
            for (int i = 0; i < lines.size(); i++) {
                String fence = lines.get(i).strip();
                if (!fence.startsWith("```") || fence.length() == 3) {
                    continue;
                }
                int open = i;
                int close = i + 1;
                while (close < lines.size() && !lines.get(close).strip().equals("```")) {
                    close++;
                }
                if (close == lines.size()) {
                    fail(name + ":" + (open + 1) + ": the code block opened here is never closed");
                }
                String info = fence.substring(3).strip();
                if (info.toLowerCase(Locale.ROOT).startsWith("java")) {
                    blocks.add(new Block(name, open + 1, info, String.join("\n", lines.subList(open + 1, close))));
                }
                i = close;
            }
        }
        return blocks;
    }

    // ---- generation -------------------------------------------------------------------------

    /**
     * A generated source file.
     *
     * @param className the class to load
     * @param source the file
     * @param firstBlockLine the line of the source holding the block's first line
     * @param declared the class the block declares, or null for a statement block
     */
    record Generated(String className, Path source, int firstBlockLine, String declared) {
    }

    private static Generated generate(Block b, Path src) throws IOException {
        List<String> code = new ArrayList<>(List.of(b.code().split("\n", -1)));
        List<String> imports = new ArrayList<>();
        for (int i = 0; i < code.size(); i++) {        // the block's own imports, blanked to keep its line numbers
            if (IMPORT.matcher(code.get(i).strip()).matches()) {
                imports.add(code.get(i).strip());
                code.set(i, "");
            }
        }
        String declared = code.stream().map(String::strip).map(DECLARATION::matcher).filter(Matcher::find)
                .map(m -> m.group(2)).findFirst().filter(n -> isDeclarationBlock(code)).orElse(null);
        List<String> out = new ArrayList<>();
        String pkg = declared == null ? PACKAGE : PACKAGE + "." + b.className().toLowerCase(Locale.ROOT);
        out.add("package " + pkg + ";");
        IMPORTS.forEach(i -> out.add("import " + i + ";"));
        out.addAll(imports);
        if (declared != null) {
            out.add("// " + b.where());
            int first = lineCount(out) + 1;
            out.addAll(code);
            Path file = src.resolve(pkg.replace('.', '/')).resolve(declared + ".java");
            Files.createDirectories(file.getParent());
            Files.write(file, out, StandardCharsets.UTF_8);
            return new Generated(pkg + "." + declared, file, first, declared);
        }
        List<Context> context = contextFor(b, String.join("\n", code));
        out.add("public final class " + b.className() + " extends DocSnippet {");
        context.stream().filter(Context::member).forEach(c -> out.add(indent(c.code(), 4)));
        out.add("    @Override");
        out.add("    protected void run(Path tmp) throws Exception {");
        context.stream().filter(c -> !c.member()).forEach(c -> out.add(indent(c.code(), 8)));
        out.add("// " + b.where());
        int first = lineCount(out) + 1;
        out.addAll(code);
        out.add("    }");
        out.add("}");
        Path file = src.resolve(PACKAGE).resolve(b.className() + ".java");
        Files.createDirectories(file.getParent());
        Files.write(file, out, StandardCharsets.UTF_8);
        return new Generated(PACKAGE + "." + b.className(), file, first, null);
    }

    /** Lines in {@code out}, whose entries may hold several lines each. */
    private static int lineCount(List<String> out) {
        return out.stream().mapToInt(s -> (int) s.lines().count() + (s.isEmpty() ? 1 : 0)).sum();
    }

    /** A block is a declaration block when its first significant line declares a type. */
    private static boolean isDeclarationBlock(List<String> code) {
        for (String l : code) {
            String s = l.strip();
            if (s.isEmpty() || s.startsWith("//") || s.startsWith("/*") || s.startsWith("*")
                    || s.startsWith("@") && !DECLARATION.matcher(s).find()) {
                continue;                                 // comments, and annotations on lines of their own
            }
            return DECLARATION.matcher(s).find();
        }
        return false;
    }

    /** The context entries a block needs, in the order they are listed. */
    static List<Context> contextFor(Block b, String code) {
        Map<String, Context> available = new LinkedHashMap<>();
        CONTEXT.getOrDefault("*", List.of()).forEach(c -> available.put(c.name(), c));
        CONTEXT.getOrDefault(b.fileName(), List.of()).forEach(c -> available.put(c.name(), c));
        Set<String> needed = new LinkedHashSet<>();
        List<String> texts = new ArrayList<>(List.of(code));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Context c : available.values()) {
                if (!needed.contains(c.name()) && !declares(code, c.name())
                        && texts.stream().anyMatch(t -> uses(t, c.name()))) {
                    needed.add(c.name());
                    texts.add(c.code());
                    grew = true;
                }
            }
        }
        return available.values().stream().filter(c -> needed.contains(c.name())).toList();
    }

    private static boolean uses(String code, String name) {
        return Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "\\b").matcher(code).find();
    }

    /** Whether the code declares a variable {@code name} ({@code Type name =}, {@code Type name :} in a for-each). */
    static boolean declares(String code, String name) {
        return Pattern.compile("(?:[A-Z][\\w.]*(?:<[^;=()]*>)?|\\b(?:var|int|long|double|float|boolean|byte|short|char))"
                + "(?:\\[\\])*\\s+" + Pattern.quote(name) + "\\s*(?:=|;|:|,|\\))").matcher(code).find();
    }

    private static String indent(String code, int spaces) {
        String pad = " ".repeat(spaces);
        return code.lines().map(l -> l.isEmpty() ? l : pad + l).collect(Collectors.joining("\n"));
    }

    /**
     * A block that declares a class named like one of this module's test files shows that file:
     * it must be the file without its package line, so the docs show the test that the build runs.
     */
    private static String differsFromTestFile(Block b, Generated g) throws IOException {
        if (g.declared() == null) {
            return null;
        }
        Path file = Path.of("src", "test", "java", "dev", "mlops", "examples", g.declared() + ".java");
        if (!Files.exists(file)) {
            return null;
        }
        String expected = Files.readString(file, StandardCharsets.UTF_8).replaceFirst("^package [\\w.]+;\\n\\n", "").strip();
        return expected.equals(b.code().strip()) ? null : b.where() + ": shows " + g.declared() + " but differs from "
                + file.toAbsolutePath() + "; copy the file (without its package line) into the block";
    }

    // ---- compilation ------------------------------------------------------------------------

    private static void compile(Map<Block, Generated> generated, Path classes, List<String> failures) throws IOException {
        if (generated.isEmpty()) {
            return;
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK compiler (run the tests on a JDK, not a JRE)").isNotNull();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(
                    generated.values().stream().map(Generated::source).toList());
            List<String> options = List.of("-classpath", testClassPath(), "-d", classes.toString(), "-g", "-proc:none",
                    "-encoding", "UTF-8", "--release", "17", "-nowarn");
            javac.getTask(null, files, diagnostics, options, null, units).call();
        }
        Map<Path, Block> bySource = new LinkedHashMap<>();
        generated.forEach((b, g) -> bySource.put(g.source().toAbsolutePath().normalize(), b));
        Map<Block, List<String>> errors = new LinkedHashMap<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            Path source = d.getSource() == null ? null : Path.of(d.getSource().toUri()).toAbsolutePath().normalize();
            Block b = bySource.get(source);
            if (b == null) {
                failures.add("compiling the docs' code blocks failed: " + d.getMessage(Locale.ROOT));
                continue;
            }
            Generated g = generated.get(b);
            long line = d.getLineNumber();
            String where = line >= g.firstBlockLine()
                    ? b.file() + ":" + (b.line() + 1 + line - g.firstBlockLine())
                    : b.where() + " (in the context put before the block, " + g.source().getFileName() + ":" + line + ")";
            errors.computeIfAbsent(b, k -> new ArrayList<>()).add(where + ": " + d.getMessage(Locale.ROOT));
        }
        errors.forEach((b, list) -> failures.add(b.where() + ": does not compile\n  " + String.join("\n  ", list)));
    }

    /** The test class path: surefire's (it may hide it behind a manifest-only jar), else the JVM's. */
    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    // ---- running ----------------------------------------------------------------------------

    /** Runs one compiled block; returns a failure message naming file and line, or null. */
    private static String run(Block b, Generated g, ClassLoader loader, Path work) throws Exception {
        List<String> before = workingDirectory();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Class<?> type = Class.forName(g.className(), true, loader);
            Future<String> outcome = thread.submit(() -> g.declared() == null ? runStatements(b, g, type, work)
                    : runDeclaration(b, type));
            String failure;
            try {
                failure = outcome.get(HANG_GUARD_MINUTES, TimeUnit.MINUTES);
            } catch (TimeoutException e) {
                outcome.cancel(true);
                failure = b.where() + ": did not finish within " + HANG_GUARD_MINUTES + " minutes (hang guard)";
            }
            List<String> after = workingDirectory();
            if (failure == null && !after.equals(before)) {
                after.removeAll(before);
                failure = b.where() + ": wrote " + after + " into the working directory " + Path.of("").toAbsolutePath()
                        + "; write under a directory from the context instead";
            }
            return failure;
        } finally {
            thread.shutdownNow();
        }
    }

    private static String runStatements(Block b, Generated g, Class<?> type, Path work) throws Exception {
        DocSnippet snippet = (DocSnippet) type.getDeclaredConstructor().newInstance();
        Path tmp = Files.createDirectories(work.resolve("tmp").resolve(b.className()));
        try {
            snippet.execute(tmp);
            return null;
        } catch (Throwable t) {
            return b.where() + ": threw " + t + atLine(b, g, t) + "\n" + stackTrace(t);
        }
    }

    /** " (at README.md:40)" for the innermost frame of the block's class, if any. */
    private static String atLine(Block b, Generated g, Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            for (StackTraceElement e : c.getStackTrace()) {
                if (e.getClassName().startsWith(g.className()) && e.getLineNumber() >= g.firstBlockLine()) {
                    return " (at " + b.file() + ":" + (b.line() + 1 + e.getLineNumber() - g.firstBlockLine()) + ")";
                }
            }
        }
        return "";
    }

    private static String runDeclaration(Block b, Class<?> type) throws Exception {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            hierarchy.add(c);
        }
        boolean junit = hierarchy.stream().flatMap(c -> Stream.of(c.getDeclaredMethods()))
                .anyMatch(m -> Stream.of(m.getAnnotations()).anyMatch(a -> a.annotationType().getName().startsWith("org.junit")))
                || hierarchy.stream().flatMap(c -> Stream.of(c.getDeclaredClasses()))
                .anyMatch(n -> n.isAnnotationPresent(org.junit.jupiter.api.Nested.class));
        if (junit) {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectClass(type))
                    .filters(EngineFilter.includeEngines("junit-jupiter")).build();
            Launcher launcher = LauncherFactory.create();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            launcher.execute(request, listener);
            TestExecutionSummary s = listener.getSummary();
            if (s.getTestsFoundCount() == 0) {
                return b.where() + ": the JUnit class " + type.getSimpleName() + " has no tests";
            }
            if (s.getTotalFailureCount() > 0) {
                return b.where() + ": " + s.getTotalFailureCount() + " of " + s.getTestsFoundCount() + " tests of "
                        + type.getSimpleName() + " failed:\n" + s.getFailures().stream()
                        .map(f -> "  " + f.getTestIdentifier().getDisplayName() + ": " + f.getException())
                        .collect(Collectors.joining("\n"));
            }
            System.out.printf("%s: %s passed %d of %d tests (%d skipped)%n", b.where(), type.getSimpleName(),
                    s.getTestsSucceededCount(), s.getTestsFoundCount(), s.getTestsSkippedCount());
            return null;
        }
        try {
            type.getMethod("main", String[].class).invoke(null, (Object) new String[0]);
            return null;
        } catch (NoSuchMethodException e) {
            return b.where() + ": declares " + type.getSimpleName() + ", which is neither a JUnit test class nor has a"
                    + " main method; make it runnable or mark the block ```java-fragment";
        } catch (java.lang.reflect.InvocationTargetException e) {
            return b.where() + ": " + type.getSimpleName() + ".main threw " + e.getCause() + "\n" + stackTrace(e.getCause());
        }
    }

    private static List<String> workingDirectory() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("").toAbsolutePath())) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toCollection(ArrayList::new));
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString().lines().limit(25).map(l -> "    " + l).collect(Collectors.joining("\n"));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
