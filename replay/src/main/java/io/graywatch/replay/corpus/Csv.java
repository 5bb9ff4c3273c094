package io.graywatch.replay.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The little CSV the corpus files need: comma separated, fields quoted with " when they must be. */
public final class Csv {
    private Csv() {
    }

    /** One row of a file read by {@link #readRows}. */
    public interface RowHandler {
        /** @param field the row's value in the named column (empty when the file has no such optional column) */
        void row(int line, java.util.function.Function<String, String> field) throws CaseProblem;
    }

    /**
     * Reads a CSV file with a header naming at least the {@code required} columns, in any order,
     * and hands each non-blank row over; a short or long row is a fault naming its line.
     */
    public static void readRows(Path file, List<String> required, RowHandler rows) throws CaseProblem {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            List<String> cols = header == null ? null : split(header.startsWith("\uFEFF") ? header.substring(1) : header);
            if (cols == null || !cols.containsAll(required))
                throw new CaseProblem(file, 1, "the header must name the columns " + String.join(",", required) + "; got '" + (header == null ? "" : header) + "'");
            String line;
            int n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                List<String> f = split(line);
                if (f == null || f.size() != cols.size())
                    throw new CaseProblem(file, n, "expected " + cols.size() + " comma-separated fields, got '" + line + "'");
                rows.row(n, name -> cols.contains(name) ? f.get(cols.indexOf(name)) : "");
            }
        } catch (IOException e) {
            throw new CaseProblem(file, 0, "cannot read: " + e.getMessage());
        }
    }

    /** Splits one line; null when a quoted field is not closed. */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>(4);
        if (line.indexOf('"') < 0) {
            int from = 0;
            for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', from)) {
                out.add(line.substring(from, i));
                from = i + 1;
            }
            out.add(line.substring(from));
            return out;
        }
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') quoted = false;
                else field.append(c);
            } else if (c == '"') quoted = true;
            else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else field.append(c);
        }
        if (quoted) return null;
        out.add(field.toString());
        return out;
    }

    /** A field as it must be written: quoted when it holds a comma, a quote or a line break. */
    public static String field(String s) {
        if (s == null) return "";
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"").replace("\r", " ").replace("\n", " ") + '"';
    }
}
