package mail.devinfra;

import java.nio.file.Path;

/**
 * The infrastructure of one test run: free ports, data under the given directory, alive for as long as its owner
 * (the Maven process running the build) is. Every test JVM of the run finds it through the state file and reuses it.
 * Args: stateDir ownerPid.
 */
public final class InfraMain {
    private InfraMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args[0]).toAbsolutePath();
        long owner = Long.parseLong(args[1]);
        StateFile state = new StateFile(dir.resolve("state.properties"));
        state.put("pid", ProcessHandle.current().pid()).put("owner.pid", owner);
        Infra infra = new Infra(dir, Infra.Ports.free(), Infra.Credentials.fromEnvironment(), state, false);
        Runtime.getRuntime().addShutdownHook(new Thread(infra::close, "infra-stop"));
        ParentWatch.exitWhenGone(owner);
        try {
            infra.start();
        } catch (StartupException e) {
            state.put("status", "failed").put("error", e.getMessage()).write();
            System.err.println("FATAL " + e.getMessage());
            System.exit(2);
        }
        state.put("status", "ready").write();
        System.out.println("infrastructure ready: " + dir.resolve("state.properties"));
        while (true) {
            Thread.sleep(1000);
            LocalProcess dead = infra.firstDead();
            if (dead != null) {
                state.put("status", "failed").put("error", dead.name() + " exited unexpectedly (log: " + dead.log() + ")").write();
            }
        }
    }
}
