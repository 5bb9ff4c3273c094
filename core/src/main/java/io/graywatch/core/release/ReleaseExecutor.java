package io.graywatch.core.release;

import java.util.List;

/**
 * Where releases act on the world: the simulator's fleet, hosts running the agent, Kubernetes.
 * The orchestrator records every action before and after calling it, so implementations must be
 * idempotent: deploying a version to an instance that already runs it does nothing.
 */
public interface ReleaseExecutor {
    /** Short name shown in the UI and configuration, e.g. {@code simulator}. */
    String name();

    /** The app's instances with the version each runs now. */
    List<Instance> instances(String app);

    /** Switches the given instances of the app to the version (also used to roll back). */
    void deploy(String app, List<String> instanceIds, String version);

    /**
     * Takes instances out of user traffic ({@code serving = false}) or puts them back: a pre-release
     * batch runs the new version with no users, so that it can fail before anyone sees it. Idempotent.
     */
    void route(String app, List<String> instanceIds, boolean serving);
}
