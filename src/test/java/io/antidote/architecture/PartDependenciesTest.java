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

import com.tngtech.archunit.lang.ArchRule;
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
