package mail.testsupport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * PROXY protocol headers (HAProxy's proxy-protocol.txt) written byte by byte, as a load balancer in front of a mail
 * listener sends them before the client's first byte. Addresses must be literals.
 */
public final class ProxyHeaders {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaders() {
    }

    /** The binary v2 header of a TCP connection from {@code source} (IPv4 or IPv6) to {@code destination}. */
    public static byte[] v2(String source, int sourcePort, String destination, int destinationPort) {
        byte[] src = literal(source);
        byte[] dst = literal(destination);
        ByteBuffer b = ByteBuffer.allocate(16 + src.length * 2 + 4);
        b.put(V2_SIGNATURE);
        b.put((byte) 0x21); // version 2, PROXY command
        b.put((byte) (src.length == 4 ? 0x11 : 0x21)); // TCP over IPv4 / IPv6
        b.putShort((short) (src.length * 2 + 4));
        b.put(src).put(dst).putShort((short) sourcePort).putShort((short) destinationPort);
        return b.array();
    }

    /** The text v1 header of the same connection. */
    public static byte[] v1(String source, int sourcePort, String destination, int destinationPort) {
        String family = source.contains(":") ? "TCP6" : "TCP4";
        return ("PROXY " + family + " " + source + " " + destination + " " + sourcePort + " " + destinationPort + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] literal(String address) {
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + address, e);
        }
    }
}
