package dev.slipway.core.spec;

import java.util.Set;

/**
 * The stage's own PostgreSQL database, snapshotted before every deploy.
 *
 * @param url      JDBC URL ({@code jdbc:postgresql://host:port/db}); may reference {@code ${env:NAME}}
 * @param user     user name, may be a reference
 * @param password password, normally {@code ${env:NAME}}; never printed
 */
public record DatabaseSpec(ConfigValue url, ConfigValue user, ConfigValue password) {
    static final Set<String> KEYS = Set.of("url", "user", "password");

    static DatabaseSpec read(Node n) {
        if (!n.mapping(KEYS)) {
            return null;
        }
        ConfigValue url = n.url("url", true);
        if (url != null && !url.isSecret() && !url.template().startsWith("jdbc:postgresql://")) {
            n.get("url").problem("must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
        return new DatabaseSpec(url, n.value("user", false), password(n));
    }

    /** {@code n.password}, which must be (or contain) a reference: a password is never written in the file. */
    static ConfigValue password(Node n) {
        ConfigValue password = n.value("password", false);
        if (password != null && !password.isSecret()) {
            n.get("password").problem("must not hold a password in plain text; use ${env:NAME}");
            return null;
        }
        return password;
    }
}
