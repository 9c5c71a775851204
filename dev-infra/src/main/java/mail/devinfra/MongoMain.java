package mail.devinfra;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The MongoDB-wire-compatible server (mongo-java-server, H2 file backend) on loopback. Args: file port.
 * A file named "-" keeps the data in memory.
 */
public final class MongoMain {
    private MongoMain() {
    }

    public static void main(String[] args) throws Exception {
        String file = args[0];
        int port = Integer.parseInt(args[1]);
        ParentWatch.exitWhenGone(ParentWatch.fromProperty());
        H2Backend backend;
        try {
            if ("-".equals(file)) {
                backend = H2Backend.inMemory();
            } else {
                Files.createDirectories(Path.of(file).toAbsolutePath().getParent());
                backend = new H2Backend(file);
            }
        } catch (RuntimeException e) {
            System.err.println("FATAL mongo: data file " + file + " cannot be opened (corrupt or locked by another process): "
                    + rootMessage(e));
            System.exit(3);
            return;
        }
        MongoServer server = new MongoServer(backend);
        // change streams need the oplog; our services do not rely on them, but tools and drivers may probe them
        server.enableOplog();
        server.bind("127.0.0.1", port);
        CountDownLatch done = new CountDownLatch(1);
        H2Backend b = backend;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            b.close();
            done.countDown();
        }));
        System.out.println("mongo listening on 127.0.0.1:" + port);
        done.await();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
