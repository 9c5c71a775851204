package mail.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import mail.protocol.net.ConnectionLimiter.Admission;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    @Test
    void perIpLimitAndRelease() {
        ConnectionLimiter l = new ConnectionLimiter(100, 2);
        assertThat(l.tryAcquire("198.51.100.1")).isEqualTo(Admission.ADMITTED);
        assertThat(l.tryAcquire("198.51.100.1")).isEqualTo(Admission.ADMITTED);
        assertThat(l.tryAcquire("198.51.100.1")).isEqualTo(Admission.TOO_MANY_FROM_IP);
        assertThat(l.tryAcquire("198.51.100.2")).isEqualTo(Admission.ADMITTED);
        assertThat(l.open()).isEqualTo(3);
        l.release("198.51.100.1");
        assertThat(l.openFrom("198.51.100.1")).isEqualTo(1);
        assertThat(l.tryAcquire("198.51.100.1")).isEqualTo(Admission.ADMITTED);
    }

    @Test
    void exemptNetworksSkipThePerIpLimitButCountInTheTotal() {
        ConnectionLimiter l = new ConnectionLimiter(5, 1, Cidr.parseAll(List.of("127.0.0.0/8", "::1/128")));
        for (int i = 0; i < 4; i++) {
            assertThat(l.tryAcquire("127.0.0.1")).isEqualTo(Admission.ADMITTED);
        }
        assertThat(l.openFrom("127.0.0.1")).isZero();
        assertThat(l.tryAcquire("198.51.100.1")).isEqualTo(Admission.ADMITTED);
        assertThat(l.tryAcquire("::1")).isEqualTo(Admission.TOO_MANY_TOTAL);
        l.release("127.0.0.1");
        assertThat(l.open()).isEqualTo(4);
        assertThat(l.tryAcquire("0:0:0:0:0:0:0:1")).isEqualTo(Admission.ADMITTED);
        assertThat(l.tryAcquire("198.51.100.1")).isEqualTo(Admission.TOO_MANY_TOTAL);
    }

    @Test
    void aNonExemptNeighbourIsStillLimited() {
        ConnectionLimiter l = new ConnectionLimiter(100, 1, Cidr.parseAll(List.of("10.0.0.0/24")));
        assertThat(l.tryAcquire("10.0.1.1")).isEqualTo(Admission.ADMITTED);
        assertThat(l.tryAcquire("10.0.1.1")).isEqualTo(Admission.TOO_MANY_FROM_IP);
        assertThat(l.tryAcquire("10.0.0.9")).isEqualTo(Admission.ADMITTED);
        assertThat(l.tryAcquire("10.0.0.9")).isEqualTo(Admission.ADMITTED);
    }
}
