package io.graywatch.server;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Timestamps cross JDBC as {@link OffsetDateTime}: both H2 and the PostgreSQL driver map it to
 * {@code timestamp with time zone}, which they do not both do for {@link Instant}.
 */
public final class Rows {
    private Rows() {
    }

    public static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
