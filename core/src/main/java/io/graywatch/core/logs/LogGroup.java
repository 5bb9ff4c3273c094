package io.graywatch.core.logs;

/**
 * A group of log events that are the same problem: one exception fingerprint, or one error
 * template for ERROR/WARN lines without a stack.
 *
 * @param id            stable across versions and hosts (the fingerprint or template hash)
 * @param exceptionType for EXCEPTION groups, the thrown type (fully qualified); null for templates
 * @param rootCauseType the innermost {@code Caused by:} type, or the thrown type when there is none
 * @param template      for EXCEPTION groups, the type with its normalised frames; for TEMPLATE groups the mined template
 * @param sample        one full example (a stack trace or a log line), for people to read
 */
public record LogGroup(String id, Kind kind, String level, String exceptionType, String rootCauseType,
                       String template, String sample) {
    public enum Kind { EXCEPTION, TEMPLATE }

    /** Every type named in the cause chain, outermost first, is checked by rules; these are the two that matter most. */
    public boolean involves(String type) {
        return type.equals(exceptionType) || type.equals(rootCauseType)
                || (exceptionType != null && exceptionType.endsWith("." + type))
                || (rootCauseType != null && rootCauseType.endsWith("." + type));
    }
}
