package io.graywatch.server.ui;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A short digest of what a polled part of a page shows. The page sends it back when it polls, and
 * an unchanged part is answered with 204 No Content, which htmx leaves in place: charts are not
 * redrawn and the page does not flicker while nothing happens.
 */
public final class Freshness {
    private Freshness() {
    }

    /** The parts must have value-based {@code toString}s (records, enums, strings, lists of them). */
    public static String of(Object... parts) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Arrays.deepToString(parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
