package mail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The PromQL of a Grafana dashboard against the meters the code registers. */
final class Dashboard {
    private static final Pattern METER = Pattern.compile(
            "(Counter|Timer|Gauge|DistributionSummary|LongTaskTimer)\\.builder\\(\\s*\"([^\"]+)\"|\\.(counter|timer|gauge|summary)\\(\\s*\"([^\"]+)\"");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "avg", "min", "max", "count", "rate", "irate",
            "increase", "delta", "histogram_quantile", "by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "offset", "bool", "topk", "bottomk", "abs", "clamp_min", "clamp_max", "label_values",
            "avg_over_time", "max_over_time", "min_over_time", "sum_over_time", "time", "vector", "scalar", "le");
    /**
     * Meters that Quarkus and Micrometer register in every service (JVM, process and HTTP server binders, all on in
     * application.properties or by default), which the code therefore does not name.
     */
    static final Set<String> BUILT_IN = Set.of("jvm_memory_used_bytes", "jvm_memory_max_bytes", "process_cpu_usage",
            "system_cpu_usage", "jvm_threads_live_threads", "jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum",
            "http_server_requests_seconds_count", "http_server_requests_seconds_sum",
            "http_server_requests_seconds_bucket", "process_uptime_seconds", "up");

    private Dashboard() {
    }

    /** Prometheus names of every meter registered in the main sources under root (dots to underscores, suffixes). */
    static Set<String> meterNames(Path root) {
        Set<String> out = new TreeSet<>();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path main : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(main)) {
                    files.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path f : sources) {
            Matcher m = METER.matcher(Repo.read(f));
            while (m.find()) {
                String kind = m.group(1) != null ? m.group(1) : m.group(3);
                String base = (m.group(2) != null ? m.group(2) : m.group(4)).replace('.', '_').replace('-', '_');
                if (kind.equalsIgnoreCase("Counter")) {
                    out.add(base + "_total");
                } else if (kind.equalsIgnoreCase("Timer") || kind.equals("LongTaskTimer")) {
                    for (String suffix : List.of("_seconds_count", "_seconds_sum", "_seconds_max", "_seconds_bucket", "_seconds")) {
                        out.add(base + suffix);
                    }
                } else if (kind.equals("DistributionSummary") || kind.equals("summary")) {
                    for (String suffix : List.of("_count", "_sum", "_max", "_bucket")) {
                        out.add(base + suffix);
                    }
                } else {
                    out.add(base);
                }
            }
        }
        return out;
    }

    static List<String> expressions(String json) {
        try {
            List<String> out = new ArrayList<>();
            collect(new ObjectMapper().readTree(json), out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("expr") && e.getValue().isTextual()) {
                    out.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }

    /** Metric names in a PromQL expression: identifiers outside label matchers, grouping clauses and strings. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String id = m.group();
            int next = m.end();
            while (next < s.length() && s.charAt(next) == ' ') {
                next++;
            }
            boolean function = next < s.length() && s.charAt(next) == '(';
            boolean number = Character.isDigit(id.charAt(0));
            if (!function && !number && !PROMQL_WORDS.contains(id) && !id.matches("\\d.*|e\\d*")) {
                out.add(id);
            }
        }
        return out;
    }

    static List<String> problems(String json, Set<String> known) {
        List<String> out = new ArrayList<>();
        List<String> exprs = expressions(json);
        if (exprs.isEmpty()) {
            out.add("dashboard: no PromQL expressions");
        }
        for (String e : exprs) {
            for (String name : metricNames(e)) {
                if (!known.contains(name) && !BUILT_IN.contains(name)) {
                    out.add("dashboard: " + name + " is not a meter of any service (in: " + e + ")");
                }
            }
        }
        return out;
    }
}
