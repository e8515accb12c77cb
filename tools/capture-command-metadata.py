#!/usr/bin/env python3
"""Capture Redis's command metadata (COMMAND and COMMAND DOCS, in RESP3) from a running
redis-server and store the raw replies as Ember's command metadata resource.

Ember answers COMMAND / COMMAND INFO / COMMAND DOCS for the commands it implements from this
file, so clients (redis-cli hints, Lettuce, cluster-aware clients) see exactly what Redis 7.0
reports. Re-run it when moving the compatibility target:

    redis-server --port 7777 --save '' &
    tools/capture-command-metadata.py 7777
"""
import socket
import sys

OUT = "ember-server/src/main/resources/io/ember/command/redis-commands.resp3"


def read_reply(f):
    """Reads one RESP3 value from f and returns its raw bytes."""
    line = f.readline()
    raw = bytearray(line)
    kind, body = line[:1], line[1:-2]
    if kind in (b"$", b"=", b"!"):
        n = int(body)
        if n >= 0:
            raw += f.read(n + 2)
    elif kind in (b"*", b"~", b">"):
        for _ in range(max(int(body), 0)):
            raw += read_reply(f)
    elif kind in (b"%", b"|"):
        for _ in range(2 * int(body)):
            raw += read_reply(f)
    return bytes(raw)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 6379
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb")
    s.sendall(b"HELLO 3\r\n")
    hello = read_reply(f)
    if b"7.0." not in hello:
        sys.exit("expected a Redis 7.0 server, got: %r" % hello[:200])
    s.sendall(b"COMMAND\r\nCOMMAND DOCS\r\n")
    info = read_reply(f)
    docs = read_reply(f)
    with open(OUT, "wb") as out:
        out.write(info)
        out.write(docs)
    print("wrote %s (%d bytes)" % (OUT, len(info) + len(docs)))


if __name__ == "__main__":
    main()
