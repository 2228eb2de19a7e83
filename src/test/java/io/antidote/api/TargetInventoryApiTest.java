package io.antidote.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TargetInventoryApiTest {

    @Test
    void the_lab_fleet_is_listed_over_ntlm_and_a_reload_answers_what_it_loaded() {
        given().get("/api/v1/targets").then().statusCode(200)
                .body("find { it.name == 'lab-ex01' }.auth", equalTo("NTLM"));
        given().post("/api/v1/targets/reload").then().statusCode(200)
                .body("targets", greaterThanOrEqualTo(0))
                .body("errors.size()", equalTo(0));
        given().get("/api/v1/targets").then().statusCode(200)
                .body("name", hasItem("lab-ex01"));
    }

    @Test
    void inventory_errors_are_exposed_as_a_list() {
        given().get("/api/v1/targets/errors").then().statusCode(200).body("size()", equalTo(0));
    }
}
