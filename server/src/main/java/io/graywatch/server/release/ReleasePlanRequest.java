package io.graywatch.server.release;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A release plan: roll {@code version} of {@code app} out in {@code batches}.
 *
 * @param observationSeconds how long the guard observes each batch before the next one (default 300)
 * @param autoContinue       go on to the next batch when one passes (default true); otherwise pause until resumed
 * @param start              start at once (default true); false leaves the plan PENDING until {@code POST .../start}
 */
public record ReleasePlanRequest(
        @NotBlank(message = "is required: the name of an onboarded app") String app,
        @NotNull(message = "is required: the version to release, e.g. \"2.4.1\"")
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._+-]{0,99}",
                message = "must be 1 to 100 letters, digits, '.', '_', '+' or '-', starting with a letter or digit")
        String version,
        @NotNull(message = "is required: a list of batches, e.g. [{\"count\": 1}, {\"share\": 50}]")
        @Size(min = 1, max = 100, message = "must list 1 to 100 batches")
        @Valid List<@NotNull(message = "must be a batch object") BatchRequest> batches,
        @Min(value = 1, message = "must be at least 1 second") @Max(value = 604800, message = "must be at most 7 days (604800 seconds)")
        Integer observationSeconds,
        Boolean autoContinue,
        Boolean start) {

    public static final int DEFAULT_OBSERVATION_SECONDS = 300;

    /**
     * One batch, given by exactly one of: {@code count} more instances, the {@code share} of the fleet
     * (percent) that runs the new version once this batch is done (25, 50, 100 — 100 is all the rest), or
     * the {@code instances} by name. A {@code preRelease} batch gets the new version but no user traffic; only
     * the first batch may be one.
     */
    public record BatchRequest(
            @Min(value = 1, message = "must be at least 1 instance") Integer count,
            @DecimalMin(value = "0", inclusive = false, message = "must be a percentage above 0")
            @DecimalMax(value = "100", message = "must be a percentage of at most 100")
            Double share,
            @Size(min = 1, message = "must name at least one instance")
            List<@NotBlank(message = "must be an instance name") String> instances,
            Boolean preRelease) {
    }
}
