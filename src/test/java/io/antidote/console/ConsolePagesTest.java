package io.antidote.console;

import io.antidote.identity.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.antidote.identity.TestIdentity.anonymous;
import static io.antidote.identity.TestIdentity.as;
import static io.antidote.identity.TestIdentity.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's pages over HTTP, in the test profile (token login on, as in the lab): who gets in and how, what the
 * browser is told to allow (a CSP no inline script or style survives), and the CSRF guard on the API a console
 * session can reach. ConsoleBrowserTest walks the same pages in a real browser.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsolePagesTest {

    static final List<String> PAGES = List.of("/console/runs", "/console/runs/new", "/console/approvals",
            "/console/servers", "/console/servers/lab-ex01", "/console/audit",
            "/console/runs/" + UUID.randomUUID());
    private static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    /** An API token with these roles, issued by an admin through the API, as a person would get one. */
    static String token(String... roles) {
        return as("root", Roles.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "console-" + UUID.randomUUID().toString().substring(0, 8), "roles", List.of(roles),
                        "playbooks", List.of("*"), "expiresAt", Instant.now().plusSeconds(3600).toString()))
                .when().post("/api/v1/tokens").then().statusCode(201).extract().path("token");
    }

    /** The login page's CSRF cookie and field, then the login: the session cookie it sets. */
    static Session logIn(String token) {
        Response form = anonymous().redirects().follow(false).when().get("/console/login");
        String csrf = form.cookie(ConsoleCookies.CSRF_COOKIE);
        Matcher field = HIDDEN_CSRF.matcher(form.asString());
        assertThat(field.find()).as("the login form carries its CSRF token").isTrue();
        assertThat(field.group(1)).isEqualTo(csrf);
        Response login = anonymous().redirects().follow(false).cookie(ConsoleCookies.CSRF_COOKIE, csrf)
                .contentType(ContentType.URLENC).formParam("csrf", csrf).formParam("token", token)
                .when().post("/console/login");
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.header("Location")).endsWith("/console/runs");
        return new Session(login.getDetailedCookie("antidote_session"), csrf);
    }

    record Session(io.restassured.http.Cookie session, String csrf) {
        io.restassured.specification.RequestSpecification given() {
            return anonymous().redirects().follow(false).cookie(session.getName(), session.getValue())
                    .cookie(ConsoleCookies.CSRF_COOKIE, csrf);
        }
    }

    @Test
    void a_person_without_a_session_is_sent_to_the_login_form_while_the_api_still_answers_401() {
        for (String page : PAGES) {
            Response answer = anonymous().redirects().follow(false).accept("text/html").when().get(page);
            assertThat(answer.statusCode()).as(page).isEqualTo(303);
            assertThat(answer.header("Location")).as(page).endsWith("/console/login");
        }
        Response api = anonymous().redirects().follow(false).when().get("/api/v1/runs");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.contentType()).startsWith("application/problem+json");
    }

    @Test
    void logging_in_with_an_api_token_sets_an_httponly_samesite_strict_session_cookie_and_opens_the_pages() {
        Session session = logIn(token(Roles.OPERATOR, Roles.VIEWER, Roles.AUDITOR, Roles.APPROVER));
        assertThat(session.session().isHttpOnly()).as("HttpOnly").isTrue();
        assertThat(session.session().getSameSite()).isEqualToIgnoringCase("Strict");
        assertThat(session.session().getPath()).isEqualTo("/");

        for (String page : PAGES) {
            Response answer = session.given().when().get(page);
            assertThat(answer.statusCode()).as(page).isEqualTo(200);
            assertThat(answer.contentType()).as(page).startsWith("text/html");
            assertThat(answer.header("Content-Security-Policy")).as(page).startsWith("default-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
            String html = answer.asString();
            assertThat(html).as(page).contains("<script type=\"module\" src=\"/console/assets/");
            assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(html).find())
                    .as("%s has an inline script", page).isFalse();
            assertThat(Pattern.compile("\\sstyle=|<style|\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(html).find())
                    .as("%s has an inline style or event handler", page).isFalse();
            assertThat(html).as(page).contains("<main id=\"main\"").contains("<h1>").contains("<nav aria-label=\"Console\">");
        }
    }

    @Test
    void a_refused_token_sends_the_browser_back_to_the_login_form_and_clears_the_cookie() {
        Response answer = anonymous().redirects().follow(false).cookie("antidote_session", "atk_" + "x".repeat(43))
                .when().get("/console/runs");
        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(answer.header("Location")).endsWith("/console/login?refused");
        assertThat(answer.getDetailedCookie("antidote_session").getMaxAge()).isZero();
    }

    @Test
    void a_login_posted_without_the_forms_csrf_token_is_refused() {
        Response login = anonymous().redirects().follow(false).cookie(ConsoleCookies.CSRF_COOKIE, "mine")
                .contentType(ContentType.URLENC).formParam("csrf", "theirs").formParam("token", token(Roles.VIEWER))
                .when().post("/console/login");
        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(login.getDetailedCookie("antidote_session")).isNull();
    }

    @Test
    void a_state_changing_api_call_on_a_session_alone_needs_the_csrf_token_and_a_bearer_call_does_not() {
        Session session = logIn(token(Roles.OPERATOR, Roles.VIEWER));
        Map<String, Object> dryRun = Map.of("playbook", "proxylogon-verify", "targets", List.of("lab-ex01"),
                "dryRun", true);

        Response forged = session.given().contentType(ContentType.JSON).body(dryRun).when().post("/api/v1/runs");
        assertThat(forged.statusCode()).as("no CSRF header").isEqualTo(403);
        assertThat(forged.asString()).contains("X-CSRF-Token");
        Response wrong = session.given().header("X-CSRF-Token", "guessed").contentType(ContentType.JSON).body(dryRun)
                .when().post("/api/v1/runs");
        assertThat(wrong.statusCode()).as("a wrong CSRF header").isEqualTo(403);

        Response sent = session.given().header("X-CSRF-Token", session.csrf()).contentType(ContentType.JSON)
                .body(dryRun).when().post("/api/v1/runs");
        assertThat(sent.statusCode()).as(sent.asString()).isEqualTo(200);
        assertThat(sent.jsonPath().getString("targets[0].name")).isEqualTo("lab-ex01");

        // A reading call on the session needs nothing more; a machine with its token in a header is no browser.
        assertThat(session.given().when().get("/api/v1/runs").statusCode()).isEqualTo(200);
        assertThat(bearer(token(Roles.OPERATOR)).contentType(ContentType.JSON).body(dryRun)
                .when().post("/api/v1/runs").statusCode()).isEqualTo(200);
    }

    @Test
    void the_pages_follow_the_apis_roles_an_approver_cannot_open_new_run_and_is_not_offered_it() {
        Session approver = logIn(token(Roles.APPROVER, Roles.VIEWER));
        String runs = approver.given().when().get("/console/runs").then().statusCode(200).extract().asString();
        assertThat(runs).contains("href=\"/console/approvals\"").doesNotContain("href=\"/console/runs/new\"")
                .doesNotContain("href=\"/console/audit\"");
        assertThat(approver.given().when().get("/console/runs/new").statusCode()).isEqualTo(403);
        assertThat(approver.given().when().get("/console/audit").statusCode()).isEqualTo(403);
    }

    @Test
    void logging_out_clears_the_session_cookie() {
        Session session = logIn(token(Roles.VIEWER));
        Response out = session.given().contentType(ContentType.URLENC).formParam("csrf", session.csrf())
                .when().post("/console/logout");
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.header("Location")).endsWith("/console/login");
        assertThat(out.getDetailedCookie("antidote_session").getMaxAge()).isZero();
    }
}
