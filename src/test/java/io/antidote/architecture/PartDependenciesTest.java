package io.antidote.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static io.antidote.architecture.ProductionClasses.ALL;
import static io.antidote.architecture.ProductionClasses.CLI;
import static io.antidote.architecture.ProductionClasses.ENGINE;
import static io.antidote.architecture.ProductionClasses.LAB;
import static io.antidote.architecture.ProductionClasses.PLAYBOOK;
import static io.antidote.architecture.ProductionClasses.STORE;
import static io.antidote.architecture.ProductionClasses.VERIFY;
import static io.antidote.architecture.ProductionClasses.WINRM;
import static io.antidote.architecture.ProductionClasses.WORKFLOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The arrows allowed between Antidote's parts (docs/architecture.md draws them): no part reaches back
 * into one that uses it, the store knows nothing of the engine that drives it, and the lab is a
 * simulator the product never needs, which itself knows the product only through the transport's ports.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PartDependenciesTest {

    /** What only runs inside the Quarkus application: the CLI's jar has none of it. */
    private static final String[] QUARKUS_RUNTIME = {"io.quarkus..", "jakarta..", "io.smallrye..",
            "org.eclipse.microprofile..", "org.jboss..", "io.vertx.."};

    /**
     * The page's table of arrows is the rule: each part imports of the others only those its row names, and
     * every part of the code has a row. A new arrow is drawn on the page, where the next reader finds it.
     */
    @Test
    void every_part_imports_only_the_parts_its_row_on_the_architecture_page_names() throws IOException {
        Map<String, Set<String>> arrows = arrowsOnThePage();
        Set<String> parts = ALL.stream().map(type -> type.getPackageName().split("\\."))
                .filter(name -> name.length > 2).map(name -> name[2]).collect(Collectors.toCollection(TreeSet::new));
        assertThat(arrows.keySet()).as("parts with a row in docs/architecture.md").containsExactlyInAnyOrderElementsOf(parts);
        arrows.forEach((part, allowed) -> {
            String[] others = parts.stream().filter(other -> !other.equals(part) && !allowed.contains(other))
                    .map(other -> ProductionClasses.BASE + "." + other + "..").toArray(String[]::new);
            if (others.length > 0) {
                noClasses().that().resideInAPackage(ProductionClasses.BASE + "." + part + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(others)
                        .because("docs/architecture.md allows " + part + " to import only " + allowed)
                        .check(ALL);
            }
        });
    }

    /** The rows {@code | `part` | `other`, `other` |} of the page's table (a row that names no part, "nothing", imports none). */
    private static Map<String, Set<String>> arrowsOnThePage() throws IOException {
        Map<String, Set<String>> arrows = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| `([a-z]+)` \\|([^|]*)\\|");
        Pattern name = Pattern.compile("`([a-z]+)`");
        for (String line : Files.readAllLines(Path.of("docs/architecture.md"))) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                Set<String> allowed = new TreeSet<>();
                Matcher names = name.matcher(m.group(2));
                while (names.find()) {
                    allowed.add(names.group(1));
                }
                assertThat(arrows.put(m.group(1), allowed)).as("rows of %s on the page", m.group(1)).isNull();
            }
        }
        return arrows;
    }

    @Test
    void no_two_parts_depend_on_each_other_even_through_a_third() {
        ArchRule rule = slices().matching("io.antidote.(*)..").namingSlices("$1").should().beFreeOfCycles();
        rule.check(ALL);
    }

    @Test
    void no_two_packages_depend_on_each_other_even_through_a_third() {
        ArchRule rule = slices().matching("io.antidote.(**)").namingSlices("$1").should().beFreeOfCycles();
        rule.check(ALL);
    }

    /**
     * The parser was one class tied both ways to the step library, the bundle and library steps (issue 10): its
     * readers and the YAML toolkit now depend one way only, so each can be read, and changed, without the others.
     */
    @Test
    void no_two_classes_of_the_playbook_part_depend_on_each_other_even_through_a_third() {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (JavaClass type : ALL.that(resideInAPackage(PLAYBOOK))) {
            String from = topLevel(type);
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass();
                if (target.getPackageName().equals(type.getPackageName()) && !topLevel(target).equals(from)) {
                    uses.computeIfAbsent(from, k -> new TreeSet<>()).add(topLevel(target));
                }
            }
        }
        assertThat(Cycles.of(uses)).as("classes of playbook that depend on each other").isEmpty();
    }

    private static String topLevel(JavaClass type) {
        return type.getName().replaceAll("\\$.*", "");
    }

    @Test
    void no_production_part_depends_on_the_lab() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage(LAB)
                .should().dependOnClassesThat().resideInAPackage(LAB);
        rule.check(ALL);
    }

    @Test
    void the_lab_uses_of_the_product_only_the_transport_so_never_the_engine_the_api_or_the_store() {
        ArchRule rule = noClasses().that().resideInAPackage(LAB)
                .should().dependOnClassesThat(resideInAPackage("io.antidote..").and(resideOutsideOfPackages(LAB, WINRM)));
        rule.check(ALL);
    }

    @Test
    void the_store_never_uses_the_engine() {
        ArchRule rule = noClasses().that().resideInAPackage(STORE)
                .should().dependOnClassesThat().resideInAPackage(ENGINE);
        rule.check(ALL);
    }

    @Test
    void the_cli_uses_of_the_product_only_the_playbook_parser_the_pure_workflow_types_and_the_offline_verifier() {
        ArchRule rule = noClasses().that().resideInAPackage(CLI)
                .should().dependOnClassesThat(resideInAPackage("io.antidote..")
                        .and(resideOutsideOfPackages(CLI, PLAYBOOK, WORKFLOW, VERIFY)));
        rule.check(ALL);
    }

    @Test
    void the_cli_runs_without_quarkus_so_it_uses_no_quarkus_cdi_or_microprofile() {
        ArchRule rule = noClasses().that().resideInAPackage(CLI)
                .should().dependOnClassesThat().resideInAnyPackage(QUARKUS_RUNTIME);
        rule.check(ALL);
    }

    /** The CLI's jar carries the playbook part without the catalog bean: every other class of it must run without Quarkus. */
    @Test
    void the_playbook_parser_runs_without_quarkus_so_that_the_cli_can_lint_offline() {
        ArchRule rule = noClasses().that().resideInAPackage(PLAYBOOK)
                .and().doNotHaveSimpleName("PlaybookCatalog").and().doNotHaveSimpleName("PlaybooksConfig")
                .should().dependOnClassesThat().resideInAnyPackage(QUARKUS_RUNTIME);
        rule.check(ALL);
    }

    @Test
    void no_production_part_depends_on_the_cli() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage(CLI)
                .should().dependOnClassesThat().resideInAPackage(CLI);
        rule.check(ALL);
    }

    /** src/verify/Verify.java is the auditors' one-file verifier: it must keep running with a bare JDK. */
    @Test
    void the_offline_verifier_uses_nothing_but_the_jdk() {
        ArchRule rule = noClasses().that().resideInAPackage(VERIFY)
                .should().dependOnClassesThat(resideOutsideOfPackages("java..", VERIFY));
        rule.check(ALL);
    }
}
