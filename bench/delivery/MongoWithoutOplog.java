import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * For the MONGO_OPLOG=off comparison of bench/delivery/run.sh only: dev-infra's MongoMain with the same H2 file backend
 * but without enableOplog(), which appends every write to a capped-less oplog collection (a quarter of the server's
 * CPU under delivery load, see docs/benchmarks.md). Args: file port.
 */
public class MongoWithoutOplog {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(file.getParent());
        H2Backend backend = new H2Backend(file.toString());
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", Integer.parseInt(args[1]));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            backend.close();
            done.countDown();
        }));
        System.out.println("mongo (no oplog) listening on 127.0.0.1:" + args[1]);
        done.await();
    }
}
