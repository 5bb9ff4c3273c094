package io.graywatch.simulator.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An exception an instance writes to its log at a steady rate, with its full stack and cause chain.
 *
 * @param perSecond  mean occurrences per second on one instance (a Poisson process)
 * @param logger     the logger that reports it, e.g. {@code com.example.shop.web.OrderController}
 * @param logMessage the ERROR line printed above the stack
 */
public record ExceptionFault(ThrownException exception, double perSecond, String logger, String logMessage) {
    public ExceptionFault {
        Objects.requireNonNull(exception, "exception");
        if (!(perSecond >= 0) || Double.isInfinite(perSecond))
            throw new IllegalArgumentException("exception rate of " + exception.type() + " must be a finite number >= 0 per second, got " + perSecond);
        logger = logger == null || logger.isBlank() ? "com.example.shop.web.GlobalExceptionHandler" : logger;
        logMessage = logMessage == null || logMessage.isBlank() ? "unhandled exception in GET /api/orders" : logMessage;
    }

    public static Builder builder(String type, String message) {
        return new Builder(type, message);
    }

    public static final class Builder {
        private final List<ThrownException> chain = new ArrayList<>();
        private double perSecond = 0.1;
        private String logger;
        private String logMessage;

        private Builder(String type, String message) {
            chain.add(new ThrownException(type, message, List.of(), null));
        }

        /** Occurrences per second on one instance (default 0.1). */
        public Builder perSecond(double v) { perSecond = v; return this; }

        /** The frames the outermost exception was thrown from, innermost first. */
        public Builder at(String... frames) {
            ThrownException top = chain.get(0);
            chain.set(0, new ThrownException(top.type(), top.message(), List.of(frames), null));
            return this;
        }

        /** Adds a cause below the deepest one so far; its frames are those that differ from its enclosing exception's. */
        public Builder causedBy(String type, String message, String... frames) {
            chain.add(new ThrownException(type, message, List.of(frames), null));
            return this;
        }

        public Builder logger(String v) { logger = v; return this; }

        public Builder message(String v) { logMessage = v; return this; }

        public ExceptionFault build() {
            ThrownException e = null;
            for (int i = chain.size() - 1; i >= 0; i--) {
                ThrownException c = chain.get(i);
                e = new ThrownException(c.type(), c.message(), c.frames(), e);
            }
            return new ExceptionFault(e, perSecond, logger, logMessage);
        }
    }
}
