package io.antidote.console;

import io.antidote.identity.AgainstKeycloak;
import io.antidote.identity.ConsoleTenant;
import io.antidote.identity.Keycloak;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, point 1: people log in to the console through a real provider (Keycloak, sharing the start of
 * RealOidcProviderTest's profile), over real HTTP, as a browser would: the console page sends them to Keycloak's
 * authorization endpoint (code flow, PKCE S256, state), Keycloak's own login form takes the realm user's password,
 * and Keycloak's redirect brings the code back to the service. {@link Browser} keeps cookies per origin and follows
 * nothing by itself, so that every hop is seen.
 */
@QuarkusTest
@TestProfile(AgainstKeycloak.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsoleOidcLoginTest {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");

    /** The console's session cookie, as quarkus-oidc names it for the tenant. */
    private static final String SESSION = ConsoleTenant.SESSION_COOKIE;

    @TestHTTPResource("/")
    URI base;

    @Test
    void a_page_without_a_session_sends_the_browser_to_the_provider_with_code_flow_pkce_and_state() {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(base.resolve("/console/runs"));

        assertThat(page.statusCode()).isEqualTo(302);
        URI authorize = URI.create(page.headers().firstValue("Location").orElseThrow());
        assertThat(authorize.toString()).startsWith(Keycloak.issuer() + "/protocol/openid-connect/auth?");
        Map<String, String> query = query(authorize);
        assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", Keycloak.CONSOLE_CLIENT)
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", base.resolve("/console/callback").toString());
        assertThat(query.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(query.get("state")).isNotBlank();
        assertThat(query.get("scope")).contains("openid");
        // The flow's state (and PKCE verifier) rides in a cookie of this browser only.
        assertThat(browser.setCookie(page, "q_auth_console")).containsIgnoringCase("HttpOnly");

        // The API stays a bearer service: no redirect, a 401 problem, for a call without a session.
        HttpResponse<String> api = browser.get(base.resolve("/api/v1/runs"));
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void after_logging_in_at_the_provider_the_page_shows_the_person_and_only_what_their_roles_allow() {
        Browser erin = new Browser();
        HttpResponse<String> runs = logIn(erin, "erin", "/console/runs");
        String subject = (String) Keycloak.claims(Keycloak.person("erin")).get("sub");
        assertThat(runs.body()).contains("data-subject=\"" + subject + "\"").contains("<span id=\"who\">" + subject)
                .contains("href=\"/console/audit\"").doesNotContain("href=\"/console/runs/new\"")
                .contains("id=\"logout\"");
        assertThat(erin.get(base.resolve("/console/runs/new")).statusCode()).as("an auditor's New run").isEqualTo(403);
        assertThat(erin.get(base.resolve("/console/audit")).statusCode()).isEqualTo(200);
        // The pages' scripts read the API with the same session.
        HttpResponse<String> list = erin.get(base.resolve("/api/v1/runs"));
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);

        Browser carol = new Browser();
        logIn(carol, "carol", "/console/runs");
        String run = "/api/v1/runs/" + UUID.randomUUID() + "/approvals";
        HttpResponse<String> approve = carol.post(base.resolve(run), "{\"step\":\"patch\",\"decision\":\"APPROVE\"}",
                Map.of("Content-Type", "application/json", "X-CSRF-Token", carol.csrf(base)));
        assertThat(approve.statusCode()).as("a viewer's approval: " + approve.body()).isEqualTo(403);

        Browser alice = new Browser();
        HttpResponse<String> page = logIn(alice, "alice", "/console/runs/new");
        assertThat(page.body()).contains("<h1>New run</h1>");
        // An approver's approval of a run that does not exist passes the role and finds no run.
        assertThat(alice.post(base.resolve(run), "{\"step\":\"patch\",\"decision\":\"APPROVE\"}",
                Map.of("Content-Type", "application/json", "X-CSRF-Token", alice.csrf(base))).statusCode()).isEqualTo(404);
    }

    @Test
    void a_post_on_the_session_needs_the_csrf_header_and_a_bearer_header_wins_over_the_session() {
        Browser alice = new Browser();
        logIn(alice, "alice", "/console/runs");
        String dryRun = "{\"playbook\":\"proxylogon-verify\",\"targets\":[\"lab-ex01\"],\"dryRun\":true}";

        HttpResponse<String> forged = alice.post(base.resolve("/api/v1/runs"), dryRun, Map.of("Content-Type", "application/json"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("X-CSRF-Token");
        HttpResponse<String> wrong = alice.post(base.resolve("/api/v1/runs"), dryRun,
                Map.of("Content-Type", "application/json", "X-CSRF-Token", "guessed"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        // With the header: the operator's dry run, her playbooks read from the access token of her session.
        HttpResponse<String> sent = alice.post(base.resolve("/api/v1/runs"), dryRun,
                Map.of("Content-Type", "application/json", "X-CSRF-Token", alice.csrf(base)));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(sent.body()).contains("lab-ex01");

        // A token header is verified by the bearer tenant, whatever session the request carries: carol's token
        // with alice's session cookie is carol, a viewer, and needs no CSRF header since it is no ambient credential.
        HttpResponse<String> asCarol = alice.post(base.resolve("/api/v1/runs"), dryRun,
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + Keycloak.person("carol")));
        assertThat(asCarol.statusCode()).as(asCarol.body()).isEqualTo(403);
        assertThat(asCarol.body()).doesNotContain("X-CSRF-Token");
    }

    @Test
    void logging_out_ends_the_session_here_and_at_the_provider() {
        Browser bob = new Browser();
        logIn(bob, "bob", "/console/runs");

        HttpResponse<String> noField = bob.post(base.resolve("/console/logout"), "", Map.of("Content-Type",
                "application/x-www-form-urlencoded"));
        assertThat(noField.statusCode()).as("a logout without the form's CSRF token").isEqualTo(403);
        assertThat(bob.get(base.resolve("/console/runs")).statusCode()).isEqualTo(200);

        HttpResponse<String> out = bob.post(base.resolve("/console/logout"), "csrf=" + bob.csrf(base),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(out.statusCode()).isEqualTo(302);
        URI endSession = URI.create(out.headers().firstValue("Location").orElseThrow());
        assertThat(endSession.toString()).startsWith(Keycloak.issuer() + "/protocol/openid-connect/logout?");
        assertThat(query(endSession)).containsKey("id_token_hint")
                .containsEntry("post_logout_redirect_uri", base.resolve("/console/login").toString());
        assertThat(bob.setCookie(out, SESSION)).containsIgnoringCase("max-age=0");
        assertThat(bob.has(base, SESSION)).isFalse();

        // Keycloak ends its session and sends the browser back to the console's login page.
        HttpResponse<String> landed = bob.follow(endSession);
        assertThat(landed.uri().getPath()).isEqualTo("/console/login");
        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(landed.body()).contains("id=\"oidc-login\"");

        // Logged out at the provider too: the next page asks for the password again, no single sign-on.
        HttpResponse<String> again = bob.follow(base.resolve("/console/runs"));
        assertThat(again.uri().toString()).startsWith(Keycloak.issuer());
        assertThat(again.body()).contains("kc-form-login");
    }

    @Test
    void a_code_that_comes_back_with_a_tampered_or_no_state_makes_no_session() {
        for (String state : new String[] {"tampered", null}) {
            Browser carol = new Browser();
            URI callback = toCallback(carol, "carol", "/console/runs");
            Map<String, String> query = new LinkedHashMap<>(query(callback));
            assertThat(query).containsKeys("code", "state");
            if (state == null) {
                query.remove("state");
            } else {
                query.put("state", state);
            }
            URI altered = URI.create(callback.toString().substring(0, callback.toString().indexOf('?') + 1) + form(query));
            HttpResponse<String> answer = carol.get(altered);
            assertThat(answer.statusCode()).as("state " + state + ": " + answer.body()).isIn(302, 401);
            if (answer.statusCode() == 302) {
                // Sent to log in again, never to the page.
                assertThat(answer.headers().firstValue("Location").orElseThrow()).startsWith(Keycloak.issuer());
            }
            assertThat(carol.has(base, SESSION)).as("state " + state).isFalse();
            assertThat(carol.get(base.resolve("/console/runs")).statusCode()).isEqualTo(302);
        }
    }

    /** From a console page to Keycloak's login form, the realm user's password, and back with the code. */
    private URI toCallback(Browser browser, String username, String path) {
        HttpResponse<String> form = browser.follow(base.resolve(path));
        assertThat(form.uri().toString()).startsWith(Keycloak.issuer());
        Matcher action = FORM_ACTION.matcher(form.body());
        assertThat(action.find()).as("Keycloak's login form: " + form.body()).isTrue();
        HttpResponse<String> posted = browser.post(URI.create(action.group(1).replace("&amp;", "&")),
                form(Map.of("username", username, "password", username + "-password", "credentialId", "")),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(posted.statusCode()).as("Keycloak accepts the password: " + posted.body()).isEqualTo(302);
        URI callback = URI.create(posted.headers().firstValue("Location").orElseThrow());
        assertThat(callback.getPath()).isEqualTo("/console/callback");
        return callback;
    }

    private HttpResponse<String> logIn(Browser browser, String username, String path) {
        URI callback = toCallback(browser, username, path);
        HttpResponse<String> back = browser.get(callback);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        assertThat(back.headers().firstValue("Location").orElseThrow()).endsWith(path);
        String session = browser.setCookie(back, SESSION);
        assertThat(session).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax").doesNotContain("Secure");
        HttpResponse<String> page = browser.get(base.resolve(path));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return page;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            values.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /**
     * A browser reduced to what the flow needs: cookies kept per origin (host and port, which keeps the service's
     * and Keycloak's apart on one loopback host), sent back on every request to that origin, dropped when a response
     * expires them; redirects followed only when asked.
     */
    private static final class Browser {
        private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final Map<String, Map<String, String>> jar = new HashMap<>();

        HttpResponse<String> get(URI uri) {
            return send(request(uri).GET().build());
        }

        HttpResponse<String> post(URI uri, String body, Map<String, String> headers) {
            HttpRequest.Builder builder = request(uri).POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(builder::header);
            return send(builder.build());
        }

        /** GETs, following redirects, to the first answer that is not one. */
        HttpResponse<String> follow(URI uri) {
            HttpResponse<String> response = get(uri);
            for (int hop = 0; hop < 10 && response.statusCode() / 100 == 3; hop++) {
                response = get(uri.resolve(response.headers().firstValue("Location").orElseThrow()));
                uri = response.uri();
            }
            return response;
        }

        boolean has(URI origin, String cookie) {
            return jar.getOrDefault(origin(origin), Map.of()).containsKey(cookie);
        }

        /** The CSRF token a console page of this origin carries, as the pages' scripts read it. */
        String csrf(URI base) {
            HttpResponse<String> page = get(base.resolve("/console/runs"));
            Matcher meta = CSRF_META.matcher(page.body());
            assertThat(meta.find()).as("the page's CSRF token").isTrue();
            return meta.group(1);
        }

        /** The Set-Cookie header of the response that sets (or clears) this cookie (or one named after it). */
        String setCookie(HttpResponse<String> response, String name) {
            return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=") || c.startsWith(name + "_"))
                    .findFirst().orElseThrow(() -> new AssertionError("no Set-Cookie for " + name + " in "
                            + response.headers().allValues("Set-Cookie")));
        }

        private HttpRequest.Builder request(URI uri) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
            Map<String, String> cookies = jar.getOrDefault(origin(uri), Map.of());
            if (!cookies.isEmpty()) {
                builder.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            return builder;
        }

        private HttpResponse<String> send(HttpRequest request) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                Map<String, String> cookies = jar.computeIfAbsent(origin(request.uri()), k -> new LinkedHashMap<>());
                for (String header : response.headers().allValues("Set-Cookie")) {
                    String pair = header.split(";", 2)[0];
                    int eq = pair.indexOf('=');
                    String name = pair.substring(0, eq).trim();
                    boolean expired = Arrays.stream(header.split(";")).map(String::trim)
                            .anyMatch(a -> a.equalsIgnoreCase("Max-Age=0") || a.toLowerCase().startsWith("expires=thu, 01 jan 1970"))
                            || pair.substring(eq + 1).isEmpty();
                    if (expired) {
                        cookies.remove(name);
                    } else {
                        cookies.put(name, pair.substring(eq + 1));
                    }
                }
                return response;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static String origin(URI uri) {
            return uri.getHost() + ":" + uri.getPort();
        }
    }
}
