package io.antidote.api;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract served at /q/openapi against the code: every JAX-RS resource method of the product is an
 * operation there (found by reflection, so a new endpoint without a line in the contract fails here), with a
 * summary, its success and problem responses, examples, resolvable schemas and the security schemes.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ApiContractTest {

    private static final List<Class<? extends Annotation>> VERBS = List.of(GET.class, POST.class, PUT.class,
            DELETE.class, PATCH.class, HEAD.class);

    @Test
    void every_resource_method_is_an_operation_of_the_served_contract_and_nothing_else_is() {
        Set<String> inCode = routesInCode();
        Set<String> documented = new TreeSet<>(operations(contract()).keySet());

        assertThat(inCode).as("resource methods found by reflection").hasSizeGreaterThan(15);
        assertThat(documented).as("operations at /q/openapi; missing ones are undocumented endpoints")
                .containsExactlyInAnyOrderElementsOf(inCode);
    }

    @Test
    void every_operation_has_a_summary_a_success_answer_and_its_problems_as_problem_json_with_examples() {
        Map<String, Map<String, Object>> operations = operations(contract());
        operations.forEach((operation, doc) -> {
            assertThat((String) doc.get("summary")).as("summary of %s", operation).isNotBlank();
            assertThat((List<?>) doc.get("tags")).as("tags of %s", operation).hasSize(1);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) doc.get("responses");
            assertThat(responses.keySet()).as("responses of %s", operation).anyMatch(code -> code.startsWith("2"))
                    .contains("500");
            responses.forEach((code, response) -> {
                if (Integer.parseInt(code) >= 400) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> problem = (Map<String, Object>) ((Map<String, Object>) response.get("content"))
                            .get("application/problem+json");
                    assertThat(problem).as("%s %s as a problem", operation, code).isNotNull()
                            .containsEntry("schema", Map.of("$ref", "#/components/schemas/Problem"));
                    assertThat(problem.get("example")).as("%s %s example", operation, code).asString()
                            .contains("status=" + code);
                }
            });
            if (doc.get("requestBody") != null) {
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> content = (Map<String, Map<String, Object>>)
                        ((Map<String, Object>) doc.get("requestBody")).get("content");
                content.forEach((media, body) -> assertThat(body.get("example"))
                        .as("request example of %s (%s)", operation, media).isNotNull());
            }
        });
        // What the mappers answer and what the contract says agree, on one real error.
        given().when().get("/api/v1/runs/{id}", "5b0e8a52-6f1d-4c64-9d7e-0c1f2a3b4c5d")
                .then().statusCode(404).contentType("application/problem+json");
        assertThat(responseCodes(operations, "GET /api/v1/runs/{id}")).contains("404");
        assertThat(responseCodes(operations, "POST /api/v1/runs")).contains("202", "200", "400", "409", "422");
    }

    @Test
    void every_schema_referenced_is_defined_and_the_security_schemes_are_declared() {
        JsonPath contract = contract();
        Map<String, Object> schemas = contract.getMap("components.schemas");
        List<String> refs = new ArrayList<>();
        collectRefs(contract.get(""), refs);
        assertThat(refs).as("$refs in the contract").isNotEmpty();
        refs.forEach(ref -> assertThat(schemas).as("target of %s", ref)
                .containsKey(ref.substring("#/components/schemas/".length())));
        assertThat(schemas).containsKeys("Problem", "FieldError", "RunView", "RunRequestBody", "RunListView");
        assertThat(contract.getMap("components.securitySchemes")).containsOnlyKeys("oidc", "bearer", "apiToken");
        assertThat(contract.getString("components.securitySchemes.oidc.type")).isEqualTo("openIdConnect");
        assertThat(contract.getString("components.securitySchemes.bearer.scheme")).isEqualTo("bearer");
        assertThat(contract.getString("components.securitySchemes.apiToken.in")).isEqualTo("header");
    }

    @Test
    void swagger_ui_is_served() {
        given().redirects().follow(true).when().get("/q/swagger-ui/")
                .then().statusCode(200).contentType(org.hamcrest.Matchers.containsString("text/html"));
    }

    @SuppressWarnings("unchecked")
    private static Set<String> responseCodes(Map<String, Map<String, Object>> operations, String operation) {
        return ((Map<String, Object>) operations.get(operation).get("responses")).keySet();
    }

    private static JsonPath contract() {
        return given().accept("application/json").when().get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
    }

    /** "METHOD /path" to the operation, for every operation of the served document. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> operations(JsonPath contract) {
        Map<String, Map<String, Object>> operations = new java.util.TreeMap<>();
        Map<String, Map<String, Object>> paths = contract.getMap("paths");
        paths.forEach((path, item) -> item.forEach((method, operation) -> {
            if (operation instanceof Map<?, ?> op && op.containsKey("responses")) {
                operations.put(method.toUpperCase() + " " + path, (Map<String, Object>) op);
            }
        }));
        return operations;
    }

    /**
     * "METHOD /path" for every JAX-RS resource method in the product's classes, but the console's pages: HTML for
     * people, not the API (mp.openapi.scan.exclude.packages), held to roles by RolesAnnotationTest all the same.
     */
    private static Set<String> routesInCode() {
        Set<String> routes = new TreeSet<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.antidote")) {
            if (!type.isAnnotatedWith(Path.class) || type.getPackageName().equals("io.antidote.console")) {
                continue;
            }
            Class<?> resource = type.reflect();
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                for (Class<? extends Annotation> verb : VERBS) {
                    if (method.isAnnotationPresent(verb)) {
                        Path sub = method.getAnnotation(Path.class);
                        routes.add(verb.getSimpleName() + " " + join(base, sub == null ? "" : sub.value()));
                    }
                }
            }
        }
        return routes;
    }

    private static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static void collectRefs(Object node, List<String> refs) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("$ref".equals(key) && value instanceof String ref) {
                    refs.add(ref);
                } else {
                    collectRefs(value, refs);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectRefs(item, refs));
        }
    }
}
