package mail.imap.session;

import static io.restassured.RestAssured.given;

/** Waits until the service reports ready, which also means its Kafka topics and MongoDB collections exist. */
final class ReadyWait {
    private ReadyWait() {
    }

    static void untilReady() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (given().get("/q/health/ready").statusCode() != 200) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("imap-service did not become ready");
            }
            Thread.sleep(250);
        }
    }
}
