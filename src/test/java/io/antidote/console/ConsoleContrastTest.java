package io.antidote.console;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, accessible console: every colour pair the stylesheet declares meets WCAG 2.1 AA, read from the
 * stylesheet itself (custom properties resolved), so that a colour changed there is judged here.
 *
 * <p>Where text sits is read off the rules: a rule that declares a colour and a background is a pair; a rule that
 * declares a colour alone is written on the background of an ancestor its selector names ({@code .top a} on
 * {@code .top}), or else on any surface; a surface is the page ({@code :root}) or a rule that declares a
 * background and no colour, on which any text may be written. Text needs 4.5:1 (1.4.3); the focus outline, a
 * non-text indicator drawn outside its element, needs 3:1 against every surface and ancestor background (1.4.11).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsoleContrastTest {

    static final Path STYLESHEET = Path.of("src/main/resources/META-INF/resources/console/assets/console.css");
    private static final Pattern RULE = Pattern.compile("([^{}]+)\\{([^{}]*)}");
    private static final Pattern VAR = Pattern.compile("var\\((--[a-z0-9-]+)\\)");
    private static final Pattern HEX = Pattern.compile("#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\\b");

    /** One rule of the sheet: its selector and its declarations, custom properties resolved. */
    record Rule(String selector, Map<String, String> declarations) {
        String colour(String property) {
            String value = declarations.get(property);
            if (value == null) {
                return null;
            }
            Matcher hex = HEX.matcher(value);
            return hex.find() ? hex.group() : null;
        }

        String background() {
            String colour = colour("background-color");
            return colour != null ? colour : colour("background");
        }
    }

    @Test
    void every_text_colour_has_4_5_to_1_on_what_it_is_written_on_and_the_focus_outline_3_to_1() throws IOException {
        List<Rule> rules = rules(Files.readString(STYLESHEET));
        Map<String, String> backgrounds = new LinkedHashMap<>();
        rules.stream().filter(r -> r.background() != null).forEach(r -> backgrounds.put(r.selector(), r.background()));
        Set<String> surfaces = new LinkedHashSet<>();
        rules.stream().filter(r -> r.background() != null && (r.colour("color") == null || r.selector().equals(":root")))
                .forEach(r -> surfaces.add(r.background()));
        assertThat(surfaces).as("the page's own background is read").contains("#ffffff");

        List<String> failures = new ArrayList<>();
        Set<String> ancestors = new LinkedHashSet<>();
        int pairs = 0;
        for (Rule rule : rules) {
            String text = rule.colour("color");
            if (text == null) {
                continue;
            }
            List<String> under;
            if (rule.background() != null) {
                under = List.of(rule.background());
            } else {
                String ancestor = ancestorBackground(rule.selector(), backgrounds);
                if (ancestor != null) {
                    ancestors.add(ancestor);
                }
                under = ancestor != null ? List.of(ancestor) : List.copyOf(surfaces);
            }
            for (String background : under) {
                pairs++;
                double ratio = contrast(text, background);
                if (ratio < 4.5) {
                    failures.add(String.format(Locale.ROOT, "%s: %s on %s is %.2f:1", rule.selector(), text, background, ratio));
                }
            }
        }
        Set<String> around = new LinkedHashSet<>(surfaces);
        around.addAll(ancestors);
        List<String> outlines = rules.stream().filter(r -> r.selector().contains("focus")).map(r -> r.colour("outline"))
                .filter(c -> c != null).toList();
        assertThat(outlines).as("a focus outline colour is declared").isNotEmpty();
        for (String outline : outlines) {
            for (String background : around) {
                double ratio = contrast(outline, background);
                if (ratio < 3) {
                    failures.add(String.format(Locale.ROOT, "focus outline %s on %s is %.2f:1", outline, background, ratio));
                }
            }
        }
        assertThat(pairs).as("colour pairs judged").isGreaterThan(15);
        assertThat(failures).as("colour pairs under WCAG AA").isEmpty();
    }

    @Test
    void the_contrast_ratio_is_wcags() {
        assertThat(contrast("#000", "#fff")).isEqualTo(21.0);
        assertThat(contrast("#777777", "#ffffff")).isBetween(4.47, 4.49); // the classic near miss
        assertThat(contrast("#595959", "#ffffff")).isBetween(7.0, 7.01);
    }

    /** The background of the nearest ancestor a descendant selector names ({@code .top} of {@code .top a}), or null. */
    static String ancestorBackground(String selector, Map<String, String> backgrounds) {
        String[] parts = selector.trim().split("\\s+");
        for (int i = parts.length - 2; i >= 0; i--) {
            String background = backgrounds.get(parts[i]);
            if (background != null) {
                return background;
            }
        }
        return null;
    }

    /** The sheet's rules, one per selector of a list, with {@code var(--x)} replaced by {@code :root}'s value. */
    static List<Rule> rules(String css) {
        String sheet = css.replaceAll("(?s)/\\*.*?\\*/", "");
        Map<String, String> properties = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>();
        Matcher rule = RULE.matcher(sheet);
        List<String[]> raw = new ArrayList<>();
        while (rule.find()) {
            raw.add(new String[]{rule.group(1).trim(), rule.group(2)});
            for (String declaration : rule.group(2).split(";")) {
                String[] pair = declaration.split(":", 2);
                if (pair.length == 2 && pair[0].trim().startsWith("--")) {
                    properties.put(pair[0].trim(), pair[1].trim());
                }
            }
        }
        for (String[] r : raw) {
            Map<String, String> declarations = new LinkedHashMap<>();
            for (String declaration : r[1].split(";")) {
                String[] pair = declaration.split(":", 2);
                if (pair.length == 2) {
                    Matcher var = VAR.matcher(pair[1]);
                    String value = var.replaceAll(m -> Matcher.quoteReplacement(
                            properties.getOrDefault(m.group(1), m.group())));
                    declarations.put(pair[0].trim().toLowerCase(Locale.ROOT), normalised(value.trim()));
                }
            }
            for (String selector : r[0].split(",")) {
                rules.add(new Rule(selector.trim(), declarations));
            }
        }
        return rules;
    }

    /** {@code #abc} as {@code #aabbcc}, lower case, so that one colour is one string. */
    private static String normalised(String value) {
        return HEX.matcher(value).replaceAll(m -> {
            String hex = m.group(1).toLowerCase(Locale.ROOT);
            return hex.length() == 3 ? "#" + hex.charAt(0) + hex.charAt(0) + hex.charAt(1) + hex.charAt(1)
                    + hex.charAt(2) + hex.charAt(2) : "#" + hex;
        });
    }

    /** WCAG 2.1's contrast ratio of two sRGB colours. */
    static double contrast(String a, String b) {
        double la = luminance(normalised(a));
        double lb = luminance(normalised(b));
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String hex) {
        double[] channel = new double[3];
        for (int i = 0; i < 3; i++) {
            double c = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            channel[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * channel[0] + 0.7152 * channel[1] + 0.0722 * channel[2];
    }
}
