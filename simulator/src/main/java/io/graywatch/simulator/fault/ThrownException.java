package io.graywatch.simulator.fault;

import java.util.List;
import java.util.Objects;

/**
 * An exception as a log shows it: its type, message, the frames it was thrown from (innermost
 * first, e.g. {@code com.example.shop.pricing.RuleLoader.load} or with an explicit
 * {@code (RuleLoader.java:44)}), and its cause. The frames of the request that called them are
 * added when it is written, so a fault names only where it differs.
 *
 * @param message may hold placeholders ({@code {n}}, {@code {ip}}, {@code {ms}}, ...) filled per occurrence
 */
public record ThrownException(String type, String message, List<String> frames, ThrownException cause) {
    public ThrownException {
        Objects.requireNonNull(type, "type");
        if (!type.matches("[\\w$]+(\\.[\\w$]+)+"))
            throw new IllegalArgumentException("exception type '" + type + "' is not a fully qualified class name, e.g. java.lang.ClassNotFoundException");
        message = message == null ? "" : message;
        frames = List.copyOf(frames);
    }

    /** The innermost cause's type: what a log group calls the root cause. */
    public String rootCauseType() {
        return cause == null ? type : cause.rootCauseType();
    }
}
