package mail.smtp.session;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Sends messages to the MX from a few client threads, one connection per thread, and reports messages per second. */
final class MxLoad {
    private MxLoad() {
    }

    interface Message {
        byte[] next() throws Exception;
    }

    record Result(int messages, int refused, long millis) {
        double perSecond() {
            return messages * 1000.0 / millis;
        }
    }

    static Result run(int port, int clients, int perClient, String mailFromDomain, Message message) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger refused = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    try (RawSmtp smtp = new RawSmtp(port)) {
                        RawSmtp.expect(smtp.command("EHLO bench.example.net"), "250");
                        for (int i = 0; i < perClient; i++) {
                            RawSmtp.expect(smtp.command("MAIL FROM:<b-" + UUID.randomUUID() + "@" + mailFromDomain + ">"), "250");
                            RawSmtp.expect(smtp.command("RCPT TO:<alice@example.test>"), "250");
                            RawSmtp.expect(smtp.command("DATA"), "354");
                            if (!smtp.data(message.next()).startsWith("250")) {
                                refused.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(clients * perClient, refused.get(), (System.nanoTime() - start) / 1_000_000);
    }
}
