package io.antidote.deploy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.scheduler.Scheduled;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md lists every {@code antidote.*} setting with its default, and nothing else: the list is
 * derived from the {@code @ConfigMapping} interfaces ({@link AntidoteMappings}), so a setting added to a mapping
 * without a row here fails. What reads a setting by name in an expression (a {@code @Scheduled} interval, a
 * property of application.properties that follows another) must name a mapped setting with the same default,
 * so that nothing is read around the mappings.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConfigurationDocTest {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{(antidote\\.[a-z0-9.-]+)(?::([^}]*))?}");
    private static final Pattern ROW = Pattern.compile("^\\| `(antidote\\.[^`]+)` \\|");

    private final Map<String, String> settings = AntidoteMappings.settings();

    @Test
    void every_mapped_setting_has_one_row_in_docs_configuration_md_with_its_default() throws IOException {
        String doc = Files.readString(Path.of("docs/configuration.md"));

        assertThat(settings).as("settings found in the mappings").containsKeys("antidote.engine.max-concurrent-steps",
                "antidote.winrm.breaker.open-for", "antidote.targets.<name>.verify-certificate",
                "antidote.audit.verify-delay", "antidote.credentials.<name>.password", "antidote.http.max-body-size",
                "antidote.database.service-role");
        settings.forEach((key, defaultValue) -> {
            String documented = documented(key);
            List<String> rows = doc.lines().filter(line -> line.startsWith("| `" + documented + "` |")).toList();
            assertThat(rows).as("the row of %s in docs/configuration.md", documented).hasSize(1);
            if (!defaultValue.isEmpty()) {
                assertThat(rows.get(0).split("\\|")[2]).as("default of %s", key).contains("`" + defaultValue + "`");
            }
        });
    }

    @Test
    void docs_configuration_md_lists_no_setting_that_no_mapping_declares() throws IOException {
        List<String> documented = settings.keySet().stream().map(ConfigurationDocTest::documented).toList();
        List<String> rows = Files.readString(Path.of("docs/configuration.md")).lines().map(ROW::matcher)
                .filter(Matcher::find).map(m -> m.group(1)).toList();

        assertThat(rows).as("settings documented").isNotEmpty();
        assertThat(rows.stream().filter(row -> !documented.contains(row)).toList())
                .as("rows of docs/configuration.md that no @ConfigMapping declares").isEmpty();
    }

    @Test
    void every_schedule_reads_a_mapped_setting_with_the_mappings_default() {
        List<String> read = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.antidote")) {
            for (Method method : type.reflect().getDeclaredMethods()) {
                Scheduled scheduled = method.getAnnotation(Scheduled.class);
                if (scheduled == null) {
                    continue;
                }
                for (String expression : List.of(scheduled.every(), scheduled.delayed(), scheduled.cron())) {
                    Matcher m = EXPRESSION.matcher(expression);
                    while (m.find()) {
                        read.add(m.group(1));
                        assertThat(settings).as("%s in the schedule of %s", m.group(1), method).containsKey(m.group(1));
                        assertThat(m.group(2)).as("the default of %s in the schedule of %s", m.group(1), method)
                                .isEqualTo(settings.get(m.group(1)));
                    }
                }
            }
        }
        assertThat(read).as("settings read by schedules").contains("antidote.audit.verify-delay",
                "antidote.idempotency.sweep-interval");
    }

    @Test
    void every_antidote_key_of_application_properties_is_a_mapped_setting() throws IOException {
        String text = Files.readString(Path.of("src/main/resources/application.properties"));
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        List<String> keys = new ArrayList<>();
        for (String name : properties.stringPropertyNames()) {
            String key = name.replaceFirst("^%[a-z]+\\.", "");
            if (key.startsWith("antidote.")) {
                keys.add(key);
            }
            Matcher m = EXPRESSION.matcher(properties.getProperty(name));
            while (m.find()) {
                keys.add(m.group(1));
            }
        }
        assertThat(keys).as("antidote keys of application.properties").contains("antidote.database.service-role",
                "antidote.credentials.lab.password", "antidote.patch-sources.local.path");
        assertThat(keys.stream().filter(key -> !AntidoteMappings.isSetting(key, settings)).toList())
                .as("keys of application.properties that no @ConfigMapping declares").isEmpty();
    }

    /** How docs/configuration.md spells a setting: a credential's map key is its reference. */
    private static String documented(String key) {
        return key.replace("antidote.credentials.<name>.", "antidote.credentials.<ref>.");
    }
}
