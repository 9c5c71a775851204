package mail.imap.fetch;

/**
 * Where a FETCH response goes, chunk by chunk, so that a large body travels from the object store to the connection
 * without ever being whole in memory.
 *
 * <p>Contract: the renderer calls {@link #write} on its own (worker) thread, in order, never concurrently for one
 * response. The array is reused by the renderer after the call returns, so an implementation that queues the bytes
 * must copy them. An implementation may block to apply back-pressure (e.g. wait until the socket's write queue has
 * drained); it signals a dead connection by throwing an unchecked exception, which the renderer propagates untouched.
 */
@FunctionalInterface
public interface ChunkSink {

    void write(byte[] bytes, int offset, int length);

    default void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }
}
