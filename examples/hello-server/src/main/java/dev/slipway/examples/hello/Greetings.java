package dev.slipway.examples.hello;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The greetings table, in plain JDBC. Needs schema version 3 ({@code name_length}). */
final class Greetings {

    static final int MAX_NAME_LENGTH = 200;
    private static final int LIST_LIMIT = 100;

    private final DataSource dataSource;

    Greetings(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    record Greeting(long id, String name, int nameLength, String createdAt) {
    }

    Greeting add(String name) throws SQLException {
        String sql = "insert into greetings(name, name_length) values (?, ?)"
                + " returning id, name, name_length, created_at";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setInt(2, name.codePointCount(0, name.length()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return read(rs);
            }
        }
    }

    /** The newest greetings first, at most {@value #LIST_LIMIT}. */
    List<Greeting> latest() throws SQLException {
        String sql = "select id, name, name_length, created_at from greetings order by id desc limit " + LIST_LIMIT;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            List<Greeting> result = new ArrayList<>();
            while (rs.next()) {
                result.add(read(rs));
            }
            return result;
        }
    }

    long count() throws SQLException {
        return queryLong("select count(*) from greetings");
    }

    void ping() throws SQLException {
        queryLong("select 1");
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Greeting read(ResultSet rs) throws SQLException {
        return new Greeting(rs.getLong("id"), rs.getString("name"), rs.getInt("name_length"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant().toString());
    }
}
