package io.antidote.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The console's Content-Security-Policy names the provider for its logout redirect, and nothing else of the setting. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsoleCspTest {

    @Test
    void without_a_provider_forms_lead_here_only() {
        assertThat(HttpEdge.consoleCsp(Optional.empty())).isEqualTo(HttpEdge.CONSOLE_CSP).contains("form-action 'self';");
    }

    @Test
    void the_providers_origin_follows_self_and_its_path_query_and_case_are_left_out() {
        assertThat(HttpEdge.consoleCsp(Optional.of(URI.create("https://IdP.Example.org:8443/realms/ops?x=1#y"))))
                .contains("form-action 'self' https://idp.example.org:8443;")
                .doesNotContain("realms").doesNotContain("x=1")
                .startsWith("default-src 'self'; frame-ancestors 'none'; ");
        assertThat(HttpEdge.consoleCsp(Optional.of(URI.create("http://127.0.0.1:8180/realms/antidote"))))
                .contains("form-action 'self' http://127.0.0.1:8180;");
    }

    @Test
    void a_value_that_is_no_web_origin_changes_nothing() {
        for (String bad : new String[] {"javascript:alert(1)", "data:text/html,x", "/relative/path", "ftp://idp.example.org",
                "mailto:a@b"}) {
            assertThat(HttpEdge.consoleCsp(Optional.of(URI.create(bad)))).as(bad).isEqualTo(HttpEdge.CONSOLE_CSP);
        }
    }
}
