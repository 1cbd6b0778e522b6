"""Open pages' live-reload WebSockets, held open as a browser holds them: the handshake, then a pong
for every ping. Run by load.sh beside the load:  python3 reload_pages.py URL COUNT
It prints the versions heard (generation@server-run) when it is stopped (SIGTERM)."""
import base64
import json
import os
import selectors
import signal
import socket
import sys
from urllib.parse import urlsplit

url, count = urlsplit(sys.argv[1]), int(sys.argv[2])
selector = selectors.DefaultSelector()
heard = []


def connect():
    sock = socket.create_connection((url.hostname, url.port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(f"GET /__notes/reload HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\n"
                 f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    if not head.startswith(b"HTTP/1.1 101 "):
        sys.exit(f"reload_pages: handshake refused: {head[:60]!r}")
    selector.register(sock, selectors.EVENT_READ, bytearray())


def frames(buffer):
    """Whole server frames (unmasked, with 7- or 16-bit lengths) off the front of buffer."""
    while len(buffer) >= 2:
        start, length = (2, buffer[1]) if buffer[1] < 126 else (4, int.from_bytes(buffer[2:4], "big"))
        if len(buffer) < 4 and start == 4 or len(buffer) < start + length:
            return
        yield buffer[0] & 0x0F, bytes(buffer[start:start + length])
        del buffer[:start + length]


def stop(*_):
    print(f"reload_pages: {count} pages heard versions {sorted(set(heard))}")
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
for _ in range(count):
    connect()
while True:
    for key, _ in selector.select():
        data = key.fileobj.recv(4096)
        if not data:
            sys.exit("reload_pages: the server closed a live-reload connection")
        key.data.extend(data)
        for opcode, payload in frames(key.data):
            if opcode == 0x9:  # ping: a masked pong with the same payload
                mask = os.urandom(4)
                key.fileobj.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask
                                    + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
            elif opcode == 0x1:
                heard.append(json.loads(payload)["version"])
