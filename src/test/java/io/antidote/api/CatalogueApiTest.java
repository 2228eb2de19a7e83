package io.antidote.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** What an admin or a ticket system reads before triggering anything: playbooks, targets, health. */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CatalogueApiTest {

    @Test
    void the_proxylogon_playbook_is_listed_with_its_steps_digest_and_parameters() {
        given().when().get("/api/v1/playbooks")
                .then().statusCode(200)
                .body("name", hasItems("proxylogon-remediation", "proxylogon-mitigation", "proxylogon-mitigation-rollback",
                        "proxylogon-ioc-scan", "proxylogon-verify"))
                .body("find { it.name == 'proxylogon-remediation' }.steps.id",
                        equalTo(ProxyLogonRemediationTest.STEPS))
                .body("find { it.name == 'proxylogon-remediation' }.digest", matchesPattern("[0-9a-f]{64}"))
                .body("find { it.name == 'proxylogon-remediation' }.params.name", hasItem("patchShare"))
                .body("find { it.name == 'proxylogon-remediation' }.source", nullValue());
    }

    @Test
    void one_playbook_is_shown_with_its_source() {
        given().when().get("/api/v1/playbooks/proxylogon-remediation")
                .then().statusCode(200)
                .body("source", containsString("New-NetFirewallRule"));
        given().when().get("/api/v1/playbooks/nope")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void the_lab_fleet_is_in_the_inventory_without_credentials() {
        given().when().get("/api/v1/targets")
                .then().statusCode(200)
                .body("name", hasItems("lab-ex01", "lab-ex02", "lab-ex03"))
                .body("find { it.name == 'lab-ex01' }.address", equalTo("127.0.0.1"))
                .body("find { it.name == 'lab-ex01' }.labels.version", equalTo("2016"))
                .body(not(containsString("Lab-Passw0rd!")));
    }

    @Test
    void the_service_reports_itself_live_and_ready_with_its_database() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
