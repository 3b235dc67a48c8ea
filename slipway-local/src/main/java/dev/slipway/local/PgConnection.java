package dev.slipway.local;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A stage database as both JDBC and the PostgreSQL command-line tools address it. Credentials travel to the tools in
 * {@code PGUSER}/{@code PGPASSWORD}, never on a command line; {@link #toString()} shows no password.
 *
 * @param jdbcUrl  the URL as configured (credentials in its query, if any, are moved out)
 * @param hosts    {@code host:port} list as written in the URL
 * @param database database name
 * @param params   libpq-compatible query parameters (sslmode, …)
 */
record PgConnection(String jdbcUrl, String hosts, String database, Map<String, String> params, String user, String password) {
    private static final String PREFIX = "jdbc:postgresql://";
    /** JDBC parameters that libpq understands under the same name. */
    private static final Set<String> LIBPQ = Set.of("sslmode", "sslcert", "sslkey", "sslrootcert", "application_name",
            "options", "target_session_attrs", "connect_timeout");

    PgConnection {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Parses a {@code jdbc:postgresql://host[:port][,…]/database[?k=v&…]} URL; user and password params win over the arguments. */
    static PgConnection parse(String jdbcUrl, String user, String password) {
        if (!jdbcUrl.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
        String rest = jdbcUrl.substring(PREFIX.length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("the URL names no host or no database (jdbc:postgresql://host:port/database)");
        }
        Map<String, String> params = new LinkedHashMap<>();
        String u = user;
        String p = password;
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            switch (key) {
                case "user" -> u = value;
                case "password" -> p = value;
                case "connectTimeout" -> params.put("connect_timeout", value);
                case "ApplicationName" -> params.put("application_name", value);
                default -> {
                    if (LIBPQ.contains(key)) {
                        params.put(key, value);
                    }
                }
            }
        }
        return new PgConnection(jdbcUrl, rest.substring(0, slash), decode(rest.substring(slash + 1)), params, u, p);
    }

    /**
     * The same server, credentials and parameters, database {@code name}: the JDBC URL keeps everything as configured
     * but the path.
     */
    PgConnection withDatabase(String name) {
        String rest = jdbcUrl.substring(PREFIX.length());
        int q = rest.indexOf('?');
        String query = q < 0 ? "" : rest.substring(q);
        String url = PREFIX + hosts + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + query;
        return new PgConnection(url, hosts, name, params, user, password);
    }

    /** The libpq connection URI for {@code --dbname}, without credentials. */
    String libpqUri() {
        StringBuilder uri = new StringBuilder("postgresql://").append(hosts).append('/')
                .append(URLEncoder.encode(database, StandardCharsets.UTF_8));
        String sep = "?";
        for (Map.Entry<String, String> e : params.entrySet()) {
            uri.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = "&";
        }
        return uri.toString();
    }

    /** Environment for pg_dump/pg_restore: the credentials and a connect timeout. */
    Map<String, String> toolEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (user != null && !user.isEmpty()) {
            env.put("PGUSER", user);
        }
        if (password != null && !password.isEmpty()) {
            env.put("PGPASSWORD", password);
        }
        env.put("PGCONNECT_TIMEOUT", "10");
        return env;
    }

    /** A driver's or tool's message about this database, without the password or any URL credentials in it. */
    String scrub(String message) {
        if (message == null) {
            return null;
        }
        String out = password == null || password.isEmpty() ? message : message.replace(password, dev.slipway.core.Redact.MASK);
        return dev.slipway.core.Redact.text(out);
    }

    /** {@code host:port/database}, for messages. */
    String describe() {
        return hosts + "/" + database;
    }

    @Override
    public String toString() {
        return "PgConnection[" + describe() + ", user=" + user + "]";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
