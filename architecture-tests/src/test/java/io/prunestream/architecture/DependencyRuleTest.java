package io.prunestream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of {@code docs/architecture.md}, on the compiled main classes of every module: dependencies
 * point inward (services to libraries), the pruning maths needs nothing but the JDK, only tensorflow-support and the
 * evaluator touch TensorFlow or DJL, and a module uses no project module its pom does not declare.
 */
class DependencyRuleTest {

    private static final List<String> SERVICES = List.of("trainer-service", "pruner-service", "evaluator-service");
    private static final List<String> LIBRARIES = List.of("pipeline-events", "model-store", "datasets",
            "pruning-core", "score-statistics", "tensorflow-support", "local-kafka", "local-object-store", "api-auth",
            "store-config", "deploy-checks");
    private static final List<String> NATIVE_USERS = List.of("tensorflow-support", "evaluator-service");

    private static Modules modules;

    @BeforeAll
    static void read() {
        modules = Modules.read();
    }

    @Test
    void everyModuleIsCovered() {
        List<String> all = new ArrayList<>(SERVICES);
        all.addAll(LIBRARIES);
        all.add("bench");
        assertThat(modules.byArtifact().keySet()).as("modules with classes; a new one needs its place in the rule")
                .containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void librariesImportNoServiceAndNothingImportsTheBenchmarks() {
        String[] outer = outer();
        for (String library : LIBRARIES) {
            noClasses().should().dependOnClassesThat().resideInAnyPackage(outer)
                    .because(library + " is a library: services depend on it, not the other way round")
                    .check(modules.get(library).classes());
        }
    }

    @Test
    void noServiceImportsAnother() {
        for (String service : SERVICES) {
            String[] others = SERVICES.stream().filter(s -> !s.equals(service))
                    .flatMap(s -> modules.packagesOf(s).stream()).toArray(String[]::new);
            noClasses().should().dependOnClassesThat().resideInAnyPackage(others)
                    .orShould().dependOnClassesThat().resideInAnyPackage(modules.packagesOf("bench")
                            .toArray(String[]::new))
                    .because(service + " talks to the other services through Kafka topics and the model store only")
                    .check(modules.get(service).classes());
        }
    }

    @Test
    void pruningCoreNeedsOnlyTheJdk() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages("java..", "io.prunestream.pruning..")
                .because("the pruning maths is testable with no native code and no framework")
                .check(modules.get("pruning-core").classes());
    }

    @Test
    void scoreStatisticsNeedOnlyTheJdkAndCommonsStatistics() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages("java..", "io.prunestream.statistics..",
                "org.apache.commons.statistics..")
                .because("how sure a score is, is plain arithmetic on counts: testable with no native code")
                .check(modules.get("score-statistics").classes());
    }

    @Test
    void eventsKnowNoTensorFlowAndNoFramework() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.tensorflow..", "ai.djl..",
                "io.quarkus..", "jakarta.enterprise..", "io.smallrye..")
                .because("pipeline-events is the wire format that any producer can use")
                .check(modules.get("pipeline-events").classes());
    }

    @Test
    void onlyTensorFlowSupportAndTheEvaluatorTouchTensorFlowOrDjl() {
        for (String artifact : modules.byArtifact().keySet()) {
            if (NATIVE_USERS.contains(artifact)) {
                continue;
            }
            noClasses().should().dependOnClassesThat().resideInAnyPackage("org.tensorflow..", "ai.djl..")
                    .because("native TensorFlow lives behind tensorflow-support (and DJL in the evaluator)")
                    .check(modules.get(artifact).classes());
        }
    }

    @Test
    void everyModuleDeclaresTheProjectModulesItUses() {
        List<String> undeclared = new ArrayList<>();
        for (Modules.Module module : modules.byArtifact().values()) {
            Set<String> used = new TreeSet<>();
            for (JavaClass type : module.classes()) {
                for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                    owner(dependency.getTargetClass().getPackageName()).ifPresent(used::add);
                }
            }
            used.remove(module.artifact());
            used.removeAll(module.declared());
            used.forEach(missing -> undeclared.add(module.artifact() + " uses " + missing + " without declaring it"));
        }
        assertThat(undeclared).as("project modules used only through another module's dependencies").isEmpty();
    }

    private static java.util.Optional<String> owner(String packageName) {
        return modules.byArtifact().values().stream()
                .filter(m -> packageName.equals(m.rootPackage()) || packageName.startsWith(m.rootPackage() + "."))
                .map(Modules.Module::artifact).findFirst();
    }

    private static String[] outer() {
        List<String> outer = new ArrayList<>(SERVICES);
        outer.add("bench");
        return outer.stream().flatMap(a -> modules.packagesOf(a).stream()).toArray(String[]::new);
    }
}
