package mail.relay;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * A DNS server on loopback UDP answering from a table of records (TTL 0, so resolvers do not cache what a test
 * changes): the records of the asked type, NODATA for a known name without them, NXDOMAIN for anything else.
 */
public final class DnsStub implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();

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
        Name n = name(domain);
        add(new MXRecord(n, DClass.IN, 0, 0, Name.root));
    }

    public void mx(String domain, int preference, String host) throws IOException {
        add(new MXRecord(name(domain), DClass.IN, 0, preference, name(host)));
    }

    public void a(String host, String address) throws IOException {
        add(new ARecord(name(host), DClass.IN, 0, InetAddress.getByName(address)));
    }

    /**
     * Replaces the TXT records of a name with one record holding {@code text}, as strings of at most 255 characters
     * (a DKIM key record is longer than one string may be; readers join them).
     */
    public void txt(String name, String text) throws IOException {
        Name n = name(name);
        records.computeIfAbsent(n, k -> new CopyOnWriteArrayList<>()).removeIf(r -> r instanceof TXTRecord);
        List<String> strings = new java.util.ArrayList<>();
        for (int i = 0; i < text.length(); i += 255) {
            strings.add(text.substring(i, Math.min(text.length(), i + 255)));
        }
        add(new TXTRecord(n, DClass.IN, 0, strings.isEmpty() ? List.of("") : strings));
    }

    private void add(Record r) {
        records.computeIfAbsent(r.getName(), k -> new CopyOnWriteArrayList<>()).add(r);
    }

    private static Name name(String s) throws IOException {
        return Name.fromString(s.endsWith(".") ? s : s + ".");
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
                List<Record> known = records.get(question.getName());
                if (known == null) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                } else {
                    for (Record rec : known) {
                        if (rec.getType() == question.getType()) {
                            r.addRecord(rec, Section.ANSWER);
                        }
                    }
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
