package io.graywatch.replay;

import io.graywatch.replay.harness.ReplayRun;

import java.io.PrintStream;
import java.util.Locale;

/** A progress bar on stderr, with warnings printed above it (the first few; the rest are counted). */
final class Progress implements ReplayRun.Listener {
    private static final int WIDTH = 30, MAX_WARNINGS = 30;

    private final PrintStream err;
    private final String what;
    /** On a terminal the bar redraws in place; in a log file it prints a line every tenth. */
    private final boolean terminal = System.console() != null;
    private final long started = System.nanoTime();
    private int lastPercent = -1, warnings;

    Progress(PrintStream err, String what) {
        this.err = err;
        this.what = what;
    }

    @Override
    public synchronized void progress(int done, int total) {
        int percent = total == 0 ? 100 : done * 100 / total;
        if (terminal ? percent == lastPercent && done != total : percent / 10 == lastPercent / 10 && lastPercent >= 0 && done != total) return;
        lastPercent = percent;
        int filled = total == 0 ? WIDTH : done * WIDTH / total;
        double seconds = (System.nanoTime() - started) / 1e9;
        err.printf(Locale.ROOT, "%s%s [%s%s] %d/%d %3d%% %.1f s", terminal ? "\r" : "", what, "#".repeat(filled), "-".repeat(WIDTH - filled), done, total,
                percent, seconds);
        if (done == total || !terminal) err.println();
        err.flush();
    }

    @Override
    public synchronized void warning(String message) {
        warnings++;
        if (warnings <= MAX_WARNINGS) err.println((terminal ? "\r\033[K" : "") + message);
    }

    synchronized void finish() {
        if (warnings > MAX_WARNINGS) err.println((warnings - MAX_WARNINGS) + " more warnings not shown");
    }
}
