package mail.relay;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A DNS server on loopback UDP answering MX questions from a table, NXDOMAIN for anything else. */
public final class DnsStub implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, MXRecord> mx = new ConcurrentHashMap<>();

    public DnsStub() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::serve, "dns-stub");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** A null MX (RFC 7505) for the domain. */
    public void nullMx(String domain) throws IOException {
        Name n = Name.fromString(domain + ".");
        mx.put(n.toString(), new MXRecord(n, DClass.IN, 60, 0, Name.root));
    }

    private void serve() {
        byte[] buf = new byte[1500];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                Record question = q.getQuestion();
                Message r = new Message(q.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.getHeader().setFlag(Flags.AA);
                r.addRecord(question, Section.QUESTION);
                MXRecord answer = mx.get(question.getName().toString());
                if (answer != null && question.getType() == Type.MX) {
                    r.addRecord(answer, Section.ANSWER);
                } else if (answer == null) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                byte[] wire = r.toWire();
                socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
