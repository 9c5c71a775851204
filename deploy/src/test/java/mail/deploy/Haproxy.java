package mail.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of haproxy.cfg that must agree with the compose file and the services' configuration. */
final class Haproxy {
    record Server(String host, int port, Integer checkPort) {
    }

    /** @param sendsProxy a send-proxy(-v2) on its default-server or server lines */
    record Section(String kind, String name, List<Integer> binds, String defaultBackend, List<Server> servers,
                   boolean sendsProxy) {
    }

    private static final Pattern BIND = Pattern.compile("^bind\\s+\\S*:(\\d+)");
    private static final Pattern SERVER = Pattern.compile(
            "^(?:server-template\\s+\\S+\\s+\\S+|server\\s+\\S+)\\s+([\\w.-]+):(\\d+)(.*)$");
    private static final Pattern CHECK_PORT = Pattern.compile("\\bport\\s+(\\d+)");

    private final Map<String, Section> sections = new LinkedHashMap<>();
    private final List<String> problemsWhileParsing = new ArrayList<>();

    Haproxy(String text) {
        String kind = null;
        String name = null;
        List<Integer> binds = null;
        String defaultBackend = null;
        List<Server> servers = null;
        boolean sendsProxy = false;
        for (String raw : (text + "\nend-of-file x\n").split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith(".if") || line.startsWith(".endif")) {
                problemsWhileParsing.add("haproxy: '" + line + "': conditional blocks make what reaches the services"
                        + " depend on the environment; the services' PROXY protocol settings could not follow");
                continue;
            }
            boolean sectionStart = !Character.isWhitespace(raw.charAt(0));
            if (sectionStart) {
                if (kind != null && (kind.equals("frontend") || kind.equals("backend"))) {
                    sections.put(kind + " " + name, new Section(kind, name, binds, defaultBackend, servers, sendsProxy));
                }
                String[] parts = line.split("\\s+");
                kind = parts[0];
                name = parts.length > 1 ? parts[1] : "";
                binds = new ArrayList<>();
                defaultBackend = null;
                servers = new ArrayList<>();
                sendsProxy = false;
                continue;
            }
            Matcher b = BIND.matcher(line);
            if (b.find()) {
                binds.add(Integer.parseInt(b.group(1)));
            }
            if ((line.startsWith("default-server ") || line.startsWith("server")) && line.matches(".*\\bsend-proxy(-v2)?\\b.*")) {
                sendsProxy = true;
            }
            if (line.startsWith("default_backend ")) {
                defaultBackend = line.split("\\s+")[1];
            }
            Matcher s = SERVER.matcher(line);
            if (s.find()) {
                Matcher c = CHECK_PORT.matcher(s.group(3));
                servers.add(new Server(s.group(1), Integer.parseInt(s.group(2)), c.find() ? Integer.valueOf(c.group(1)) : null));
            }
        }
    }

    private static boolean trustsOnlyLoopback(String networks) {
        if (networks == null) {
            return true;
        }
        for (String n : networks.split(",")) {
            String t = n.strip();
            if (!t.isEmpty() && !t.startsWith("127.") && !t.startsWith("::1")) {
                return false;
            }
        }
        return true;
    }

    Map<String, Section> sections() {
        return sections;
    }

    /**
     * Every listener of every service is published on its standard port, through a backend that reaches the
     * service's name on the port it listens on (under the compose environment) and checks its readiness port.
     */
    List<String> problems(Compose compose, List<ServiceModule> modules) {
        List<String> out = new ArrayList<>(problemsWhileParsing);
        for (Section s : sections.values()) {
            for (Server server : s.servers()) {
                if (!compose.services().containsKey(server.host())) {
                    out.add("haproxy " + s.name() + ": " + server.host() + " is not a compose service");
                }
            }
        }
        for (ServiceModule m : modules) {
            Map<String, String> env = m.withImageEnv(compose.environment(m.name()));
            for (Map.Entry<String, Integer> listener : m.listeners(env).entrySet()) {
                Integer standard = ServiceModule.STANDARD_PORTS.get(listener.getKey());
                if (standard == null) {
                    out.add(m.name() + ": listener " + listener.getKey() + " has no standard port in ServiceModule.STANDARD_PORTS");
                    continue;
                }
                Section frontend = sections.values().stream()
                        .filter(s -> s.kind().equals("frontend") && s.binds().contains(standard)).findFirst().orElse(null);
                if (frontend == null) {
                    out.add("haproxy: nothing binds port " + standard + " for " + m.name() + " (" + listener.getKey() + ")");
                    continue;
                }
                Section backend = sections.get("backend " + frontend.defaultBackend());
                if (backend == null || backend.servers().isEmpty()) {
                    out.add("haproxy " + frontend.name() + ": no backend with servers");
                    continue;
                }
                for (Server server : backend.servers()) {
                    if (!server.host().equals(m.name()) || server.port() != listener.getValue()) {
                        out.add("haproxy " + backend.name() + ": port " + standard + " goes to " + server.host() + ":"
                                + server.port() + " but " + m.name() + " listens on " + listener.getValue() + " ("
                                + listener.getKey() + ")");
                    }
                    String proxyKey = ServiceModule.PROXY_PROTOCOL_KEYS.get(listener.getKey());
                    boolean expects = proxyKey != null && "true".equalsIgnoreCase(String.valueOf(m.config().effective(proxyKey, env)).trim());
                    if (backend.sendsProxy() != expects) {
                        out.add("haproxy " + backend.name() + ": " + (backend.sendsProxy() ? "sends" : "does not send")
                                + " PROXY protocol but " + m.name() + "'s " + proxyKey + " is " + expects
                                + (backend.sendsProxy() ? ": every connection would be closed" : ": clients would be closed"));
                    }
                    if (expects && trustsOnlyLoopback(m.config().effective(proxyKey.replace("proxy-protocol", "trusted-proxies"), env))) {
                        out.add(m.name() + ": " + proxyKey + " is on but the trusted proxies are loopback only: haproxy's"
                                + " connections would be closed");
                    }
                    if (server.checkPort() == null || server.checkPort() != m.httpPort()) {
                        out.add("haproxy " + backend.name() + ": health check port " + server.checkPort() + " is not "
                                + m.name() + "'s HTTP port " + m.httpPort());
                    }
                }
            }
        }
        return out;
    }
}
