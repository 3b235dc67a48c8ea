package dev.slipway.cli;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import picocli.CommandLine.IVersionProvider;

/**
 * The version and the commit the jar was built from, as its manifest says ({@code Implementation-Version},
 * {@code Slipway-Commit}; the build writes them), or "dev" when run from classes.
 */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        Attributes manifest = manifest();
        return new String[] {manifest == null ? text(null, null)
                : text(manifest.getValue(Attributes.Name.IMPLEMENTATION_VERSION), manifest.getValue("Slipway-Commit"))};
    }

    /** The project version this jar was built as, or null when run from classes. */
    static String projectVersion() {
        Attributes manifest = manifest();
        return manifest == null ? null : manifest.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
    }

    /** {@code slipway 0.1.0 (commit 7dab5ec…)}; a commit ending in {@code -dirty} was built with uncommitted changes. */
    static String text(String version, String commit) {
        if (version == null || version.isBlank()) {
            return "slipway dev";
        }
        return "slipway " + version + " (commit " + (commit == null || commit.isBlank() ? "unknown" : commit) + ")";
    }

    /** The main attributes of the jar holding this class; other jars on the class path have manifests too. */
    private static Attributes manifest() {
        URL self = Version.class.getResource("Version.class");
        if (self == null || !self.getProtocol().equals("jar")) {
            return null;
        }
        try {
            Manifest m = ((JarURLConnection) self.openConnection()).getManifest();
            return m == null ? null : m.getMainAttributes();
        } catch (IOException e) {
            return null;
        }
    }
}
