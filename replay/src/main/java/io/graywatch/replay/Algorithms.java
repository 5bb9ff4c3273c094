package io.graywatch.replay;

import io.graywatch.core.baseline.KayentaJudge;
import io.graywatch.core.baseline.ThresholdJudge;
import io.graywatch.core.funnel.GraywatchJudge;
import io.graywatch.core.guard.Judge;
import io.graywatch.core.logs.LogDetector;

import java.util.List;
import java.util.function.Supplier;

/** The detection algorithms a replay can run, by the name used on the command line and in reports. */
public final class Algorithms {
    public static final List<String> NAMES = List.of("graywatch", "kayenta", "threshold");

    private Algorithms() {
    }

    /**
     * Makes judges of the named algorithm (a fresh one per case).
     *
     * @throws IllegalArgumentException naming the choices when the name is unknown or the algorithm is not in this build
     */
    public static Supplier<Judge> byName(String name) {
        return switch (name) {
            case "kayenta" -> KayentaJudge::new;
            case "threshold" -> ThresholdJudge::new;
            // as the server's live guards judge: the funnel, consulting the log groups too
            case "graywatch" -> () -> new GraywatchJudge(List.of(new LogDetector()));
            default -> throw new IllegalArgumentException("unknown algorithm '" + name + "': use one of " + String.join(", ", NAMES));
        };
    }
}
