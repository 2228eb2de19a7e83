package io.antidote.winrm;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials by reference through the {@code antidote.credentials} mapping, from a properties file and from the
 * environment as an operator sets them: the environment can spell neither {@code -} nor {@code .}, so a
 * reference is found by its name in the environment's form too, but never taken for another it cannot tell apart.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CredentialsConfigTest {

    @Test
    void a_reference_named_in_a_file_takes_its_password_from_the_environment() {
        CredentialsConfig config = config(Map.of("antidote.credentials.exchange-admins.user", "CONTOSO\\svc"),
                Map.of("ANTIDOTE_CREDENTIALS_EXCHANGE_ADMINS_PASSWORD", "from-env"));

        assertThat(new ConfiguredCredentials(config).find("exchange-admins"))
                .contains(new Credential("CONTOSO\\svc", "from-env"));
    }

    @Test
    void a_reference_only_in_the_environment_is_found_plain_or_in_its_quoted_form() {
        CredentialsConfig config = config(Map.of(), Map.of(
                "ANTIDOTE_CREDENTIALS_LAB_USER", "lab", "ANTIDOTE_CREDENTIALS_LAB_PASSWORD", "p1",
                "ANTIDOTE_CREDENTIALS__EXCHANGE_ADMINS__USER", "svc", "ANTIDOTE_CREDENTIALS__EXCHANGE_ADMINS__PASSWORD", "p2"));
        ConfiguredCredentials credentials = new ConfiguredCredentials(config);

        assertThat(credentials.find("lab")).contains(new Credential("lab", "p1"));
        assertThat(credentials.find("exchange-admins")).as("a reference with a dash, from the quoted form")
                .contains(new Credential("svc", "p2"));
        assertThat(credentials.find("exchange.admins")).as("a reference with a dot, from the quoted form")
                .contains(new Credential("svc", "p2"));
    }

    @Test
    void two_references_the_environment_cannot_tell_apart_are_neither_taken_for_the_other() {
        CredentialsConfig config = config(Map.of("antidote.credentials.ex-01.file", "/run/secrets/a",
                "antidote.credentials.ex_01.file", "/run/secrets/b"), Map.of());

        assertThat(config.find("ex-01").flatMap(CredentialsConfig.Reference::file)).contains("/run/secrets/a");
        assertThat(config.find("ex_01").flatMap(CredentialsConfig.Reference::file)).contains("/run/secrets/b");
        assertThat(config.find("ex.01")).as("alike to both").isEmpty();
    }

    @Test
    void a_reference_without_both_user_and_password_gives_no_credential() {
        CredentialsConfig config = config(Map.of("antidote.credentials.half.user", "u"), Map.of());

        assertThat(new ConfiguredCredentials(config).find("half")).isEmpty();
        assertThat(new ConfiguredCredentials(config).find("absent")).isEqualTo(Optional.empty());
    }

    private static CredentialsConfig config(Map<String, String> properties, Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new EnvConfigSource(environment, 300))
                .withMapping(CredentialsConfig.class)
                .build().getConfigMapping(CredentialsConfig.class);
    }
}
