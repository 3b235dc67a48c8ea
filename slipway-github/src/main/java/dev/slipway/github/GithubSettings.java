package dev.slipway.github;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.net.URI;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Where and as whom Slipway talks to GitHub. {@link #fromEnv} reads what GitHub Actions provides; the CLI may then
 * override the repository or API URL from its own options.
 *
 * @param apiUrl     REST API base, {@code https://api.github.com} or {@code https://HOST/api/v3} on Enterprise Server
 * @param token      token for the API; null when none is available (then nothing is reported or checked)
 * @param repository {@code owner/name}; null when unknown
 * @param logUrl     link to the run's log (the Actions run page), used as a deployment status {@code log_url}; may be null
 * @param protection what a production deploy does when {@code slipway github check} does not pass
 */
public record GithubSettings(URI apiUrl, String token, String repository, String logUrl, ProtectionPolicy protection) {
    public static final URI DEFAULT_API_URL = URI.create("https://api.github.com");

    /** What a production deploy does when the protection check does not pass. */
    public enum ProtectionPolicy {
        /** Refuse to start (the default). */
        ENFORCE,
        /** Print the failed checks and deploy anyway. */
        WARN,
        /** Do not run the check. */
        OFF;

        static ProtectionPolicy parse(String text) {
            if (text == null || text.isBlank()) {
                return ENFORCE;
            }
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SlipwayException(ErrorCode.BAD_CONFIG, "SLIPWAY_GITHUB_PROTECTION: must be enforce, warn or off; found '"
                        + text + "'");
            }
        }
    }

    public GithubSettings {
        apiUrl = apiUrl == null ? DEFAULT_API_URL : apiUrl;
        token = blankToNull(token);
        repository = blankToNull(repository);
        logUrl = blankToNull(logUrl);
        protection = protection == null ? ProtectionPolicy.ENFORCE : protection;
        if (repository != null && !repository.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
            throw new SlipwayException(ErrorCode.BAD_CONFIG, "GitHub repository must be owner/name; found '" + repository + "'");
        }
    }

    /**
     * Reads {@code SLIPWAY_GITHUB_API_URL} or {@code GITHUB_API_URL}; {@code SLIPWAY_GITHUB_TOKEN} or
     * {@code GITHUB_TOKEN}; {@code GITHUB_REPOSITORY}; the Actions run URL from {@code GITHUB_SERVER_URL},
     * {@code GITHUB_REPOSITORY}, {@code GITHUB_RUN_ID} and {@code GITHUB_RUN_ATTEMPT}; and
     * {@code SLIPWAY_GITHUB_PROTECTION} ({@code enforce}, {@code warn} or {@code off}).
     */
    public static GithubSettings fromEnv(UnaryOperator<String> env) {
        String api = first(env.apply("SLIPWAY_GITHUB_API_URL"), env.apply("GITHUB_API_URL"));
        String token = first(env.apply("SLIPWAY_GITHUB_TOKEN"), env.apply("GITHUB_TOKEN"));
        String repo = env.apply("GITHUB_REPOSITORY");
        return new GithubSettings(api == null ? null : parseUrl(api), token, repo, actionsRunUrl(env, repo),
                ProtectionPolicy.parse(env.apply("SLIPWAY_GITHUB_PROTECTION")));
    }

    public GithubSettings withRepository(String newRepository) {
        return new GithubSettings(apiUrl, token, newRepository, logUrl, protection);
    }

    public GithubSettings withApiUrl(String newApiUrl) {
        return new GithubSettings(parseUrl(newApiUrl), token, repository, logUrl, protection);
    }

    public GithubSettings withToken(String newToken) {
        return new GithubSettings(apiUrl, newToken, repository, logUrl, protection);
    }

    public GithubSettings withProtection(ProtectionPolicy newPolicy) {
        return new GithubSettings(apiUrl, token, repository, logUrl, newPolicy);
    }

    /** Whether deployments can be reported and settings read: a token and a repository are known. */
    public boolean usable() {
        return token != null && repository != null;
    }

    @Override
    public String toString() {
        return "GithubSettings[apiUrl=" + apiUrl + ", token=" + (token == null ? "none" : "****") + ", repository="
                + repository + ", logUrl=" + logUrl + ", protection=" + protection + "]";
    }

    private static String actionsRunUrl(UnaryOperator<String> env, String repo) {
        String server = env.apply("GITHUB_SERVER_URL");
        String runId = env.apply("GITHUB_RUN_ID");
        if (blankToNull(server) == null || blankToNull(runId) == null || blankToNull(repo) == null) {
            return null;
        }
        String attempt = blankToNull(env.apply("GITHUB_RUN_ATTEMPT"));
        return server + "/" + repo + "/actions/runs/" + runId + (attempt == null ? "" : "/attempts/" + attempt);
    }

    private static URI parseUrl(String text) {
        try {
            URI uri = URI.create(text.trim());
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new SlipwayException(ErrorCode.BAD_CONFIG, "GitHub API URL '" + text
                    + "' is not an http(s) URL (e.g. https://github.example.com/api/v3)");
        }
    }

    private static String first(String a, String b) {
        return blankToNull(a) != null ? a : blankToNull(b);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
