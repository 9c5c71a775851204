package mail.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Human-readable tables by default, the API's JSON unchanged with --json (for scripts and jq). */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    record Column(String header, Function<JsonNode, String> value) {
        static Column of(String header, String field) {
            return new Column(header, n -> text(n.path(field)));
        }
    }

    static String text(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return "-";
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(e -> parts.add(e.asText()));
            return parts.isEmpty() ? "-" : String.join(",", parts);
        }
        return n.asText();
    }

    static void json(PrintWriter out, JsonNode node) {
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void table(PrintWriter out, JsonNode rows, List<Column> columns) {
        List<String[]> lines = new ArrayList<>();
        lines.add(columns.stream().map(Column::header).toArray(String[]::new));
        for (JsonNode row : rows) {
            lines.add(columns.stream().map(c -> c.value().apply(row)).toArray(String[]::new));
        }
        int[] widths = new int[columns.size()];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                widths[i] = Math.max(widths[i], l[i].length());
            }
        }
        for (String[] l : lines) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                b.append(i == l.length - 1 ? l[i] : String.format("%-" + widths[i] + "s  ", l[i]));
            }
            out.println(b.toString().stripTrailing());
        }
    }

    /** A single object as "key: value" lines, in the API's field order. */
    static void fields(PrintWriter out, JsonNode object) {
        int width = 0;
        for (var it = object.fieldNames(); it.hasNext(); ) {
            width = Math.max(width, it.next().length());
        }
        for (var it = object.fields(); it.hasNext(); ) {
            var e = it.next();
            String value = e.getValue().isObject() ? inline(e.getValue()) : text(e.getValue());
            out.println(String.format("%-" + (width + 1) + "s %s", e.getKey() + ":", value));
        }
    }

    private static String inline(JsonNode object) {
        List<String> parts = new ArrayList<>();
        object.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + text(e.getValue())));
        return String.join(" ", parts);
    }
}
