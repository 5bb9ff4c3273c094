package io.graywatch.core.funnel.rule;

import io.graywatch.core.finding.Finding;

import java.util.List;

/** Stage 2: a condition bad enough to fail the release at once, without waiting for a vote. */
public interface Rule {
    List<Finding> apply(RuleContext context);
}
