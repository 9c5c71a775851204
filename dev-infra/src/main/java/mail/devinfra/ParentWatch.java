package mail.devinfra;

/**
 * Ends this JVM when the process that owns it disappears, so a killed test run or launcher never leaves
 * servers behind, even when it had no chance to run its shutdown hooks (SIGKILL, OOM killer).
 */
final class ParentWatch {
    private ParentWatch() {
    }

    static void exitWhenGone(long pid) {
        if (pid <= 0) {
            return;
        }
        Thread t = new Thread(() -> {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("owner process " + pid + " is gone; stopping");
            System.exit(0);
        }, "parent-watch");
        t.setDaemon(true);
        t.start();
    }

    static long fromProperty() {
        return Long.getLong("mail.owner.pid", -1L);
    }
}
