package io.antidote.identity;

import io.antidote.api.FleetAndFaultsProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's way into the lab: at start the service writes three API tokens to a file only its user can read,
 * as shell variables, and each works with the roles the walk-through needs (the operator requests and drives the
 * lab, the approver approves, the admin manages tokens), and no more.
 */
@QuarkusTest
@TestProfile(FleetAndFaultsProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LabTokensTest {

    static final Path FILE = FleetAndFaultsProfile.LAB_TOKENS;

    private static Map<String, String> variables() throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(FILE)) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && equals > 0) {
                out.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return out;
    }

    private static int status(String token, String path) {
        return given().header("Authorization", "Bearer " + token).when().get(path).then().extract().statusCode();
    }

    @Test
    void the_file_holds_three_tokens_readable_by_the_service_user_only() throws IOException {
        assertThat(Files.getPosixFilePermissions(FILE)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Map<String, String> tokens = variables();
        assertThat(tokens).containsOnlyKeys("OPERATOR", "APPROVER", "ADMIN");
        assertThat(tokens.values()).allSatisfy(token -> assertThat(token).startsWith("atk_")).doesNotHaveDuplicates();
    }

    @Test
    void each_token_opens_what_its_person_needs_in_the_walk_through_and_nothing_more() throws IOException {
        Map<String, String> tokens = variables();

        assertThat(status(tokens.get("OPERATOR"), "/api/v1/runs")).as("operator reads runs").isEqualTo(200);
        assertThat(status(tokens.get("OPERATOR"), "/lab/hosts")).as("operator drives the lab").isEqualTo(200);
        // The operator's token carries auditor too (the README's walk-through audits with it): it reads the tokens.
        assertThat(status(tokens.get("OPERATOR"), "/api/v1/tokens")).as("operator, as auditor, reads the tokens issued")
                .isEqualTo(200);
        assertThat(status(tokens.get("APPROVER"), "/api/v1/tokens")).as("approver sees no tokens").isEqualTo(403);

        assertThat(status(tokens.get("APPROVER"), "/api/v1/runs")).as("approver reads runs").isEqualTo(200);
        assertThat(status(tokens.get("APPROVER"), "/lab/hosts")).as("approver has no lab control").isEqualTo(403);

        assertThat(status(tokens.get("ADMIN"), "/api/v1/tokens")).as("admin manages tokens").isEqualTo(200);

        assertThat(status("atk_not-a-token", "/api/v1/runs")).as("a made-up token").isEqualTo(401);
    }
}
