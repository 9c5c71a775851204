package mail.directory.adapter.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;

final class MongoErrors {
    private MongoErrors() {
    }

    static boolean duplicateKey(RuntimeException e) {
        return e instanceof MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }
}
