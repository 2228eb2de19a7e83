package io.antidote.engine;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InvalidRequestMessageTest {

    /** Joined by reduce(a + "; " + b), 100,000 violations took minutes (quadratic copying); now one pass. */
    @Test
    @Timeout(5)
    void a_million_violations_make_one_short_message_and_keep_every_violation() {
        List<InvalidRequestException.Violation> violations = IntStream.range(0, 1_000_000)
                .mapToObj(i -> new InvalidRequestException.Violation("targets[" + i + "]", "no target named 't" + i + "'"))
                .toList();
        InvalidRequestException e = new InvalidRequestException(violations);
        assertThat(e.violations()).hasSize(1_000_000);
        assertThat(e.getMessage()).startsWith("targets[0]: no target named 't0'; targets[1]:")
                .contains("targets[9]: no target named 't9'").doesNotContain("targets[10]")
                .endsWith("; and 999990 more (see errors)");
    }
}
