package mail.devinfra;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import mail.devinfra.mongo.CodecH2Backend;
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
                backend = CodecH2Backend.open(null);
            } else {
                Files.createDirectories(Path.of(file).toAbsolutePath().getParent());
                backend = CodecH2Backend.open(file);
            }
        } catch (RuntimeException e) {
            System.err.println("FATAL mongo: data file " + file + " cannot be opened (corrupt or locked by another process): "
                    + rootMessage(e));
            System.exit(3);
            return;
        }
        MongoServer server = new MongoServer(backend);
        // No oplog: nothing here uses change streams (DESIGN §3 propagates changes through Kafka), and the server's
        // oplog appends every write to one ever-growing collection whose lock serialises all writes: measured at a
        // third of the server's CPU and 30 % of the delivery throughput (docs/benchmarks.md).
        server.bind("127.0.0.1", port);
        CountDownLatch done = new CountDownLatch(1);
        H2Backend b = backend;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            b.close();
            done.countDown();
        }));
        if (!(backend instanceof CodecH2Backend)) {
            System.out.println("mongo: " + file + " was written by an earlier version and is kept in its format"
                    + " (Java-serialized values, several times slower); remove it to start afresh in the compact one");
        }
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
