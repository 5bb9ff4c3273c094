package io.graywatch.scraper;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One parsed {@code /metrics} page: its samples in page order, and the TYPE and HELP of each family.
 */
public record Exposition(List<Sample> samples, Map<String, String> types, Map<String, String> help) {
    public Exposition {
        samples = List.copyOf(samples);
        types = Map.copyOf(types);
        help = Map.copyOf(help);
    }

    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The sum over every label set of the metric, NaN when the page has none. */
    public double sum(String name) {
        return sum(name, labels -> true);
    }

    /** The sum over the label sets that match, NaN when none does. */
    public double sum(String name, Predicate<Map<String, String>> labels) {
        double total = 0;
        boolean found = false;
        for (Sample s : samples) {
            if (s.name().equals(name) && labels.test(s.labels())) {
                total += s.value();
                found = true;
            }
        }
        return found ? total : Double.NaN;
    }
}
