package dev.slipway.core.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Replaces every secret value a run has resolved with {@code ****} before text is journaled or shown. */
final class Masker {
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    void add(String secret) {
        if (secret != null && secret.length() >= 3) {
            secrets.add(secret);
        }
    }

    String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "****");
        }
        return out;
    }
}
