package io.graywatch.core.finding;

import io.graywatch.core.verdict.Verdict;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metric or log signal that looks wrong, with its evidence.
 *
 * @param key       stable across rounds, e.g. {@code metric:error_rate} or {@code log:3f9a…}
 * @param source    whether a metric, a log group or a rule produced it
 * @param severity  FAIL (blocks) or WARN (worth a look)
 * @param subject   the metric name or log group id
 * @param stage     the last funnel stage it passed: rule, change, attribution, profile, vote
 * @param reason    one sentence a person understands
 * @param evidence  the numbers of every stage it passed (score, pValue, effect, did, votes, …), in stage order
 * @param instances the release-group instances that show it
 */
public record Finding(String key, Source source, Verdict severity, String subject, String stage, String reason,
                      Map<String, Double> evidence, List<String> instances) {
    public enum Source { METRIC, LOG, RULE }

    public Finding {
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
        instances = List.copyOf(instances);
    }
}
