package io.antidote.engine;

import io.antidote.playbook.ParseResult;
import io.antidote.playbook.Playbook;
import io.antidote.playbook.PlaybookParser;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13, points 4 and 5: the Idempotency-Key fingerprint is stored, so a secret parameter may enter it only
 * under a key the database never holds, while "same key, other body" is still told apart when the bodies differ
 * only in a secret.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RequestFingerprintTest {

    private static final Playbook PLAYBOOK = ((ParseResult.Valid) PlaybookParser.parse("p.yaml", """
            name: p
            params:
              pin:
                type: secret
              site:
                type: string
            steps:
              - id: s
                powershell: Get-Date
            """)).playbook();
    private static final String KEY = "k".repeat(RequestFingerprint.MIN_KEY_BYTES);
    private static final String OTHER_KEY = "o".repeat(RequestFingerprint.MIN_KEY_BYTES);

    private static RunRequests.Request request(String pin, String site) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("pin", pin);
        params.put("site", site);
        return new RunRequests.Request("p", List.of("ex01"), params, "CHG-1", "key-1", "alice");
    }

    private static RequestFingerprint keyed(String key) {
        return new RequestFingerprint(Optional.of(key), Optional.empty());
    }

    @Test
    void bodies_that_differ_only_in_a_secret_have_different_fingerprints_and_equal_bodies_equal_ones() {
        RequestFingerprint fingerprints = keyed(KEY);
        assertThat(fingerprints.of(request("4711", "A"), PLAYBOOK)).isEqualTo(fingerprints.of(request("4711", "A"), PLAYBOOK))
                .isNotEqualTo(fingerprints.of(request("4712", "A"), PLAYBOOK))
                .isNotEqualTo(fingerprints.of(request("4711", "B"), PLAYBOOK))
                .matches("[0-9a-f]{64}");
    }

    @Test
    void a_short_secret_cannot_be_found_from_the_stored_fingerprint_by_trying_every_candidate_without_the_key() {
        String stored = keyed(KEY).of(request("4711", "A"), PLAYBOOK);
        assertThat(pinsMatching(stored)).isEmpty();
        // The control: the same search finds the PIN in the unkeyed fingerprint this replaced.
        assertThat(pinsMatching(UnkeyedFingerprint.of(request("4711", "A")))).containsExactly("4711");
        // And a replica holding the key agrees with the stored fingerprint, while one with another key does not.
        assertThat(keyed(KEY).of(request("4711", "A"), PLAYBOOK)).isEqualTo(stored);
        assertThat(keyed(OTHER_KEY).of(request("4711", "A"), PLAYBOOK)).isNotEqualTo(stored);
    }

    @Test
    void without_secrets_the_fingerprint_needs_no_key_so_replicas_and_restarts_agree_on_it_whatever_their_key() {
        RunRequests.Request noSecret = new RunRequests.Request("p", List.of("ex01"), Map.of("site", "A"), "CHG-1",
                "key-1", "alice");
        RequestFingerprint unconfigured = new RequestFingerprint(Optional.empty(), Optional.empty());
        assertThat(keyed(KEY).of(noSecret, PLAYBOOK)).isEqualTo(keyed(OTHER_KEY).of(noSecret, PLAYBOOK))
                .isEqualTo(unconfigured.of(noSecret, PLAYBOOK));
        assertThat(unconfigured.of(request("4711", "A"), PLAYBOOK)).as("an ephemeral key is not a configured one")
                .isNotEqualTo(keyed(KEY).of(request("4711", "A"), PLAYBOOK));
    }

    @Test
    void for_a_playbook_that_is_not_known_every_parameter_is_keyed() {
        RequestFingerprint fingerprints = keyed(KEY);
        RunRequests.Request plain = new RunRequests.Request("gone", List.of("ex01"), Map.of("x", "1"), null, "k", "a");
        assertThat(fingerprints.ofUnknownPlaybook(plain)).isNotEqualTo(keyed(OTHER_KEY).ofUnknownPlaybook(plain))
                .isEqualTo(fingerprints.ofUnknownPlaybook(plain));
    }

    @Test
    void the_key_comes_from_a_file_and_a_key_shorter_than_32_bytes_is_refused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fingerprint.key");
        Files.writeString(file, KEY + "\n");
        assertThat(new RequestFingerprint(Optional.of(OTHER_KEY), Optional.of(file)).of(request("4711", "A"), PLAYBOOK))
                .as("the file wins over the text, its trailing newline ignored")
                .isEqualTo(keyed(KEY).of(request("4711", "A"), PLAYBOOK));
        assertThatThrownBy(() -> keyed("too-short-key")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("antidote.idempotency.fingerprint-key").hasMessageContaining("32")
                .hasMessageNotContaining("too-short-key");
    }

    /**
     * What someone holding a copy of idempotency_key can compute for every 4-digit PIN, knowing the rest of the
     * body from the run's events: the unkeyed fingerprint, and plain digests of the value alone.
     */
    private static List<String> pinsMatching(String fingerprint) {
        List<String> found = new java.util.ArrayList<>();
        for (int pin = 0; pin <= 9999; pin++) {
            String candidate = "%04d".formatted(pin);
            if (UnkeyedFingerprint.of(request(candidate, "A")).equals(fingerprint)
                    || UnkeyedFingerprint.sha256(candidate.getBytes(StandardCharsets.UTF_8)).equals(fingerprint)
                    || UnkeyedFingerprint.sha256(candidate.getBytes(StandardCharsets.UTF_16BE)).equals(fingerprint)) {
                found.add(candidate);
            }
        }
        return found;
    }
}
