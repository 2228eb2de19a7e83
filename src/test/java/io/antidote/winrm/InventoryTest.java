package io.antidote.winrm;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InventoryTest {

    private static final String GOOD = """
            targets:
              - name: ex01
                address: ex01.contoso.local
                credential: exchange-admins
                labels: {version: "2016", dag: DAG1, site: AMS, role: mailbox}
              - name: ex02
                address: 10.0.0.12
                scheme: http
                auth: ntlm
                credential: exchange-admins
              - name: ex03
                address: ex03.contoso.local
                auth: basic
                verify-certificate: false
                credential: lab
            """;

    private static Inventory inventory(Path file, Duration reload) {
        return new Inventory(Map::of, Optional.of(file.toString()), reload);
    }

    @Test
    void entries_take_https_and_ntlm_unless_they_say_otherwise(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("inventory.yaml"), GOOD);

        Inventory inventory = inventory(file, Duration.ZERO);

        Target ex01 = inventory.find("ex01").orElseThrow();
        assertThat(ex01.scheme()).isEqualTo(Target.Scheme.HTTPS);
        assertThat(ex01.port()).isEqualTo(5986);
        assertThat(ex01.auth()).isEqualTo(Target.AuthScheme.NTLM);
        assertThat(ex01.verifyCertificate()).isTrue();
        assertThat(ex01.labels()).containsEntry("dag", "DAG1").containsEntry("version", "2016");
        assertThat(inventory.find("ex02").orElseThrow().port()).as("port of an http target").isEqualTo(5985);
        assertThat(inventory.find("ex03").orElseThrow().verifyCertificate()).as("validation of ex03").isFalse();
        assertThat(inventory.errors()).isEmpty();
    }

    @Test
    void invalid_entries_are_reported_with_file_and_line_and_the_others_still_load(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("inventory.yaml"), """
                targets:
                  - name: ok1
                    address: ok1.contoso.local
                    credential: c
                  - name: basic-in-clear
                    address: x
                    scheme: http
                    auth: basic
                    credential: c
                  - name: bad-port
                    address: y
                    port: many
                    credential: c
                  - name: no-address
                    credential: c
                  - name: typo
                    adress: z
                    credential: c
                """);

        Inventory inventory = inventory(file, Duration.ZERO);

        assertThat(inventory.all()).extracting(Target::name).containsExactly("ok1");
        assertThat(inventory.errors()).extracting(InventoryError::target, InventoryError::line)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("basic-in-clear", 5),
                        org.assertj.core.groups.Tuple.tuple("bad-port", 12),
                        org.assertj.core.groups.Tuple.tuple("no-address", 14),
                        org.assertj.core.groups.Tuple.tuple("typo", 17));
        assertThat(inventory.errors().get(0).message()).contains("only over https");
        assertThat(inventory.errors().get(3).message()).contains("unknown key 'adress'");
        assertThat(inventory.errors()).allSatisfy(e -> assertThat(e.source()).isEqualTo(file.toString()));
    }

    @Test
    void a_file_that_is_not_yaml_is_one_error_and_no_targets(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("inventory.yaml"), "targets:\n  - name: [unclosed\n");

        Inventory inventory = inventory(file, Duration.ZERO);

        assertThat(inventory.all()).isEmpty();
        assertThat(inventory.errors()).singleElement().satisfies(e -> {
            assertThat(e.message()).startsWith("not valid YAML");
            assertThat(e.line()).isPositive();
        });
    }

    @Test
    void a_changed_file_is_loaded_again_by_the_watcher(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("inventory.yaml"), GOOD);
        Inventory inventory = inventory(file, Duration.ofMillis(50));
        try {
            Files.writeString(file, GOOD.replace("ex01.contoso.local", "ex01-new.contoso.local"));
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(inventory.find("ex01").orElseThrow().address()).isEqualTo("ex01-new.contoso.local"));
        } finally {
            inventory.stop();
        }
    }

    @Test
    void a_property_overrides_one_field_of_a_file_entry_and_labels_merge(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("i.yaml"), GOOD);
        InventoryConfig.Entry override = new InventoryConfig.Entry() {
            public Optional<String> address() { return Optional.of("10.9.9.9"); }
            public Optional<Integer> port() { return Optional.empty(); }
            public Optional<String> scheme() { return Optional.empty(); }
            public Optional<String> auth() { return Optional.empty(); }
            public Optional<String> credential() { return Optional.empty(); }
            public Optional<Boolean> verifyCertificate() { return Optional.empty(); }
            public Map<String, String> labels() { return Map.of("site", "FRA"); }
        };

        Inventory inventory = new Inventory(() -> Map.of("ex01", override), Optional.of(file.toString()), Duration.ZERO);

        Target ex01 = inventory.find("ex01").orElseThrow();
        assertThat(ex01.address()).as("address from the property").isEqualTo("10.9.9.9");
        assertThat(ex01.credential()).as("credential from the file").isEqualTo("exchange-admins");
        assertThat(ex01.labels()).as("labels of file and property").containsEntry("site", "FRA").containsEntry("dag", "DAG1");
        assertThat(inventory.errors()).isEmpty();
    }

    @Test
    void lab_hosts_registered_at_run_time_sit_beside_configured_targets(@TempDir Path dir) throws Exception {
        Inventory inventory = inventory(Files.writeString(dir.resolve("i.yaml"), GOOD), Duration.ZERO);
        inventory.register(new Target("lab-x", "127.0.0.1", 1234, Target.Scheme.HTTP, Target.AuthScheme.NTLM, "lab", Map.of()));

        inventory.reload();

        assertThat(inventory.all()).extracting(Target::name).containsExactly("ex01", "ex02", "ex03", "lab-x");
    }
}
