#!/usr/bin/env python3
"""A loopback OTLP/HTTP trace receiver for e2e/tracing.sh: accepts POST /v1/traces (protobuf, gzip or not), keeps the
spans, and prints them as JSON lines (service, name, trace id, span id, parent span id) to the file given.
Usage: otlp-sink.py <port> <spans.jsonl>. Decodes just the fields it prints (opentelemetry-proto trace.proto)."""
import gzip
import http.server
import json
import sys


def fields(buf):
    """(field number, wire type, value) of one protobuf message: bytes for length-delimited, int for varint."""
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(buf, i)
        elif wt == 1:
            v, i = buf[i:i + 8], i + 8
        elif wt == 2:
            n, i = varint(buf, i)
            v, i = buf[i:i + n], i + n
        elif wt == 5:
            v, i = buf[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % wt)
        yield num, wt, v


def varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, i
        shift += 7


def service_name(resource):
    for num, _, kv in fields(resource):
        if num != 1:
            continue
        key, value = None, None
        for n, _, v in fields(kv):
            if n == 1:
                key = v.decode()
            elif n == 2:
                for n2, _, v2 in fields(v):
                    if n2 == 1:
                        value = v2.decode()
        if key == "service.name":
            return value
    return None


def spans(request):
    for num, _, resource_spans in fields(request):
        if num != 1:
            continue
        service = None
        for n, _, v in fields(resource_spans):
            if n == 1:
                service = service_name(v)
            elif n == 2:
                for n2, _, scope_spans in [(a, b, c) for a, b, c in fields(v) if a == 2]:
                    span = {"service": service}
                    for n3, _, v3 in fields(scope_spans):
                        if n3 == 1:
                            span["trace"] = v3.hex()
                        elif n3 == 2:
                            span["span"] = v3.hex()
                        elif n3 == 4:
                            span["parent"] = v3.hex()
                        elif n3 == 5:
                            span["name"] = v3.decode()
                    yield span


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        with open(sys.argv[2], "a") as out:
            for s in spans(body):
                out.write(json.dumps(s) + "\n")
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
