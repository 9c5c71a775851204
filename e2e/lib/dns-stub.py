#!/usr/bin/env python3
"""A DNS server on loopback for e2e scripts: every name is answered NXDOMAIN, at once.

The platform's outbound relay resolves remote domains through MAIL_RELAY_DNS_RESOLVER; pointing it here makes a
test's "remote" recipient fail the same way on every machine, whether or not the machine's own resolver answers,
times out or is missing. Usage: dns-stub.py PORT (UDP and TCP on 127.0.0.1); runs until killed.
"""
import socket
import socketserver
import struct
import sys
import threading


def nxdomain(query: bytes) -> bytes:
    if len(query) < 12:
        return b""
    ident, flags = struct.unpack("!HH", query[:4])
    opcode = (flags >> 11) & 0xF
    rd = flags & 0x0100
    # skip the question section: QNAME labels, then QTYPE and QCLASS
    i = 12
    while i < len(query) and query[i] != 0:
        i += 1 + query[i]
    question = query[12:i + 5]
    print("query %s" % qname(query[12:i]), flush=True)
    rcode = 3 if opcode == 0 else 4  # NXDOMAIN for a standard query, NOTIMP otherwise
    answer_flags = 0x8000 | (opcode << 11) | 0x0400 | rd | 0x0080 | rcode  # QR, AA, RD copied, RA
    return struct.pack("!HHHHHH", ident, answer_flags, 1, 0, 0, 0) + question


def qname(labels: bytes) -> str:
    out, i = [], 0
    while i < len(labels):
        n = labels[i]
        out.append(labels[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    return ".".join(out) + "."


class Udp(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        reply = nxdomain(data)
        if reply:
            sock.sendto(reply, self.client_address)


class Tcp(socketserver.StreamRequestHandler):
    def handle(self):
        header = self.rfile.read(2)
        if len(header) < 2:
            return
        (length,) = struct.unpack("!H", header)
        reply = nxdomain(self.rfile.read(length))
        if reply:
            self.wfile.write(struct.pack("!H", len(reply)) + reply)


def main():
    port = int(sys.argv[1])
    socketserver.ThreadingUDPServer.allow_reuse_address = True
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    udp = socketserver.ThreadingUDPServer(("127.0.0.1", port), Udp)
    tcp = socketserver.ThreadingTCPServer(("127.0.0.1", port), Tcp)
    threading.Thread(target=tcp.serve_forever, daemon=True).start()
    print("dns stub on 127.0.0.1:%d" % port, flush=True)
    udp.serve_forever()


if __name__ == "__main__":
    main()
