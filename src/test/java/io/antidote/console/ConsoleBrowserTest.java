package io.antidote.console;

import io.antidote.identity.Roles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;

import static io.antidote.console.ConsolePagesTest.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 17, point 2: the console in a real browser (Debian's chromium, driven through chromedriver by Selenium)
 * against the service with the lab, one session walking the whole story: log in, request a run after its dry-run
 * preview, watch it live until it waits for approval, be refused approving one's own run, approve as another
 * person, see it succeed, open the server's verdict and verify the run's audit chain. The lab host's own state shows
 * the run really patched it. A screenshot of each page goes to target/console-screenshots (docs/screenshots holds a
 * committed set). Without chromium the test is skipped, saying so; .ci/run installs it.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsoleBrowserTest {

    static final Path CHROMIUM = Path.of(System.getProperty("antidote.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("antidote.test.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final Duration LIVE = Duration.ofSeconds(120);

    @TestHTTPResource("/")
    URL base;

    @Inject
    Pool pool;

    private WebDriver browser;
    private Path profile;
    private int shots;

    @BeforeEach
    void open() throws IOException {
        profile = Files.createTempDirectory("antidote-chromium-");
        browser = chromium(profile);
        Files.createDirectories(SCREENSHOTS);
    }

    /** Headless chromium with a fresh profile, its console (CSP reports) kept; skips the test without one. */
    static WebDriver chromium(Path profile) {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no browser to drive: " + CHROMIUM + " and " + CHROMEDRIVER + " must exist"
                        + " (apt-get install chromium chromium-driver; .ci/run does)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @AfterEach
    void close() throws IOException {
        if (browser != null) {
            // The page as the test left it: what a failure looked like.
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                    SCREENSHOTS.resolve("last.png"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(SCREENSHOTS.resolve("last.html"), browser.getPageSource());
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void an_operator_requests_a_run_an_approver_approves_it_and_an_auditor_verifies_its_chain() {
        String host = "ui-" + UUID.randomUUID().toString().substring(0, 6);
        given().contentType(ContentType.JSON).body(Map.of("name", host, "version", "2016", "cu", "CU19"))
                .when().post("/lab/hosts").then().statusCode(201);
        String operator = token(Roles.OPERATOR, Roles.VIEWER, Roles.AUDITOR, Roles.APPROVER);
        String approver = token(Roles.APPROVER, Roles.VIEWER);
        String ticket = "INC-UI-" + host;

        // Log in: the console sends a stranger to the login form.
        go("/console/runs");
        waitFor(d -> d.getCurrentUrl().contains("/console/login"));
        shot("login");
        logIn(operator);
        waitFor(d -> !d.findElements(By.cssSelector("#runs tbody")).isEmpty()
                && d.findElement(By.id("live")).getText().startsWith("Live"));
        shot("runs");

        // New run: the parameter form comes from the playbook, the preview shows each target's exact scripts.
        go("/console/runs/new");
        waitFor(d -> d.findElements(By.cssSelector("#playbook option")).size() > 1);
        new Select(browser.findElement(By.id("playbook"))).selectByValue("proxylogon-remediation");
        waitFor(d -> !d.findElements(By.id("param-patchShare")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("label[for=param-patchShare]")).getText()).isEqualTo("patchShare");
        click(By.cssSelector("#target-names input[value='" + host + "']"));
        browser.findElement(By.id("ticket")).sendKeys(ticket);
        assertThat(browser.findElement(By.id("send")).isEnabled()).as("requesting before a preview").isFalse();
        click(By.id("preview"));
        waitFor(d -> d.findElement(By.id("preview-result")).isDisplayed());
        WebElement lane = browser.findElement(By.cssSelector("#preview-targets section[data-target='" + host + "']"));
        List<String> steps = lane.findElements(By.cssSelector("details summary")).stream().map(WebElement::getText).toList();
        assertThat(steps).anyMatch(s -> s.startsWith("isolate")).anyMatch(s -> s.startsWith("patch"));
        click(By.cssSelector("#preview-targets section[data-target='" + host + "'] details"));
        String script = lane.findElement(By.cssSelector("details pre")).getText();
        assertThat(script).as("the preview shows the script itself").isNotBlank();
        assertThat(browser.findElement(By.id("preview-digest")).getText()).matches("[0-9a-f]{64}");
        shot("new-run");
        click(By.id("send"));
        waitFor(d -> d.getCurrentUrl().matches(".*/console/runs/[0-9a-f-]{36}$"));
        String runId = browser.getCurrentUrl().replaceAll(".*/console/runs/", "");

        // Run: the page follows the run live (no reload) until the patch waits for an approval.
        waitFor(LIVE, d -> "WAITING_APPROVAL".equals(d.findElement(By.tagName("body")).getAttribute("data-status")));
        assertThat(browser.findElement(By.cssSelector("section[data-target='" + host + "'] tr[data-step=isolate] .step-status"))
                .getText()).isEqualTo("SUCCEEDED");
        assertThat(browser.findElement(By.cssSelector("tr[data-step=patch] .step-status")).getText())
                .isEqualTo("WAITING_APPROVAL");
        shot("run-waiting");

        // Approvals: the requester is offered the decision but the service refuses it, and the page says so.
        go("/console/approvals");
        By mine = By.cssSelector(".approve[data-run='" + runId + "']");
        waitFor(d -> !d.findElements(mine).isEmpty());
        browser.findElement(mine).findElement(By.cssSelector(".approve-button")).click();
        waitFor(d -> !d.findElement(mine).findElement(By.className("answer")).getText().isEmpty());
        assertThat(browser.findElement(mine).findElement(By.className("answer")).getText()).containsIgnoringCase("request");
        logOut();

        // Another person approves, with a comment; the plan digest is the one the preview showed.
        logIn(approver);
        go("/console/approvals");
        waitFor(d -> !d.findElements(mine).isEmpty());
        assertThat(browser.findElement(By.cssSelector("section[data-run='" + runId + "'] .digest")).getText())
                .matches("[0-9a-f]{64}");
        // The script of the step to approve, whole, and its digest: the digest of exactly the text shown.
        By patchScript = By.cssSelector("section[data-run='" + runId + "'] .script[data-step=patch]");
        String shownScript = browser.findElement(patchScript).findElement(By.className("script-text"))
                .getDomProperty("textContent");
        assertThat(shownScript).contains("msiexec /update").contains("$steps_precheck_package");
        assertThat(browser.findElement(patchScript).findElement(By.className("script-digest")).getText())
                .isEqualTo(io.antidote.playbook.Sha256.hex(shownScript));
        keyboard("approvals");
        browser.findElement(mine).findElement(By.name("comment")).sendKeys("CHG-UI approved in the console");
        shot("approvals");
        browser.findElement(mine).findElement(By.cssSelector(".approve-button")).click();
        waitFor(d -> d.findElement(By.id("status")).getText().startsWith("Approved patch"));

        // The run goes on and succeeds, live, with the server's verdict on its lane.
        go("/console/runs/" + runId);
        waitFor(LIVE, d -> "SUCCEEDED".equals(d.findElement(By.tagName("body")).getAttribute("data-status")));
        waitFor(d -> !d.findElements(By.cssSelector("section[data-target='" + host + "'] .verdict")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("section[data-target='" + host + "'] .verdict"))
                .getAttribute("data-verdict")).isEqualTo("PATCHED CLEAN IN_SERVICE");
        waitFor(d -> d.findElement(By.id("live")).getText().startsWith("The run has ended"));
        shot("run-succeeded");
        keyboard("run");
        // The service ended the run's stream; the page closed it rather than reconnecting to it again and again.
        assertThat(browser.findElement(By.id("live")).getText()).startsWith("The run has ended");

        // Servers: the verdict, its evidence and the history, from the run's lane.
        click(By.linkText(host));
        waitFor(d -> d.getCurrentUrl().endsWith("/console/servers/" + host)
                && !d.findElements(By.cssSelector("#evidence li")).isEmpty());
        assertThat(browser.findElement(By.id("verdict")).getText()).contains("PATCHED").contains("CLEAN")
                .contains("IN_SERVICE");
        assertThat(browser.findElement(By.cssSelector("#history tbody")).getText()).contains(runId.substring(0, 8));
        shot("server");
        go("/console/servers");
        waitFor(d -> !d.findElements(By.cssSelector("tr[data-server='" + host + "']")).isEmpty());
        shot("servers");
        logOut();

        // Audit: an auditor verifies the run's chain and can download its export.
        logIn(operator);
        go("/console/audit?run=" + runId);
        waitFor(d -> "true".equals(d.findElement(By.id("verdict")).getAttribute("data-verified")));
        assertThat(browser.findElement(By.id("verdict")).getText()).startsWith("Verified");
        assertThat(browser.findElements(By.cssSelector("#chain tbody tr"))).hasSizeGreaterThan(5);
        assertThat(browser.findElement(By.id("export")).getAttribute("href")).endsWith("/api/v1/runs/" + runId + "/export");
        shot("audit");
        go("/console/runs?ticket=" + ticket);
        waitFor(d -> d.findElements(By.cssSelector("#runs tr[data-run='" + runId + "'] .run-status")).stream()
                .anyMatch(e -> e.getText().equals("SUCCEEDED")));

        // What the browser did, the lab host shows: patched and back in service.
        Map<String, Object> model = given().when().get("/lab/hosts/{name}", host).then().statusCode(200)
                .extract().jsonPath().getMap("");
        assertThat(model).containsEntry("patched", true).containsEntry("isolated", false);
        assertThat(violations()).as("Content-Security-Policy violations in the browser console").isEmpty();
    }

    @Test
    void a_failed_run_is_retried_from_its_page_the_retry_is_cancelled_from_its_page_and_the_two_link_each_other() {
        String host = "ui-" + UUID.randomUUID().toString().substring(0, 6);
        given().contentType(ContentType.JSON).body(Map.of("name", host, "version", "2016", "cu", "CU19"))
                .when().post("/lab/hosts").then().statusCode(201);
        // Every request to the host answers 500: the run fails at its first step, at once.
        given().contentType(ContentType.JSON).body(Map.of("kind", "http-status", "status", 500))
                .when().post("/lab/hosts/{name}/faults", host).then().statusCode(201);
        String operator = token(Roles.OPERATOR, Roles.VIEWER, Roles.AUDITOR);
        String failed = given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of(host)))
                .when().post("/api/v1/runs").then().statusCode(202).extract().path("id");

        go("/console/runs/new");
        waitFor(d -> d.getCurrentUrl().contains("/console/login"));
        logIn(operator);
        go("/console/runs/" + failed);
        waitFor(LIVE, d -> "FAILED".equals(d.findElement(By.tagName("body")).getAttribute("data-status")));
        assertThat(browser.findElement(By.id("cancel")).isDisplayed()).as("cancel on an ended run").isFalse();
        given().when().delete("/lab/hosts/{name}/faults", host).then().statusCode(204);

        click(By.id("retry"));
        waitFor(d -> d.getCurrentUrl().matches(".*/console/runs/[0-9a-f-]{36}$") && !d.getCurrentUrl().endsWith(failed));
        String retry = browser.getCurrentUrl().replaceAll(".*/console/runs/", "");
        // Read in one go: a live update may rebuild the summary between finding a link and reading it.
        waitFor(d -> href(d, "retry-of").endsWith("/console/runs/" + failed));
        click(By.id("cancel"));
        waitFor(d -> d.findElement(By.id("status")).getText().startsWith("Cancellation requested"));
        waitFor(LIVE, d -> "CANCELLED".equals(d.findElement(By.tagName("body")).getAttribute("data-status")));
        assertThat(given().auth().oauth2(operator).when().get("/api/v1/runs/{id}", retry).then().statusCode(200)
                .extract().jsonPath().getString("status")).as("the service's word on the retry").isEqualTo("CANCELLED");
        waitFor(d -> d.findElement(By.id("retry")).isDisplayed());
        keyboard("run-cancelled");

        click(By.id("retry-of"));
        waitFor(d -> d.getCurrentUrl().endsWith("/console/runs/" + failed)
                && href(d, "retried-as").endsWith("/console/runs/" + retry));
        assertThat(browser.findElement(By.id("retry")).isDisplayed()).as("retry of a run already retried").isFalse();
        shot("run-retried");
    }

    /**
     * A cancel that the replica carrying the run has not decided within the service's wait is answered 202: the page
     * says it is waiting for that replica rather than that the cancel took effect, and shows the owner's refusal in
     * the owner's words once it comes. The other replica is a ghost row holding the run's lease; this test writes its
     * refusal into the command inbox as an owner does (CommandInboxApiTest does the same through the API alone).
     */
    @Test
    void a_cancel_another_replica_has_yet_to_decide_is_shown_waiting_and_then_as_that_replica_refused_it() {
        String host = "ui-" + UUID.randomUUID().toString().substring(0, 6);
        given().contentType(ContentType.JSON).body(Map.of("name", host, "version", "2016", "cu", "CU19"))
                .when().post("/lab/hosts").then().statusCode(201);
        String operator = token(Roles.OPERATOR, Roles.VIEWER, Roles.AUDITOR);
        String runId = given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of(host)))
                .when().post("/api/v1/runs").then().statusCode(202).extract().path("id");
        await().atMost(LIVE).pollInterval(Duration.ofMillis(200)).until(() -> "WAITING_APPROVAL"
                .equals(given().auth().oauth2(operator).when().get("/api/v1/runs/{id}", runId).then().extract().path("status")));
        UUID run = UUID.fromString(runId);
        String ghost = "ghost-" + UUID.randomUUID();
        sql("insert into engine_replica (replica_id, expires_at) values ($1, now() + interval '10 minutes')", ghost);
        sql("update run_owner set replica_id = $2, token = token + 1, owned_since = now() where run_id = $1", run, ghost);
        try {
            go("/console/runs/new");
            waitFor(d -> d.getCurrentUrl().contains("/console/login"));
            logIn(operator);
            go("/console/runs/" + runId);
            waitFor(d -> "WAITING_APPROVAL".equals(d.findElement(By.tagName("body")).getAttribute("data-status")));
            click(By.id("cancel"));
            waitFor(d -> d.findElement(By.id("status")).getText().startsWith("Sent to the replica that carries this run"));
            assertThat(browser.findElement(By.id("status")).getText()).doesNotContain("Cancellation requested");

            sql("""
                    update run_command set status = 'REFUSED', decided_by = $2, decided_at = now(),
                           refusal = 'state-conflict', detail = 'the ghost says no'
                     where run_id = $1 and status = 'PENDING'""", run, ghost);
            waitFor(d -> d.findElement(By.id("status")).getText().contains("the ghost says no"));
            assertThat(browser.findElement(By.id("status")).getText()).startsWith("Refused by the replica that carries the run");
            assertThat(browser.findElement(By.tagName("body")).getAttribute("data-status")).isEqualTo("WAITING_APPROVAL");
        } finally {
            sql("update engine_replica set expires_at = now() - interval '1 second' where replica_id = $1", ghost);
        }
        // Given back: this replica adopts the run once the ghost's lease has ended, and cancels it itself.
        await().atMost(LIVE).pollInterval(Duration.ofMillis(200))
                .until(() -> given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of())
                        .when().post("/api/v1/runs/{id}/cancel", runId).then().extract().statusCode() == 200);
        sql("delete from engine_replica where replica_id = $1", ghost);
    }

    private void sql(String statement, Object... values) {
        pool.preparedQuery(statement).execute(Tuple.from(values))
                .await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void every_page_is_usable_with_the_keyboard_alone_with_a_visible_focus_and_labelled_fields() {
        logIn(token(Roles.OPERATOR, Roles.VIEWER, Roles.AUDITOR, Roles.APPROVER));
        waitFor(d -> !d.findElement(By.id("total")).getText().isEmpty());
        keyboard("runs");
        go("/console/runs/new");
        waitFor(d -> d.findElements(By.cssSelector("#playbook option")).size() > 1);
        new Select(browser.findElement(By.id("playbook"))).selectByValue("proxylogon-remediation");
        waitFor(d -> !d.findElements(By.id("param-patchShare")).isEmpty());
        click(By.cssSelector("#target-names input[value='lab-ex01']"));
        click(By.id("preview"));
        waitFor(d -> d.findElement(By.id("preview-result")).isDisplayed());
        keyboard("new-run");
        go("/console/servers");
        waitFor(d -> !d.findElements(By.cssSelector("#servers tbody tr")).isEmpty());
        keyboard("servers");
        go("/console/servers/lab-ex01");
        waitFor(d -> !d.findElement(By.id("verdict")).getText().isEmpty());
        keyboard("server");
        go("/console/audit");
        keyboard("audit");
        go("/console/approvals");
        waitFor(d -> !d.findElements(By.cssSelector("#waiting > *")).isEmpty());
        keyboard("approvals-empty");
    }

    private static String href(WebDriver browser, String id) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "return document.getElementById(arguments[0])?.getAttribute('href') ?? '';", id);
    }

    /**
     * Keyboard use of the page as it is now: pressing Tab from the top reaches every visible link, button, field and
     * scrollable block in turn, each drawn with a focus outline of at least 2px; no positive tabindex reorders
     * them; every field has a label.
     */
    private void keyboard(String page) {
        // A live update may rebuild part of the page while Tab walks it; a walk over a page that changed is redone.
        int walk = 1;
        while (!keyboardWalk(page, walk == 3)) {
            walk++;
        }
    }

    /** @return false when the page changed during the walk (and {@code last} is false): the walk proves nothing */
    @SuppressWarnings("unchecked")
    private boolean keyboardWalk(String page, boolean last) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        List<String> interactive = (List<String>) js.executeScript("""
                const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea,'
                  + ' summary, [tabindex]:not([tabindex="-1"])')]
                  // Shown: not hidden, not disabled, not in the folded part of a <details> (which Tab skips).
                  .filter(e => !e.disabled && e.getClientRects().length > 0 && !e.closest('[hidden]')
                    && e.checkVisibility() && !(e.closest('details') && !e.closest('details').open && !e.closest('summary')));
                all.forEach((e, i) => e.dataset.kb = String(i));
                return all.map(e => e.outerHTML.slice(0, 120));""");
        List<String> unlabelled = (List<String>) js.executeScript("""
                return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                  .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
                  .map(e => e.outerHTML.slice(0, 120));""");
        List<String> reordered = (List<String>) js.executeScript("""
                return [...document.querySelectorAll('[tabindex]')].filter(e => e.tabIndex > 0)
                  .map(e => e.outerHTML.slice(0, 120));""");
        assertThat(unlabelled).as("fields without a label on %s", page).isEmpty();
        assertThat(reordered).as("positive tabindex on %s", page).isEmpty();
        // Tab goes on from the last element focused or clicked, blurred or not: start from the top of the page.
        js.executeScript("""
                const start = document.createElement('span');
                start.id = 'kb-start';
                start.tabIndex = -1;
                document.body.prepend(start);
                start.focus();""");
        java.util.Set<String> reached = new java.util.LinkedHashSet<>();
        List<String> unmarked = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (int press = 0; press < interactive.size() + 5 && reached.size() < interactive.size(); press++) {
            // A fresh sequence each time: one Actions object would replay all the Tabs it was given so far.
            new org.openqa.selenium.interactions.Actions(browser).sendKeys(Keys.TAB).perform();
            Map<String, Object> focused = (Map<String, Object>) js.executeScript("""
                    const e = document.activeElement;
                    const style = getComputedStyle(e);
                    return { kb: e.dataset.kb ?? null, style: style.outlineStyle, width: parseFloat(style.outlineWidth),
                      html: e.outerHTML.slice(0, 120) };""");
            if (focused.get("kb") == null) {
                continue; // the page itself, between the last element and the first
            }
            reached.add((String) focused.get("kb"));
            order.add((String) focused.get("kb"));
            if ("none".equals(focused.get("style")) || ((Number) focused.get("width")).doubleValue() < 2) {
                unmarked.add(focused.get("html") + " outline " + focused.get("style") + " " + focused.get("width"));
            }
        }
        js.executeScript("document.getElementById('kb-start')?.remove();");
        long stillMarked = (Long) js.executeScript("return document.querySelectorAll('[data-kb]').length;");
        if (stillMarked != interactive.size() && !last) {
            return false;
        }
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < interactive.size(); i++) {
            if (!reached.contains(String.valueOf(i))) {
                missed.add(interactive.get(i));
            }
        }
        assertThat(interactive).as("interactive elements on %s", page).isNotEmpty();
        assertThat(missed).as("elements Tab never reached on %s (reached in order: %s)", page, order).isEmpty();
        assertThat(unmarked).as("focused elements without a visible outline on %s", page).isEmpty();
        return true;
    }

    private void go(String path) {
        browser.get(base.toString().replaceAll("/$", "") + path);
    }

    private void logIn(String token) {
        go("/console/login");
        browser.findElement(By.id("token")).sendKeys(token);
        click(By.id("login"));
        waitFor(d -> d.getCurrentUrl().endsWith("/console/runs"));
    }

    private void logOut() {
        click(By.cssSelector("form[action='/console/logout'] button"));
        waitFor(d -> d.getCurrentUrl().contains("/console/login"));
    }

    private void click(By by) {
        waitFor(d -> d.findElement(by).isDisplayed() && d.findElement(by).isEnabled());
        browser.findElement(by).click();
    }

    private void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
        waitFor(Duration.ofSeconds(30), condition);
    }

    private void waitFor(Duration atMost, java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, atMost, Duration.ofMillis(200)).until(condition::apply);
    }

    private void shot(String page) {
        try {
            Path file = SCREENSHOTS.resolve(String.format("%02d-%s.png", ++shots, page));
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), file,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> violations() {
        return violations(browser);
    }

    static List<String> violations(WebDriver browser) {
        List<String> found = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getMessage().contains("Content Security Policy")) {
                found.add(entry.getMessage());
            }
        }
        return found;
    }
}
