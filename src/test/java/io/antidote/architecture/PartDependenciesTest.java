package io.antidote.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static io.antidote.architecture.ProductionClasses.ALL;
import static io.antidote.architecture.ProductionClasses.ENGINE;
import static io.antidote.architecture.ProductionClasses.LAB;
import static io.antidote.architecture.ProductionClasses.STORE;
import static io.antidote.architecture.ProductionClasses.WINRM;

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
}
