package io.graywatch.replay.corpus;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The truth about one case, from labels.csv.
 *
 * @param bad   whether the release should be intercepted
 * @param onset when the fault began to show, or null when unknown
 */
public record Label(String caseId, boolean bad, Long onset) {

    /** Reads labels.csv; a malformed file is an error naming the line, since scoring on half the truth would mislead. */
    public static Map<String, Label> read(Path file) throws CaseProblem {
        Map<String, Label> out = new LinkedHashMap<>();
        Csv.readRows(file, List.of("case", "truth", "onset"), (n, field) -> {
            String id = field.apply("case").trim(), truth = field.apply("truth").trim(), o = field.apply("onset").trim();
            if (!truth.equals("bad") && !truth.equals("good")) throw new CaseProblem(file, n, "truth must be bad or good, got '" + truth + "'");
            Long onset = null;
            if (!o.isEmpty()) {
                try {
                    onset = Long.parseLong(o);
                } catch (NumberFormatException e) {
                    throw new CaseProblem(file, n, "onset must be Unix seconds or empty, got '" + o + "'");
                }
            }
            if (out.put(id, new Label(id, truth.equals("bad"), onset)) != null) throw new CaseProblem(file, n, "case '" + id + "' is labelled twice");
        });
        return out;
    }
}
