/// A loopback HTTP server that records every request as a JSON line and answers from a
/// script. Argument: a JSON object with `responses` (answered in order, one per request),
/// `default` (answered after them; default 200 `{}`), optional `webhook_secret` (every
/// request is verified with the `standardwebhooks` library, the result recorded) and
/// optional `cert`/`key` (HTTPS). A response is `{"status", "headers": {…}, "body",
/// "delay_ms", "reset"}`; `reset` drops the connection without an answer.
let recordingServerScript = #"""
import json, socket, ssl, struct, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

config = json.loads(sys.argv[1])
responses = list(config.get("responses", []))
default = config.get("default", {"status": 200, "body": "{}", "headers": {"Content-Type": "application/json"}})
verifier = None
if config.get("webhook_secret"):
    from standardwebhooks.webhooks import Webhook
    verifier = Webhook(config["webhook_secret"])
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        record = {
            "method": self.command,
            "path": self.path,
            "headers": [[k.lower(), v] for k, v in self.headers.items()],
            "body": body.decode("utf-8", "replace"),
        }
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if content_type == "application/x-www-form-urlencoded":
            record["form"] = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
        if content_type == "application/json":
            record["json"] = json.loads(body)
        if verifier is not None:
            try:
                record["verified_payload"] = verifier.verify(body, {k.lower(): v for k, v in self.headers.items()})
                record["verified"] = True
            except Exception as error:
                record["verified"] = False
                record["verify_error"] = "%s: %s" % (type(error).__name__, error)
        with lock:
            response = responses.pop(0) if responses else default
            print(json.dumps(record), flush=True)
        if response.get("delay_ms"):
            time.sleep(response["delay_ms"] / 1000)
        if response.get("reset"):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        payload = response.get("body", "").encode()
        self.send_response(response.get("status", 200))
        for name, value in response.get("headers", {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        pass


server = Server(("127.0.0.1", 0), Handler)
if config.get("cert"):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(config["cert"], config["key"])
    server.socket = context.wrap_socket(server.socket, server_side=True)
print(json.dumps({"port": server.server_address[1]}), flush=True)
server.serve_forever()
"""#
