package mail.core.abuse;

/**
 * Authentication failures as every instance of every protocol sees them. Called from protocol sessions, on event
 * loops too, so no method may wait for I/O: {@link #blocked} answers from what is already known here.
 */
public interface SharedAuthFailures {

    /** Whether the client network or the account is blocked now. */
    boolean blocked(String clientNetwork, String account);

    /** Counts a failure of the client network and, when not null, of the account (asynchronously). */
    void failed(String clientNetwork, String account);

    /** A successful login of the account (asynchronously). */
    void succeeded(String account);

    /** For single-instance use and tests: nothing is shared and nothing is blocked. */
    SharedAuthFailures NONE = new SharedAuthFailures() {
        @Override
        public boolean blocked(String clientNetwork, String account) {
            return false;
        }

        @Override
        public void failed(String clientNetwork, String account) {
        }

        @Override
        public void succeeded(String account) {
        }
    };
}
