package io.antidote.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static io.antidote.architecture.ProductionClasses.ALL;

import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaParameter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.smallrye.config.SmallRyeConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Settings are read one way only: through {@code @ConfigMapping} interfaces, which declare each setting with its
 * default and its rules, are validated when the service starts, and are what docs/configuration.md is checked
 * against (ConfigurationDocTest). A {@code @ConfigProperty} or a lookup by name would be a setting that no
 * mapping declares, checked late or never, and missing from the documentation without any test noticing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TypedConfigurationTest {

    @Test
    void no_production_class_injects_a_setting_with_ConfigProperty() {
        ArchRule rule = noClasses().should().dependOnClassesThat().belongToAnyOf(ConfigProperty.class)
                .because("settings are read through @ConfigMapping interfaces (docs/configuration.md)");
        rule.check(ALL);
    }

    @Test
    void no_production_field_method_or_parameter_is_annotated_with_ConfigProperty() {
        noFields().should().beAnnotatedWith(ConfigProperty.class).check(ALL);
        noMethods().should().beAnnotatedWith(ConfigProperty.class).check(ALL);
        codeUnits().should(new ArchCondition<JavaCodeUnit>("have no parameter annotated with @ConfigProperty") {
            @Override
            public void check(JavaCodeUnit unit, ConditionEvents events) {
                for (JavaParameter parameter : unit.getParameters()) {
                    if (parameter.isAnnotatedWith(ConfigProperty.class)) {
                        events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + ": parameter "
                                + parameter.getIndex() + " is a @ConfigProperty"));
                    }
                }
            }
        }).check(ALL);
    }

    @Test
    void no_production_class_looks_a_setting_up_by_name() {
        ArchRule rule = noClasses().should().dependOnClassesThat()
                .belongToAnyOf(Config.class, ConfigProvider.class, SmallRyeConfig.class)
                .because("a lookup by name reads a setting that no @ConfigMapping declares or validates");
        rule.check(ALL);
    }
}
