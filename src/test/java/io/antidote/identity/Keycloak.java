package io.antidote.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real OIDC provider for the tests: Keycloak's distribution (unpacked by the build from Maven Central into
 * target/keycloak, see the pom), started as its own process with the realm of src/test/resources/keycloak
 * (people with the roles, a machine client, a client whose tokens are for another service), and the service
 * pointed at it with nothing but quarkus-oidc's settings: its discovery document and key set are fetched, and
 * every token the tests send is one Keycloak issued (or a forgery of one).
 *
 * <p>Keycloak 26 needs Java 21 or later; the build's own Java may be 17, so it runs on the first JDK of at least
 * 21 found ({@code keycloak.java.home}, {@code java.home}, then /usr/lib/jvm). One start per test class that
 * uses it. The first start after unpacking builds the server and creates its database (minutes on a loaded
 * two-core machine); later ones reuse both (40 to 90 s). Not {@code --optimized}: the distribution comes unbuilt.
 */
public class Keycloak implements QuarkusTestResourceLifecycleManager {

    public static final String REALM = "antidote";
    /** The realm's client of the console's login (authorization-code flow). */
    public static final String CONSOLE_CLIENT = "antidote-console";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(6);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Process process;

    @Override
    public Map<String, String> start() {
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.5.6"));
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("Keycloak's distribution is not at " + home.toAbsolutePath()
                    + ": the build unpacks org.keycloak:keycloak-quarkus-dist there (mvn generate-test-resources)");
        }
        try {
            importRealm(home);
            int port = freePort();
            int management = freePort();
            Path log = home.resolve("keycloak-test.log");
            ProcessBuilder builder = new ProcessBuilder("bash", "bin/kc.sh", "start",
                    "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + port,
                    "--http-management-port=" + management, "--hostname-strict=false", "--import-realm")
                    .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", javaHome().toString());
            // --add-opens: Quarkus's thread-local reset needs it on Java 24+; C1 only: a faster start on two cores.
            builder.environment().put("JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED -XX:TieredStopAtLevel=1");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin-" + port);
            process = builder.start();
            String issuer = "http://127.0.0.1:" + port + "/realms/" + REALM;
            awaitDiscovery(log, issuer);
            Map<String, String> config = new LinkedHashMap<>();
            config.put("quarkus.oidc.tenant-enabled", "true");
            config.put("quarkus.oidc.auth-server-url", issuer);
            // The test profile's offline key and issuer are not used: only what the provider publishes counts.
            config.put("quarkus.oidc.public-key", "");
            config.put("quarkus.oidc.token.issuer", "");
            config.put("quarkus.oidc.token.audience", TestTokens.AUDIENCE);
            config.put("quarkus.oidc.roles.role-claim-path", "realm_access/roles");
            // The console logs people in through the same realm (its client: the authorization-code flow, PKCE
            // required). The console tenant follows the bearer tenant's provider, principal claim and role path.
            config.put("antidote.console.oidc", "true");
            config.put("quarkus.oidc.console.client-id", CONSOLE_CLIENT);
            config.put("quarkus.oidc.console.credentials.secret", CONSOLE_CLIENT + "-secret-of-at-least-32-characters");
            return config;
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            List<ProcessHandle> all = Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
            all.forEach(ProcessHandle::destroy);
            for (ProcessHandle p : all) {
                try {
                    p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            }
            process = null;
        }
    }

    /** The realm's address, as the service under test was given it. */
    public static String issuer() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
    }

    /** An access token of this person (password grant of the realm's {@code antidote-cli} client). */
    public static String person(String username) {
        return token(Map.of("grant_type", "password", "client_id", "antidote-cli", "client_secret", "antidote-cli-secret",
                "username", username, "password", username + "-password"));
    }

    /** An access token of this person through another client: short-lived, or for another service. */
    public static String person(String username, String clientId) {
        return token(Map.of("grant_type", "password", "client_id", clientId, "client_secret", clientId + "-secret",
                "username", username, "password", username + "-password"));
    }

    /** An access token of a machine (client credentials grant). */
    public static String machine(String clientId) {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", clientId + "-secret"));
    }

    /** The claims of a token, as the service reads them. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> claims(String token) {
        try {
            return JSON.readValue(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String token(Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(issuer() + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token for " + form.get("client_id") + "/"
                        + form.get("username") + ": " + response.statusCode() + " " + response.body());
            }
            return (String) JSON.readValue(response.body(), Map.class).get("access_token");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The realm is imported at start unless the database under data/ already has it; a database made from
     * another version of the realm file is dropped, so that an edit of the file is never ignored.
     */
    private static void importRealm(Path home) throws IOException {
        byte[] realm;
        try (InputStream in = Keycloak.class.getResourceAsStream("/keycloak/antidote-realm.json")) {
            realm = in.readAllBytes();
        }
        Path imported = home.resolve("data/import/antidote-realm.json");
        if (!Files.exists(imported) || !Arrays.equals(Files.readAllBytes(imported), realm)) {
            deleteTree(home.resolve("data/h2"));
            Files.createDirectories(imported.getParent());
            Files.write(imported, realm);
        }
    }

    private void awaitDiscovery(Path log, String issuer) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            org.awaitility.Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Keycloak exited with " + process.exitValue()
                                    + " while starting: " + tail(log));
                        }
                        return client.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException("Keycloak did not serve its realm within " + START_TIMEOUT + ": " + tail(log), e);
        }
    }

    /** A JDK of at least 21: Keycloak 26 runs on nothing older. */
    static Path javaHome() {
        Stream<Path> candidates = Stream.concat(
                Stream.of(System.getProperty("keycloak.java.home"), System.getProperty("java.home"))
                        .filter(p -> p != null && !p.isBlank()).map(Path::of),
                jdks());
        return candidates.filter(home -> Files.isExecutable(home.resolve("bin/java")) && feature(home) >= 21).findFirst()
                .orElseThrow(() -> new IllegalStateException("Keycloak needs a JDK of at least 21; none found in"
                        + " keycloak.java.home, java.home or /usr/lib/jvm"));
    }

    private static Stream<Path> jdks() {
        try (Stream<Path> list = Files.list(Path.of("/usr/lib/jvm"))) {
            return list.sorted().toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static int feature(Path home) {
        Properties release = new Properties();
        try (InputStream in = Files.newInputStream(home.resolve("release"))) {
            release.load(in);
        } catch (IOException e) {
            return 0;
        }
        String version = Optional.ofNullable(release.getProperty("JAVA_VERSION")).orElse("0").replace("\"", "");
        try {
            return Integer.parseInt(version.split("[.+-]")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
