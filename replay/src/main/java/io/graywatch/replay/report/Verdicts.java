package io.graywatch.replay.report;

import io.graywatch.core.verdict.Verdict;
import io.graywatch.replay.corpus.CaseProblem;
import io.graywatch.replay.corpus.Csv;
import io.graywatch.replay.harness.CaseOutcome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** verdicts.csv ({@code case,verdict,decidedAt,reason}): the replay's output and the input of {@code --compare}. */
public final class Verdicts {
    /** One row of a verdicts.csv. */
    public record Row(String caseId, Verdict verdict, Long decidedAt, String reason) {
        public boolean intercepted() { return verdict == Verdict.FAIL; }
    }

    private Verdicts() {
    }

    public static void write(Path file, List<CaseOutcome> outcomes) throws IOException {
        StringBuilder sb = new StringBuilder("case,verdict,decidedAt,reason\n");
        for (CaseOutcome o : outcomes) {
            sb.append(Csv.field(o.caseId())).append(',').append(o.verdict()).append(',')
                    .append(o.decidedAt() == null ? "" : o.decidedAt()).append(',').append(Csv.field(o.reason())).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    public static Map<String, Row> read(Path file) throws CaseProblem {
        Map<String, Row> out = new LinkedHashMap<>();
        Csv.readRows(file, List.of("case", "verdict", "decidedAt", "reason"), (n, field) -> {
            Verdict v;
            try {
                v = Verdict.valueOf(field.apply("verdict").strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CaseProblem(file, n, "verdict must be PASS, WARN, FAIL or INCONCLUSIVE, got '" + field.apply("verdict") + "'");
            }
            Long decided = null;
            String d = field.apply("decidedAt").strip();
            if (!d.isEmpty()) {
                try {
                    decided = Long.parseLong(d);
                } catch (NumberFormatException e) {
                    throw new CaseProblem(file, n, "decidedAt must be Unix seconds or empty, got '" + d + "'");
                }
            }
            out.put(field.apply("case"), new Row(field.apply("case"), v, decided, field.apply("reason")));
        });
        return out;
    }
}
