package io.antidote.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.antidote.engine.RunCommands;
import io.antidote.engine.RunEngine;
import io.antidote.identity.Roles;
import io.antidote.identity.TestTokens;
import io.antidote.store.Checkpoint;
import io.antidote.store.Checkpoints;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Key rotation through the real layers: the service signs with its current key B and still accepts, by
 * configuration alone, checkpoints an earlier service signed with A. A run whose history holds both verifies
 * online, and offline given both public keys, but not offline given only B's; a checkpoint by a key nobody
 * configured never verifies.
 */
@QuarkusTest
@TestProfile(KeyRotationTest.RotatedKeys.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KeyRotationTest {

    /**
     * A (the key before the rotation) is only a public key to the service, B signs, C is configured nowhere.
     * The private halves of A and C reach the test as configuration too: the profile may be loaded by another
     * class loader than the test, and both must see the same keys.
     */
    public static class RotatedKeys implements QuarkusTestProfile {

        private static final KeyPair A = generate();
        private static final KeyPair B = generate();
        private static final KeyPair C = generate();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "antidote.audit.ephemeral-key", "false",
                    "antidote.audit.signing-key", pem("PRIVATE KEY", B.getPrivate().getEncoded()),
                    "antidote.audit.public-key", base64(B.getPublic().getEncoded()),
                    "antidote.audit.previous-public-keys", base64(A.getPublic().getEncoded()),
                    "rotation-test.previous-private-key", base64(A.getPrivate().getEncoded()),
                    "rotation-test.unknown-private-key", base64(C.getPrivate().getEncoded()),
                    "rotation-test.unknown-public-key", base64(C.getPublic().getEncoded()));
        }

        private static KeyPair generate() {
            try {
                return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String pem(String label, byte[] der) {
            return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END " + label + "-----\n";
        }
    }

    static final Instant START = Instant.parse("2022-05-09T08:00:00.250Z");

    @ConfigProperty(name = "antidote.audit.public-key")
    String currentPublic;

    @ConfigProperty(name = "antidote.audit.previous-public-keys")
    String previousPublic;

    @ConfigProperty(name = "rotation-test.previous-private-key")
    String previousPrivate;

    @ConfigProperty(name = "rotation-test.unknown-private-key")
    String unknownPrivate;

    @ConfigProperty(name = "rotation-test.unknown-public-key")
    String unknownPublic;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @Inject
    RunCommands commands;

    @Inject
    RunEngine engine;

    @Inject
    Checkpoints checkpoints;

    private AuditRuns runs;

    @BeforeEach
    void runsOnTargetsOfTheirOwn() {
        runs = new AuditRuns(commands, engine, jdbcUrl, user, "rotation-", "INC-ROTATION");
    }

    /** Other test classes start services that know none of these keys: a run left behind would fail their verifier. */
    @AfterEach
    void removeTheRunsItMade() throws SQLException {
        runs.removeAll();
    }

    @Test
    void the_keys_endpoint_serves_the_current_key_and_the_one_before_it_by_ids_anyone_can_recompute() throws Exception {
        JsonPath keys = asAuditor().when().get("/api/v1/audit/keys").then().statusCode(200).extract().jsonPath();

        assertThat(keys.getList("id", String.class)).as("key ids served, current first")
                .containsExactly(idOf(currentPublic), idOf(previousPublic));
        assertThat(idOf(currentPublic)).isNotEqualTo(idOf(previousPublic));
        assertThat(keys.getList("current", Boolean.class)).containsExactly(true, false);
        assertThat(keys.getList("algorithm", String.class)).containsOnly("Ed25519");
        assertThat(keys.getList("publicKey", String.class)).containsExactly(currentPublic, previousPublic);
        for (int i = 0; i < 2; i++) {
            String pem = keys.getString("[" + i + "].pem");
            assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----").doesNotContain("PRIVATE");
            assertThat(idOf(pem)).as("id of the PEM served as key %d", i).isEqualTo(keys.getString("[" + i + "].id"));
        }
    }

    @Test
    void a_run_with_checkpoints_from_before_and_after_the_rotation_verifies_online_and_offline_with_both_keys()
            throws Exception {
        UUID run = finishedRun();
        long last = runs.events(run);
        String current = idOf(currentPublic);
        String previous = idOf(previousPublic);
        assertThat(keyIds(run)).as("keys of the checkpoints the service signed").containsOnly(current);

        // What the service before the rotation would have stored: an earlier head, signed with A.
        Checkpoint old = signed(new Checkpoint(run, last - 1, hashAt(run, last - 1), START.plusSeconds(2), previous, null),
                previousPrivate);
        store(old);
        assertThat(keyIds(run)).as("keys of the run's checkpoints").containsOnly(current, previous);

        JsonPath online = verification(run);
        assertThat(online.getBoolean("verified")).as("verified online; problem: %s", online.getString("problem")).isTrue();
        assertThat(online.getLong("checkpoints")).as("checkpoints held").isEqualTo(runs.checkpoints(run));
        assertThat(online.getLong("checkpointedSeq")).isEqualTo(last);

        String export = export(run);
        List<String> heads = export.lines().filter(l -> l.contains("\"record\":\"checkpoint\"")).toList();
        assertThat(heads).as("checkpoint lines of the export").hasSize((int) runs.checkpoints(run))
                .anySatisfy(l -> assertThat(l).contains("\"keyId\":\"" + previous + "\"")
                        .contains("\"lastSeq\":" + (last - 1)).contains("\"signature\":\"" + old.signature() + "\""))
                .anySatisfy(l -> assertThat(l).contains("\"keyId\":\"" + current + "\""));

        Offline both = verifyOffline(export, servedPem(0), servedPem(1));
        assertThat(both.exit()).as("Verify.java exit status with both keys; it said: %s", both.output()).isZero();
        assertThat(both.output()).contains("run " + run + ": verified, " + last + " events, signed up to seq " + last);

        Offline onlyCurrent = verifyOffline(export, servedPem(0));
        assertThat(onlyCurrent.exit()).as("Verify.java exit status with B's key only; it said: %s", onlyCurrent.output())
                .isEqualTo(1);
        assertThat(onlyCurrent.output()).contains("run " + run + ": FAILS at seq " + (last - 1) + ":")
                .contains("signed with key " + previous);
    }

    @Test
    void a_checkpoint_signed_with_a_key_nobody_configured_fails_verification_naming_the_key() throws Exception {
        UUID run = finishedRun();
        long last = runs.events(run);
        String unknown = idOf(unknownPublic);
        assertThat(unknown).isNotIn(idOf(currentPublic), idOf(previousPublic));
        assertThat(verification(run).getBoolean("verified")).as("verified before the foreign checkpoint").isTrue();

        Checkpoint foreign = signed(new Checkpoint(run, last, hashAt(run, last), Instant.now(), unknown, null),
                unknownPrivate);
        store(foreign);

        JsonPath online = verification(run);
        assertThat(online.getBoolean("verified")).as("verified online").isFalse();
        assertThat(online.getLong("firstBadSeq")).isEqualTo(last);
        assertThat(online.getString("problem")).contains(unknown);

        Offline offline = verifyOffline(export(run), servedPem(0), servedPem(1));
        assertThat(offline.exit()).as("Verify.java exit status; it said: %s", offline.output()).isEqualTo(1);
        assertThat(offline.output()).contains("run " + run + ": FAILS at seq " + last + ":")
                .contains("signed with key " + unknown);
    }

    // --- helpers ---

    /** The checkpoint with its Ed25519 signature over the text the service signs, made with this private key. */
    private static Checkpoint signed(Checkpoint unsigned, String privateKey) throws GeneralSecurityException {
        PrivateKey key = KeyFactory.getInstance("Ed25519")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKey)));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(unsigned.signedText().getBytes(StandardCharsets.UTF_8));
        return new Checkpoint(unsigned.runId(), unsigned.lastSeq(), unsigned.lastHash(), unsigned.signedAt(),
                unsigned.keyId(), Base64.getEncoder().encodeToString(signer.sign()));
    }

    /** First 16 hex digits of the SHA-256 of the X.509 encoding, computed here and not by the service. */
    private static String idOf(String publicKey) throws GeneralSecurityException {
        String body = publicKey.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        PublicKey key = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 0, 8);
    }

    private static String base64(byte[] der) {
        return Base64.getEncoder().encodeToString(der);
    }

    private static RequestSpecification asAuditor() {
        return given().header("Authorization", "Bearer " + TestTokens.person("rotation-auditor", Roles.AUDITOR));
    }

    private String servedPem(int index) {
        return asAuditor().when().get("/api/v1/audit/keys").then().statusCode(200).extract().jsonPath()
                .getString("[" + index + "].pem");
    }

    private JsonPath verification(UUID run) {
        return asAuditor().when().get("/api/v1/runs/{id}/verification", run).then().statusCode(200).extract().jsonPath();
    }

    private String export(UUID run) {
        return asAuditor().when().get("/api/v1/runs/{id}/export", run).then().statusCode(200).extract().asString();
    }

    record Offline(int exit, String output) {}

    /** src/verify/Verify.java under the JDK's own launcher, with the export and these PEM public keys. */
    private static Offline verifyOffline(String export, String... pems) throws Exception {
        Path dir = Files.createTempDirectory("rotation");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Path.of("src/verify/Verify.java").toAbsolutePath().toString(),
                Files.writeString(dir.resolve("export.jsonl"), export, StandardCharsets.UTF_8).toString()));
        for (int i = 0; i < pems.length; i++) {
            command.add(Files.writeString(dir.resolve("key" + i + ".pub"), pems[i]).toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("Verify.java finished").isTrue();
        return new Offline(process.exitValue(), output);
    }

    private UUID finishedRun() throws SQLException {
        UUID run = runs.finished(START, Map.of());
        assertThat(runs.events(run)).as("events of the finished run").isGreaterThan(2);
        return run;
    }

    private List<String> keyIds(UUID run) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection db = runs.jdbc(); PreparedStatement q = db.prepareStatement(
                "select key_id from run_checkpoint where run_id = ? order by id")) {
            q.setObject(1, run);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private String hashAt(UUID run, long seq) throws SQLException {
        try (Connection db = runs.jdbc(); PreparedStatement q = db.prepareStatement(
                "select hash from run_event where run_id = ? and seq = ?")) {
            q.setObject(1, run);
            q.setLong(2, seq);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).as("event %d of run %s", seq, run).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** Through the store the service writes its own checkpoints with, on its database role. */
    private void store(Checkpoint checkpoint) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> checkpoints.record(checkpoint));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
