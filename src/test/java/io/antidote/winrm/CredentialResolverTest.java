package io.antidote.winrm;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CredentialResolverTest {

    @Test
    void a_kubernetes_secret_mount_gives_user_and_password_without_the_trailing_line_break(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("username"), "CONTOSO\\svc-antidote\n");
        Files.writeString(dir.resolve("password"), "S3cret!\n");
        CredentialResolver resolver = CredentialResolver.of(CredentialResolver.files(ref -> Optional.of(dir.toString())));

        assertThat(resolver.resolve("ex")).isEqualTo(new Credential("CONTOSO\\svc-antidote", "S3cret!"));
    }

    @Test
    void a_single_file_holds_user_and_password_lines_and_is_read_again_when_rotated(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("ex.cred"), "user=admin\npassword=first\n");
        CredentialResolver resolver = CredentialResolver.of(CredentialResolver.files(ref -> Optional.of(file.toString())));
        assertThat(resolver.resolve("ex").password()).as("password before rotation").isEqualTo("first");

        Files.writeString(file, "user=admin\npassword=second\n");

        assertThat(resolver.resolve("ex").password()).as("password after rotation").isEqualTo("second");
    }

    @Test
    void sources_are_asked_in_turn_and_a_missing_reference_is_named_without_any_value() {
        Map<String, Credential> vault = Map.of("b", new Credential("u", "vault-secret"));
        CredentialResolver resolver = CredentialResolver.of(ref -> Optional.empty(), ref -> Optional.ofNullable(vault.get(ref)));

        assertThat(resolver.resolve("b").password()).isEqualTo("vault-secret");
        assertThatThrownBy(() -> resolver.resolve("missing"))
                .hasMessageContaining("credential 'missing'")
                .hasMessageNotContaining("vault-secret");
    }

    @Test
    void an_unreadable_file_is_reported_by_reference_and_path_only(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad"), "password=leaky\n");
        CredentialResolver resolver = CredentialResolver.of(CredentialResolver.files(ref -> Optional.of(file.toString())));

        assertThatThrownBy(() -> resolver.resolve("ex"))
                .hasMessageContaining("credential 'ex'")
                .hasMessageContaining("user= line")
                .hasMessageNotContaining("leaky");
    }

    @Test
    void a_credential_never_prints_its_password() {
        assertThat(new Credential("u", "p4ss").toString()).doesNotContain("p4ss");
    }
}
