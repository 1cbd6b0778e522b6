"""The oracle for notes' request-head parser: Python's own HTTP server (http.server) reads each head.
Reads a JSON list of base64 heads from the file named first; writes a JSON list with, for each head, null when Python
refuses it, or what Python read: method, target, version and headers in order. Every text is
base64 of its bytes (Python decodes heads as Latin-1, so its strings map back to the bytes sent)."""
import base64
import http.server
import io
import json
import sys


class Head(http.server.BaseHTTPRequestHandler):
    """A handler that reads one head from bytes and writes its answers nowhere."""

    def __init__(self, data):
        self.rfile, self.wfile = io.BytesIO(data), io.BytesIO()
        self.client_address, self.server, self.close_connection = ("127.0.0.1", 0), None, True

    def log_message(self, *args):
        pass


def b64(text):
    return base64.b64encode(text.encode("latin-1")).decode()


def read(data):
    head = Head(data)
    head.raw_requestline = head.rfile.readline(65537)
    if len(head.raw_requestline) > 65536 or not head.parse_request():
        return None
    return {"method": b64(head.command), "target": b64(head.path), "version": b64(head.request_version),
            "headers": [[b64(name), b64(value)] for name, value in head.headers.items()],
            # Lines Python did not take for headers (it stops at the first line that is not one).
            "rest": b64(head.headers.get_payload())}


print(json.dumps([read(base64.b64decode(item)) for item in json.load(open(sys.argv[1]))]))
