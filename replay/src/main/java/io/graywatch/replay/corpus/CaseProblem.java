package io.graywatch.replay.corpus;

import java.nio.file.Path;

/** A case that cannot be replayed, with the file and line at fault, so a person can fix it. */
public final class CaseProblem extends Exception {
    private final Path file;
    private final int line;

    /** @param line 1-based, or 0 when the fault is the file as a whole */
    public CaseProblem(Path file, int line, String message) {
        super(message);
        this.file = file;
        this.line = line;
    }

    public Path file() { return file; }

    public int line() { return line; }

    /** {@code path:line: message}, the form editors and terminals link to. */
    public String describe() {
        return file + (line > 0 ? ":" + line : "") + ": " + getMessage();
    }
}
