package io.graywatch.agent.tail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Expands file globs such as {@code /var/log/app/*.log} or {@code logs/**\/*.log} into the regular files they match now. */
public final class Globs {
    private record Glob(Path base, PathMatcher matcher, int depth) {
    }

    private final List<Glob> globs = new ArrayList<>();

    public Globs(List<String> patterns) {
        if (patterns.isEmpty()) throw new IllegalArgumentException("give at least one log file or glob");
        for (String p : patterns) {
            if (p == null || p.isBlank()) throw new IllegalArgumentException("a log glob must not be blank");
            Path abs = Path.of(p).toAbsolutePath().normalize();
            Path base = abs.getRoot();
            int depth = 0;
            boolean globbed = false;
            for (Path part : abs) {
                String s = part.toString();
                if (!globbed && !isGlob(s)) {
                    base = base.resolve(s);
                } else {
                    globbed = true;
                    depth = s.contains("**") ? Integer.MAX_VALUE : depth == Integer.MAX_VALUE ? depth : depth + 1;
                }
            }
            String glob = abs.toString().replace("\\", "\\\\");
            globs.add(new Glob(base, FileSystems.getDefault().getPathMatcher("glob:" + glob), depth));
        }
    }

    private static boolean isGlob(String s) {
        for (char c : s.toCharArray()) if (c == '*' || c == '?' || c == '[' || c == '{') return true;
        return false;
    }

    /** The regular files matched now, sorted. */
    public List<Path> files() {
        TreeSet<Path> out = new TreeSet<>();
        for (Glob g : globs) {
            if (g.depth == 0) {
                if (Files.isRegularFile(g.base)) out.add(g.base);
                continue;
            }
            if (!Files.isDirectory(g.base)) continue;
            try (Stream<Path> s = Files.walk(g.base, g.depth)) {
                s.filter(p -> g.matcher.matches(p) && Files.isRegularFile(p)).forEach(out::add);
            } catch (IOException | UncheckedIOException e) {
                // a directory that vanished while walking (rotation, cleanup) is simply not matched this time
            }
        }
        return new ArrayList<>(out);
    }
}
