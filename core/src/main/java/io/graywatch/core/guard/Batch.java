package io.graywatch.core.guard;

import java.util.List;

/**
 * A batch as the guard sees it: the instances that start serving the new version at {@code at}.
 * A pre-release batch gets the new version but no user traffic, so traffic rules skip it.
 */
public record Batch(int index, long at, List<String> instances, boolean preRelease) {
    public Batch {
        instances = List.copyOf(instances);
    }
}
