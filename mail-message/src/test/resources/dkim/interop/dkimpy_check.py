#!/usr/bin/python3
"""The dkimpy half of the interoperability check (docs/dkim.md): verifies every signature of ours-*.eml with
dkimpy, then signs plain-*.eml with dkimpy (both algorithms, relaxed/relaxed and simple/simple) as theirs-*.eml
for the Java side. Needs Debian's python3-dkim and python3-nacl. Exit status 1 unless all of ours verify."""
import glob
import os
import sys

import dkim

d = sys.argv[1]
zone = {}
with open(os.path.join(d, "zone.txt")) as f:
    for line in f:
        name, txt = line.rstrip("\n").split("\t", 1)
        zone[name] = txt.encode()


def dns(name, timeout=5):
    return zone.get(name.decode().rstrip("."))


ok = True
for path in sorted(glob.glob(os.path.join(d, "ours-*.eml"))):
    msg = open(path, "rb").read()
    v = dkim.DKIM(msg)
    for idx in range(2):
        try:
            good = v.verify(idx=idx, dnsfunc=dns)
        except dkim.DKIMException as e:
            print("%s sig %d: %s" % (os.path.basename(path), idx, e))
            good = False
        ok &= bool(good)
        print("%s sig %d: %s" % (os.path.basename(path), idx, "PASS" if good else "FAIL"))
print("dkimpy verified every signature of ours" if ok else "dkimpy: NOT every signature of ours verified")

rsa = open(os.path.join(d, "rsa1.pem"), "rb").read()
seed = open(os.path.join(d, "ed1.seed"), "rb").read().strip()
for path in sorted(glob.glob(os.path.join(d, "plain-*.eml"))):
    msg = open(path, "rb").read()
    n = os.path.basename(path)[len("plain-"):-len(".eml")]
    for canon in (b"relaxed", b"simple"):
        fields = dkim.sign(msg, b"rsa1", b"interop.test", rsa, canonicalize=(canon, canon),
                           signature_algorithm=b"rsa-sha256", include_headers=[b"from", b"to", b"subject"])
        fields += dkim.sign(msg, b"ed1", b"interop.test", seed, canonicalize=(canon, canon),
                            signature_algorithm=b"ed25519-sha256", include_headers=[b"from", b"to", b"subject"])
        with open(os.path.join(d, "theirs-%s-%s.eml" % (n, canon.decode())), "wb") as out:
            out.write(fields + msg)
sys.exit(0 if ok else 1)
