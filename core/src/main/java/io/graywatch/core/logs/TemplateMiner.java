package io.graywatch.core.logs;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-house Drain miner (He et al., ICWS 2017): messages are masked (numbers, IPs, hex ids,
 * UUIDs become {@code <*>}), routed through a fixed-depth tree by token count and first tokens,
 * and joined to the most similar template of their leaf when enough tokens agree; the tokens that
 * differ become {@code <*>}. Deterministic: the same messages in the same order give the same templates.
 */
public final class TemplateMiner {
    public static final String WILDCARD = "<*>";

    private final int depth;
    private final double similarity;
    private final int maxChildren;
    private Node[] byLength = new Node[64];
    private final List<Cluster> clusters = new ArrayList<>();
    private final Interner interner = new Interner();
    // scratch space of add(): the current message's tokens, whether each holds a masked value, masked bytes
    private String[] tokens = new String[64];
    private boolean[] variable = new boolean[64];
    private byte[] masked = new byte[256];

    /**
     * @param depth       tree depth as in Drain: the root, the length layer, {@code depth - 3} first-token layers and the leaves (at least 3)
     * @param similarity  share of equal tokens (0..1) a message needs to join a template
     * @param maxChildren children per tree node; more distinct tokens share one wildcard child
     */
    public TemplateMiner(int depth, double similarity, int maxChildren) {
        if (depth < 3) throw new IllegalArgumentException("depth must be at least 3, got " + depth);
        if (!(similarity > 0 && similarity <= 1)) throw new IllegalArgumentException("similarity must be in (0, 1], got " + similarity);
        if (maxChildren < 2) throw new IllegalArgumentException("maxChildren must be at least 2, got " + maxChildren);
        this.depth = depth;
        this.similarity = similarity;
        this.maxChildren = maxChildren;
    }

    /** Drain's published settings for general logs: depth 4, similarity 0.5, 100 children. */
    public static TemplateMiner withDefaults() {
        return new TemplateMiner(4, 0.5, 100);
    }

    /** Adds a message and returns the index of its template (indexes start at 0 and never change). */
    public int add(String message) {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        return add(b, 0, b.length, StandardCharsets.UTF_8);
    }

    /** Adds the message in {@code b[off, off+len)}, encoded in {@code charset}; returns the index of its template. */
    public int add(byte[] b, int off, int len, Charset charset) {
        int n = tokenize(b, off, len, charset);
        String[] tokens = this.tokens;
        Node lengthNode = lengthNode(n);
        Node node = lengthNode;
        int layers = Math.min(depth - 3, n);
        for (int i = 0; i < layers; i++) node = node.child(variable[i] ? WILDCARD : tokens[i], maxChildren);
        int best = -1, bestParams = -1;
        double bestSim = -1;
        for (int k = 0, m = node.clusters.size(); k < m; k++) {
            int idx = node.clusters.get(k);
            String[] t = clusters.get(idx).tokens;
            int same = 0, params = 0;
            for (int i = 0; i < n; i++) {
                if (t[i] == WILDCARD) params++;
                else if (t[i].equals(tokens[i])) same++;
            }
            double sim = n == 0 ? 1 : (double) same / n;
            if (sim > bestSim || (sim == bestSim && params > bestParams)) {
                best = idx;
                bestSim = sim;
                bestParams = params;
            }
        }
        if (best >= 0 && bestSim >= similarity) {
            clusters.get(best).merge(tokens);
            return best;
        }
        int sibling = layers > 0 ? differsOnlyInFirstTokens(lengthNode, tokens, n, layers) : -1;
        if (sibling >= 0) {
            clusters.get(sibling).merge(tokens);
            node.clusters.add(sibling);
            return sibling;
        }
        clusters.add(new Cluster(Arrays.copyOf(tokens, n)));
        node.clusters.add(clusters.size() - 1);
        lengthNode.all.add(clusters.size() - 1);
        return clusters.size() - 1;
    }

    private Node lengthNode(int n) {
        if (n >= byLength.length) byLength = Arrays.copyOf(byLength, Math.max(n + 1, byLength.length * 2));
        Node node = byLength[n];
        if (node == null) byLength[n] = node = new Node();
        return node;
    }

    /**
     * Drain routes by the first tokens, so a message whose first word varies ({@code stock-service
     * answered in 12 ms}) would never meet its template in another branch. A template of the same
     * length that the message matches everywhere after the routed tokens, with at least three equal
     * words there, is taken as its template.
     */
    private int differsOnlyInFirstTokens(Node lengthNode, String[] tokens, int n, int layers) {
        if (n - layers < 3) return -1;
        for (int idx : lengthNode.all) {
            String[] t = clusters.get(idx).tokens;
            int words = 0;
            boolean match = true;
            for (int i = layers; i < n && match; i++) {
                if (t[i] == WILDCARD) continue;
                if (!t[i].equals(tokens[i])) match = false;
                else if (!isVariable(t[i])) words++;
            }
            if (match && words >= 3) return idx;
        }
        return -1;
    }

    public String template(int index) {
        return clusters.get(index).template();
    }

    /** Grows each time a template gains a wildcard, so callers can tell when to re-read it. */
    public int revision(int index) {
        return clusters.get(index).revision;
    }

    public int size() {
        return clusters.size();
    }

    /**
     * Whether two templates (possibly mined on different hosts) describe the same messages: same
     * length, every position equal or a wildcard on either side, and at least half of the
     * positions equal words on both sides, so that {@code <*> <*> <*>} does not swallow everything.
     */
    public static boolean sameShape(String a, String b) {
        if (a.equals(b)) return true;
        String[] x = a.split(" ", -1), y = b.split(" ", -1);
        if (x.length != y.length) return false;
        int literal = 0;
        for (int i = 0; i < x.length; i++) {
            boolean wx = x[i].equals(WILDCARD), wy = y[i].equals(WILDCARD);
            if (!wx && !wy) {
                if (!x[i].equals(y[i])) return false;
                literal++;
            }
        }
        return literal * 2 >= x.length && literal > 0;
    }

    /** Splits on spaces and tabs, masks each token, and leaves the tokens in {@link #tokens} and {@link #variable}; returns their number. */
    private int tokenize(byte[] b, int off, int len, Charset charset) {
        int n = 0, i = off, end = off + len;
        while (i < end) {
            while (i < end && (b[i] == ' ' || b[i] == '\t')) i++;
            int s = i;
            boolean digit = false, ascii = true;
            while (i < end && b[i] != ' ' && b[i] != '\t') {
                digit |= b[i] >= '0' && b[i] <= '9';
                ascii &= b[i] >= 0;
                i++;
            }
            if (i == s) break;
            if (n == tokens.length) {
                tokens = Arrays.copyOf(tokens, n * 2);
                variable = Arrays.copyOf(variable, n * 2);
            }
            Charset cs = ascii ? null : charset;
            if (digit) {
                if (masked.length < 3 * (i - s) + 3) masked = new byte[3 * (i - s) + 3];
                int m = mask(b, s, i, masked);
                tokens[n] = interner.intern(masked, 0, m, cs);
                variable[n] = true;
            } else {
                tokens[n] = interner.intern(b, s, i - s, cs);
                variable[n] = isVariable(tokens[n]);
            }
            n++;
        }
        return n;
    }

    /**
     * Replaces what varies inside a token: UUIDs, long hex ids and {@code 0x…} values as a whole,
     * every other run of digits on its own ({@code blk_123} → {@code blk_<*>}), and joins
     * wildcards separated by {@code . : ,} ({@code 10.2.3.4:80} → {@code <*>}).
     */
    static String mask(String t) {
        byte[] b = t.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[3 * b.length + 3];
        return new String(out, 0, mask(b, 0, b.length, out), StandardCharsets.UTF_8);
    }

    /** Masks {@code t[from, to)} into {@code out} (room for three times the length); returns the masked length. */
    private static int mask(byte[] t, int from, int to, byte[] out) {
        int o = 0, lastWildcardEnd = -1;
        int i = from;
        while (i < to) {
            byte c = t[i];
            if (to - i >= 36 && isUuidAt(t, i, to)) {
                o = wildcard(out, o, lastWildcardEnd);
                lastWildcardEnd = o;
                i += 36;
            } else if (isAlnum(c)) {
                int j = i;
                boolean digit = false, hex = true;
                while (j < to && isAlnum(t[j])) {
                    byte x = t[j++];
                    digit |= x >= '0' && x <= '9';
                    hex &= isHex(x);
                }
                boolean hexPrefix = j - i > 2 && c == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X') && allHex(t, i + 2, j);
                if (digit && ((hex && j - i >= 8) || hexPrefix)) {
                    o = wildcard(out, o, lastWildcardEnd);
                    lastWildcardEnd = o;
                } else {
                    for (int k = i; k < j; ) {
                        byte x = t[k];
                        if (x >= '0' && x <= '9') {
                            while (k < j && t[k] >= '0' && t[k] <= '9') k++;
                            o = wildcard(out, o, lastWildcardEnd);
                            lastWildcardEnd = o;
                        } else {
                            out[o++] = x;
                            k++;
                        }
                    }
                }
                i = j;
            } else {
                out[o++] = c;
                i++;
            }
        }
        return o;
    }

    /** Appends a wildcard at {@code o}, absorbing it into one that ends just before ({@code <*>.} / {@code <*>:} / {@code <*>,} / {@code <*>}). */
    private static int wildcard(byte[] out, int o, int lastWildcardEnd) {
        if (lastWildcardEnd == o) return o;
        if (o > 0 && lastWildcardEnd == o - 1 && (out[o - 1] == '.' || out[o - 1] == ':' || out[o - 1] == ',')) return o - 1;
        out[o] = '<';
        out[o + 1] = '*';
        out[o + 2] = '>';
        return o + 3;
    }

    private static boolean isUuidAt(byte[] t, int i, int to) {
        for (int k = 0; k < 36; k++) {
            byte c = t[i + k];
            boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
            if (dash ? c != '-' : !isHex(c)) return false;
        }
        return i + 36 == to || !isAlnum(t[i + 36]);
    }

    private static boolean allHex(byte[] t, int from, int to) {
        for (int i = from; i < to; i++) if (!isHex(t[i])) return false;
        return true;
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAlnum(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** A token that varies from message to message: it holds a masked value. */
    private static boolean isVariable(String token) {
        return token.contains(WILDCARD);
    }

    private static final class Node {
        final Map<String, Node> children = new HashMap<>();
        final List<Integer> clusters = new ArrayList<>();
        /** On a length node: every template of that length. */
        final List<Integer> all = new ArrayList<>();

        Node child(String token, int maxChildren) {
            Node c = children.get(token);
            if (c != null) return c;
            // once a node is full, further distinct tokens share the wildcard child, as in Drain
            String key = token != WILDCARD && children.size() >= maxChildren - 1 ? WILDCARD : token;
            return children.computeIfAbsent(key, k -> new Node());
        }
    }

    private static final class Cluster {
        final String[] tokens;
        int revision;
        private String template;

        Cluster(String[] tokens) {
            this.tokens = tokens;
        }

        void merge(String[] other) {
            boolean changed = false;
            for (int i = 0; i < tokens.length; i++) {
                if (tokens[i] != WILDCARD && !tokens[i].equals(other[i])) {
                    tokens[i] = WILDCARD;
                    changed = true;
                }
            }
            if (changed) {
                revision++;
                template = null;
            }
        }

        String template() {
            if (template == null) template = String.join(" ", tokens);
            return template;
        }
    }

    /**
     * Keeps one String per distinct token, so that a token seen a million times is decoded and
     * hashed once, and comparing it with a template's token is a reference check. A cache: when
     * full it starts over, which changes nothing but speed.
     */
    private static final class Interner {
        private static final int SLOTS = 1 << 16, MAX = SLOTS / 2;
        private final byte[][] keys = new byte[SLOTS][];
        private final Charset[] charsets = new Charset[SLOTS];
        private final String[] values = new String[SLOTS];
        private final int[] hashes = new int[SLOTS];
        private int size;

        /** @param cs the charset of a token with non-ASCII bytes, null for an ASCII token */
        String intern(byte[] b, int off, int len, Charset cs) {
            int h = cs == null ? 0 : cs.hashCode();
            for (int i = off; i < off + len; i++) h = 31 * h + b[i];
            h ^= h >>> 16;
            int slot = h & (SLOTS - 1);
            while (values[slot] != null) {
                byte[] k = keys[slot];
                if (hashes[slot] == h && charsets[slot] == cs && Arrays.equals(k, 0, k.length, b, off, off + len)) return values[slot];
                slot = (slot + 1) & (SLOTS - 1);
            }
            if (size == MAX) {
                Arrays.fill(keys, null);
                Arrays.fill(values, null);
                Arrays.fill(charsets, null);
                size = 0;
                slot = h & (SLOTS - 1);
            }
            String v = new String(b, off, len, cs == null ? StandardCharsets.ISO_8859_1 : cs);
            keys[slot] = Arrays.copyOfRange(b, off, off + len);
            charsets[slot] = cs;
            values[slot] = v;
            hashes[slot] = h;
            size++;
            return v;
        }
    }
}
