package io.antidote.deploy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md lists every {@code antidote.*} setting the code reads, each with its default: the
 * settings of every {@code @ConfigMapping} interface, every {@code @ConfigProperty}, every {@code ${antidote...}}
 * of a {@code @Scheduled} expression, and every {@code antidote.*} key of application.properties.
 */
class ConfigurationDocTest {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{(antidote\\.[a-z0-9.-]+)(?::([^}]*))?}");
    private static final String MAP_KEY = "<name>";

    @Test
    void every_setting_the_code_reads_is_documented_with_its_default() throws IOException {
        Map<String, String> settings = settings();
        String doc = Files.readString(Path.of("docs/configuration.md"));

        assertThat(settings).as("settings found in the code").containsKeys("antidote.engine.max-concurrent-steps",
                "antidote.winrm.breaker.open-for", "antidote.targets.<name>.verify-certificate", "antidote.audit.verify-delay");
        settings.forEach((key, defaultValue) -> {
            String documented = key.replace("antidote.credentials.<name>.", "antidote.credentials.<ref>.");
            List<String> rows = doc.lines().filter(line -> line.startsWith("| `" + documented + "` |")).toList();
            assertThat(rows).as("the row of %s in docs/configuration.md", documented).hasSize(1);
            if (!defaultValue.isEmpty()) {
                assertThat(rows.get(0).split("\\|")[2]).as("default of %s", key).contains("`" + defaultValue + "`");
            }
        });
    }

    /** Every setting, with its default ("" for none). */
    static Map<String, String> settings() throws IOException {
        Map<String, String> settings = new TreeMap<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.antidote")) {
            Class<?> reflected = type.reflect();
            ConfigMapping mapping = reflected.getAnnotation(ConfigMapping.class);
            if (mapping != null) {
                mapped(mapping.prefix(), reflected, settings);
            }
            List<AnnotatedElement> elements = new ArrayList<>(List.of(reflected.getDeclaredFields()));
            List<Executable> executables = new ArrayList<>(List.of(reflected.getDeclaredConstructors()));
            executables.addAll(List.of(reflected.getDeclaredMethods()));
            for (Executable executable : executables) {
                elements.addAll(List.of(executable.getParameters()));
                Scheduled scheduled = executable.getAnnotation(Scheduled.class);
                if (scheduled != null) {
                    for (String expression : List.of(scheduled.every(), scheduled.delayed(), scheduled.cron())) {
                        Matcher m = EXPRESSION.matcher(expression);
                        while (m.find()) {
                            settings.put(m.group(1), m.group(2) == null ? "" : m.group(2));
                        }
                    }
                }
            }
            for (AnnotatedElement element : elements) {
                ConfigProperty property = element.getAnnotation(ConfigProperty.class);
                if (property != null && property.name().startsWith("antidote.")) {
                    settings.put(property.name(), ConfigProperty.UNCONFIGURED_VALUE.equals(property.defaultValue())
                            ? "" : property.defaultValue());
                }
            }
        }
        // Credential references are looked up by name, not bound: their three keys, from the lookups themselves.
        for (String key : List.of("user", "password", "file")) {
            settings.putIfAbsent("antidote.credentials." + MAP_KEY + "." + key, "");
        }
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(Path.of("src/main/resources/application.properties"))));
        for (String name : properties.stringPropertyNames()) {
            String key = name.replaceFirst("^%[a-z]+\\.", "")
                    .replaceFirst("^antidote\\.(credentials|targets|patch-sources)\\.[^.]+\\.", "antidote.$1." + MAP_KEY + ".");
            if (key.startsWith("antidote.")) {
                settings.putIfAbsent(key, "");
            }
        }
        return settings;
    }

    private static void mapped(String prefix, Class<?> mapping, Map<String, String> settings) {
        for (Method method : mapping.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String name = method.isAnnotationPresent(WithParentName.class) ? prefix
                    : prefix + "." + Optional.ofNullable(method.getAnnotation(WithName.class)).map(WithName::value)
                            .orElse(kebab(method.getName()));
            WithDefault defaultValue = method.getAnnotation(WithDefault.class);
            leaf(name, method.getGenericReturnType(), defaultValue == null ? "" : defaultValue.value(), settings);
        }
    }

    private static void leaf(String name, Type type, String defaultValue, Map<String, String> settings) {
        if (type instanceof ParameterizedType generic) {
            Class<?> raw = (Class<?>) generic.getRawType();
            Type[] arguments = generic.getActualTypeArguments();
            if (raw == Optional.class) {
                leaf(name, arguments[0], defaultValue, settings);
                return;
            }
            if (raw == Map.class) {
                leaf(name + "." + MAP_KEY, arguments[1], defaultValue, settings);
                return;
            }
            settings.put(name, defaultValue);
            return;
        }
        Class<?> raw = (Class<?>) type;
        if (raw.isInterface() && raw.getName().startsWith("io.antidote.")) {
            mapped(name, raw, settings);
        } else {
            settings.put(name, defaultValue);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
