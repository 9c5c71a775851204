package mail.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Checks of rendered Kubernetes objects against the services' configuration. */
final class Kubernetes {
    /** Services scaled on Kafka consumer lag by KEDA, with the topic whose lag counts. */
    static final Map<String, String> SCALED_ON_LAG = Map.of("delivery-worker", "mail.received");
    private static final int MIN_GRACE_SECONDS = 30;

    private final List<Map<String, Object>> objects;

    Kubernetes(List<Map<String, Object>> objects) {
        this.objects = objects;
    }

    List<Map<String, Object>> objects() {
        return objects;
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Map<String, Object> get(String kind, String name) {
        return Kustomize.find(objects, kind, name);
    }

    static String name(Object o) {
        return Yaml.str(Yaml.at(o, "metadata"), "name");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> container(String service) {
        Map<String, Object> d = get("Deployment", service);
        for (Object c : Yaml.list(Yaml.at(d, "spec", "template", "spec"), "containers")) {
            if (c instanceof Map && service.equals(Yaml.str(c, "name"))) {
                return (Map<String, Object>) c;
            }
        }
        return null;
    }

    /** The container's environment: envFrom ConfigMaps and Secrets, then env (a secretKeyRef counts as set). */
    Map<String, String> environment(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object from : Yaml.list(container, "envFrom")) {
            String cm = Yaml.str(Yaml.at(from, "configMapRef"), "name");
            String secret = Yaml.str(Yaml.at(from, "secretRef"), "name");
            if (cm != null) {
                Yaml.map(get("ConfigMap", cm), "data").forEach((k, v) -> env.put(k, String.valueOf(v)));
            }
            if (secret != null) {
                Map<String, Object> s = get("Secret", secret);
                Yaml.map(s, "stringData").forEach((k, v) -> env.put(k, "<secret " + secret + ">"));
                Yaml.map(s, "data").forEach((k, v) -> env.put(k, "<secret " + secret + ">"));
            }
        }
        for (Object e : Yaml.list(container, "env")) {
            String n = Yaml.str(e, "name");
            String v = Yaml.str(e, "value");
            env.put(n, v != null ? v : "<from " + Yaml.at(e, "valueFrom") + ">");
        }
        return env;
    }

    /** containerPort of a probe's or Service's port reference (a number or a port name). */
    static Integer resolvePort(Map<String, Object> container, Object ref) {
        if (ref instanceof Number) {
            return ((Number) ref).intValue();
        }
        for (Object p : Yaml.list(container, "ports")) {
            if (Objects.equals(Yaml.str(p, "name"), String.valueOf(ref))) {
                return ((Number) ((Map<?, ?>) p).get("containerPort")).intValue();
            }
        }
        return null;
    }

    List<String> problems(List<ServiceModule> modules) {
        List<String> out = new ArrayList<>();
        for (ServiceModule m : modules) {
            String s = m.name();
            Map<String, Object> c = container(s);
            if (c == null) {
                out.add("k8s " + s + ": no Deployment with a container " + s);
                continue;
            }
            Map<String, String> env = m.withImageEnv(environment(c));
            out.addAll(m.config().problems("k8s " + s, env));
            Images.problem(Yaml.str(c, "image")).ifPresent(p -> out.add("k8s " + s + ": " + p));
            out.addAll(portAndProbeProblems(m, c, env));
            out.addAll(resourceProblems(s, c));
            out.addAll(disruptionProblems(s));
            out.addAll(scalingProblems(m, env));
            out.addAll(loadBalancerProblems(m, c, env));
            out.addAll(graceProblems(m, env));
        }
        return out;
    }

    private List<String> portAndProbeProblems(ServiceModule m, Map<String, Object> c, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        String s = m.name();
        int http = m.httpPort();
        String effective = m.config().effective("quarkus.http.port", env);
        if (!Integer.toString(http).equals(effective)) {
            out.add("k8s " + s + ": the container's HTTP port is " + effective + " but quarkus.http.port is " + http);
        }
        if (!Objects.equals(resolvePort(c, "http"), http)) {
            out.add("k8s " + s + ": container port 'http' is " + resolvePort(c, "http") + ", not " + http);
        }
        Map<String, String> probes = Map.of("readinessProbe", "/q/health/ready", "livenessProbe", "/q/health/live",
                "startupProbe", "/q/health/live");
        for (Map.Entry<String, String> p : probes.entrySet()) {
            Object probe = c.get(p.getKey());
            if (probe == null) {
                if (!p.getKey().equals("startupProbe")) {
                    out.add("k8s " + s + ": no " + p.getKey());
                }
                continue;
            }
            String path = Yaml.str(Yaml.at(probe, "httpGet"), "path");
            Integer port = resolvePort(c, Yaml.at(probe, "httpGet", "port"));
            if (!p.getValue().equals(path) || !Objects.equals(port, http)) {
                out.add("k8s " + s + ": " + p.getKey() + " asks " + path + " on " + port + ", expected " + p.getValue()
                        + " on " + http);
            }
        }
        for (Map.Entry<String, Integer> l : m.listeners(env).entrySet()) {
            boolean declared = Yaml.list(c, "ports").stream().anyMatch(p -> Objects.equals(
                    ((Map<?, ?>) p).get("containerPort"), l.getValue()));
            if (!declared) {
                out.add("k8s " + s + ": listener " + l.getKey() + " on " + l.getValue() + " is not a container port");
            }
        }
        return out;
    }

    private static List<String> resourceProblems(String s, Map<String, Object> c) {
        List<String> out = new ArrayList<>();
        if (Yaml.at(c, "resources", "requests", "cpu") == null || Yaml.at(c, "resources", "requests", "memory") == null) {
            out.add("k8s " + s + ": no cpu/memory requests (the HPA and the scheduler need them)");
        }
        if (Yaml.at(c, "resources", "limits", "memory") == null) {
            out.add("k8s " + s + ": no memory limit (the heap is sized from it)");
        }
        return out;
    }

    private int minReplicas(String s) {
        Map<String, Object> hpa = scalerOf("HorizontalPodAutoscaler", s);
        if (hpa != null) {
            return ((Number) Yaml.at(hpa, "spec", "minReplicas")).intValue();
        }
        Map<String, Object> so = scalerOf("ScaledObject", s);
        if (so != null) {
            return ((Number) Yaml.at(so, "spec", "minReplicaCount")).intValue();
        }
        Object r = Yaml.at(get("Deployment", s), "spec", "replicas");
        return r == null ? 1 : ((Number) r).intValue();
    }

    private Map<String, Object> scalerOf(String kind, String s) {
        for (Map<String, Object> o : ofKind(kind)) {
            if (s.equals(Yaml.str(Yaml.at(o, "spec", "scaleTargetRef"), "name"))) {
                return o;
            }
        }
        return null;
    }

    private List<String> disruptionProblems(String s) {
        List<String> out = new ArrayList<>();
        Map<?, ?> podLabels = Yaml.map(Yaml.at(get("Deployment", s), "spec", "template", "metadata"), "labels");
        Map<String, Object> pdb = null;
        for (Map<String, Object> p : ofKind("PodDisruptionBudget")) {
            Map<?, ?> sel = Yaml.map(Yaml.at(p, "spec", "selector"), "matchLabels");
            if (!sel.isEmpty() && podLabels.entrySet().containsAll(sel.entrySet())) {
                pdb = p;
            }
        }
        if (pdb == null) {
            out.add("k8s " + s + ": no PodDisruptionBudget selects its pods");
            return out;
        }
        Object min = Yaml.at(pdb, "spec", "minAvailable");
        if (min instanceof Number && ((Number) min).intValue() >= minReplicas(s)) {
            out.add("k8s " + s + ": PodDisruptionBudget minAvailable " + min + " with only " + minReplicas(s)
                    + " replicas blocks every node drain");
        }
        return out;
    }

    private List<String> scalingProblems(ServiceModule m, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        String s = m.name();
        String topic = SCALED_ON_LAG.get(s);
        if (topic != null) {
            Map<String, Object> so = scalerOf("ScaledObject", s);
            if (so == null) {
                out.add("k8s " + s + ": no KEDA ScaledObject on its consumer lag");
                return out;
            }
            String group = m.config().keys().keySet().stream().filter(k -> k.endsWith(".consumer-group")).findFirst()
                    .map(k -> m.config().effective(k, env)).orElse(null);
            boolean found = false;
            for (Object t : Yaml.list(Yaml.at(so, "spec"), "triggers")) {
                if ("kafka".equals(Yaml.str(t, "type"))) {
                    found = true;
                    Object md = Yaml.at(t, "metadata");
                    if (!Objects.equals(Yaml.str(md, "consumerGroup"), group) || !topic.equals(Yaml.str(md, "topic"))) {
                        out.add("k8s " + s + ": KEDA watches group " + Yaml.str(md, "consumerGroup") + " on "
                                + Yaml.str(md, "topic") + ", but the service consumes " + topic + " in group " + group);
                    }
                }
            }
            if (!found) {
                out.add("k8s " + s + ": the ScaledObject has no kafka trigger");
            }
        } else if (!m.listeners(env).isEmpty()) {
            Map<String, Object> hpa = scalerOf("HorizontalPodAutoscaler", s);
            boolean cpu = hpa != null && Yaml.list(Yaml.at(hpa, "spec"), "metrics").stream()
                    .anyMatch(x -> "cpu".equals(Yaml.str(Yaml.at(x, "resource"), "name")));
            if (!cpu) {
                out.add("k8s " + s + ": protocol service without a CPU HorizontalPodAutoscaler");
            } else if (((Number) Yaml.at(hpa, "spec", "minReplicas")).intValue()
                    > ((Number) Yaml.at(hpa, "spec", "maxReplicas")).intValue()) {
                out.add("k8s " + s + ": HPA minReplicas above maxReplicas");
            }
        }
        return out;
    }

    private List<String> loadBalancerProblems(ServiceModule m, Map<String, Object> c, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        Map<?, ?> podLabels = Yaml.map(Yaml.at(get("Deployment", m.name()), "spec", "template", "metadata"), "labels");
        for (Map.Entry<String, Integer> l : m.listeners(env).entrySet()) {
            Integer standard = ServiceModule.STANDARD_PORTS.get(l.getKey());
            boolean ok = false;
            for (Map<String, Object> svc : ofKind("Service")) {
                Map<?, ?> sel = Yaml.map(Yaml.at(svc, "spec"), "selector");
                if (!"LoadBalancer".equals(Yaml.str(Yaml.at(svc, "spec"), "type")) || sel.isEmpty()
                        || !podLabels.entrySet().containsAll(sel.entrySet())) {
                    continue;
                }
                for (Object p : Yaml.list(Yaml.at(svc, "spec"), "ports")) {
                    Object port = ((Map<?, ?>) p).get("port");
                    Object target = ((Map<?, ?>) p).get("targetPort");
                    if (Objects.equals(port, standard) && Objects.equals(resolvePort(c, target), l.getValue())) {
                        ok = true;
                    }
                }
            }
            if (!ok) {
                out.add("k8s " + m.name() + ": no LoadBalancer port " + standard + " reaches " + l.getKey() + " ("
                        + l.getValue() + ")");
            }
        }
        return out;
    }

    /** A gateway drains on SIGTERM: the grace period must cover the preStop pause and an SMTP session's idle limit. */
    private List<String> graceProblems(ServiceModule m, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        Object spec = Yaml.at(get("Deployment", m.name()), "spec", "template", "spec");
        Object g = Yaml.at(spec, "terminationGracePeriodSeconds");
        long grace = g == null ? 30 : ((Number) g).longValue();
        long preStop = 0;
        Object cmd = Yaml.at(container(m.name()), "lifecycle", "preStop", "exec", "command");
        if (cmd instanceof List && ((List<?>) cmd).size() == 2 && "sleep".equals(((List<?>) cmd).get(0))) {
            preStop = Long.parseLong(((List<?>) cmd).get(1).toString());
        }
        // quarkus.shutdown.delay: readiness DOWN before the drain, spent inside the grace period like a preStop pause
        String delay = env.get("QUARKUS_SHUTDOWN_DELAY");
        long shutdownDelay = delay == null ? 0 : parseDuration(delay).toSeconds();
        long needed = MIN_GRACE_SECONDS;
        String idle = m.config().effective("mail.smtp.idle-timeout", env);
        if (idle != null) {
            needed = Math.max(needed, parseDuration(idle).toSeconds());
        }
        if (grace < needed + preStop + shutdownDelay) {
            out.add("k8s " + m.name() + ": terminationGracePeriodSeconds " + grace + " < " + needed + " s to drain + "
                    + (shutdownDelay > 0 ? shutdownDelay + " s shutdown delay" : preStop + " s preStop"));
        }
        return out;
    }

    /** SmallRye's duration syntax as used in our defaults: 300s, 5m, 1h, or ISO-8601. */
    static Duration parseDuration(String v) {
        String t = v.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            return Duration.parse(t);
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        char unit = t.charAt(t.length() - 1);
        long n = Character.isDigit(unit) ? Long.parseLong(t) : Long.parseLong(t.substring(0, t.length() - 1));
        if (unit == 'h') {
            return Duration.ofHours(n);
        } else if (unit == 'm') {
            return Duration.ofMinutes(n);
        } else if (unit == 'd') {
            return Duration.ofDays(n);
        }
        return Duration.ofSeconds(n);
    }

    /** Secrets in committed files are placeholders, never real values. */
    List<String> secretProblems() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> s : ofKind("Secret")) {
            Yaml.map(s, "stringData").forEach((k, v) -> {
                String value = String.valueOf(v);
                boolean harmless = value.equals("external") || k.equals("username") || k.endsWith("USER");
                if (!value.contains("CHANGE-ME") && !harmless) {
                    out.add("k8s Secret " + name(s) + ": " + k + " is not a CHANGE-ME placeholder");
                }
            });
            if (!Yaml.map(s, "data").isEmpty()) {
                out.add("k8s Secret " + name(s) + ": base64 data in a committed file; use stringData placeholders");
            }
        }
        return out;
    }

    /** Every image of every workload and operator resource is pinned. */
    List<String> imageProblems() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> o : objects) {
            collectImages(o, name(o), out);
        }
        return out;
    }

    private static void collectImages(Object node, String owner, List<String> out) {
        if (node instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) {
                if ("image".equals(e.getKey()) && e.getValue() instanceof String) {
                    Images.problem((String) e.getValue()).ifPresent(p -> out.add("k8s " + owner + ": " + p));
                } else {
                    collectImages(e.getValue(), owner, out);
                }
            }
        } else if (node instanceof List) {
            for (Object i : (List<?>) node) {
                collectImages(i, owner, out);
            }
        }
    }
}
