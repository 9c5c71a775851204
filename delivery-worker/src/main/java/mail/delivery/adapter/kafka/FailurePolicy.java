package mail.delivery.adapter.kafka;

import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import java.io.UncheckedIOException;
import mail.core.blob.BlobStoreException;
import mail.core.event.EventFormatException;
import mail.delivery.process.PermanentFailure;
import mail.delivery.process.TransientFailure;
import mail.store.StoreUnavailableException;

/**
 * The one error model of the consumer: which failures wait for a dependency to return (retried for ever, the
 * partition does not move on), which are hopeless at once (dead letter), and which get a bounded number of tries
 * because they might be either (a blob not yet visible, an unexpected bug).
 */
final class FailurePolicy {

    enum Kind { TRANSIENT, PERMANENT, BLOB_MISSING, UNEXPECTED }

    private FailurePolicy() {
    }

    static Kind classify(Throwable e) {
        if (e instanceof EventFormatException || e instanceof PermanentFailure) {
            return Kind.PERMANENT;
        }
        if (e instanceof BlobStoreException b) {
            return b.transientFailure() ? Kind.TRANSIENT : Kind.BLOB_MISSING;
        }
        if (e instanceof MongoWriteException) {
            return Kind.UNEXPECTED; // e.g. a document over the size limit: retrying the same write will not help
        }
        if (e instanceof MongoException || e instanceof TransientFailure || e instanceof StoreUnavailableException
                || e instanceof UncheckedIOException || e instanceof org.apache.kafka.common.KafkaException) {
            return Kind.TRANSIENT;
        }
        return Kind.UNEXPECTED;
    }
}
