package io.antidote.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database of its own for a test that starts service processes, on the server of the test profile's
 * database. Without one, such a test shares the {@code test} database with whatever else runs then, and in
 * {@code verify} that includes the service Quarkus keeps running for the {@code @QuarkusIntegrationTest}s: a
 * live replica with its engine on, which adopts the runs the test's own replicas let go.
 */
final class ScratchDatabase implements AutoCloseable {

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/]+)/([^?]+)(\\?.*)?");

    private final String server;
    private final String database;
    private final String user;

    private ScratchDatabase(String server, String database, String user) {
        this.server = server;
        this.database = database;
        this.user = user;
    }

    /** Creates an empty database named after the test; the service migrates it when it starts. */
    static ScratchDatabase create(String purpose) throws SQLException {
        String jdbcUrl = System.getenv().getOrDefault("_TEST_QUARKUS_DATASOURCE_JDBC_URL",
                "jdbc:postgresql://127.0.0.1:5432/test");
        Matcher url = JDBC_URL.matcher(jdbcUrl);
        if (!url.matches()) {
            throw new IllegalStateException("not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        String user = System.getenv().getOrDefault("_TEST_QUARKUS_DATASOURCE_USERNAME", "postgres");
        String name = ("it_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        ScratchDatabase scratch = new ScratchDatabase(url.group(1), name, user);
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, null);
             Statement statement = connection.createStatement()) {
            statement.execute("create database " + name); // a name made here of [a-z0-9_] only
        }
        return scratch;
    }

    /** The system properties that point a service process at this database, over the environment's. */
    List<String> options() {
        return List.of(
                "-D%test.quarkus.datasource.reactive.url=postgresql://" + server + "/" + database,
                "-D%test.quarkus.datasource.jdbc.url=jdbc:postgresql://" + server + "/" + database);
    }

    String name() {
        return database;
    }

    /** Drops the database, even if a killed process's connections linger. */
    @Override
    public void close() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + server + "/postgres", user,
                null);
             Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
        }
    }
}
