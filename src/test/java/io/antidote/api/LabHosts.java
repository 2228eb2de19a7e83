package io.antidote.api;

import io.restassured.http.ContentType;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Fresh lab hosts per test, created through the lab control API, so tests never share a server's state. */
final class LabHosts {

    private LabHosts() {
    }

    static String create(String version, String cu, List<String> compromise, List<String> faults) {
        String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "version", version, "cu", cu, "compromise", compromise, "faults", faults))
                .when().post("/lab/hosts")
                .then().statusCode(201);
        return name;
    }

    static Map<String, Object> model(String name) {
        return given().when().get("/lab/hosts/{name}", name).then().statusCode(200).extract().jsonPath().getMap("");
    }
}
