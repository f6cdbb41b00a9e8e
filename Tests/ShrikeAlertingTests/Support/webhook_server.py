#!/usr/bin/env python3
"""A webhook endpoint for the alert-output tests: records every POST, and fails or stalls on request.

    webhook_server.py --port-file FILE --log FILE [--cert PEM --key PEM] [--max-seconds N]

Binds 127.0.0.1 on a free port (port 0), writes the port to --port-file, and appends one JSON line per request to
--log: {"method", "path", "status", "headers" (lower-cased names), "body"}. With --cert/--key it speaks HTTPS.

Behaviour is chosen by the request path, so one server serves every case:
    /fail-first/N/...   answers 500 to the first N requests on this exact path, then 200
    /status/NNN/...     always answers NNN
    /delay/SECONDS/...  waits SECONDS before answering 200
    anything else       200
"""
import argparse
import json
import os
import signal
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
SEEN = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    log_path = None

    def log_message(self, format, *args):  # noqa: A002 - keep stderr quiet
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        parts = self.path.split("/")
        status = 200
        if len(parts) > 2 and parts[1] == "fail-first":
            with LOCK:
                count = SEEN.get(self.path, 0)
                SEEN[self.path] = count + 1
            status = 500 if count < int(parts[2]) else 200
        elif len(parts) > 2 and parts[1] == "status":
            status = int(parts[2])
        elif len(parts) > 2 and parts[1] == "delay":
            time.sleep(float(parts[2]))
        record = {"method": self.command, "path": self.path, "status": status, "body": body,
                  "headers": {key.lower(): value for key, value in self.headers.items()}}
        with LOCK, open(self.log_path, "a") as log:
            log.write(json.dumps(record) + "\n")
        reply = b"ok\n" if status < 400 else b"injected failure\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_PUT = do_POST


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--max-seconds", type=float, default=300)
    args = parser.parse_args()

    # The test runner may start us with SIGTERM blocked or ignored: make it end the process, and end anyway when the
    # parent dies or after --max-seconds, so a crashed test never leaves a server behind.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    parent = os.getppid()

    def watchdog():
        deadline = time.monotonic() + args.max_seconds
        while time.monotonic() < deadline and os.getppid() == parent:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    Handler.log_path = args.log
    open(args.log, "a").close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    temporary = args.port_file + ".tmp"
    with open(temporary, "w") as handle:
        handle.write(f"{port}\n")
    os.replace(temporary, args.port_file)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
