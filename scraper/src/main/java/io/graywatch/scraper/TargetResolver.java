package io.graywatch.scraper;

import io.graywatch.core.release.Instance;

import java.util.List;

/**
 * The instances of an app to scrape, with their {@code host:port} (or a full URL of their
 * metrics page). A release executor's {@code instances} fits: {@code executor::instances}.
 * Instances without an address are skipped.
 */
@FunctionalInterface
public interface TargetResolver {
    List<Instance> instances(String app);
}
