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
import com.fasterxml.jackson.databind.JsonNode;
import io.antidote.audit.SigningKeys;
import io.antidote.audit.Verification;
import io.antidote.playbook.PlaybookError;
import io.antidote.store.StoredEvent;
import io.antidote.winrm.Inventory;
import io.antidote.winrm.InventoryError;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code api} holds resources and views only, so that no rule of the product hides behind HTTP. What that
 * means, checked here:
 * <ul>
 *   <li>every class in it is a <em>resource</em> (annotated {@code @Path}: it maps HTTP to calls and results
 *       to responses), a <em>view</em> (a record: a request body, a response document or a problem), or
 *       <em>exception mappers</em> (a class whose only methods are {@code @ServerExceptionMapper}s);</li>
 *   <li>its resources keep nothing between requests: every field is final (injected collaborators and
 *       constants);</li>
 *   <li>nothing else in the product uses it: it is the outermost layer, never a place to call into;</li>
 *   <li>what an endpoint answers is data: a record (a view of {@code api}, or a result record another part
 *       designed as a document: the event envelope {@code store.StoredEvent}, an audit
 *       {@code Verification}, see {@link #DOCUMENTS_BY_DESIGN}), a JDK value, or a JAX-RS
 *       {@code Response}, a JSON tree or a server-sent event, possibly in a Mutiny {@code Uni}/{@code Multi} or a collection. Never an entity, a
 *       state object or a service: those would put their fields on the wire and tie the contract to them.</li>
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
    void endpoints_answer_data_only() throws ClassNotFoundException {
        List<String> violations = new ArrayList<>();
        for (Method method : endpoints()) {
            answered(method.getGenericReturnType(), method, violations);
        }
        assertThat(violations).as("endpoints answering something other than data").isEmpty();
    }

    /**
     * Records of other parts that endpoints answer as they are, because each was designed as a document: the
     * event envelope (the same JSON in messages and exports), the audit's verification (the same the offline
     * verifier prints) and signing keys, and the errors a playbook or inventory file was refused with. Anything
     * else an endpoint answers, by its type or as the documented schema of a {@code Response}, is a view of
     * {@code api}: a new document of another part is a decision to write down here, not an accident.
     */
    private static final Set<Class<?>> DOCUMENTS_BY_DESIGN = Set.of(StoredEvent.class, Verification.class,
            SigningKeys.PublicKeyInfo.class, PlaybookError.class, InventoryError.class, Inventory.Loaded.class);

    @Test
    void what_an_endpoint_answers_is_a_view_of_the_api_or_a_document_by_design() throws ClassNotFoundException {
        List<String> violations = new ArrayList<>();
        for (Method method : endpoints()) {
            List<Class<?>> answers = new ArrayList<>();
            topLevel(method.getGenericReturnType(), answers);
            for (APIResponse response : method.getAnnotationsByType(APIResponse.class)) {
                for (Content content : response.content()) {
                    Schema schema = content.schema();
                    answers.add(schema.implementation());
                    answers.addAll(Arrays.asList(schema.oneOf()));
                    answers.addAll(Arrays.asList(schema.anyOf()));
                    answers.addAll(Arrays.asList(schema.allOf()));
                }
            }
            answers.stream()
                    .filter(type -> type.getName().startsWith(ProductionClasses.BASE + ".")
                            && !type.getPackageName().equals(ProductionClasses.BASE + ".api"))
                    .filter(type -> !DOCUMENTS_BY_DESIGN.contains(type))
                    .forEach(type -> violations.add(method.getDeclaringClass().getSimpleName() + "." + method.getName()
                            + " answers " + type.getName() + ", neither a view of api nor a document by design"));
        }
        assertThat(violations).as("endpoints answering another part's type instead of a view").isEmpty();
    }

    /** The types an answer is made of, through Uni, Multi, collections and arrays, but not into records. */
    private static void topLevel(Type type, List<Class<?>> found) {
        if (type instanceof ParameterizedType generic) {
            topLevel(generic.getRawType(), found);
            Arrays.stream(generic.getActualTypeArguments()).forEach(argument -> topLevel(argument, found));
        } else if (type instanceof GenericArrayType array) {
            topLevel(array.getGenericComponentType(), found);
        } else if (type instanceof Class<?> raw) {
            found.add(raw.isArray() ? raw.getComponentType() : raw);
        }
    }

    /** Every resource method of {@code api} that answers an HTTP method. */
    private static List<Method> endpoints() throws ClassNotFoundException {
        List<Method> endpoints = new ArrayList<>();
        for (JavaClass resource : ALL.that(JavaClass.Predicates.resideInAPackage(API))) {
            if (resource.isAnnotatedWith(Path.class)) {
                for (Method method : Class.forName(resource.getName()).getDeclaredMethods()) {
                    if (isEndpoint(method)) {
                        endpoints.add(method);
                    }
                }
            }
        }
        return endpoints;
    }

    private static boolean isEndpoint(Method method) {
        return Arrays.stream(method.getAnnotations())
                .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class));
    }

    private static void answered(Type type, Method method, List<String> violations) {
        if (type instanceof ParameterizedType generic) {
            answered(generic.getRawType(), method, violations);
            for (Type argument : generic.getActualTypeArguments()) {
                answered(argument, method, violations);
            }
            return;
        }
        if (type instanceof WildcardType || type instanceof TypeVariable<?>) {
            violations.add(method + " answers an unbound type " + type);
            return;
        }
        if (type instanceof GenericArrayType array) {
            answered(array.getGenericComponentType(), method, violations);
            return;
        }
        Class<?> raw = (Class<?>) type;
        boolean data = raw.isPrimitive() || raw.isRecord() || raw.isEnum() || raw == void.class
                || raw.getName().startsWith("java.") || raw == Response.class
                || raw == Uni.class || raw == Multi.class
                // A server-sent event is the stream's wire form; its data is the same JSON the lists answer.
                || raw == OutboundSseEvent.class
                // A JSON tree is data as stored: an event's own fields, kept as the hash chain covers them.
                || JsonNode.class.isAssignableFrom(raw);
        if (raw.isArray()) {
            answered(raw.getComponentType(), method, violations);
        } else if (!data) {
            violations.add(method.getDeclaringClass().getSimpleName() + "." + method.getName() + " answers "
                    + raw.getName() + ", which is neither a record nor a JDK value");
        } else if (raw.isRecord()) {
            for (RecordComponent component : raw.getRecordComponents()) {
                answered(component.getGenericType(), method, violations);
            }
        }
    }

    @Test
    void nothing_outside_the_api_uses_it() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage(API)
                .should().dependOnClassesThat().resideInAPackage(API);
        rule.check(ALL);
    }
}
