package mail.protocol.net;

/** What a session may do with its connection. Every method is safe to call from the session's worker thread. */
public interface SessionIo {
    void write(byte[] bytes);

    /** Writes what is queued, then closes. */
    void close();

    /** Sends the 220 reply, then upgrades the connection to TLS (STARTTLS); the callback runs on the session's executor. */
    void startTls(byte[] readyReply, Runnable onSuccess, Runnable onFailure);

    boolean tls();

    /** e.g. TLSv1.3, or null without TLS. */
    String tlsProtocol();

    String tlsCipher();

    String clientIp();

    int localPort();

    /**
     * Holds the session back: {@code continuation} runs on the session's executor after {@code delayMs}, before any
     * input that arrives meanwhile, and no thread waits in between.
     */
    void continueAfter(long delayMs, Runnable continuation);

    /** Runs {@code task} on the session's executor, after what is queued; callable from any thread. */
    void execute(Runnable task);
}
