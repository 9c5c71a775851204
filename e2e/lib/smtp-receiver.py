"""A minimal SMTP receiver for the e2e scripts: standing in for another domain's server, it writes every message it
accepts to <dir>/<random>.eml. Python's smtpd module is gone since 3.12, hence this small asyncio server of our own.
Usage: python3 smtp-receiver.py <dir> <port>"""
import asyncio
import os
import sys
import uuid

OUT, PORT = sys.argv[1], int(sys.argv[2])
MAX_LINE = 64 * 1024


async def session(reader, writer):
    def reply(text):
        writer.write(text.encode() + b"\r\n")

    reply("220 receiver.e2e.test ESMTP")
    rcpts, sender = [], None
    try:
        while True:
            line = await reader.readuntil(b"\n")
            if len(line) > MAX_LINE:
                reply("500 line too long")
                break
            verb = line.decode("ascii", "replace").strip()
            cmd = verb[:4].upper()
            if cmd in ("EHLO",):
                reply("250-receiver.e2e.test\r\n250-PIPELINING\r\n250 8BITMIME")
            elif cmd == "HELO":
                reply("250 receiver.e2e.test")
            elif cmd == "MAIL":
                sender, rcpts = verb, []
                reply("250 2.1.0 ok")
            elif cmd == "RCPT":
                if sender is None:
                    reply("503 5.5.1 MAIL first")
                else:
                    rcpts.append(verb)
                    reply("250 2.1.5 ok")
            elif cmd == "DATA":
                if not rcpts:
                    reply("503 5.5.1 RCPT first")
                    continue
                reply("354 go ahead")
                await writer.drain()
                body = bytearray()
                while True:
                    data = await reader.readuntil(b"\n")
                    if data in (b".\r\n", b".\n"):
                        break
                    body += data[1:] if data.startswith(b"..") else data
                name = os.path.join(OUT, uuid.uuid4().hex + ".eml")
                with open(name + ".part", "wb") as f:
                    f.write(body)
                os.rename(name + ".part", name)
                sender, rcpts = None, []
                reply("250 2.0.0 stored")
            elif cmd == "RSET":
                sender, rcpts = None, []
                reply("250 2.0.0 ok")
            elif cmd == "NOOP":
                reply("250 2.0.0 ok")
            elif cmd == "QUIT":
                reply("221 2.0.0 bye")
                break
            else:
                reply("502 5.5.2 not implemented")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        try:
            await writer.drain()
            writer.close()
        except ConnectionError:
            pass


async def main():
    server = await asyncio.start_server(session, "127.0.0.1", PORT, limit=MAX_LINE + 2)
    async with server:
        await server.serve_forever()


asyncio.run(main())
