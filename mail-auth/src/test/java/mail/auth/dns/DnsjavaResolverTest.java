package mail.auth.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/** The dnsjava adapter over real DNS messages: a small authoritative server on a loopback UDP port. */
class DnsjavaResolverTest {
    private DatagramSocket socket;
    private Thread server;
    private final Map<Name, List<Record>> zone = new HashMap<>();
    private final Set<Name> servfail = new HashSet<>();
    private final Set<Name> silent = new HashSet<>();
    private DnsjavaResolver resolver;

    private static Name n(String s) {
        return Name.fromConstantString(s.endsWith(".") ? s : s + ".");
    }

    private void add(Record r) {
        zone.computeIfAbsent(r.getName(), k -> new ArrayList<>()).add(r);
    }

    @BeforeEach
    void start() throws Exception {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        server = new Thread(this::serve, "loopback-dns");
        server.setDaemon(true);
        server.start();
        resolver = new DnsjavaResolver(List.of("127.0.0.1:" + socket.getLocalPort()), Duration.ofMillis(700));
        add(new TXTRecord(n("example.test"), DClass.IN, 60, List.of("v=spf1 ip4:192.0.2.0/24", " -all")));
        add(new TXTRecord(n("example.test"), DClass.IN, 60, "google-site-verification=x"));
        add(new ARecord(n("example.test"), DClass.IN, 60, InetAddress.getByName("192.0.2.1")));
        add(new AAAARecord(n("example.test"), DClass.IN, 60, InetAddress.getByName("2001:db8::1")));
        add(new MXRecord(n("example.test"), DClass.IN, 60, 20, n("mx2.example.test")));
        add(new MXRecord(n("example.test"), DClass.IN, 60, 10, n("MX1.example.test")));
        add(new PTRRecord(ReverseMap.fromAddress("192.0.2.1"), DClass.IN, 60, n("host.example.test")));
        servfail.add(n("broken.test"));
        silent.add(n("slow.test"));
    }

    @AfterEach
    void stop() {
        socket.close();
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                Record question = q.getQuestion();
                if (silent.contains(question.getName())) {
                    continue;
                }
                Message r = new Message(q.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.getHeader().setFlag(Flags.AA);
                r.addRecord(question, Section.QUESTION);
                List<Record> records = zone.get(question.getName());
                if (servfail.contains(question.getName())) {
                    r.getHeader().setRcode(Rcode.SERVFAIL);
                } else if (records == null) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                } else {
                    for (Record rec : records) {
                        if (rec.getType() == question.getType()) {
                            r.addRecord(rec, Section.ANSWER);
                        }
                    }
                }
                byte[] wire = r.toWire();
                socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (Exception e) {
                // a malformed query is dropped, as a server would
            }
        }
    }

    @Test
    void answersEveryRecordTypeSenderAuthenticationNeeds() throws Exception {
        assertThat(resolver.txt("example.test")).containsExactlyInAnyOrder("v=spf1 ip4:192.0.2.0/24 -all", "google-site-verification=x");
        assertThat(resolver.addresses("example.test", false)).containsExactly(InetAddress.getByName("192.0.2.1"));
        assertThat(resolver.addresses("example.test.", true)).containsExactly(InetAddress.getByName("2001:db8::1"));
        assertThat(resolver.mx("example.test")).containsExactly("mx1.example.test", "mx2.example.test");
        assertThat(resolver.ptr(InetAddress.getByName("192.0.2.1"))).containsExactly("host.example.test");
    }

    @Test
    void nxdomainAndNodataAreEmptyAnswers() {
        assertThat(resolver.txt("nothing.test")).isEmpty();
        assertThat(resolver.mx("host.example.test")).isEmpty();
        // MX exists at example.test but no SPF-relevant TXT at a sub-name
        assertThat(resolver.txt("_dmarc.example.test")).isEmpty();
    }

    @Test
    void servfailAndSilenceAreTemporaryFailures() {
        assertThatThrownBy(() -> resolver.txt("broken.test")).isInstanceOf(DnsTemporaryException.class);
        assertThatThrownBy(() -> resolver.addresses("slow.test", false)).isInstanceOf(DnsTemporaryException.class);
    }
}
