package io.antidote.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.antidote.store.Checkpoint;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Key rotation: checkpoints signed with an earlier key still verify, and a key pair that does not match is refused at start. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SigningKeysTest {

    @Test
    void after_a_rotation_old_checkpoints_verify_with_the_kept_public_key_and_the_current_key_is_listed_first()
            throws Exception {
        KeyPair old = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair now = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        SigningKeys before = keys(old, List.of());
        Checkpoint signedBefore = signed(before);

        SigningKeys after = keys(now, List.of(encoded(old.getPublic().getEncoded())));
        assertThat(after.verifies(signedBefore)).as("old checkpoint, old key kept").isTrue();
        assertThat(after.publicKeys()).extracting(SigningKeys.PublicKeyInfo::id)
                .containsExactly(SigningKeys.idOf(now.getPublic()), SigningKeys.idOf(old.getPublic()));
        assertThat(after.publicKeys().get(0).current()).isTrue();
        assertThat(after.verifies(signed(after))).isTrue();

        SigningKeys forgetful = keys(now, List.of());
        assertThat(forgetful.verifies(signedBefore)).as("old checkpoint, old key dropped").isFalse();
        Checkpoint altered = new Checkpoint(signedBefore.runId(), signedBefore.lastSeq() + 1, signedBefore.lastHash(),
                signedBefore.signedAt(), signedBefore.keyId(), signedBefore.signature());
        assertThat(after.verifies(altered)).as("checkpoint with its seq changed").isFalse();
    }

    @Test
    void a_checkpoint_verified_once_is_remembered_but_any_change_to_it_is_verified_afresh() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        SigningKeys keys = keys(pair, List.of());
        Checkpoint good = signed(keys);
        assertThat(keys.verifies(good)).isTrue();
        assertThat(keys.verifies(good)).isTrue();
        assertThat(keys.rememberedVerifications()).as("one checkpoint remembered once").isEqualTo(1);

        Checkpoint otherHash = new Checkpoint(good.runId(), good.lastSeq(), "f" + good.lastHash().substring(1),
                good.signedAt(), good.keyId(), good.signature());
        Checkpoint otherTime = new Checkpoint(good.runId(), good.lastSeq(), good.lastHash(),
                good.signedAt().plusMillis(1), good.keyId(), good.signature());
        Checkpoint otherRun = new Checkpoint(UUID.randomUUID(), good.lastSeq(), good.lastHash(), good.signedAt(),
                good.keyId(), good.signature());
        byte[] flipped = Base64.getDecoder().decode(good.signature());
        flipped[0] ^= 1;
        Checkpoint otherSignature = new Checkpoint(good.runId(), good.lastSeq(), good.lastHash(), good.signedAt(),
                good.keyId(), Base64.getEncoder().encodeToString(flipped));
        for (Checkpoint changed : List.of(otherHash, otherTime, otherRun, otherSignature)) {
            assertThat(keys.verifies(changed)).as("changed after it verified: %s", changed).isFalse();
        }
        assertThat(keys.rememberedVerifications()).as("failures are never remembered").isEqualTo(1);
        assertThat(keys.verifies(good)).isTrue();
    }

    @Test
    void a_public_key_that_is_not_the_signing_keys_half_is_refused_at_start() throws Exception {
        KeyPair a = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair b = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        SigningKeys mismatched = new SigningKeys(Optional.of(encoded(a.getPrivate().getEncoded())), Optional.empty(),
                Optional.of(encoded(b.getPublic().getEncoded())), Optional.empty(), false);
        assertThatThrownBy(() -> mismatched.load(null)).hasMessageContaining("not the public half");
    }

    private static SigningKeys keys(KeyPair pair, List<String> previous) {
        SigningKeys keys = new SigningKeys(Optional.of(encoded(pair.getPrivate().getEncoded())), Optional.empty(),
                Optional.of(encoded(pair.getPublic().getEncoded())), Optional.of(previous), false);
        keys.load(null);
        return keys;
    }

    private static Checkpoint signed(SigningKeys keys) {
        Checkpoint unsigned = new Checkpoint(UUID.randomUUID(), 7, "ab".repeat(32), Instant.now(), keys.currentKeyId(), "");
        return new Checkpoint(unsigned.runId(), 7, unsigned.lastHash(), unsigned.signedAt(), keys.currentKeyId(),
                keys.sign(unsigned.signedText()));
    }

    private static String encoded(byte[] der) {
        return Base64.getEncoder().encodeToString(der);
    }
}
