package mail.auth.dns;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * A tiny authoritative DNS server on a loopback UDP port, for tests of code that asks real DNS questions through
 * dnsjava: records are answered, unknown names get NXDOMAIN, chosen names SERVFAIL or no answer at all (a timeout),
 * and {@link #silence(boolean)} makes the whole server stop answering. Shipped in mail-auth's test jar, so the
 * gateway's tests use the same server. Zone changes are safe while it runs.
 */
public final class LoopbackDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final AtomicInteger queries = new AtomicInteger();
    private volatile boolean allSilent;

    public LoopbackDnsServer() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread server = new Thread(this::serve, "loopback-dns-" + socket.getLocalPort());
        server.setDaemon(true);
        server.start();
    }

    public static Name name(String s) {
        return Name.fromConstantString(s.endsWith(".") ? s : s + ".");
    }

    /** {@code 127.0.0.1:<port>}, as resolver configuration takes it. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public LoopbackDnsServer add(Record r) {
        zone.computeIfAbsent(r.getName(), k -> new CopyOnWriteArrayList<>()).add(r);
        return this;
    }

    /** A TXT record, split into character-strings of at most 255 octets as DNS requires (DKIM keys are longer). */
    public LoopbackDnsServer txt(String owner, String text) {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 255) {
            strings.add(text.substring(i, Math.min(text.length(), i + 255)));
        }
        return add(new TXTRecord(name(owner), DClass.IN, 60, strings));
    }

    /** Removes every record at the name (then it is NXDOMAIN). */
    public LoopbackDnsServer remove(String owner) {
        zone.remove(name(owner));
        return this;
    }

    public LoopbackDnsServer servfail(String owner) {
        servfail.add(name(owner));
        return this;
    }

    /** Questions for this name are never answered. */
    public LoopbackDnsServer silent(String owner) {
        silent.add(name(owner));
        return this;
    }

    /** No question at all is answered while on. */
    public void silence(boolean on) {
        allSilent = on;
    }

    public int queries() {
        return queries.get();
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                queries.incrementAndGet();
                Message q = new Message(Arrays.copyOf(p.getData(), p.getLength()));
                Record question = q.getQuestion();
                if (allSilent || silent.contains(question.getName())) {
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

    @Override
    public void close() {
        socket.close();
    }
}
