package io.graywatch.server.app;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A new app. Everything but the name is optional: metrics default to what the built-in scraper
 * produces, guard settings to {@link GuardSettings#defaults()}.
 */
public record AppRequest(
        @NotNull(message = "is required: the app's name, e.g. \"shop\"")
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
                message = "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        String name,
        @Valid @Size(min = 1, max = 200, message = "must list 1 to 200 metrics, or be left out for the default set")
        List<@NotNull(message = "must be a metric object") MetricRequest> metrics,
        @Valid Guard guard,
        @Size(max = 64, message = "must be at most 64 characters") String executor) {

    /**
     * One metric; kind, bad and role accept the core's names in any case ({@code middleware}, {@code increase}, {@code LATENCY}).
     * {@code query} is the PromQL template it is read with from Prometheus, with {@code $app},
     * {@code $instances} and {@code $window}; left out, the metric's default template.
     */
    public record MetricRequest(
            @NotBlank(message = "is required") @Size(max = 200, message = "must be at most 200 characters") String name,
            String kind, String bad, String unit, String role,
            @PositiveOrZero(message = "must be 0 or more (0.1 = 10%)") Double minRelativeEffect,
            @PositiveOrZero(message = "must be 0 or more, in the metric's unit") Double minAbsoluteEffect,
            @Size(max = 10000, message = "must be at most 10000 characters") String query) {

        public MetricRequest(String name, String kind, String bad, String unit, String role, Double minRelativeEffect, Double minAbsoluteEffect) {
            this(name, kind, bad, unit, role, minRelativeEffect, minAbsoluteEffect, null);
        }
    }

    public record Guard(
            @Min(value = 1, message = "must be at least 1 second") @Max(value = 86400, message = "must be at most 86400 seconds")
            Integer analysisIntervalSeconds,
            @Min(value = 1, message = "must be at least 1 second") @Max(value = 3600, message = "must be at most 3600 seconds")
            Integer stepSeconds,
            @Min(value = 0, message = "must be 0 or more seconds") Long warmupSeconds,
            @Min(value = 0, message = "must be 0 or more seconds") @Max(value = 2592000, message = "must be at most 30 days (2592000 seconds)")
            Long historySeconds,
            @Min(value = 1, message = "must be at least 1") Integer voteK,
            @Min(value = 1, message = "must be at least 1") Integer voteN,
            List<@NotBlank(message = "must be an exception type name") String> dangerousExceptions,
            @DecimalMin(value = "0", inclusive = false, message = "must be above 0 and below 100 (percent)")
            @DecimalMax(value = "100", inclusive = false, message = "must be above 0 and below 100 (percent)")
            Double successRateFloorPercent) {

        public Guard(Integer analysisIntervalSeconds, Integer stepSeconds, Long warmupSeconds, Long historySeconds, Integer voteK, Integer voteN,
                     List<String> dangerousExceptions) {
            this(analysisIntervalSeconds, stepSeconds, warmupSeconds, historySeconds, voteK, voteN, dangerousExceptions, null);
        }
    }
}
