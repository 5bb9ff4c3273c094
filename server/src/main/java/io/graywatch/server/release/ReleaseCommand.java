package io.graywatch.server.release;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.graywatch.server.release.ReleaseState.COMPLETED;
import static io.graywatch.server.release.ReleaseState.PAUSED;
import static io.graywatch.server.release.ReleaseState.PENDING;
import static io.graywatch.server.release.ReleaseState.RUNNING;

/**
 * What a person can do to a release from its page, and in which states: a button is shown only
 * where the orchestrator accepts it, and the orchestrator checks the same states. It still decides: a change made meanwhile (the
 * guard pausing the release, another person) can reject a command the page offered.
 */
public enum ReleaseCommand {
    START("start", "Start", "started", EnumSet.of(PENDING)),
    PAUSE("pause", "Pause", "paused", EnumSet.of(RUNNING)),
    RESUME("resume", "Resume", "resumed", EnumSet.of(PAUSED)),
    ROLL_BACK("rollback", "Roll back", "rolled back", EnumSet.of(RUNNING, PAUSED, COMPLETED)),
    CLOSE("close", "Close", "closed", EnumSet.of(PENDING, RUNNING, PAUSED));

    private final String path;
    private final String label;
    private final String done;
    private final Set<ReleaseState> allowed;

    ReleaseCommand(String path, String label, String done, Set<ReleaseState> allowed) {
        this.path = path;
        this.label = label;
        this.done = done;
        this.allowed = allowed;
    }

    public String path() {
        return path;
    }

    public String label() {
        return label;
    }

    /** The verb as the orchestrator's refusals say it: "only a PAUSED release can be resumed". */
    String done() {
        return done;
    }

    /** The states the orchestrator accepts this command in, in the order of {@link ReleaseState}. */
    Set<ReleaseState> allowed() {
        return allowed;
    }

    public static List<ReleaseCommand> allowedIn(ReleaseState state) {
        return Arrays.stream(values()).filter(c -> c.allowed.contains(state)).toList();
    }

    public static Optional<ReleaseCommand> ofPath(String path) {
        return Arrays.stream(values()).filter(c -> c.path.equals(path)).findFirst();
    }

    /** The question to confirm before a command that cannot be undone; null for the others. */
    public String confirmation(Release r) {
        return switch (this) {
            case ROLL_BACK -> "Roll back release " + r.id() + ": put every instance of " + r.app() + " back on version "
                    + r.fromVersion() + "?";
            case CLOSE -> "Close release " + r.id() + " for good? It stops where it is (a pre-release batch goes back to user traffic) and cannot be resumed.";
            default -> null;
        };
    }

    Release apply(ReleaseService releases, long id) {
        return switch (this) {
            case START -> releases.start(id, null);
            case PAUSE -> releases.pause(id, null);
            case RESUME -> releases.resume(id, null);
            case ROLL_BACK -> releases.rollBack(id, null);
            case CLOSE -> releases.close(id, null);
        };
    }
}
