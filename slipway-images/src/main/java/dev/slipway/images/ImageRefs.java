package dev.slipway.images;

import java.util.Locale;

/** Image reference helpers shared by the targets. */
public final class ImageRefs {
    private static final int MAX_TAG = 128;

    private ImageRefs() {
    }

    /** A valid tag for {@code commit}: characters outside {@code [A-Za-z0-9_.-]} become '-', at most 128 long. */
    public static String tag(String commit) {
        String cleaned = commit.replaceAll("[^A-Za-z0-9_.-]", "-");
        if (cleaned.isEmpty() || cleaned.startsWith(".") || cleaned.startsWith("-")) {
            cleaned = "c" + cleaned;
        }
        return cleaned.length() > MAX_TAG ? cleaned.substring(0, MAX_TAG) : cleaned;
    }

    /** {@code app:tag(commit)}, the local reference of a commit's image. */
    public static String local(String app, String commit) {
        return app.toLowerCase(Locale.ROOT) + ":" + tag(commit);
    }

    /** The repository part of {@code ref} ({@code host:5000/app:tag} gives {@code host:5000/app}). */
    public static String repository(String ref) {
        int colon = tagColon(ref);
        return colon < 0 ? ref : ref.substring(0, colon);
    }

    /** The tag of {@code ref}, or {@code latest} when it has none. */
    public static String tagOf(String ref) {
        int colon = tagColon(ref);
        return colon < 0 ? "latest" : ref.substring(colon + 1);
    }

    private static int tagColon(String ref) {
        String noDigest = ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : ref;
        int colon = noDigest.lastIndexOf(':');
        return colon > noDigest.lastIndexOf('/') ? colon : -1;
    }
}
