/// The loopback HTTP server the tests talk to, kept as a string so the test
/// target needs no resources. Routes: `/echo` (returns method, path, headers,
/// body and client port as JSON), `/status/N?retry-after=V&location=L&folded`, `/slow?ms=N`,
/// `/bytes/N`, `/reset` (drops the connection without answering). With two
/// arguments (certificate and key files) it serves HTTPS.
let testServerScript = #"""
import json, socket, ssl, struct, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse is observable

    def log_message(self, *args):
        pass

    def handle_expect_100(self):
        self.send_response_only(100)
        self.send_header("X-Interim", "yes")  # must not leak into the final response's headers
        self.end_headers()
        return True

    def handle_any(self):
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = url.path.strip("/").split("/")
        if parts[0] == "reset":
            # Abort the connection without a response: linger 0 turns close into RST.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if parts[0] == "slow":
            time.sleep(int(query.get("ms", "5000")) / 1000)
        status, headers, payload = 200, [], b""
        if parts[0] == "echo":
            payload = json.dumps({
                "method": self.command,
                "path": self.path,
                "headers": [[k.lower(), v] for k, v in self.headers.items()],
                "body": body.decode("utf-8", "replace"),
                "bodyHex": body.hex(),
                "clientPort": self.client_address[1],
            }).encode()
            headers = [("Content-Type", "application/json"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
        elif parts[0] == "status":
            status = int(parts[1])
            payload = ("status %d" % status).encode()
            if "retry-after" in query:
                headers.append(("Retry-After", query["retry-after"]))
            if "location" in query:
                headers.append(("Location", query["location"]))
            if "folded" in query:
                headers.append(("X-Folded", "first\r\n\tsecond"))  # obsolete line folding
        elif parts[0] == "bytes":
            payload = b"x" * int(parts[1])
        else:
            payload = b"ok"
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("X-Served-By", "test-server")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default 5 drops SYNs when many connections open at once

    def handle_error(self, request, client_address):
        pass  # clients hanging up early (timeouts, cancellations) are expected


server = Server(("127.0.0.1", 0), Handler)
if len(sys.argv) == 3:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"""#
