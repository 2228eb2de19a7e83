package io.antidote.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Signing as Standard Webhooks specifies, pinned by the specification's published test vector, so that any
 * receiver library (standardwebhooks, svix) verifies Antidote's deliveries; and the backoff between attempts.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WebhookSecretTest {

    @Test
    void the_signature_of_the_standard_webhooks_test_vector_is_the_published_one() {
        WebhookSecret secret = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").orElseThrow();
        assertThat(secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, "{\"test\": 2432232314}"))
                .as("another timestamp, another signature").isNotEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void only_whsec_and_the_base64_of_24_to_64_bytes_is_a_secret_and_it_never_shows_itself() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(WebhookSecret.parse("whsec_" + key)).isPresent();
        assertThat(WebhookSecret.parse(key)).as("without the prefix").isEmpty();
        assertThat(WebhookSecret.parse("whsec_not base64!")).isEmpty();
        assertThat(WebhookSecret.parse("whsec_" + Base64.getEncoder().encodeToString(new byte[23]))).isEmpty();
        assertThat(WebhookSecret.parse("whsec_" + Base64.getEncoder().encodeToString(new byte[65]))).isEmpty();
        assertThat(WebhookSecret.parse(null)).isEmpty();
        assertThat(WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").orElseThrow().toString())
                .doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    @Test
    void the_wait_doubles_after_each_failed_attempt_up_to_the_maximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofHours(1));
        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.after(10)).isEqualTo(Duration.ofSeconds(5 * 512));
        assertThat(backoff.after(11)).as("5 s × 1024 is past an hour").isEqualTo(Duration.ofHours(1));
        assertThat(backoff.after(1000)).isEqualTo(Duration.ofHours(1));
    }
}
