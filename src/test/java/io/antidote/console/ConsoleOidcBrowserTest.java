package io.antidote.console;

import io.antidote.identity.AgainstKeycloak;
import io.antidote.identity.Keycloak;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's login through the provider in a real browser (chromium, as ConsoleBrowserTest drives it), on the
 * Keycloak start the AgainstKeycloak profile shares: a console page sends the browser to Keycloak's own login page,
 * the person types their password there, lands on the page they asked for, whose scripts read the API and its live
 * stream with the session, and logs out back to the console's login page. Skipped without chromium.
 */
@QuarkusTest
@TestProfile(AgainstKeycloak.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsoleOidcBrowserTest {

    @TestHTTPResource("/")
    URL base;

    private WebDriver browser;
    private Path profile;

    @AfterEach
    void close() throws IOException {
        if (browser != null) {
            Files.createDirectories(ConsoleBrowserTest.SCREENSHOTS);
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                    ConsoleBrowserTest.SCREENSHOTS.resolve("oidc-last.png"), StandardCopyOption.REPLACE_EXISTING);
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void an_auditor_logs_in_at_keycloaks_page_reads_the_runs_live_and_logs_out() throws IOException {
        profile = Files.createTempDirectory("antidote-chromium-");
        browser = ConsoleBrowserTest.chromium(profile);
        String subject = (String) Keycloak.claims(Keycloak.person("erin")).get("sub");

        browser.get(base.toString().replaceAll("/$", "") + "/console/runs");
        waitFor(d -> d.getCurrentUrl().startsWith(Keycloak.issuer()) && !d.findElements(By.id("username")).isEmpty());
        browser.findElement(By.id("username")).sendKeys("erin");
        browser.findElement(By.id("password")).sendKeys("erin-password");
        browser.findElement(By.id("kc-login")).click();

        waitFor(d -> d.getCurrentUrl().endsWith("/console/runs")
                && !d.findElements(By.id("who")).isEmpty() && d.findElement(By.id("live")).getText().startsWith("Live"));
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo(subject);
        assertThat(browser.findElements(By.cssSelector("a[href='/console/runs/new']"))).as("an auditor's New run").isEmpty();
        assertThat(browser.findElements(By.cssSelector("a[href='/console/audit']"))).hasSize(1);

        browser.findElement(By.id("logout")).click();
        waitFor(d -> d.getCurrentUrl().contains("/console/login") && !d.findElements(By.id("oidc-login")).isEmpty());
        browser.findElement(By.id("oidc-login")).click();
        waitFor(d -> d.getCurrentUrl().startsWith(Keycloak.issuer()) && !d.findElements(By.id("password")).isEmpty());
        assertThat(ConsoleBrowserTest.violations(browser)).as("Content-Security-Policy violations").isEmpty();
    }

    private void waitFor(Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200)).until(condition::apply);
    }
}
