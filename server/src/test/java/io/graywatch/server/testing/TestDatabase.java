package io.graywatch.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A database of its own for one test context, configured the way users configure the server:
 * H2 through {@code graywatch.data-dir} (a fresh temporary folder), PostgreSQL through
 * {@code spring.datasource.url} (a fresh database with a random name on the local server, so
 * parallel runs never collide). {@link #close()} deletes it.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

    private final String kind;
    private final Map<String, Object> properties;
    private final Path folder;
    private final String database;

    private TestDatabase(String kind, Map<String, Object> properties, Path folder, String database) {
        this.kind = kind;
        this.properties = properties;
        this.folder = folder;
        this.database = database;
    }

    /** {@code h2} or {@code postgres}. */
    public static TestDatabase create(String kind) {
        return switch (kind) {
            case "h2" -> h2();
            case "postgres" -> postgres();
            default -> throw new IllegalArgumentException("unknown test database " + kind + ": use h2 or postgres");
        };
    }

    private static TestDatabase h2() {
        try {
            Path dir = Files.createTempDirectory("graywatch-h2-");
            return new TestDatabase("h2", Map.of("graywatch.data-dir", dir.toString()), dir, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestDatabase postgres() {
        String name = "gw_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("CREATE DATABASE " + name);
        return new TestDatabase("postgres", Map.of("spring.datasource.url", POSTGRES + name, "spring.datasource.username", "postgres"),
                null, name);
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 (user postgres) refused: " + sql, e);
        }
    }

    public String kind() {
        return kind;
    }

    /** The server properties that point at this database. */
    public Map<String, Object> properties() {
        return properties;
    }

    /** A plain JDBC connection, for tests that look at tables directly. */
    public String url() {
        return database != null ? POSTGRES + database
                : "jdbc:h2:file:" + folder + "/graywatch;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    @Override
    public void close() {
        if (database != null) {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
