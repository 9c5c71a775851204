#!/usr/bin/python3
"""Verifies every DKIM-Signature of a received message with dkimpy (Debian's python3-dkim and python3-nacl): a
verifier that is not ours, so a signature that passes here passes at other receivers too.

Usage: dkim-verify.py MESSAGE RECORDS_JSON
MESSAGE is the message as a receiver stored it (LF or CRLF line ends; header lines the receiver prepended are
fine, as they are not signed). RECORDS_JSON is `mailctl --json dns DOMAIN`: the DNS records the directory says to
publish; key lookups are answered from its TXT records instead of the network. Prints one line per signature and
exits 0 only when there is at least one signature and every one verifies.
"""
import json
import re
import sys

import dkim


def main():
    raw = open(sys.argv[1], "rb").read()
    message = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    records = json.load(open(sys.argv[2], encoding="utf-8"))["records"]
    txt = {r["name"].lower().rstrip("."): r["value"] for r in records if r["type"] == "TXT"}

    def lookup(name, timeout=5):
        key = (name.decode("ascii") if isinstance(name, bytes) else name).lower().rstrip(".")
        value = txt.get(key)
        return value.encode("ascii") if value else None

    header = message.split(b"\r\n\r\n", 1)[0]
    count = len(re.findall(rb"(?im)^DKIM-Signature:", header))
    if count == 0:
        print("no DKIM-Signature field")
        return 1
    verifier = dkim.DKIM(message)
    failed = 0
    for i in range(count):
        try:
            ok = verifier.verify(idx=i, dnsfunc=lookup)
        except dkim.DKIMException as e:
            ok, why = False, str(e)
        else:
            why = "" if ok else "signature does not verify"
        tags = verifier.signature_fields if hasattr(verifier, "signature_fields") else {}
        algorithm = tags.get(b"a", b"?").decode()
        selector = tags.get(b"s", b"?").decode()
        print("%s %s s=%s %s" % ("pass" if ok else "FAIL", algorithm, selector, why))
        failed += 0 if ok else 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
