#!/usr/bin/env python3
"""A small HTTP server for `shrike db update` tests: serves a directory on 127.0.0.1 like a feed host.

    feed_server.py --root DIR --port-file FILE --log FILE

Binds 127.0.0.1 on a free port (port 0), writes the port to --port-file (and prints it), and appends one JSON line
per request to --log: {"method", "path", "status", "ifNoneMatch", "ifModifiedSince"}, so tests can count requests.

Files are served with an ETag (a hash of the content) and a Last-Modified (the file's mtime). A request whose
If-None-Match equals the ETag, or (without If-None-Match) whose If-Modified-Since is not older than the mtime,
gets 304 Not Modified, as real feed hosts (Google Cloud Storage, nginx) answer.

Fault paths, for failure tests:
    /_status/NNN/<path>      answers status NNN with a short text body
    /_truncate/<path>        announces the file's full Content-Length, sends half of it, then closes the connection
    /_redirect/<url>         answers 302 with Location: <url>
"""
import argparse
import email.utils
import hashlib
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

LOG_LOCK = threading.Lock()


class FeedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = "."
    log_path = None

    def log_message(self, format, *args):  # noqa: A002 - keep stderr quiet
        pass

    def record(self, status):
        if not self.log_path:
            return
        line = json.dumps({
            "method": self.command,
            "path": self.path,
            "status": status,
            "ifNoneMatch": self.headers.get("If-None-Match"),
            "ifModifiedSince": self.headers.get("If-Modified-Since"),
        })
        with LOG_LOCK, open(self.log_path, "a") as log:
            log.write(line + "\n")

    def send_text(self, status, text, extra=None):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.record(status)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = unquote(self.path.split("?", 1)[0])
        if path.startswith("/_status/"):
            code = int(path.split("/")[2])
            self.send_text(code, f"injected status {code}\n")
            return
        if path.startswith("/_redirect/"):
            self.send_text(302, "moved\n", {"Location": path[len("/_redirect/"):]})
            return
        truncate = path.startswith("/_truncate/")
        if truncate:
            path = path[len("/_truncate"):]
        file = os.path.realpath(os.path.join(self.root, path.lstrip("/")))
        if not file.startswith(os.path.realpath(self.root) + os.sep) or not os.path.isfile(file):
            self.send_text(404, "not found\n")
            return
        with open(file, "rb") as handle:
            data = handle.read()
        mtime = int(os.stat(file).st_mtime)
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        validators = {"ETag": etag, "Last-Modified": last_modified}

        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        not_modified = False
        if if_none_match is not None:
            not_modified = etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
        elif if_modified_since is not None:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
                not_modified = mtime <= since
            except (TypeError, ValueError):
                not_modified = False
        if not_modified:
            self.send_response(304)
            for key, value in validators.items():
                self.send_header(key, value)
            self.end_headers()
            self.record(304)
            return

        self.send_response(200)
        self.send_header("Content-Type", "application/zip" if file.endswith(".zip") else "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in validators.items():
            self.send_header(key, value)
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            self.record(200)
            return
        if truncate:
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.record(200)
            return
        self.wfile.write(data)
        self.record(200)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log")
    parser.add_argument("--max-seconds", type=float, default=600)
    args = parser.parse_args()

    # The test runner may start us with SIGTERM blocked or ignored (the mask and ignored dispositions are inherited):
    # make SIGTERM/SIGINT end the process, and end it anyway when the parent dies or after --max-seconds, so a test
    # that crashes or hangs never leaves a server behind.
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
    FeedHandler.root = args.root
    FeedHandler.log_path = args.log
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    server.daemon_threads = True
    port = server.server_address[1]
    temporary = args.port_file + ".tmp"
    with open(temporary, "w") as handle:
        handle.write(f"{port}\n")
    os.replace(temporary, args.port_file)
    print(port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
