#!/usr/bin/env python3
"""A bearer-token front for a real registry, for Shrike's token-auth tests.

Listens on 127.0.0.1 (port 0; the chosen port is written to --port-file). GET /token checks HTTP basic auth
against --user/--password and returns {"token": ...} for the requested scopes (the Docker token flow). Every /v2/
request needs "Authorization: Bearer <token>" whose scopes cover the repository it touches; otherwise it answers 401
with a WWW-Authenticate: Bearer challenge (realm, service, scope). Authorised requests are forwarded unchanged
(Host header included, so upload Locations point back here) to the --backend registry. Every token request is
appended to --log as a JSON line {"scopes": [...], "ok": bool}.

The referrers API (GET /v2/<name>/referrers/<digest>[?artifactType=]), which distribution 2.8 lacks, is answered
here from the backend's tag-schema index (sha256-<hex>), filtered, with OCI-Filters-Applied. Tag lists with ?n= are
paginated here (sorted, with a Link: <...>; rel="next" header), because distribution 2.8
ignores n and last.
"""
import argparse
import base64
import http.client
import http.server
import json
import secrets
import socketserver
import threading

parser = argparse.ArgumentParser()
parser.add_argument("--backend", required=True)  # host:port of the real registry
parser.add_argument("--user", required=True)
parser.add_argument("--password", required=True)
parser.add_argument("--port-file", required=True)
parser.add_argument("--log", required=True)
args = parser.parse_args()

tokens = {}  # token -> set of scopes
lock = threading.Lock()


def required_scope(path, method):
    # /v2/<name>/(manifests|blobs|tags|referrers)/...
    parts = path.split("?")[0].split("/")
    for marker in ("manifests", "blobs", "tags", "referrers"):
        if marker in parts:
            index = parts.index(marker)
            name = "/".join(parts[2:index])
            action = "pull" if method in ("GET", "HEAD") else "push"
            return f"repository:{name}:{action}", name
    return None, None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_token(self):
        from urllib.parse import urlparse, parse_qs
        query = parse_qs(urlparse(self.path).query)
        scopes = query.get("scope", [])
        expected = "Basic " + base64.b64encode(f"{args.user}:{args.password}".encode()).decode()
        ok = self.headers.get("Authorization") == expected
        with open(args.log, "a") as log:
            log.write(json.dumps({"scopes": scopes, "ok": ok}) + "\n")
        if not ok:
            return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}')
        granted = set()
        for scope in scopes:
            kind, name, actions = scope.split(":")
            for action in actions.split(","):
                granted.add(f"{kind}:{name}:{action}")
        token = secrets.token_hex(16)
        with lock:
            tokens[token] = granted
        self.reply(200, json.dumps({"token": token, "expires_in": 300}).encode(), [("Content-Type", "application/json")])

    def handle_any(self):
        if self.path.startswith("/token"):
            return self.do_token()
        scope, name = required_scope(self.path, self.command)
        auth = self.headers.get("Authorization", "")
        granted = set()
        if auth.startswith("Bearer "):
            with lock:
                granted = tokens.get(auth[7:], set())
        needed = scope or "registry:catalog:*"
        if scope is None and self.path.rstrip("/") == "/v2" and auth.startswith("Bearer ") and granted:
            needed = None
        if needed is not None and needed not in granted:
            host = self.server.server_address
            challenge = f'Bearer realm="http://127.0.0.1:{host[1]}/token",service="shrike-test"'
            if scope:
                challenge += f',scope="repository:{name}:pull' + (',push"' if scope.endswith("push") else '"')
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}',
                              [("WWW-Authenticate", challenge), ("Content-Type", "application/json")])
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        from urllib.parse import urlparse, parse_qs, urlencode
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if "/referrers/" in url.path:
            name, digest = url.path[len("/v2/"):].split("/referrers/")
            connection = http.client.HTTPConnection(args.backend, timeout=60)
            connection.request("GET", f"/v2/{name}/manifests/{digest.replace(':', '-')}",
                               headers={"Accept": "application/vnd.oci.image.index.v1+json"})
            response = connection.getresponse()
            found = json.loads(response.read()) if response.status == 200 else {"manifests": []}
            connection.close()
            manifests = found.get("manifests", [])
            headers = [("Content-Type", "application/vnd.oci.image.index.v1+json")]
            if "artifactType" in query:
                manifests = [m for m in manifests if m.get("artifactType") == query["artifactType"][0]]
                headers.append(("OCI-Filters-Applied", "artifactType"))
            index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests}
            return self.reply(200, json.dumps(index).encode(), headers)
        if url.path.endswith("/tags/list") and "n" in query:
            connection = http.client.HTTPConnection(args.backend, timeout=60)
            connection.request("GET", url.path)
            listing = json.loads(connection.getresponse().read())
            connection.close()
            tags = sorted(listing.get("tags") or [])
            last = query.get("last", [None])[0]
            if last is not None:
                tags = [t for t in tags if t > last]
            n = int(query["n"][0])
            page, more = tags[:n], len(tags) > n
            headers = [("Content-Type", "application/json")]
            if more:
                headers.append(("Link", f'<{url.path}?{urlencode({"n": n, "last": page[-1]})}>; rel="next"'))
            return self.reply(200, json.dumps({"name": listing.get("name"), "tags": page}).encode(), headers)
        connection = http.client.HTTPConnection(args.backend, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("authorization", "connection")}
        connection.request(self.command, self.path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        self.send_response(response.status)
        for k, v in response.getheaders():
            if k.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)) if self.command != "HEAD" else response.getheader("Content-Length", "0"))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        connection.close()

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


# Exit when the test that started us goes away: it holds our stdin open (a lifeline) and closes it to stop us.
# (Signals are no use here: a test runner's blocked SIGTERM is inherited by its children.)
def watch_lifeline():
    import sys
    sys.stdin.buffer.read()
    os._exit(0)


import os
threading.Thread(target=watch_lifeline, daemon=True).start()
server = Server(("127.0.0.1", 0), Handler)
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(args.port_file + ".tmp", args.port_file)
server.serve_forever()
