package io.antidote.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The compiled production code the architecture rules are checked against, imported once for all of
 * them. Tests are left out: they may reach across parts (an API test drives the lab), the product may not.
 */
final class ProductionClasses {

    static final String BASE = "io.antidote";
    static final String WORKFLOW = BASE + ".workflow..";
    static final String ENGINE = BASE + ".engine..";
    static final String STORE = BASE + ".store..";
    static final String WINRM = BASE + ".winrm..";
    static final String LAB = BASE + ".lab..";
    static final String API = BASE + ".api..";
    static final String CLI = BASE + ".cli..";
    static final String PLAYBOOK = BASE + ".playbook..";
    static final String VERIFY = BASE + ".verify..";

    static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    private ProductionClasses() {
    }
}
