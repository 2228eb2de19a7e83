package io.antidote.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.antidote.architecture.ProductionClasses.ALL;
import static io.antidote.architecture.ProductionClasses.API;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.ws.rs.Path;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * {@code api} holds resources and views only, so that no rule of the product hides behind HTTP. What that
 * means, checked here:
 * <ul>
 *   <li>every class in it is a <em>resource</em> (annotated {@code @Path}: it maps HTTP to calls and results
 *       to responses), a <em>view</em> (a record: a request body, a response document or a problem), or
 *       <em>exception mappers</em> (a class whose only methods are {@code @ServerExceptionMapper}s);</li>
 *   <li>its resources keep nothing between requests: every field is final (injected collaborators and
 *       constants);</li>
 *   <li>nothing else in the product uses it: it is the outermost layer, never a place to call into.</li>
 * </ul>
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ApiShapeTest {

    private static final ArchCondition<JavaClass> BE_A_RESOURCE_A_VIEW_OR_EXCEPTION_MAPPERS =
            new ArchCondition<>("be a resource (@Path), a view (a record) or exception mappers only") {
                @Override
                public void check(JavaClass type, ConditionEvents events) {
                    boolean resource = type.isAnnotatedWith(Path.class);
                    boolean view = type.isRecord();
                    boolean mappers = type.getMethods().stream()
                            .filter(method -> !method.getModifiers().contains(JavaModifier.SYNTHETIC))
                            .allMatch(method -> method.isAnnotatedWith(ServerExceptionMapper.class))
                            && !type.getMethods().isEmpty();
                    if (!resource && !view && !mappers) {
                        events.add(SimpleConditionEvent.violated(type, type.getName()
                                + " is neither a resource (@Path), a view (record) nor exception mappers"));
                    }
                }
            };

    @Test
    void every_api_class_is_a_resource_a_view_or_exception_mappers() {
        ArchRule rule = classes().that().resideInAPackage(API).should(BE_A_RESOURCE_A_VIEW_OR_EXCEPTION_MAPPERS);
        rule.check(ALL);
    }

    @Test
    void api_classes_keep_no_state_between_requests() {
        ArchRule rule = fields().that().areDeclaredInClassesThat().resideInAPackage(API).should().beFinal();
        rule.check(ALL);
    }

    @Test
    void nothing_outside_the_api_uses_it() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage(API)
                .should().dependOnClassesThat().resideInAPackage(API);
        rule.check(ALL);
    }
}
