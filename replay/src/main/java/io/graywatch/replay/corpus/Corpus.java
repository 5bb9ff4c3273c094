package io.graywatch.replay.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A corpus folder: its case folders in name order (the order of every report). */
public final class Corpus {
    private Corpus() {
    }

    /**
     * The folders of the corpus that hold a case (a case.json or a series.csv, so that a case
     * missing one of them is reported rather than passed over), sorted by name; a folder that is itself a
     * case is a corpus of one.
     */
    public static List<Path> caseDirs(Path corpus) throws IOException {
        if (!Files.isDirectory(corpus)) throw new IOException(corpus + " is not a folder");
        if (Files.isRegularFile(corpus.resolve("case.json"))) return List.of(corpus);
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(corpus)) {
            s.filter(p -> Files.isRegularFile(p.resolve("case.json")) || Files.isRegularFile(p.resolve("series.csv"))).sorted().forEach(out::add);
        }
        return out;
    }
}
