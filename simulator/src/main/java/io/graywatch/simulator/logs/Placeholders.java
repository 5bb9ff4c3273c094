package io.graywatch.simulator.logs;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the variable parts of a message template, so that the same problem logs different text
 * each time, as real services do ({@code timeout after 3000 ms calling 10.2.3.4}).
 * Tokens: {@code {n}} an id, {@code {small}} 0..9, {@code {ms}} a duration, {@code {timeout}} a
 * configured timeout, {@code {ip}} a private address, {@code {hex}} a trace id.
 */
public final class Placeholders {
    private static final Pattern TOKEN = Pattern.compile("\\{(n|small|ms|timeout|ip|hex)}");
    private static final int[] TIMEOUTS = {1000, 2000, 3000, 5000};

    private Placeholders() {
    }

    public static String fill(String template, Random rng) {
        if (template.indexOf('{') < 0) return template;
        Matcher m = TOKEN.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 16);
        while (m.find()) m.appendReplacement(out, value(m.group(1), rng));
        m.appendTail(out);
        return out.toString();
    }

    private static String value(String token, Random rng) {
        return switch (token) {
            case "n" -> Integer.toString(1000 + rng.nextInt(99_000));
            case "small" -> Integer.toString(rng.nextInt(10));
            case "ms" -> Integer.toString(1 + rng.nextInt(2999));
            case "timeout" -> Integer.toString(TIMEOUTS[rng.nextInt(TIMEOUTS.length)]);
            case "ip" -> "10." + rng.nextInt(8) + "." + rng.nextInt(256) + "." + (1 + rng.nextInt(254));
            case "hex" -> String.format("%016x", rng.nextLong());
            default -> throw new IllegalStateException(token);
        };
    }
}
