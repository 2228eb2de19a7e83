package io.antidote.deploy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code @ConfigMapping} interfaces refuse, when the configuration is built at start, a value that cannot be
 * used, with a message naming the setting and the rule; and every profile of application.properties passes.
 * Built here as Quarkus builds it (application.properties, Quarkus' duration and size converters, Bean
 * Validation over every {@code antidote.*} mapping, which the quarkus-hibernate-validator extension applies at
 * start).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConfigurationValidationTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    @ParameterizedTest
    @ValueSource(strings = {"prod", "test", "lab"})
    void every_profile_of_application_properties_passes(String profile) throws IOException {
        SmallRyeConfig config = build(profile, Map.of());

        assertThat(config.getConfigMapping(io.antidote.engine.EngineConfig.class).drainTime())
                .as("drain time in the %s profile", profile).isEqualTo(Duration.ofSeconds(profile.equals("test") ? 2 : 20));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "antidote.engine.drain-time         | -5s    | must not be negative",
            "antidote.engine.probe-for          | 0s     | must be longer than 0",
            "antidote.engine.max-concurrent-steps | 0    | must be greater than or equal to 1",
            "antidote.engine.ownership.expiry   | PT-1S  | must be longer than 0",
            "antidote.winrm.breaker.open-for    | -1m    | must be longer than 0",
            "antidote.outbox.batch-size         | 0      | must be greater than or equal to 1",
            "antidote.webhooks.interval         | 0ms    | must be at least 1ms",
            "antidote.live.buffer               | -1     | must be greater than or equal to 1",
            "antidote.lab.first-port            | 70000  | must be less than or equal to 65535",
            "antidote.idempotency.keep-for      | -7d    | must be longer than 0",
            "antidote.rate-limit.per-second     | 0      | must be greater than 0",
            "antidote.http.max-uri-length       | 0      | must be greater than or equal to 1",
            "antidote.auth.api-token.max-lifetime | PT0S | must be longer than 0",
            "antidote.audit.checkpoint-interval | -60s   | must be longer than 0",
            "antidote.runs.max-targets          | 0      | must be greater than or equal to 1",
            "antidote.playbooks.reload-interval | -5s    | must not be negative",
            "antidote.database.service-role     | x'; drop table run_event; -- | must be a role name",
    })
    void a_value_that_breaks_a_rule_stops_the_start_naming_the_setting_and_the_rule(String key, String value,
                                                                                     String rule) {
        assertThatThrownBy(() -> build("prod", Map.of(key, value)))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining(key + " " + rule);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "antidote.engine.drain-time    | soon",
            "antidote.outbox.batch-size    | many",
            "antidote.http.max-body-size   | big",
    })
    void a_value_that_is_not_of_the_settings_type_stops_the_start_naming_the_setting(String key, String value) {
        assertThatThrownBy(() -> build("prod", Map.of(key, value)))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining(key);
    }

    private static SmallRyeConfig build(String profile, Map<String, String> overrides) throws IOException {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withProfile(profile)
                .withSources(new PropertiesConfigSource(
                        Path.of("src/main/resources/application.properties").toUri().toURL(), 250))
                .withSources(new PropertiesConfigSource(overrides, "overrides", 400))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withValidator(new BeanValidationConfigValidator() {
                    @Override
                    public Validator getValidator() {
                        return VALIDATOR;
                    }
                })
                .withValidateUnknown(false);
        AntidoteMappings.ALL.forEach(builder::withMapping);
        return builder.build();
    }
}
