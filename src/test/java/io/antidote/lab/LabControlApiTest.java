package io.antidote.lab;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The lab control API answers bad host specs with the same problem document as the rest of the API
 * (status, title, detail and the field at fault), although the lab renders it without the API's or
 * the engine's classes: these pin that document field by field.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LabControlApiTest {

    private static String freshName() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void a_spec_without_a_usable_name_is_refused_with_a_problem_naming_the_name() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "not a name!", "version", "2016", "cu", "CU19"))
                .when().post("/lab/hosts")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Invalid request"))
                .body("status", equalTo(422))
                .body("detail", containsString("name: a host name matching "))
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo("name"))
                .body("errors[0].message", containsString("is required"));
    }

    @Test
    void a_created_host_names_the_port_its_ws_management_endpoint_answers_on() throws Exception {
        String name = freshName();
        int port = given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "version", "2019", "cu", "CU8"))
                .when().post("/lab/hosts")
                .then().statusCode(201).body("name", equalTo(name))
                .extract().path("port");
        try {
            given().when().get("/lab/hosts/{name}", name).then().statusCode(200).body("port", equalTo(port));
            // A process that drives the lab from outside (the kill campaign) finds the host by this port alone.
            HttpURLConnection wsman = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/wsman")
                    .toURL().openConnection();
            wsman.setRequestMethod("POST");
            assertEquals(401, wsman.getResponseCode(), "the host's endpoint asks for credentials");
        } finally {
            given().when().delete("/lab/hosts/{name}", name).then().statusCode(204);
        }
    }

    @Test
    void a_second_host_of_the_same_name_is_refused_with_a_problem_naming_the_name() {
        String name = freshName();
        Map<String, Object> spec = Map.of("name", name, "version", "2019", "cu", "CU8");
        given().contentType(ContentType.JSON).body(spec).when().post("/lab/hosts").then().statusCode(201);
        try {
            given().contentType(ContentType.JSON).body(spec)
                    .when().post("/lab/hosts")
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("title", equalTo("Invalid request"))
                    .body("detail", equalTo("name: a target named '" + name + "' already exists"))
                    .body("errors[0].field", equalTo("name"))
                    .body("errors[0].message", equalTo("a target named '" + name + "' already exists"));
        } finally {
            given().when().delete("/lab/hosts/{name}", name).then().statusCode(204);
        }
    }

    @Test
    void a_spec_with_a_bad_field_is_refused_with_the_field_and_the_reason_in_detail_and_errors() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", freshName(), "version", "2010", "cu", "CU19", "compromise", List.of()))
                .when().post("/lab/hosts")
                .then().statusCode(422).contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("detail", containsString("version: "))
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo("version"));
    }

    @Test
    void an_unknown_host_is_a_404_problem() {
        given().when().get("/lab/hosts/{name}", "no-such-host")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("no lab host named 'no-such-host'"));
        given().when().delete("/lab/hosts/{name}", "no-such-host")
                .then().statusCode(404).contentType("application/problem+json");
    }
}
