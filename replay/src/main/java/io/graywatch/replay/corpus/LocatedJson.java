package io.graywatch.replay.corpus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON document that remembers the line of every value, so that a validation error can name
 * the line at fault ({@code case.json:14: release.batches[1].at must be …}).
 */
final class LocatedJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final Path file;
    private final JsonNode root;
    private final Map<String, Integer> lines;

    private LocatedJson(Path file, JsonNode root, Map<String, Integer> lines) {
        this.file = file;
        this.root = root;
        this.lines = lines;
    }

    static LocatedJson read(Path file) throws CaseProblem {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = FACTORY.createParser(Files.readAllBytes(file))) {
            if (p.nextToken() == null) throw new CaseProblem(file, 0, "the file is empty");
            JsonNode root = value(p, "", lines);
            if (p.nextToken() != null) throw new CaseProblem(file, line(p), "unexpected content after the JSON object");
            return new LocatedJson(file, root, lines);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new CaseProblem(file, line, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CaseProblem(file, 0, "cannot read: " + e.getMessage());
        }
    }

    private static JsonNode value(JsonParser p, String path, Map<String, Integer> lines) throws IOException {
        lines.put(path, line(p));
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, value(p, path.isEmpty() ? name : path + "." + name, lines));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) a.add(value(p, path + "[" + i++ + "]", lines));
                return a;
            }
            case VALUE_STRING -> { return f.textNode(p.getText()); }
            case VALUE_NUMBER_INT -> { return f.numberNode(p.getLongValue()); }
            case VALUE_NUMBER_FLOAT -> { return f.numberNode(p.getDoubleValue()); }
            case VALUE_TRUE, VALUE_FALSE -> { return f.booleanNode(t == JsonToken.VALUE_TRUE); }
            default -> { return f.nullNode(); }
        }
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    JsonNode root() { return root; }

    /** A problem at the value at {@code path}, or at the nearest enclosing value that exists. */
    CaseProblem problem(String path, String message) {
        String p = path;
        while (!lines.containsKey(p) && !p.isEmpty()) {
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return new CaseProblem(file, lines.getOrDefault(p, 0), message);
    }
}
