package dev.slipway.aws;

import dev.slipway.core.target.TargetException;
import dev.slipway.images.ImageRefs;
import java.util.Locale;

/**
 * {@code deploy --image REF@sha256:…} taken apart as a container engine reads it: the registry is the first path
 * component when it looks like a host (has a dot or a port, or is {@code localhost}), else Docker Hub; a tag before the
 * digest is ignored, as the digest decides.
 */
record PinnedImage(String ref, String registry, String repository, String digest) {
    static final String DOCKER_HUB = "docker.io";

    static PinnedImage parse(String ref) {
        int at = ref.indexOf('@');
        String digest = at < 0 ? "" : ref.substring(at + 1);
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw TargetException.permanent("--image " + ref + " names no digest; give REF@sha256:<64 hex digits>");
        }
        String name = ImageRefs.repository(ref.substring(0, at));
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
            return new PinnedImage(ref, first.toLowerCase(Locale.ROOT), name.substring(slash + 1), digest);
        }
        return new PinnedImage(ref, DOCKER_HUB, slash < 0 ? "library/" + name : name, digest);
    }

    /** The registry host of a repository reference {@code host/name} (a stage's images). */
    static String registryOf(String reference) {
        return reference.substring(0, reference.indexOf('/')).toLowerCase(Locale.ROOT);
    }

    /** The repository name of a repository reference {@code host/name}. */
    static String nameOf(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }
}
