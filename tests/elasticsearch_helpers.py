"""Stand-ins for a cluster that misbehaves, for the Elasticsearch backend's tests: one that
is down (connection refused), one that accepts connections and never answers (slow), and a
proxy in front of the real test engine that behaves like a strict OpenSearch or like
Elasticsearch in what it accepts and answers."""

import http.client
import json
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def refused_url():
    """An address where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class SilentServer:
    """Listens, lets the kernel accept connections, and never answers: a hung cluster."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.sock.setblocking(False)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.held = []  # accepted connections, kept open and unanswered

    def new_connections(self):
        """How many connections clients opened since the last call (they stay unanswered)."""
        count = 0
        while True:
            try:
                connection, _address = self.sock.accept()
            except BlockingIOError:
                return count
            self.held.append(connection)
            count += 1

    def close(self):
        for connection in self.held:
            connection.close()
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class EngineProxy:
    """An HTTP proxy to ``upstream`` that imitates another product's rules.

    ``flavour="opensearch"``: rejects Elasticsearch's compatibility media types with 406 (as
    OpenSearch does) and never sends ``X-Elastic-Product``.
    ``flavour="elasticsearch"``: answers ``GET /`` without a distribution (as Elasticsearch
    does) and always sends ``X-Elastic-Product: Elasticsearch``.
    Every request's Accept and Content-Type headers are recorded in ``seen``.
    """

    def __init__(self, upstream, flavour):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.flavour = flavour
        self.seen = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                accept = self.headers.get("Accept", "")
                content_type = self.headers.get("Content-Type", "")
                proxy.seen.append((self.command, self.path, accept, content_type))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                compat = "vnd.elasticsearch" in accept or "vnd.elasticsearch" in content_type
                if proxy.flavour == "opensearch" and compat:
                    media = content_type if "vnd.elasticsearch" in content_type else accept
                    error = {
                        "error": {"type": "media_type_header_exception",
                                  "reason": f"Invalid media-type value on headers [{media}]"},
                        "status": 406,
                    }
                    return self._reply(406, json.dumps(error).encode(), {"Content-Type": "application/json"})
                connection = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=30)
                headers = {"Content-Type": "application/json", "Accept": "application/json"}
                if body is not None and "x-ndjson" in content_type:
                    headers["Content-Type"] = "application/x-ndjson"
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                connection.close()
                reply_headers = {"Content-Type": response.getheader("Content-Type", "application/json")}
                if proxy.flavour == "elasticsearch":
                    reply_headers["X-Elastic-Product"] = "Elasticsearch"
                    root = self.command == "GET" and urllib.parse.urlsplit(self.path).path == "/"
                    if root and response.status == 200:
                        info = json.loads(data)
                        info["version"].pop("distribution", None)
                        info["version"]["number"] = "8.15.0"
                        info["version"]["build_flavor"] = "default"
                        info["tagline"] = "You Know, for Search"
                        data = json.dumps(info).encode()
                self._reply(response.status, data, reply_headers)

            def _reply(self, status, data, headers):
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
