package mail.protocol.net;

/** What a session may do with its connection. Every method is safe to call from the session's worker thread. */
public interface SessionIo {
    /** The MDC key of the session id, which every log line of the session's tasks carries. */
    String SESSION_ID = "sessionId";

    /** Queues {@code bytes} for the client and returns at once; see {@link #writeQueueFull} for long replies. */
    void write(byte[] bytes);

    /**
     * True while the output queued for the client is at or above the connection's high-water mark: a session
     * streaming a long reply (RETR, FETCH) should stop writing and {@link #continueWhenWritable} instead of queueing
     * the rest in memory.
     */
    boolean writeQueueFull();

    /**
     * Holds the session back until the client has taken the queued output down to the low-water mark, then runs
     * {@code continuation} on the session's executor, before any input that arrived meanwhile; no thread waits. It
     * also runs once the connection is closed (check {@link #isOpen}); a client that reads nothing for the idle
     * timeout is disconnected. Call it from the session's executor, as the last thing the current task does.
     */
    void continueWhenWritable(Runnable continuation);

    /** False once the connection is closed, by either side; writes are then dropped. */
    boolean isOpen();

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

    /** A short id of this connection, unique enough to find its log lines, span and metrics; never null. */
    String sessionId();

    /**
     * Adds (or, with null, removes) a field on every later log line of this session, e.g. the account once logged in.
     * Call it from the session's executor.
     */
    void logField(String key, String value);
}
