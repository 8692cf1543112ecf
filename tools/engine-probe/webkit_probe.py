#!/usr/bin/python3
"""Drive Debian's WebKitGTK (WebKit2 4.1 GObject API via python3-gi) under Xvfb.

The console is read two ways: (1) as Web Inspector shows it, over WebKitGTK's remote
inspector HTTP server (env WEBKIT_INSPECTOR_HTTP_SERVER, WebSocket, Target + Console domains),
which includes the "Failed to load resource" lines that only exist while an inspector is
attached; (2) from the setting enable-write-console-messages-to-stdout (the web process writes
to stderr; this script points fd 2 at a file and slices it per scenario). One new WebView per scenario, all sharing a persistent website data manager.
Usage: xvfb-run -a /usr/bin/python3 webkit_probe.py [ids...]
"""
import os
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request

INSPECTOR = "127.0.0.1:9226"
os.environ.setdefault("WEBKIT_INSPECTOR_HTTP_SERVER", INSPECTOR)
os.environ.setdefault("WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS", "1")
os.environ.setdefault("WEBKIT_FORCE_SANDBOX", "0")
os.environ.setdefault("WEBKIT_DISABLE_COMPOSITING_MODE", "1")

import gi  # noqa: E402
gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402

import websocket  # noqa: E402

import common  # noqa: E402

ERRLOG = "/tmp/engine-probe-webkit-stderr.log"


LINE_RE = re.compile(r"^(?:(.*):(\d+):(\d+): )?CONSOLE (\S+) (\S+) (.*)$")


def parse(raw):
    """WebKitGTK writes '[url:line:col: ]CONSOLE <SOURCE> <LEVEL> <message>' per message."""
    console = []
    for ln in raw.split("\n"):
        if not ln.strip():
            continue
        m = LINE_RE.match(ln)
        if m:
            c = {"source": m.group(4), "level": m.group(5), "text": m.group(6), "raw": ln}
            if m.group(1):
                c["url"], c["line"], c["column"] = m.group(1), int(m.group(2)), int(m.group(3))
            console.append(c)
        else:
            console.append({"source": None, "level": None, "text": ln, "raw": ln, "unparsed": True})
    return console


def main():
    ids = common.select(sys.argv[1:])
    # capture our stderr and the web/network processes' (they inherit fd 2)
    real_err = os.dup(2)
    fd = os.open(ERRLOG, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 2)
    log = open(ERRLOG, "rb")

    sys.stderr = os.fdopen(real_err, "w", buffering=1)

    def say(*a):
        os.write(real_err, (" ".join(str(x) for x in a) + "\n").encode())

    base = "/tmp/engine-probe-webkit"
    shutil.rmtree(base, ignore_errors=True)
    mgr = WebKit2.WebsiteDataManager(base_data_directory=base + "/data", base_cache_directory=base + "/cache")
    ctx = WebKit2.WebContext.new_with_website_data_manager(mgr)
    ctx.set_cache_model(WebKit2.CacheModel.DOCUMENT_VIEWER)
    pkg = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libwebkit2gtk-4.1-0"],
                         capture_output=True, text=True).stdout
    version = {"--version": "WebKitGTK %d.%d.%d (libwebkit2gtk-4.1-0 %s)" % (
        WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version(), pkg)}
    tag = "w%d" % (int(time.time()) % 100000)

    def spin(cond, timeout):
        end = time.time() + timeout
        while time.time() < end and not cond():
            while Gtk.events_pending():
                Gtk.main_iteration_do(False)
            time.sleep(0.01)

    class Inspector:
        """Client of WebKitGTK's remote inspector HTTP server (WEBKIT_INSPECTOR_HTTP_SERVER)."""

        def __init__(self):
            self.events = []
            self.n = 100
            self.ws = None
            page = {}
            threading.Thread(target=lambda: page.setdefault(
                "h", urllib.request.urlopen("http://%s/" % INSPECTOR, timeout=10).read().decode()),
                daemon=True).start()
            spin(lambda: "h" in page, 10)
            socks = re.findall(r"/socket/\d+/\d+/WebPage", page.get("h", ""))
            if not socks:
                raise RuntimeError("no inspectable target")
            sock = max(socks, key=lambda p: [int(x) for x in p.split("/")[2:4]])
            box = {}

            def conn():
                try:
                    box["ws"] = websocket.create_connection("ws://%s%s" % (INSPECTOR, sock), timeout=60,
                                                            suppress_origin=True)
                except Exception as e:  # pragma: no cover
                    box["err"] = e
            threading.Thread(target=conn, daemon=True).start()
            spin(lambda: box, 10)
            if "ws" not in box:
                raise RuntimeError("inspector connect failed: %r" % box.get("err"))
            self.ws = box["ws"]
            threading.Thread(target=self._reader, daemon=True).start()
            self.ws.send(json.dumps({"id": 1, "method": "Target.setPauseOnStart",
                                     "params": {"pauseOnStart": True}}))

        def send_t(self, tid, method, params=None):
            self.n += 1
            inner = json.dumps({"id": self.n, "method": method, "params": params or {}})
            self.ws.send(json.dumps({"id": self.n, "method": "Target.sendMessageToTarget",
                                     "params": {"targetId": tid, "message": inner}}))

        def _reader(self):
            while True:
                try:
                    m = json.loads(self.ws.recv())
                except Exception:
                    return
                m["_t"] = time.time()
                self.events.append(m)
                if m.get("method") == "Target.targetCreated":
                    ti = m["params"]["targetInfo"]
                    self.send_t(ti["targetId"], "Console.enable")
                    if ti.get("isPaused"):
                        self.ws.send(json.dumps({"id": 9999, "method": "Target.resume",
                                                 "params": {"targetId": ti["targetId"]}}))

        def console(self):
            out = []
            for m in list(self.events):
                if m.get("method") != "Target.dispatchMessageFromTarget":
                    continue
                inner = json.loads(m["params"]["message"])
                if inner.get("method") == "Console.messageAdded":
                    msg = inner["params"]["message"]
                    c = {"via": "inspector Console.messageAdded", "target": m["params"]["targetId"],
                         "source": msg.get("source"), "level": msg.get("level"), "type": msg.get("type"),
                         "text": msg.get("text"), "url": msg.get("url"), "line": msg.get("line"),
                         "column": msg.get("column")}
                    if msg.get("networkRequestId"):
                        c["networkRequestId"] = msg["networkRequestId"]
                    out.append(c)
            return out

        def close(self):
            done = []

            def _close():
                try:
                    self.ws.close(timeout=1)
                except Exception:
                    pass
                done.append(1)
            threading.Thread(target=_close, daemon=True).start()
            spin(lambda: done, 3)

    def run_one(key, url, wait, settle):
        settings = WebKit2.Settings()
        settings.set_property("enable-write-console-messages-to-stdout", True)
        settings.set_property("enable-developer-extras", True)
        view = WebKit2.WebView(web_context=ctx, settings=settings)
        win = Gtk.OffscreenWindow()
        win.add(view)
        win.show_all()
        view.load_uri("about:blank")
        spin(lambda: False, 0.3)
        insp = None
        err = None
        try:
            insp = Inspector()
            spin(lambda: False, 0.3)
        except Exception as e:
            err = repr(e)
        start = os.lseek(fd, 0, os.SEEK_CUR)
        view.load_uri(url)
        spin(wait_poll, 20)
        spin(lambda: False, settle)
        cons = insp.console() if insp else []
        if insp:
            insp.close()
        win.destroy()
        spin(lambda: False, 0.1)
        log.seek(start)
        raw = log.read().decode("utf-8", "replace")
        res = {"console": cons, "stdout_console": parse(raw), "stderr_raw": raw}
        if err:
            res["inspector_error"] = err
        return res

    def wait_poll():
        return common.server.wait_report(current["key"], 0) is not None

    current = {}
    orig_run_one = run_one

    def run_one_wrapped(key, url, wait, settle):
        current["key"] = key
        return orig_run_one(key, url, wait, settle)

    try:
        common.run_all("webkitgtk", version, run_one_wrapped, ids, tag)
    finally:
        os.dup2(real_err, 2)


if __name__ == "__main__":
    main()
