package mail.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** One child process of the launcher: started with its output in a log file, awaited, and stopped with SIGTERM. */
public final class LocalProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private LocalProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static LocalProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Files.createDirectories(workDir);
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            return new LocalProcess(name, pb.start(), log);
        } catch (IOException e) {
            throw new StartupException(name + ": cannot start " + command.get(0) + ": " + e.getMessage());
        }
    }

    /** A java command line for a main class of this module, on the servers' own classpath. */
    public static List<String> java(List<String> jvmOptions, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(jvmOptions);
        cmd.add("-Dmail.owner.pid=" + ProcessHandle.current().pid());
        cmd.add("-cp");
        cmd.add(ServerClasspath.get());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the check passes; fails fast with the child's own last words if it dies first. */
    public void awaitReady(BooleanSupplier ready, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StartupException(name + " exited with code " + process.exitValue() + " before " + what
                        + ": " + lastFatalLine() + " (log: " + log + ")");
            }
            if (ready.getAsBoolean()) {
                return;
            }
            sleep(100);
        }
        throw new StartupException(name + " did not become ready (" + what + ") within " + timeout.toSeconds()
                + " s (log: " + log + ")");
    }

    public void awaitPort(int port, Duration timeout) {
        awaitReady(() -> portOpen(port), timeout, "listening on 127.0.0.1:" + port);
    }

    private String lastFatalLine() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("FATAL") || lines.get(i).contains("ERROR")) {
                    return lines.get(i).trim();
                }
            }
            return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).trim();
        } catch (IOException | UncheckedIOException e) {
            return "no log";
        }
    }

    @Override
    public void close() {
        stop(process.toHandle(), Duration.ofSeconds(20));
    }

    /** SIGTERM to the process and its descendants, then SIGKILL for whatever is left after the grace period. */
    public static void stop(ProcessHandle handle, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>(handle.descendants().toList());
        all.add(0, handle);
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : all) {
            long left = deadline - System.nanoTime();
            try {
                h.onExit().get(Math.max(left, 1), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }

    public static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            // as the servers do: connections in TIME_WAIT must not make a free port look taken
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A free port in 19100–19999, away from the fixed ports of a local platform that may be running beside the tests. */
    public static int freePort() {
        for (int i = 0; i < 200; i++) {
            int p = 19100 + ThreadLocalRandom.current().nextInt(900);
            if (portFree(p) && !RESERVED.contains(p)) {
                RESERVED.add(p);
                return p;
            }
        }
        throw new StartupException("no free port found in 19100-19999");
    }

    private static final java.util.Set<Integer> RESERVED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted");
        }
    }
}
