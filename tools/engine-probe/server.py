#!/usr/bin/env python3
"""Loopback test server for the engine probe.

Serves, on 127.0.0.1 only (and ::1 for the page port so that `localhost` resolves fast):
  PAGE  port 18000  -> page origin  http://localhost:18000
  A     port 18001  -> API origin   http://127.0.0.1:18001
  B     port 18002  -> API origin   http://127.0.0.1:18002
  C     port 18003  -> API origin   http://127.0.0.1:18003

URLs
  GET  /page/<key>        the scenario page (runs the request, reports back)
  POST /report/<key>      the page's report (JSON) of what the script saw
  ANY  /s/<key>/<hop>     scripted API response for scenario <key> = "<run>.<sid>"

Every request is recorded (port, method, path, raw header lines in order) per key.
Run standalone (`python3 server.py`) to poke at it by hand; the drivers import it.
"""
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

import scenarios as SC

PORTS = {"P": 18000, "A": 18001, "B": 18002, "C": 18003}
HOST = "127.0.0.1"

LOCK = threading.Lock()
LOG = {}       # key -> list of request records
REPORTS = {}   # key -> report dict posted by the page
EVENTS = {}    # key -> threading.Event set when the report arrives


def origins():
    return {
        "P": "http://localhost:%d" % PORTS["P"],
        "A": "http://127.0.0.1:%d" % PORTS["A"],
        "B": "http://127.0.0.1:%d" % PORTS["B"],
        "C": "http://127.0.0.1:%d" % PORTS["C"],
        "AP": "127.0.0.1:%d" % PORTS["A"],   # host:port only
        "BP": "127.0.0.1:%d" % PORTS["B"],
        "CP": "127.0.0.1:%d" % PORTS["C"],
        "DEAD": "http://127.0.0.1:%d" % 18009,  # nothing listens there
    }


def subst(text, key):
    d = dict(origins())
    d["K"] = "/s/" + key
    out = text
    for k, v in d.items():
        out = out.replace("{" + k + "}", v)
    return out


def event_for(key):
    with LOCK:
        return EVENTS.setdefault(key, threading.Event())


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "probe"

    def log_message(self, fmt, *args):  # quiet
        pass

    def __getattr__(self, name):
        # any method, including lowercase `patch`, goes to _any
        if name.startswith("do_"):
            return self._any
        raise AttributeError(name)

    def _record(self, key, body):
        rec = {
            "t": time.time(),
            "port": self.server.server_address[1],
            "method": self.command,
            "path": self.path,
            "request_line": self.requestline,
            "headers": [[k, v] for k, v in self.headers.items()],
        }
        if body:
            rec["body"] = body.decode("latin-1")
        with LOCK:
            LOG.setdefault(key, []).append(rec)

    def _send_raw(self, status, reason, lines, body=b""):
        head = "HTTP/1.1 %d %s\r\n" % (status, reason)
        for ln in lines:
            head += ln + "\r\n"
        head += "Content-Length: %d\r\n" % len(body)
        head += "Cache-Control: no-store\r\n"
        head += "Connection: close\r\n\r\n"
        self.wfile.write(head.encode("latin-1") + body)
        self.wfile.flush()
        self.close_connection = True

    def _any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        u = urlsplit(self.path)
        parts = u.path.split("/")
        # /page/<key>
        if len(parts) >= 3 and parts[1] == "page":
            key = parts[2]
            self._record(key, body)
            sid = key.split(".", 1)[1]
            html = SC.page_html(sid, key, subst).encode("utf-8")
            return self._send_raw(200, "OK", ["Content-Type: text/html; charset=utf-8"], html)
        if len(parts) >= 3 and parts[1] == "report":
            key = parts[2]
            try:
                rep = json.loads(body.decode("utf-8"))
            except Exception as e:  # pragma: no cover
                rep = {"bad_report": repr(e), "raw": body.decode("latin-1")}
            with LOCK:
                REPORTS[key] = rep
            event_for(key).set()
            return self._send_raw(204, "No Content", [])
        if len(parts) >= 4 and parts[1] == "s":
            key, hop = parts[2], parts[3]
            self._record(key, body)
            sid = key.split(".", 1)[1]
            spec = SC.ALL.get(sid, {}).get("resp", {})
            hopspec = spec.get(hop, {})
            if callable(hopspec):
                hopspec = hopspec(self.command, parse_qs(u.query))
            r = None
            if self.command == "OPTIONS":  # "OPTIONS:<ACRM>" answers a preflight by requested method
                r = hopspec.get("OPTIONS:" + (self.headers.get("Access-Control-Request-Method") or ""))
                # round 3: "OPTIONS~<ACRH>" answers a preflight by its requested headers
                r = r or hopspec.get("OPTIONS~" + (self.headers.get("Access-Control-Request-Headers") or ""))
            r = r or hopspec.get(self.command) or hopspec.get("*")
            if r is None:
                return self._send_raw(404, "Not Found", ["Content-Type: text/plain"], b"no script")
            status = r[0]
            lines = [subst(ln, key) for ln in r[1]]
            rbody = (r[2] if len(r) > 2 else "ok").encode("utf-8")
            reason = {200: "OK", 204: "No Content", 206: "Partial Content", 301: "Moved Permanently", 302: "Found",
                      307: "Temporary Redirect", 404: "Not Found", 500: "Internal Server Error",
                      405: "Method Not Allowed", 303: "See Other", 304: "Not Modified",
                      401: "Unauthorized"}.get(status, "Status")
            if status == 204:
                rbody = b""
            return self._send_raw(status, reason, lines, rbody)
        # favicon and anything else
        self._record("_other", body)
        return self._send_raw(404, "Not Found", ["Content-Type: text/plain"], b"")


class V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


class V4Server(ThreadingHTTPServer):
    daemon_threads = True


V6Server.daemon_threads = True
_SERVERS = []


def start():
    if _SERVERS:
        return
    for name, port in PORTS.items():
        s = V4Server((HOST, port), Handler)
        _SERVERS.append(s)
        threading.Thread(target=s.serve_forever, daemon=True).start()
        if name == "P":
            try:
                s6 = V6Server(("::1", port), Handler)
                _SERVERS.append(s6)
                threading.Thread(target=s6.serve_forever, daemon=True).start()
            except OSError:
                pass


def stop():
    for s in _SERVERS:
        s.shutdown()
        s.server_close()
    _SERVERS.clear()


def page_url(key):
    return origins()["P"] + "/page/" + key


def wait_report(key, timeout):
    ok = event_for(key).wait(timeout)
    with LOCK:
        return (REPORTS.get(key) if ok else None)


def requests_for(key):
    with LOCK:
        return list(LOG.get(key, []))


if __name__ == "__main__":
    start()
    print("serving", origins(), file=sys.stderr)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        stop()
