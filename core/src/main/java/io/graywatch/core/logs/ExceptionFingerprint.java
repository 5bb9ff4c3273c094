package io.graywatch.core.logs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What makes two exceptions the same bug: the thrown type, the top frames of the application's
 * own code (normalised), and the root cause's type with its own top application frames. Line
 * numbers, messages and generated names (CGLIB and JDK proxies, lambdas, anonymous classes, hex
 * ids) are left out, so a fingerprint survives a new version, another host and a new proxy.
 *
 * @param id       a 16-hex-digit hash of the template, the group id
 * @param template one line a person can read: {@code type @ frame > frame | root type @ frame}
 */
public record ExceptionFingerprint(String id, String type, String rootCauseType, List<String> frames, List<String> rootFrames,
                                   String template) {
    /** The class of every JDK dynamic proxy frame, whatever its package and counter. */
    static final String PROXY = "$Proxy";

    public ExceptionFingerprint {
        frames = List.copyOf(frames);
        rootFrames = List.copyOf(rootFrames);
    }

    /** Fingerprints with the app packages told apart from libraries by {@code packages}, keeping {@code maxFrames} frames. */
    public static ExceptionFingerprint of(ThrowableInfo t, AppPackages packages, int maxFrames) {
        ThrowableInfo root = t.root();
        List<String> frames = topFrames(t, packages, maxFrames);
        List<String> rootFrames = root == t ? List.of() : topFrames(root, packages, maxFrames);
        StringBuilder sb = new StringBuilder(t.type());
        if (!frames.isEmpty()) sb.append(" @ ").append(String.join(" > ", frames));
        if (root != t) {
            sb.append(" | root ").append(root.type());
            if (!rootFrames.isEmpty()) sb.append(" @ ").append(String.join(" > ", rootFrames));
        }
        String template = sb.toString();
        return new ExceptionFingerprint(hash("E|" + template), t.type(), root.type(), frames, rootFrames, template);
    }

    /**
     * The first {@code max} distinct application frames (or, when none is the application's, the
     * first library frames: a failure inside a library is still one place).
     */
    static List<String> topFrames(ThrowableInfo t, AppPackages packages, int max) {
        List<String> app = new ArrayList<>(max), any = new ArrayList<>(max);
        for (String raw : t.frames()) {
            String f = normaliseFrame(raw);
            if (f.isEmpty()) continue;
            if (packages.isApplication(f)) {
                if (app.isEmpty() || !app.get(app.size() - 1).equals(f)) app.add(f);
                if (app.size() == max) break;
            } else if (any.size() < max && (any.isEmpty() || !any.get(any.size() - 1).equals(f))) {
                any.add(f);
            }
        }
        return app.isEmpty() ? any : app;
    }

    /**
     * {@code java.base/com.example.Foo$$EnhancerBySpringCGLIB$$1a2b.lambda$bar$3(Foo.java:12)} becomes
     * {@code com.example.Foo.lambda$bar}: no module, location, generated class suffix or counter.
     */
    public static String normaliseFrame(String raw) {
        String s = raw.strip();
        int paren = s.indexOf('(');
        if (paren >= 0) s = s.substring(0, paren);
        int dot = s.lastIndexOf('.');
        if (dot < 0) return s;
        String cls = s.substring(0, dot);
        // everything from a generated marker on is a per-build or per-run name (this also drops a hidden class's /0x… suffix)
        int cut = indexOfAny(cls, "$$", "$HibernateProxy$", "$ByteBuddy$", "$MockitoMock$");
        if (cut >= 0) cls = cls.substring(0, cut);
        int slash = cls.lastIndexOf('/');
        if (slash >= 0) cls = cls.substring(slash + 1);
        return normaliseClass(cls) + "." + normaliseMethod(s.substring(dot + 1));
    }

    static String normaliseClass(String cls) {
        int lastDot = cls.lastIndexOf('.');
        String[] parts = cls.substring(lastDot + 1).split("\\$", -1);
        StringBuilder out = new StringBuilder(cls.length()).append(cls, 0, lastDot + 1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            // com.sun.proxy.$Proxy12 and jdk.proxy2.$Proxy12 are the same kind of frame on any JDK
            if (part.startsWith("Proxy") && isDigits(part, 5)) return PROXY;
            if (i > 0 && isGenerated(part)) continue;
            if (i > 0) out.append('$');
            out.append(part);
        }
        return out.toString();
    }

    static String normaliseMethod(String m) {
        if (m.startsWith("lambda$")) {
            // lambda$doWork$3 -> lambda$doWork; lambda$3 -> lambda
            String[] parts = m.split("\\$");
            return parts.length >= 3 ? "lambda$" + parts[1] : "lambda";
        }
        if (m.startsWith("CGLIB$")) {
            String[] parts = m.split("\\$");
            return parts.length >= 2 ? parts[1] : m;
        }
        if (m.startsWith("access$")) return "access";
        int dollar = m.indexOf('$');
        return dollar > 0 && isGenerated(m.substring(dollar + 1)) ? m.substring(0, dollar) : m;
    }

    /** A name part made by a compiler or proxy: digits ({@code 1}), a long hex id, or {@code Proxy12}. */
    private static boolean isGenerated(String part) {
        if (part.isEmpty()) return true;
        if (isDigits(part, 0)) return true;
        if (part.startsWith("Proxy") && isDigits(part, 5)) return true;
        if (part.length() >= 8) {
            boolean digit = false;
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                if (!hex) return false;
                digit |= c <= '9';
            }
            return digit;
        }
        return false;
    }

    private static boolean isDigits(String s, int from) {
        if (s.length() <= from) return false;
        for (int i = from; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    private static int indexOfAny(String s, String... needles) {
        int best = -1;
        for (String n : needles) {
            int i = s.indexOf(n);
            if (i >= 0 && (best < 0 || i < best)) best = i;
        }
        return best;
    }

    /** A 16-hex-digit id that is the same on every host and JVM. */
    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
