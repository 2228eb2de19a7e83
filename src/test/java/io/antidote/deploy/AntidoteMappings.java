package io.antidote.deploy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code @ConfigMapping} interfaces of the production code whose prefix is {@code antidote.}, and the
 * settings they declare: the one list of Antidote's settings that the documentation and validation tests
 * derive theirs from, so that a setting added to a mapping is checked without touching a test.
 */
final class AntidoteMappings {

    /** What a map key stands as in a setting's name, here and in docs/configuration.md. */
    static final String MAP_KEY = "<name>";

    static final List<Class<?>> ALL = scan();

    private AntidoteMappings() {
    }

    /** Every setting by name ({@code <name>} for map keys), with its default ("" for none). */
    static Map<String, String> settings() {
        Map<String, String> settings = new TreeMap<>();
        for (Class<?> mapping : ALL) {
            mapped(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, settings);
        }
        return settings;
    }

    /** Whether a concrete key ({@code antidote.targets.ex-01.address}) is one of the settings. */
    static boolean isSetting(String key, Map<String, String> settings) {
        return settings.keySet().stream().anyMatch(name -> pattern(name).matcher(key).matches());
    }

    private static Pattern pattern(String setting) {
        StringBuilder regex = new StringBuilder();
        for (String part : setting.split(Pattern.quote(MAP_KEY), -1)) {
            if (!regex.isEmpty()) {
                regex.append("(?:\"[^\"]+\"|[^.\"]+|<[a-z]+>)");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private static List<Class<?>> scan() {
        List<Class<?>> mappings = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.antidote")) {
            ConfigMapping mapping = type.reflect().getAnnotation(ConfigMapping.class);
            if (mapping != null && mapping.prefix().startsWith("antidote.")) {
                mappings.add(type.reflect());
            }
        }
        return List.copyOf(mappings);
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
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
