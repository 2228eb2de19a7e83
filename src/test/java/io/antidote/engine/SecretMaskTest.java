package io.antidote.engine;

import io.antidote.playbook.Param;
import io.antidote.playbook.ParamType;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** What a host prints is recorded only after the run's secret parameter values are masked out of it, in any form. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SecretMaskTest {

    static final String SECRET = "Pa'ss<w>&\"rd\\-Tr0ub4dor\u00e4\u20ac-x9";

    static Param param(String name, ParamType type) {
        return new Param(name, type, null, null, false, null, null);
    }

    static final List<Param> DECLARED = List.of(param("share", ParamType.STRING), param("short", ParamType.SECRET),
            param("long", ParamType.SECRET), param("empty", ParamType.SECRET), param("absent", ParamType.SECRET));

    @Test
    void every_secret_value_is_masked_and_other_parameters_are_left_alone() {
        Map<String, Object> params = new HashMap<>();
        params.put("share", "C:\\Patches");
        params.put("short", "Pw0rd");
        params.put("long", "Passw0rd!and-more");
        params.put("empty", "");
        SecretMask mask = SecretMask.of(DECLARED, params);
        assertThat(mask.apply("{\"a\":\"Passw0rd!and-more\",\"b\":\"xPw0rdx\",\"share\":\"C:\\\\Patches\"}"))
                .isEqualTo("{\"a\":\"***\",\"b\":\"x***x\",\"share\":\"C:\\\\Patches\"}");
        assertThat(mask.apply("")).isEmpty();
        assertThat(mask.apply(null)).isNull();
        assertThat(mask.apply("nothing secret here, Pw0r and Passw0r")).isEqualTo("nothing secret here, Pw0r and Passw0r");
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Stream<Arguments> forms() {
        return Stream.<Object[]>of(
                new Object[] {"as typed", (UnaryOperator<String>) s -> s},
                new Object[] {"quote-doubled", (UnaryOperator<String>) s -> s.replace("'", "''")},
                new Object[] {"ConvertTo-Json (JavaScriptSerializer)", (UnaryOperator<String>) s -> s.replace("\\", "\\\\")
                        .replace("\"", "\\\"").replace("'", "\\u0027").replace("<", "\\u003c").replace(">", "\\u003e")
                        .replace("&", "\\u0026")},
                new Object[] {"JSON with every non-ASCII escaped", (UnaryOperator<String>) s -> s.replace("\\", "\\\\")
                        .replace("\"", "\\\"").replace("\u00e4", "\\u00e4").replace("\u20ac", "\\u20ac")},
                new Object[] {"XML text", (UnaryOperator<String>) s -> s.replace("&", "&amp;").replace("<", "&lt;")
                        .replace(">", "&gt;")},
                new Object[] {"XML attribute", (UnaryOperator<String>) s -> s.replace("&", "&amp;").replace("<", "&lt;")
                        .replace(">", "&gt;").replace("\"", "&quot;")},
                new Object[] {"base64 of UTF-8", (UnaryOperator<String>) s -> b64(s.getBytes(StandardCharsets.UTF_8))},
                new Object[] {"base64 of UTF-16LE", (UnaryOperator<String>) s -> b64(s.getBytes(StandardCharsets.UTF_16LE))},
                new Object[] {"base64 of UTF-8 inside a longer text, one byte in",
                        (UnaryOperator<String>) s -> b64(("k=" + s + ";").substring(1).getBytes(StandardCharsets.UTF_8))},
                new Object[] {"base64 of UTF-8 inside a longer text, two bytes in",
                        (UnaryOperator<String>) s -> b64(("k=" + s + ";").getBytes(StandardCharsets.UTF_8))},
                new Object[] {"base64 of UTF-16LE inside a longer text",
                        (UnaryOperator<String>) s -> b64(("key: " + s).getBytes(StandardCharsets.UTF_16LE))},
                new Object[] {"non-ASCII lost to the code page", (UnaryOperator<String>) s -> s.replace('\u00e4', '?')
                        .replace('\u20ac', '?')},
                new Object[] {"non-ASCII decoded wrongly", (UnaryOperator<String>) s -> s.replace('\u00e4', '\uFFFD')
                        .replace('\u20ac', '\uFFFD')},
                new Object[] {"the last 15 characters, as throw's CategoryInfo shows them",
                        (UnaryOperator<String>) s -> "(" + s.substring(0, 15) + "..." + s.substring(s.length() - 15) + ":String)"},
                new Object[] {"8 characters from the middle", (UnaryOperator<String>) s -> s.substring(12, 20)},
                new Object[] {"reversed", (UnaryOperator<String>) s -> new StringBuilder(s).reverse().toString()},
                new Object[] {"one character a line", (UnaryOperator<String>) s -> String.join("\r\n", s.split(""))},
                new Object[] {"characters joined with spaces", (UnaryOperator<String>) s -> String.join(" ", s.split(""))},
                new Object[] {"hex, BitConverter style", (UnaryOperator<String>) s -> java.util.HexFormat.ofDelimiter("-")
                        .withUpperCase().formatHex(s.getBytes(StandardCharsets.UTF_8))})
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void a_secret_is_masked_in_every_form_a_script_can_print_it(String form, UnaryOperator<String> shape) {
        SecretMask mask = SecretMask.of(List.of(SECRET));
        String printed = "before " + shape.apply(SECRET) + " after";
        String masked = mask.apply(printed);
        assertThat(masked).startsWith("before ").endsWith(" after").contains(SecretMask.MASK);
        for (int i = 0; i + SecretMask.RUN <= SECRET.length(); i++) {
            assertThat(masked).as("run at %d", i).doesNotContain(SECRET.substring(i, i + SecretMask.RUN));
        }
        String shaped = shape.apply(SECRET);
        // Forms that carry other text around the secret's (the base64 of a longer text, CategoryInfo's parts) are
        // checked by the runs of the secret above; the others must lose every run of theirs.
        boolean secretOnly = !form.contains("inside") && !form.contains("last 15");
        for (int i = 0; secretOnly && i + SecretMask.RUN <= shaped.length(); i++) {
            assertThat(masked).as("a run of the %s form at %d", form, i).doesNotContain(shaped.substring(i, i + SecretMask.RUN));
        }
    }

    @Test
    void a_short_secret_is_masked_whole_in_its_forms_but_its_fragments_are_left() {
        SecretMask mask = SecretMask.of(List.of("a'b<c"));
        assertThat(mask.apply("x a'b<c y a''b<c z a\\u0027b\\u003cc w a'b&lt;c")).isEqualTo("x *** y *** z *** w ***");
        assertThat(mask.apply("a'b and b<c")).isEqualTo("a'b and b<c");
    }

    @Test
    void ordinary_text_and_runs_shorter_than_eight_characters_stay() {
        SecretMask mask = SecretMask.of(List.of("Correct-Horse-Battery"));
        String text = "Correct Horse is a phrase; Battery-staple; Get-Service | Format-Table\r\n??????\u00e4\u00e4\u00e4";
        assertThat(mask.apply(text)).isEqualTo(text);
    }

    @Test
    void masking_a_megabyte_against_a_4_KiB_secret_stays_linear() {
        StringBuilder secret = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        while (secret.length() < 4096) {
            secret.append((char) ('!' + random.nextInt(90)));
        }
        StringBuilder text = new StringBuilder();
        while (text.length() < 1_000_000) {
            text.append("line ").append(text.length()).append(" of output with some ordinary words\r\n");
        }
        text.append(secret).append("\r\n");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            SecretMask mask = SecretMask.of(List.of(secret.toString()));
            String masked = mask.apply(text.toString());
            assertThat(masked).endsWith("\r\n***\r\n").doesNotContain(secret.substring(100, 108));
        });
    }
}
