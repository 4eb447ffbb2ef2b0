package dev.mlops.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The module layering of docs/architecture.md, checked on the main classes of every module. Each
 * module may use only the modules listed for it; the compiler already keeps package-private
 * members inside their package, and {@link #packagesBelongToOneModule} keeps a package inside its
 * module, so no module can reach another's internals.
 */
@AnalyzeClasses(packages = "dev.mlops", importOptions = {ImportOption.DoNotIncludeTests.class,
        ArchitectureTest.MainCodeOnly.class})
class ArchitectureTest {

    /** Main classes only: not test classes, not test-jars (test support), not this module. */
    static final class MainCodeOnly implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("-tests.jar") && !location.contains("/test-classes/")
                    && !location.contains("/mlops-it/");
        }
    }

    /** Module → its packages (a package and its sub-packages). */
    static final Map<String, List<String>> PACKAGES = new LinkedHashMap<>();
    /** Module → the modules it may depend on (besides itself). */
    static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();

    static {
        module("api", List.of("dev.mlops.api.."));
        module("json", List.of("dev.mlops.json.."), "api");
        module("quality", List.of("dev.mlops.quality.."), "api", "json");
        // mlops-drift is dev.mlops.drift and its sub-packages except dev.mlops.drift.multivariate, the package of
        // mlops-drift-multivariate (a package without ".." is that package alone)
        module("drift", List.of("dev.mlops.drift", "dev.mlops.drift.online.."), "api", "json");
        // its online monitor (CbpeMonitor) is fed through mlops-api's OutputObserver, never through mlops-serving
        module("estimation", List.of("dev.mlops.estimation.."), "api", "quality");
        module("drift-multivariate", List.of("dev.mlops.drift.multivariate.."), "api", "quality", "estimation");
        // profiles and reports from mlops-drift's mergeable summaries, validation from mlops-quality's
        module("spark", List.of("dev.mlops.spark.."), "api", "drift", "quality");
        module("core", List.of("dev.mlops.core.."), "api", "json", "quality");
        module("serving", List.of("dev.mlops.serving.."), "api", "json", "core");
        module("gates", List.of("dev.mlops.gates..", "dev.mlops.training.."), "api", "json", "core", "quality");
        module("cards", List.of("dev.mlops.cards.."), "api", "core", "quality", "drift", "gates");
        module("rollout", List.of("dev.mlops.rollout.."), "api", "json", "core", "gates");
        // the web UI reads a store through the public API: the registry, tracking and audit (core), the
        // recorded gate decisions (gates), the model card (cards) and drift reports (drift); never serving
        module("ui", List.of("dev.mlops.ui.."), "api", "core", "gates", "cards", "drift");
        module("registry-fs", List.of("dev.mlops.registry.fs.."), "api");
        module("registry-jdbc", List.of("dev.mlops.registry.jdbc.."), "api");
        module("onnx", List.of("dev.mlops.onnx.."), "api");
        // RolloutMetrics binds mlops-rollout's Rollout (an optional dependency of mlops-micrometer)
        module("micrometer", List.of("dev.mlops.micrometer.."), "api", "rollout");
        module("tribuo", List.of("dev.mlops.tribuo.."), "api");
        module("registry-tck", List.of("dev.mlops.registry.tck.."), "api", "json", "core");
    }

    private static void module(String name, List<String> packages, String... mayUse) {
        PACKAGES.put(name, packages);
        MAY_USE.put(name, Set.of(mayUse));
    }

    /** One rule per library module: it depends on no module outside its allowed set. */
    static List<ArchRule> layering() {
        List<ArchRule> rules = new ArrayList<>();
        for (String module : PACKAGES.keySet()) {
            List<String> forbidden = new ArrayList<>();
            PACKAGES.forEach((other, pkgs) -> {
                if (!other.equals(module) && !MAY_USE.get(module).contains(other)) {
                    forbidden.addAll(pkgs);
                }
            });
            // the applications (cli, examples, bench) sit on top; no library may use them
            forbidden.addAll(List.of("dev.mlops.cli..", "dev.mlops.examples..", "dev.mlops.bench..", "dev.mlops.it.."));
            rules.add(noClasses().that().resideInAnyPackage(PACKAGES.get(module).toArray(String[]::new))
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                    .as("mlops-" + module + " uses only " + (MAY_USE.get(module).isEmpty() ? "the JDK and its own libraries"
                            : "mlops-" + String.join(", mlops-", new TreeSet<>(MAY_USE.get(module))))));
        }
        return rules;
    }

    @ArchTest
    static void modulesDependOnlyDownward(JavaClasses classes) {
        for (ArchRule rule : layering()) {
            rule.check(classes);
        }
    }

    @ArchTest
    static final ArchRule apiDependsOnNothingOfOurs = classes().that().resideInAPackage("dev.mlops.api..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.mlops.api..", "java..")
            .as("mlops-api depends on the JDK only: no third-party library, no other module");

    @ArchTest
    static final ArchRule qualityNeverUsesTheRegistry = noClasses().that().resideInAPackage("dev.mlops.quality..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.mlops.core..", "dev.mlops.serving..",
                    "dev.mlops.gates..", "dev.mlops.training..", "dev.mlops.cards..", "dev.mlops.drift..")
            .as("mlops-quality does not use the registry, so a batch engine can reuse it");

    @ArchTest
    static final ArchRule onlyTheSparkModuleUsesSpark = noClasses().that().resideOutsideOfPackages("dev.mlops.spark..",
                    "dev.mlops.bench..", "dev.mlops.examples..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..")
            .as("only mlops-spark uses Spark: mlops-drift and mlops-quality give it mergeable summaries without it");

    @ArchTest
    static final ArchRule oneJsonLayer = noClasses().that().resideOutsideOfPackage("dev.mlops.json..")
            .should().dependOnClassesThat().areAssignableTo("com.fasterxml.jackson.databind.ObjectMapper")
            .as("every JSON format goes through mlops-json's StrictJson: no module has an ObjectMapper of its own");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.mlops.(**)").should().beFreeOfCycles()
            .as("no cycles between packages");

    @ArchTest
    static final ArchRule internalStaysInside = classes().that().resideInAPackage("..internal..")
            .should(new ArchCondition<JavaClass>("be used only inside their own module") {
                @Override
                public void check(JavaClass item, ConditionEvents events) {
                    String owner = moduleOf(item.getPackageName());
                    item.getAccessesToSelf().forEach(access -> {
                        String user = moduleOf(access.getOriginOwner().getPackageName());
                        if (!owner.equals(user)) {
                            events.add(SimpleConditionEvent.violated(access, access.getDescription()
                                    + ": an internal class of " + owner + " used by " + user));
                        }
                    });
                }
            }).allowEmptyShould(true)
            .as("internal packages are used only inside their module");

    /** A package split over two modules would let one reach the other's package-private members. */
    @ArchTest
    static void packagesBelongToOneModule(JavaClasses classes) {
        Map<String, Set<String>> origins = new TreeMap<>();
        for (JavaClass c : classes) {
            String location = c.getSource().map(s -> s.getUri().toString()).orElse("?");
            int cut = location.indexOf("!/");
            if (cut < 0) {
                cut = location.indexOf("/target/classes/");
            }
            String root = cut < 0 ? location : location.substring(0, cut);
            origins.computeIfAbsent(c.getPackageName(), p -> new TreeSet<>()).add(root);
        }
        List<String> split = new ArrayList<>();
        origins.forEach((pkg, roots) -> {
            if (roots.size() > 1) {
                split.add(pkg + " is in " + roots);
            }
        });
        if (!split.isEmpty()) {
            throw new AssertionError("packages split over modules: " + split);
        }
        if (origins.size() < 15) {
            throw new AssertionError("expected the classes of every module, found only packages " + origins.keySet());
        }
    }

    static String moduleOf(String pkg) {
        for (Map.Entry<String, List<String>> e : PACKAGES.entrySet()) {
            for (String p : e.getValue()) {
                boolean withSubPackages = p.endsWith("..");
                String prefix = withSubPackages ? p.substring(0, p.length() - 2) : p;
                if (pkg.equals(prefix) || (withSubPackages && pkg.startsWith(prefix + "."))) {
                    return e.getKey();
                }
            }
        }
        return pkg;
    }
}
