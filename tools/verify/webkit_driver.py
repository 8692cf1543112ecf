#!/usr/bin/python3
"""cors-harness verify driver for WebKitGTK (WebKit2 4.1 GObject API through python3-gi).

Speaks the JSON-lines protocol of tools/verify/PROTOCOL.md on stdin/stdout.

    /usr/bin/python3 tools/verify/webkit_driver.py --profile DIR [--binary PATH]

--binary is accepted for symmetry with the other drivers and ignored (WebKitGTK is a library).

How it works
- Without DISPLAY the driver starts its own Xvfb (-displayfd) and kills it at exit.
- Protocol lines go to a private duplicate of the original stdout. fd 1 and fd 2 point at
  DIR/webkit.log, so nothing WebKit, GTK or the web/network processes (which inherit fds)
  print can reach the protocol stream. The driver's own log goes to the original stderr.
- One persistent WebsiteDataManager under DIR (data/, cache/), one WebContext.
- The console is read as Safari's Web Inspector shows it: over WebKitGTK's remote inspector
  HTTP server (WEBKIT_INSPECTOR_HTTP_SERVER on a free loopback port), one WebSocket per
  WebView, Target domain (Target.setPauseOnStart, so a page target created by a process swap
  waits until Console.enable has been sent) + Console domain (+ Worker domain for dedicated
  workers, which wait for Worker.initialized). Only an attached inspector produces the
  "Failed to load resource: ..." lines. enable-write-console-messages-to-stdout is also on;
  those lines land in DIR/webkit.log and are used (with "via":"stdout") only when the
  inspector could not be attached, and then the run's error says so.
- Speed: the WebView for the next run is prepared ahead (created in an OffscreenWindow,
  about:blank loaded, inspector attached, Console enabled and acknowledged) while the current
  run settles. A run then costs: clear cookies (WebsiteDataManager.clear COOKIES), load, wait
  for document.title == "done", settle, close.
- Dialogs: script dialogs (alert/confirm/prompt/beforeunload) are dismissed (confirm -> false,
  prompt -> null) and their message recorded in "dialogs"; HTTP authentication requests are
  cancelled and recorded as "authenticate: <host> <realm>". Permission requests are denied,
  file/colour choosers cancelled.
- A crashed web process ("web-process-terminated") ends that run with an error; the next run
  gets a new WebView.

"seconds" = navigation start to document.title == "done" (or to the timeout, crash or load
failure), as in the other drivers; the driver log has each run's phase timings.
Console entries: level, source, text, url (when not empty), line/column (when not 0), via.
A message WebKit coalesces (Console.messageRepeatCountUpdated) is repeated as its own entry.
"""
import argparse
import json
import os
import queue
import re
import select
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver_protocol import die_with_parent, free_port, parse_command  # noqa: E402

PROTO_FD = None       # private dup of the original stdout: protocol lines only
ERR_FD = None         # private dup of the original stderr: driver log
XVFB = None
_emit_lock = threading.Lock()
PREPARE_BUDGET = 5.0     # s for a new WebView: about:blank loaded, inspector attached and armed
PREPARE_IN_SETTLE = 0.3  # s; with a shorter settle the next WebView is prepared after the reply
DEBUG = bool(os.environ.get("WEBKIT_DRIVER_DEBUG"))  # log every inspector message to stderr


def log(*a):
    line = "[webkit_driver %s] %s\n" % (time.strftime("%H:%M:%S"), " ".join(str(x) for x in a))
    try:
        os.write(ERR_FD if ERR_FD is not None else 2, line.encode("utf-8", "replace"))
    except OSError:
        pass


def emit(obj):
    data = (json.dumps(obj) + "\n").encode()
    with _emit_lock:
        while data:
            n = os.write(PROTO_FD, data)
            data = data[n:]


def fatal(message, code=2):
    log("fatal:", message)
    emit({"event": "fatal", "message": message})
    cleanup()
    os._exit(code)


def cleanup():
    global XVFB
    if XVFB is not None:
        p, XVFB = XVFB, None
        try:
            p.terminate()
            p.wait(3)
        except Exception:
            try:
                p.kill()
            except Exception:
                pass


def start_xvfb(logfd):
    """Start Xvfb on a free display; returns ':N'."""
    global XVFB
    exe = shutil.which("Xvfb")
    if not exe:
        fatal("Xvfb not found (DISPLAY is not set): apt-get install -y xvfb xauth")
    r, w = os.pipe()

    XVFB = subprocess.Popen([exe, "-displayfd", str(w), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                            stdin=subprocess.DEVNULL, stdout=logfd, stderr=logfd, pass_fds=(w,),
                            preexec_fn=die_with_parent)
    os.close(w)
    buf = b""
    end = time.monotonic() + 15
    while b"\n" not in buf and time.monotonic() < end:
        ready, _, _ = select.select([r], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            break
        chunk = os.read(r, 64)
        if not chunk:
            break
        buf += chunk
    os.close(r)
    if not buf.strip().isdigit():
        fatal("Xvfb did not start (see webkit.log in the profile directory)")
    return ":" + buf.strip().decode()


CONSOLE_LINE = re.compile(r"^(?:(.*):(\d+):(\d+): )?CONSOLE (\S+) (.*)$")
STDOUT_LEVELS = {"LOG": "log", "WARN": "warning", "ERROR": "error", "DEBUG": "debug", "INFO": "info"}
STDOUT_SOURCES = {"JS": "javascript", "CONTENTBLOCKER": "content-blocker", "PAYMENTREQUEST": "payment-request"}


def parse_stdout_console(raw):
    """Lines of enable-write-console-messages-to-stdout: '[url:line:col: ]CONSOLE [<SOURCE> ]<LEVEL> <text>'
    (console-api messages have no SOURCE)."""
    out = []
    for ln in raw.split("\n"):
        m = CONSOLE_LINE.match(ln)
        if not m:
            continue
        first, rest = m.group(4), m.group(5)
        if first in STDOUT_LEVELS:
            source, level, text = "console-api", STDOUT_LEVELS[first], rest
        else:
            lvl, _, text = rest.partition(" ")
            source, level = STDOUT_SOURCES.get(first, first.lower()), STDOUT_LEVELS.get(lvl, lvl.lower())
        c = {"level": level, "source": source, "text": text}
        if m.group(1):
            c["url"] = m.group(1)
            c["line"], c["column"] = int(m.group(2)), int(m.group(3))
        c["via"] = "stdout"
        out.append(c)
    return out


def preview_text(pv):
    """Web Inspector's one-line preview of an object or array: {x: 1, y: "s"} / [1, 2]."""
    def prop(p):
        if p.get("type") == "string":
            return json.dumps(p.get("value", ""), ensure_ascii=False)
        if p.get("valuePreview"):
            return preview_text(p["valuePreview"])
        if p.get("type") == "function":
            return "function"
        return str(p.get("value", p.get("type", "")))
    props = pv.get("properties") or []
    more = ", …" if pv.get("overflow") else ""
    if pv.get("subtype") == "array":
        return "[" + ", ".join(prop(p) for p in props) + more + "]"
    head = "" if pv.get("description") in (None, "Object") else pv["description"] + " "
    return head + "{" + ", ".join("%s: %s" % (p.get("name"), prop(p)) for p in props) + more + "}"


def remote_object_text(o):
    """How Web Inspector prints one console argument (primitives exactly, objects by preview)."""
    t = o.get("type")
    if t == "string":
        return o.get("value", "")
    if t == "undefined":
        return "undefined"
    if o.get("subtype") == "null":
        return "null"
    if t in ("number", "boolean", "bigint", "symbol"):
        if "description" in o:
            return o["description"]
        return json.dumps(o.get("value"))
    pv = o.get("preview")
    if pv and o.get("subtype") in (None, "array") and pv.get("properties") is not None:
        return preview_text(pv)
    return o.get("description") or o.get("className") or t or ""


FORMAT_RE = re.compile(r"%[sdifoOc%]")


def console_text(msg):
    """Text of a Console.messageAdded message. For console-api calls WebKit's `text` is the first
    argument only; Web Inspector shows them all (format specifiers applied, space-separated,
    objects as one-line previews), and so does this text."""
    params = msg.get("parameters") or []
    if msg.get("source") != "console-api" or not params or (len(params) == 1 and params[0].get("type") == "string"):
        return msg.get("text", "")
    first, rest = params[0], list(params[1:])
    if first.get("type") != "string":
        return " ".join(remote_object_text(p) for p in params)

    def sub(m):
        spec = m.group(0)
        if spec == "%%":
            return "%"
        if not rest:
            return spec
        p = rest.pop(0)
        if spec == "%c":
            return ""
        if spec in ("%d", "%i") and p.get("type") == "number":
            v = p.get("value")
            return str(int(v)) if isinstance(v, (int, float)) and v == v and abs(v) != float("inf") else "NaN"
        if spec == "%f" and p.get("type") == "number":
            return remote_object_text(p)
        return remote_object_text(p)

    head = FORMAT_RE.sub(sub, first.get("value", ""))
    return " ".join([head] + [remote_object_text(p) for p in rest])


class Inspector:
    """One WebSocket to the remote inspector for one WebView (a WebPage debuggable)."""

    def __init__(self, drv, page, sock_path, deadline):
        self.drv = drv
        self.page = page
        self.ws = None
        self.n = 1000
        self.lock = threading.Lock()
        self.acks = set()
        self.console_enabled = set()   # target ids whose Console.enable was acknowledged
        self.worker_enabled = set()    # target ids whose Worker.enable was acknowledged
        self.pending = {}              # inner id -> (target, what)
        self.last = {}                 # target or worker key -> last console entry
        self.closed = False
        self.alive = True              # False once the WebSocket reader stopped
        box = {}

        def conn():
            try:
                import websocket
                box["ws"] = websocket.create_connection("ws://%s%s" % (drv.inspector_addr, sock_path),
                                                        timeout=None, suppress_origin=True)
            except Exception as e:
                box["err"] = e
        threading.Thread(target=conn, daemon=True).start()
        drv.spin(lambda: box, max(0.5, deadline - time.monotonic()))
        if "ws" not in box:
            raise RuntimeError("inspector WebSocket connect failed: %r" % box.get("err", "timeout"))
        self.ws = box["ws"]
        threading.Thread(target=self._reader, daemon=True).start()
        self._send({"id": 1, "method": "Target.setPauseOnStart", "params": {"pauseOnStart": True}})

    def _send(self, obj):
        try:
            self.ws.send(json.dumps(obj))
        except Exception as e:
            if not self.closed:
                log("inspector send failed:", repr(e))

    def _next(self):
        with self.lock:
            self.n += 1
            return self.n

    def send_target(self, tid, method, params=None, what=None):
        i = self._next()
        if what:
            self.pending[i] = (tid, what)
        inner = json.dumps({"id": i, "method": method, "params": params or {}})
        self._send({"id": i, "method": "Target.sendMessageToTarget",
                    "params": {"targetId": tid, "message": inner}})

    def _reader(self):
        try:
            self._read_loop()
        finally:
            self.alive = False
            try:
                self.ws.shutdown()  # close the socket
            except Exception:
                pass

    def _read_loop(self):
        while True:
            try:
                raw = self.ws.recv()
            except Exception as e:
                if not self.closed:
                    log("inspector connection ended:", repr(e))
                return
            if not raw:
                if self.closed:
                    return
                continue
            if DEBUG:
                log("inspector <-", raw[:2000])
            try:
                self._handle(json.loads(raw))
            except Exception as e:  # never let one odd message stop the reader
                log("inspector message not understood:", repr(e), raw[:200])

    def _handle(self, m):
        meth = m.get("method")
        if meth is None:
            if "id" in m:
                self.acks.add(m["id"])
            return
        if meth == "Target.targetCreated":
            ti = m["params"]["targetInfo"]
            tid = ti["targetId"]
            if ti.get("type") in (None, "page", "frame"):
                self.send_target(tid, "Console.enable", what="console")
                self.send_target(tid, "Worker.enable", what="worker")
            else:
                self.send_target(tid, "Console.enable", what="console")
            if ti.get("isPaused"):
                self._send({"id": self._next(), "method": "Target.resume", "params": {"targetId": tid}})
            return
        if meth != "Target.dispatchMessageFromTarget":
            return
        tid = m["params"]["targetId"]
        inner = json.loads(m["params"]["message"])
        self._inner(tid, inner)

    def _inner(self, key, inner, worker=None):
        meth = inner.get("method")
        if meth is None:
            p = self.pending.pop(inner.get("id"), None) if worker is None else None
            if p and "error" not in inner:
                (self.console_enabled if p[1] == "console" else self.worker_enabled).add(p[0])
            elif "error" in inner and inner.get("id") is not None:
                log("inspector error from %s: %s" % (key, json.dumps(inner)[:300]))
            return
        if meth == "Console.messageAdded":
            msg = inner["params"]["message"]
            c = {"level": msg.get("level"), "source": msg.get("source"), "text": console_text(msg)}
            if msg.get("url"):
                c["url"] = msg["url"]
            if msg.get("line"):
                c["line"] = msg["line"]
                if msg.get("column"):
                    c["column"] = msg["column"]
            if worker is not None:
                c["worker"] = worker
            c["via"] = "inspector"
            self.last[key] = c
            self.page.console.append(c)
        elif meth == "Console.messageRepeatCountUpdated":
            last = self.last.get(key)
            if last is not None:
                self.page.console.append(dict(last))
        elif meth == "Worker.workerCreated" and worker is None:
            wid = inner["params"]["workerId"]
            for msg in ({"id": self._next(), "method": "Console.enable", "params": {}},):
                self.send_target(key, "Worker.sendMessageToWorker",
                                 {"workerId": wid, "message": json.dumps(msg)})
            self.send_target(key, "Worker.initialized", {"workerId": wid})
        elif meth == "Worker.dispatchMessageFromWorker" and worker is None:
            wid = inner["params"]["workerId"]
            self._inner("%s/%s" % (key, wid), json.loads(inner["params"]["message"]), worker=wid)

    def ready(self):
        """Target.setPauseOnStart, Console.enable and Worker.enable acknowledged for the page."""
        return 1 in self.acks and bool(self.console_enabled & self.worker_enabled)

    def close(self):
        """Drop the connection without a close handshake: the server end runs on our main loop,
        and websocket-client's close() would wait for the reader thread's lock."""
        self.closed = True
        ws = self.ws
        if ws is None:
            return
        try:
            ws.abort()      # shutdown(SHUT_RDWR): the reader's recv() returns, the reader ends
        except Exception:
            pass


class Page:
    """A WebView in an OffscreenWindow, about:blank loaded, inspector attached and armed."""

    def __init__(self, drv):
        W = drv.W
        self.drv = drv
        self.console = []
        self.dialogs = []
        self.crashed = None
        self.load_error = None
        self.blank_done = False
        self.nav_started = False
        self.insp = None
        self.insp_error = None
        self.win = None
        s = W.Settings()
        s.set_property("enable-developer-extras", True)
        s.set_property("enable-write-console-messages-to-stdout", True)
        self.view = W.WebView(web_context=drv.ctx, settings=s)
        v = self.view
        v.connect("web-process-terminated", self._on_terminated)
        v.connect("script-dialog", self._on_dialog)
        v.connect("authenticate", self._on_auth)
        v.connect("permission-request", self._on_permission)
        v.connect("run-file-chooser", self._on_file_chooser)
        v.connect("run-color-chooser", self._on_color_chooser)
        v.connect("show-notification", lambda *a: True)
        v.connect("load-changed", self._on_load_changed)
        v.connect("load-failed", self._on_load_failed)
        self.win = drv.Gtk.OffscreenWindow()
        self.win.add(v)
        self.win.show_all()
        t0 = time.monotonic()
        deadline = t0 + PREPARE_BUDGET
        v.load_uri("about:blank")
        drv.spin(lambda: self.blank_done or self.crashed, deadline - time.monotonic())
        if not self.blank_done:
            self.close()
            raise RuntimeError("about:blank did not load (%s)" % (self.crashed or "timeout"))
        try:
            sock = drv.new_inspector_socket(deadline)
            self.insp = Inspector(drv, self, sock, deadline)
            drv.spin(lambda: self.insp.ready() or self.crashed, deadline - time.monotonic())
            if not self.insp.ready():
                raise RuntimeError("inspector did not acknowledge Target.setPauseOnStart/Console.enable/Worker.enable")
        except Exception as e:
            self.insp_error = str(e)
            log("inspector attach failed:", e)
            if self.insp:
                self.insp.close()
                self.insp = None
        self.console = []   # nothing from about:blank belongs to a run
        log("page prepared in %.3f s (inspector %s)" % (time.monotonic() - t0, "ok" if self.insp else "FAILED"))

    # -- signals
    def _on_terminated(self, view, reason):
        name = getattr(reason, "value_nick", None) or str(reason)
        self.crashed = "web process terminated: %s" % name
        log(self.crashed)

    def _on_dialog(self, view, dialog):
        W = self.drv.W
        t = dialog.get_dialog_type()
        self.dialogs.append(dialog.get_message())
        if t in (W.ScriptDialogType.CONFIRM, W.ScriptDialogType.BEFORE_UNLOAD_CONFIRM):
            dialog.confirm_set_confirmed(False)
        elif t == W.ScriptDialogType.PROMPT:
            pass  # no prompt_set_text: the page gets null, as for a cancelled prompt
        return True

    def _on_auth(self, view, request):
        self.dialogs.append("authenticate: %s %s" % (request.get_host(), request.get_realm()))
        request.cancel()
        return True

    def _on_permission(self, view, request):
        request.deny()
        return True

    def _on_file_chooser(self, view, request):
        request.cancel()
        return True

    def _on_color_chooser(self, view, request):
        request.cancel()
        return True

    def _on_load_changed(self, view, event):
        if event == self.drv.W.LoadEvent.FINISHED and not self.nav_started:
            self.blank_done = True

    def _on_load_failed(self, view, event, uri, error):
        if not self.nav_started:
            return False
        W = self.drv.W
        benign = (error.matches(W.NetworkError.quark(), W.NetworkError.CANCELLED) or
                  error.matches(W.PolicyError.quark(), W.PolicyError.FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE))
        if not benign:
            self.load_error = "load failed: %s: %s" % (uri, error.message)
            log(self.load_error)
        return False

    def close(self):
        if self.insp:
            self.insp.close()
        if self.win is not None:
            self.win.destroy()
            self.win = None
        self.view = None


class Driver:
    def __init__(self, profile, Gtk, GLib, W, inspector_addr, logpath, logfd):
        self.Gtk, self.GLib, self.W = Gtk, GLib, W
        self.inspector_addr = inspector_addr
        self.logpath, self.logfd = logpath, logfd
        self.used_sockets = set()
        self.next_page = None
        self.mctx = GLib.MainContext.default()
        self.mgr = W.WebsiteDataManager(base_data_directory=os.path.join(profile, "data"),
                                        base_cache_directory=os.path.join(profile, "cache"))
        self.mgr.set_tls_errors_policy(W.TLSErrorsPolicy.IGNORE)
        self.ctx = W.WebContext.new_with_website_data_manager(self.mgr)
        # A browser's HTTP cache, as Safari has (the HTTP-cache cases depend on it).
        self.ctx.set_cache_model(W.CacheModel.WEB_BROWSER)
        # cookies in DIR/cookies.sqlite, like a normal (non-private) browser profile
        self.ctx.get_cookie_manager().set_persistent_storage(os.path.join(profile, "cookies.sqlite"),
                                                             W.CookiePersistentStorage.SQLITE)
        self.infra_failures = 0       # consecutive runs without a working WebView + inspector
        self.phases = None            # per-run timings for the log

    # -- main loop
    def spin(self, cond, timeout):
        """Run the GLib main loop until cond() or timeout seconds (a 5 ms tick wakes it)."""
        end = time.monotonic() + timeout
        tick = self.GLib.timeout_add(5, lambda: True)
        try:
            while not cond() and time.monotonic() < end:
                self.mctx.iteration(True)
        finally:
            self.GLib.source_remove(tick)
        return cond()

    def in_thread(self, fn, timeout):
        box = {}

        def f():
            try:
                box["r"] = fn()
            except Exception as e:
                box["e"] = e
        threading.Thread(target=f, daemon=True).start()
        self.spin(lambda: box, timeout)
        if "e" in box:
            raise box["e"]
        if "r" not in box:
            raise TimeoutError("timed out")
        return box["r"]

    def listing(self):
        import urllib.request
        return self.in_thread(lambda: urllib.request.urlopen(
            "http://%s/" % self.inspector_addr, timeout=3).read().decode("utf-8", "replace"), 4)

    def new_inspector_socket(self, deadline):
        """The /socket/<conn>/<target>/WebPage path of the WebView just created (newest unused)."""
        last = None
        while True:
            try:
                socks = re.findall(r"/socket/\d+/\d+/WebPage", self.listing())
                fresh = [p for p in socks if p not in self.used_sockets]
                if fresh:
                    sock = max(fresh, key=lambda p: [int(x) for x in p.split("/")[2:4]])
                    self.used_sockets.add(sock)
                    return sock
            except Exception as e:
                last = e
            if time.monotonic() + 0.5 > deadline:
                raise RuntimeError("no new inspectable WebPage in the remote inspector listing (%r)" % (last,))
            self.spin(lambda: False, 0.01)

    # -- pages
    def prepare(self):
        if self.next_page is None:
            try:
                self.next_page = Page(self)
            except Exception as e:
                log("prepare failed:", repr(e))
                self.next_page = None

    def take_page(self):
        p = self.next_page
        self.next_page = None
        if p is not None and (p.crashed or p.insp is None or not p.insp.alive):
            p.close()
            p = None
        if p is None:
            p = Page(self)
        return p

    def clear_cookies(self):
        box = {}

        def done(mgr, res):
            try:
                box["ok"] = mgr.clear_finish(res)
            except Exception as e:
                box["err"] = e
        self.mgr.clear(self.W.WebsiteDataTypes.COOKIES, 0, None, done)
        self.spin(lambda: box, 3)
        if "err" in box:
            raise RuntimeError("clearing cookies failed: %s" % box["err"])
        if not box:
            raise RuntimeError("clearing cookies timed out")

    def run(self, cmd):
        t0 = time.monotonic()
        res = {"event": "result", "id": cmd.get("id"), "done": False, "seconds": 0.0,
               "console": [], "dialogs": [], "error": None}
        page = None
        try:
            url = cmd.get("url")
            if not isinstance(url, str) or not url:
                raise ValueError("run needs a url")
            timeout = float(cmd.get("timeout", 60))
            settle = float(cmd.get("settle", 0.4))
            self.clear_cookies()
            self.phases = {"cookies": time.monotonic() - t0}
            try:
                page = self.take_page()
            except Exception:
                self.infra_failures += 1
                raise
            self.phases["page"] = time.monotonic() - t0
            errors = []
            if page.insp is None:
                self.infra_failures += 1
                errors.append("inspector not attached (%s); console from enable-write-console-messages-to-stdout, "
                              "without the 'Failed to load resource' lines" % page.insp_error)
            else:
                self.infra_failures = 0
            log_start = os.lseek(self.logfd, 0, os.SEEK_END)
            page.nav_started = True
            t_nav = time.monotonic()
            page.view.load_uri(url)
            self.spin(lambda: page.view.get_title() == "done" or page.crashed or page.load_error, timeout)
            res["done"] = page.view.get_title() == "done"
            res["seconds"] = round(time.monotonic() - t_nav, 3)
            self.phases["done"] = time.monotonic() - t0
            if not page.crashed:
                end = time.monotonic() + settle
                if settle >= PREPARE_IN_SETTLE:
                    self.prepare()  # the next run's WebView, while this one settles
                self.spin(lambda: page.crashed, max(0.0, end - time.monotonic()))
            if page.crashed:
                errors.insert(0, page.crashed)
            elif page.load_error and not res["done"]:
                errors.insert(0, page.load_error)
            elif not res["done"]:
                errors.append("timeout: document.title is %r after %s s" % (page.view.get_title(), timeout))
            self.phases["settled"] = time.monotonic() - t0
            if page.insp is not None:
                res["console"] = list(page.console)
            else:
                with open(self.logpath, "rb") as f:
                    f.seek(log_start)
                    res["console"] = parse_stdout_console(f.read().decode("utf-8", "replace"))
            res["dialogs"] = list(page.dialogs)
            if errors:
                res["error"] = "; ".join(errors)
        except Exception as e:
            log("run failed:", repr(e))
            res["error"] = "%s: %s" % (type(e).__name__, e)
        finally:
            if page is not None:
                page.close()
                if self.phases:
                    self.phases["closed"] = time.monotonic() - t0
        if self.phases:
            log("run %s phases: %s" % (res["id"], " ".join("%s=%.3f" % kv for kv in self.phases.items())))
            self.phases = None
        return res


def main():
    global PROTO_FD, ERR_FD
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", required=True)
    ap.add_argument("--binary")
    args = ap.parse_args()

    # protocol and log streams first: nothing may write on the protocol stream but emit()
    PROTO_FD = os.dup(1)
    ERR_FD = os.dup(2)
    profile = os.path.abspath(args.profile)
    if profile in ("/", os.path.expanduser("~")):
        fatal("refusing to use %s as the profile directory" % profile)
    shutil.rmtree(profile, ignore_errors=True)
    os.makedirs(profile, exist_ok=True)
    logpath = os.path.join(profile, "webkit.log")
    logfd = os.open(logpath, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
    os.dup2(logfd, 1)
    os.dup2(logfd, 2)
    sys.stdout = open(os.dup(logfd), "w", buffering=1)
    sys.stderr = open(os.dup(ERR_FD), "w", buffering=1)

    def on_term(signum, frame):
        # no exception here: raised inside a GLib callback, PyGObject would PyErr_Print a SystemExit,
        # which finalizes the interpreter under our daemon threads (abort)
        log("signal %d: exiting" % signum)
        cleanup()
        os._exit(0)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)

    if not os.environ.get("DISPLAY"):
        os.environ["DISPLAY"] = start_xvfb(logfd)
        os.environ.pop("WAYLAND_DISPLAY", None)
        os.environ["GDK_BACKEND"] = "x11"
        log("started Xvfb on", os.environ["DISPLAY"], "pid", XVFB.pid)
    port = free_port()
    inspector_addr = "127.0.0.1:%d" % port
    os.environ["WEBKIT_INSPECTOR_HTTP_SERVER"] = inspector_addr
    os.environ.setdefault("WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS", "1")
    os.environ.setdefault("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
    os.environ.setdefault("NO_AT_BRIDGE", "1")

    try:
        import gi
        gi.require_version("Gtk", "3.0")
        gi.require_version("WebKit2", "4.1")
        from gi.repository import GLib, Gtk, WebKit2
    except (ImportError, ValueError) as e:
        fatal("WebKitGTK not found (%s): apt-get install -y gir1.2-webkit2-4.1 python3-gi" % e)
    try:
        import websocket  # noqa: F401
    except ImportError:
        fatal("python websocket client not found: apt-get install -y python3-websocket")
    ok, _ = Gtk.init_check(None)
    if not ok:
        fatal("GTK cannot open display %s" % os.environ.get("DISPLAY"))

    try:
        pkg = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libwebkit2gtk-4.1-0"],
                             capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:
        pkg = "?"
    version = "WebKitGTK %d.%d.%d (libwebkit2gtk-4.1-0 %s)" % (
        WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version(), pkg)

    drv = Driver(profile, Gtk, GLib, WebKit2, inspector_addr, logpath, logfd)
    try:
        drv.next_page = Page(drv)
    except Exception as e:
        fatal("WebKitGTK could not open a page: %s" % e)
    if drv.next_page.insp is None:
        fatal("WebKitGTK remote inspector unavailable on %s: %s" % (inspector_addr, drv.next_page.insp_error))
    ua = drv.next_page.view.get_settings().get_user_agent()
    emit({"event": "ready", "engine": "webkit", "version": version, "userAgent": ua})
    log("ready:", version, "inspector", inspector_addr)

    cmds = queue.Queue()

    def stdin_reader():
        for line in sys.stdin.buffer:
            if line.strip():
                cmds.put(line)
        cmds.put(None)
    threading.Thread(target=stdin_reader, daemon=True).start()

    code = 0
    try:
        while True:
            if cmds.empty():
                drv.prepare()  # e.g. after a crash: the next run's WebView, while idle
            drv.spin(lambda: not cmds.empty(), 3600)
            if cmds.empty():
                continue
            line = cmds.get()
            if line is None:
                break
            kind, cmd = parse_command(line)
            if kind == "quit":
                break
            if kind == "error":
                emit(cmd)
                continue
            res = drv.run(cmd)
            if drv.infra_failures >= 2:
                res["error"] = "browser died: no WebView with an attached inspector twice in a row (%s)" % res.get("error")
                emit(res)
                code = 3
                break
            emit(res)
            log("run %s: done=%s %.3fs console=%d dialogs=%d error=%s" % (
                res["id"], res["done"], res["seconds"], len(res["console"]), len(res["dialogs"]), res["error"]))
    except SystemExit:
        pass
    finally:
        try:
            if drv.next_page is not None:
                drv.next_page.close()
        except Exception:
            pass
        cleanup()
    sys.stdout.flush()
    os._exit(code)


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except BaseException as e:  # last resort: say so on the protocol stream
        if PROTO_FD is not None:
            try:
                log("crashed:", repr(e))
                emit({"event": "fatal", "message": "webkit driver crashed: %r" % e})
            except Exception:
                pass
        cleanup()
        os._exit(2)
