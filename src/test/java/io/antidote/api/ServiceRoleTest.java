package io.antidote.api;

import static io.antidote.api.ProxyLogonRemediationTest.approveWhenAsked;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, point 8: the service connects as a role that owns nothing and may only read and append the
 * history, while the migrations run as the schema's owner. The whole service runs so here, a remediation
 * included; then, connected as that role, every way to rewrite the history or lift its guards is refused
 * by PostgreSQL itself.
 */
@QuarkusTest
@TestProfile(ServiceRoleTest.AsServiceRole.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServiceRoleTest {

    static final String ROLE = "antidote_service_test";

    /** The service as the restricted role; Flyway as the owner (trust auth here: any password will do). */
    public static class AsServiceRole implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.username", ROLE,
                    "antidote.database.service-role", ROLE,
                    "quarkus.flyway.username", "postgres",
                    "quarkus.flyway.password", "owner-password-unused-with-trust-auth");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(CreateServiceRole.class));
        }
    }

    /** The role exists before the service starts, as a DBA creates it before the first deployment. */
    public static class CreateServiceRole implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try (Connection owner = DriverManager.getConnection(jdbcUrl(), "postgres", null);
                 Statement statement = owner.createStatement()) {
                // Roles are cluster-wide and tests may run side by side: create it only if it is not there yet.
                statement.execute("do $$ begin create role " + ROLE + " login; "
                        + "exception when duplicate_object then null; end $$");
            } catch (SQLException e) {
                throw new IllegalStateException("could not create the service role " + ROLE, e);
            }
            return Map.of();
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void the_whole_service_runs_as_a_role_that_may_only_read_and_append_the_history() throws Exception {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        try {
            String runId = given().contentType(ContentType.JSON)
                    .header("Idempotency-Key", "service-role-" + UUID.randomUUID())
                    .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of(host), "ticket", "INC-role"))
                    .when().post("/api/v1/runs")
                    .then().statusCode(202).extract().path("id");
            approveWhenAsked(runId);
            assertThat(awaitFinished(runId).getString("status")).as("the remediation, run as %s", ROLE)
                    .isEqualTo("SUCCEEDED");
            assertThat(events(runId)).hasSizeGreaterThan(10);
            given().when().get("/api/v1/runs/{id}/verification", runId).then().statusCode(200);
        } finally {
            LabHosts.delete(List.of(host));
        }

        try (Connection service = DriverManager.getConnection(jdbcUrl(), ROLE, null);
             Statement statement = service.createStatement()) {
            try (ResultSet whoami = statement.executeQuery("select current_user, count(*) from run_event")) {
                assertThat(whoami.next()).isTrue();
                assertThat(whoami.getString(1)).isEqualTo(ROLE);
                assertThat(whoami.getLong(2)).as("events the role may read").isPositive();
            }
            for (String attempt : List.of(
                    "update run_event set actor = 'nobody'",
                    "delete from run_event",
                    "truncate run_event",
                    "drop trigger run_event_no_update_or_delete on run_event",
                    "alter table run_event disable trigger all",
                    "drop table run_event",
                    "update run_checkpoint set signature = ''",
                    "delete from run_checkpoint",
                    "delete from playbook_version",
                    "update alert set decision = 'IGNORED'",
                    "delete from alert",
                    "truncate alert",
                    "create table shadow_history (id int)")) {
                assertThatThrownBy(() -> statement.execute(attempt)).as(attempt)
                        .isInstanceOfSatisfying(SQLException.class, refused -> assertThat(refused.getSQLState())
                                .as("SQLSTATE of '%s' (42501: insufficient privilege)", attempt)
                                .isEqualTo("42501"));
            }
        }
    }

    @Test
    void the_role_owns_no_table_and_every_table_but_flyways_has_a_grant_for_it() throws Exception {
        List<String> owned = new ArrayList<>();
        List<String> withoutGrant = new ArrayList<>();
        try (Connection owner = DriverManager.getConnection(jdbcUrl(), "postgres", null);
             Statement statement = owner.createStatement();
             ResultSet tables = statement.executeQuery("""
                     select t.tablename, t.tableowner,
                            has_table_privilege('%s', format('%%I.%%I', t.schemaname, t.tablename), 'select')
                       from pg_tables t
                      where t.schemaname = current_schema() and t.tablename <> 'flyway_schema_history'
                     """.formatted(ROLE))) {
            while (tables.next()) {
                if (ROLE.equals(tables.getString(2))) {
                    owned.add(tables.getString(1));
                }
                if (!tables.getBoolean(3)) {
                    withoutGrant.add(tables.getString(1));
                }
            }
        }
        assertThat(owned).as("tables the service role owns").isEmpty();
        assertThat(withoutGrant).as("tables the service cannot read: a migration added a table without adding its "
                + "grant to R__service_role_grants.sql").isEmpty();
    }

    private static String jdbcUrl() {
        return ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
    }
}
