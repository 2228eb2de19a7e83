package io.antidote.engine;

import io.antidote.playbook.Param;
import io.antidote.playbook.ParamType;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a host prints is recorded only after the run's secret parameter values are masked out of it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SecretMaskTest {

    static Param param(String name, ParamType type) {
        return new Param(name, type, null, null, false, null, null);
    }

    static final List<Param> DECLARED = List.of(param("share", ParamType.STRING), param("short", ParamType.SECRET),
            param("long", ParamType.SECRET), param("empty", ParamType.SECRET), param("absent", ParamType.SECRET));

    @Test
    void every_secret_value_is_masked_the_longer_first_and_other_parameters_are_left_alone() {
        Map<String, Object> params = new HashMap<>();
        params.put("share", "C:\\Patches");
        params.put("short", "Passw0rd");
        params.put("long", "Passw0rd!and-more");
        params.put("empty", "");
        SecretMask mask = SecretMask.of(DECLARED, params);
        assertThat(mask.apply("{\"a\":\"Passw0rd!and-more\",\"b\":\"xPassw0rdx\",\"share\":\"C:\\\\Patches\"}"))
                .isEqualTo("{\"a\":\"***\",\"b\":\"x***x\",\"share\":\"C:\\\\Patches\"}");
        assertThat(mask.apply("")).isEmpty();
        assertThat(mask.apply(null)).isNull();
    }
}
