package dev.slipway.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (the build sets it), or "dev" when run from classes. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"slipway " + (v == null ? "dev" : v)};
    }
}
