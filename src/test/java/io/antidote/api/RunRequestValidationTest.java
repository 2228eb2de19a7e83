package io.antidote.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Bad run requests are refused with a problem document that names the offending field, and leave
 * nothing behind: not one event is written for them.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunRequestValidationTest {

    @Test
    void an_unknown_playbook_is_refused_naming_the_playbook_field() {
        long before = eventCount();
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "no-such-playbook", "targets", List.of("lab-ex01")))
                .when().post("/api/v1/runs")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("errors.field", hasItem("playbook"))
                .body("errors[0].message", containsString("no-such-playbook"));
        assertThat(eventCount()).as("events written by a refused request").isEqualTo(before);
    }

    @Test
    void unknown_duplicate_and_hostile_target_names_are_refused_one_field_each() {
        long before = eventCount();
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-remediation",
                        "targets", List.of("lab-ex01", "ex99", "lab-ex01", "ex01'; Remove-Item C:\\ -Recurse #")))
                .when().post("/api/v1/runs")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("targets[1]", "targets[2]", "targets[3]")))
                .body("errors[0].message", containsString("no target named 'ex99'"))
                .body("errors[1].message", containsString("named twice"))
                .body("errors[2].message", containsString("not a valid target name"));
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void a_request_without_targets_is_refused() {
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of()))
                .when().post("/api/v1/runs")
                .then().statusCode(422)
                .body("errors.field", hasItem("targets"));
    }

    @Test
    void a_parameter_the_playbook_does_not_declare_is_refused_naming_it() {
        long before = eventCount();
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of("lab-ex01"),
                        "params", Map.of("patchShare", "C:\\Patches", "rebootNow", true)))
                .when().post("/api/v1/runs")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("params.rebootNow"));
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void a_parameter_of_the_wrong_type_is_refused_naming_it() {
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of("lab-ex01"),
                        "params", Map.of("patchShare", 42)))
                .when().post("/api/v1/runs")
                .then().statusCode(422)
                .body("errors.field", hasItem("params.patchShare"));
    }

    @Test
    void malformed_json_and_unknown_fields_are_refused_as_bad_requests() {
        given().contentType(ContentType.JSON).body("{\"playbook\": ")
                .when().post("/api/v1/runs")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of("lab-ex01"), "targetz", 1))
                .when().post("/api/v1/runs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("targetz"));
    }

    @Test
    void an_unknown_run_is_not_found_as_a_problem_document() {
        given().when().get("/api/v1/runs/{id}", "6d2b7c1e-0000-4000-8000-000000000000")
                .then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/v1/runs/{id}", "not-a-uuid")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", not(containsString("Exception")));
    }

    /** Stored events whose data holds {@code text} anywhere (a request's own ticket, say). */
    static long eventsMentioning(String text) {
        try (Connection c = DriverManager.getConnection(
                org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getValue("quarkus.datasource.jdbc.url", String.class), "postgres", "");
             java.sql.PreparedStatement query = c.prepareStatement(
                     "select count(*) from run_event where strpos(data::text, ?) > 0")) {
            query.setString(1, text);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long eventCount() {
        try (Connection c = DriverManager.getConnection(
                org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getValue("quarkus.datasource.jdbc.url", String.class), "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("select count(*) from run_event")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
