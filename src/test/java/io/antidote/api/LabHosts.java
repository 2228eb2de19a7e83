package io.antidote.api;

import io.restassured.http.ContentType;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Fresh lab hosts per test, created through the lab control API, so tests never share a server's state. */
final class LabHosts {

    private LabHosts() {
    }

    static String create(String version, String cu, List<String> compromise, List<String> faults) {
        return create(version, cu, compromise, faults, List.of());
    }

    /** With {@code updates} (e.g. KB5000871) already installed: the server starts on its CU's fixed build. */
    static String create(String version, String cu, List<String> compromise, List<String> faults, List<String> updates) {
        return create(Map.of("version", version, "cu", cu, "compromise", compromise, "faults", faults,
                "updates", updates));
    }

    /** A member of DAG {@code dag}: its target carries the label {@code dag}. */
    static String createInDag(String dag, String version, String cu) {
        return create(Map.of("version", version, "cu", cu, "dag", dag));
    }

    /** A member of DAG {@code dag} with these lab faults (e.g. refuse-update-once). */
    static String createInDag(String dag, String version, String cu, List<String> faults) {
        return create(Map.of("version", version, "cu", cu, "dag", dag, "faults", faults));
    }

    private static String create(Map<String, Object> spec) {
        String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new java.util.HashMap<>(spec);
        body.put("name", name);
        given().contentType(ContentType.JSON).body(body)
                .when().post("/lab/hosts")
                .then().statusCode(201);
        return name;
    }

    /** When each command reached the host, and its script, oldest first (the host's command log). */
    static List<Map<String, Object>> commands(String name) {
        return given().when().get("/lab/hosts/{name}/commands", name).then().statusCode(200)
                .extract().jsonPath().getList("commands");
    }

    static void delete(List<String> names) {
        names.forEach(name -> given().when().delete("/lab/hosts/{name}", name));
    }

    /**
     * Each host's command log shows each step's script exactly once: {@code line} with {@code %d} for the step
     * number (1 to {@code steps}) is a line only that step's script holds.
     */
    static void assertEachStepRanOnce(List<String> hosts, String line, int steps) {
        for (String host : hosts) {
            List<String> scripts = given().when().get("/lab/hosts/{name}/commands", host).then().statusCode(200)
                    .extract().jsonPath().getList("commands.script", String.class);
            for (int s = 1; s <= steps; s++) {
                String stepLine = String.format(line, s);
                assertThat(scripts.stream().filter(script -> script.contains(stepLine)).count())
                        .as("times %s ran step-%d's script", host, s).isEqualTo(1L);
            }
        }
    }

    /** The host's server component states (component to state) in a model as {@link #model} read it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> componentStates(Map<String, Object> model) {
        return (Map<String, Object>) model.get("componentStates");
    }

    static Map<String, Object> model(String name) {
        return given().when().get("/lab/hosts/{name}", name).then().statusCode(200).extract().jsonPath().getMap("");
    }
}
