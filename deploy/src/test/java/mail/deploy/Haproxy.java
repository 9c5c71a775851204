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

    record Section(String kind, String name, List<Integer> binds, String defaultBackend, List<Server> servers) {
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
        boolean inIf = false;
        boolean ifOnProxySwitch = false;
        for (String raw : (text + "\nend-of-file x\n").split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith(".if")) {
                inIf = true;
                ifOnProxySwitch = line.contains("MAIL_PROXY_PROTOCOL");
                continue;
            }
            if (line.startsWith(".endif")) {
                inIf = false;
                continue;
            }
            if (line.contains("send-proxy") && !(inIf && ifOnProxySwitch)) {
                problemsWhileParsing.add("haproxy: '" + line + "' sends PROXY protocol unconditionally; the services do not"
                        + " accept it yet, it must depend on MAIL_PROXY_PROTOCOL");
            }
            boolean sectionStart = !Character.isWhitespace(raw.charAt(0));
            if (sectionStart) {
                if (kind != null && (kind.equals("frontend") || kind.equals("backend"))) {
                    sections.put(kind + " " + name, new Section(kind, name, binds, defaultBackend, servers));
                }
                String[] parts = line.split("\\s+");
                kind = parts[0];
                name = parts.length > 1 ? parts[1] : "";
                binds = new ArrayList<>();
                defaultBackend = null;
                servers = new ArrayList<>();
                continue;
            }
            Matcher b = BIND.matcher(line);
            if (b.find()) {
                binds.add(Integer.parseInt(b.group(1)));
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
