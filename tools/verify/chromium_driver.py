#!/usr/bin/python3
"""cors-harness verify driver for headless Chromium (see PROTOCOL.md next to this file).

Usage: /usr/bin/python3 tools/verify/chromium_driver.py --profile DIR [--binary PATH]

Speaks JSON lines on stdin/stdout; logs to stderr. Talks to the browser over the DevTools
Protocol on one browser-level websocket with flattened sessions:

- the browser is started with --remote-debugging-port=0; the port is read from
  DIR/DevToolsActivePort; its own stdout/stderr go to DIR/chromium.log;
- per run: Storage.clearCookies (every cookie of the browser), Target.createTarget(about:blank),
  Target.attachToTarget(flatten), Network.clearBrowserCache (HTTP cache and, as tested with
  Chromium 156, the CORS preflight cache: without it a preflight cached by one case is silently
  reused by the next; CHROMIUM_DRIVER_KEEP_CACHE=1 skips it), Log/Runtime/Page.enable,
  Target.setAutoAttach(waitForDebuggerOnStart, flatten) so that out-of-process iframes
  (cross-site and sandboxed/null-origin frames) and workers are attached too; every attached
  child gets Log/Runtime/Page.enable + its own setAutoAttach and is then resumed with
  Runtime.runIfWaitingForDebugger;
- console = Log.entryAdded ("via":"log"), Runtime.consoleAPICalled ("via":"console-api"),
  Runtime.exceptionThrown ("via":"exception") from the page and all of its attached children,
  in arrival order (one websocket, so arrival order is the order the browser sent them);
- JavaScript dialogs are dismissed (Page.handleJavaScriptDialog accept:false) and their message
  recorded in "dialogs";
- done = document.title == "done" on the top-level page, polled every 50 ms; then `settle`
  seconds more; then Target.closeTarget. "seconds" = navigation start to done (or timeout).

Console entries: {"level","source","text","url"(if any),"via","target"} where "via" is "log",
"console-api" or "exception" and "target" the type of the DevTools target that delivered it
("page", "iframe", "worker", ...). console-api entries also carry "type" (console method), and
their level is mapped the way DevTools files them (log/info -> info, warning, error/assert ->
error, debug -> verbose). Nothing is dropped. Note: Chromium reports a dedicated worker's
messages twice, once from the worker target and once as a page-target Log entry with
source "worker" (DevTools hides the latter while the worker is attached).

HTTP auth: a 401 with WWW-Authenticate can make headless Chromium wait on an invisible login
prompt. Intercepting requests (Fetch.enable with handleAuthRequests, CancelAuth) avoids that, but
interception changes what is sent: an intercepted redirect loses the Origin header Chromium
otherwise adds on a cross-origin hop after a same-origin one (seen with cors-harness verify,
case wpt-r3-same-origin-hop-keeps-page-origin). So it is on only for a run whose command says
`"handleAuth": true` (verify sets it for cases that answer 401 with WWW-Authenticate); the page then
gets the 401, as when a user cancels the prompt (round 3 s112: Chromium returned the 401 without a
prompt). CHROMIUM_DRIVER_FETCH=browser turns the interception on for every run.

CHROMIUM_DRIVER_TRACE=1 logs every CDP event to stderr.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver_protocol import die_with_parent, run_commands  # noqa: E402

try:
    import websocket  # python3-websocket (Debian) / websocket-client
except ImportError:  # reported as fatal in main()
    websocket = None

ENGINE = "chromium"
POLL = 0.05          # title poll interval (s)
CALL_TIMEOUT = 10.0  # default per-CDP-call timeout (s)
TRACE = bool(os.environ.get("CHROMIUM_DRIVER_TRACE"))


def log(*a):
    try:
        print("[chromium_driver %.3f]" % time.time(), *a, file=sys.stderr, flush=True)
    except Exception:
        pass


_out_lock = threading.Lock()


def emit(obj):
    with _out_lock:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        sys.stdout.flush()


class BrowserDied(Exception):
    pass


class CDPTimeout(Exception):
    pass


class CDPError(Exception):
    pass


class CDP:
    """One browser-level DevTools websocket; flattened sessions via "sessionId"."""

    def __init__(self, ws_url, on_event):
        self.ws = websocket.create_connection(ws_url, suppress_origin=True, timeout=15,
                                              enable_multithread=True)
        self.ws.settimeout(None)
        self.on_event = on_event
        self.send_lock = threading.Lock()
        self.cv = threading.Condition()
        self.next_id = 0
        self.waiting = set()
        self.results = {}
        self.closed = None
        self.thread = threading.Thread(target=self._reader, name="cdp-reader", daemon=True)
        self.thread.start()

    def _reader(self):
        reason = "websocket closed"
        while True:
            try:
                raw = self.ws.recv()
            except Exception as e:  # closed / reset: the browser went away
                reason = "websocket: %s" % (e or type(e).__name__)
                break
            if not raw:
                reason = "websocket closed"
                break
            try:
                msg = json.loads(raw)
            except ValueError:
                log("unparseable CDP message:", raw[:200])
                continue
            if "id" in msg:
                with self.cv:
                    if msg["id"] in self.waiting:
                        self.waiting.discard(msg["id"])
                        self.results[msg["id"]] = msg
                        self.cv.notify_all()
                        continue
                if "error" in msg:
                    log("fire-and-forget call %s failed: %s" % (msg["id"], msg["error"]))
                continue
            try:
                self.on_event(msg)
            except Exception as e:  # never let a handler bug kill the reader
                log("event handler error:", repr(e))
        with self.cv:
            self.closed = reason
            self.cv.notify_all()

    def _send(self, method, params, session, track):
        if self.closed:
            raise BrowserDied(self.closed)
        with self.send_lock:
            self.next_id += 1
            i = self.next_id
            if track:
                with self.cv:
                    self.waiting.add(i)
            msg = {"id": i, "method": method, "params": params or {}}
            if session:
                msg["sessionId"] = session
            try:
                self.ws.send(json.dumps(msg))
            except Exception as e:
                with self.cv:
                    self.waiting.discard(i)
                raise BrowserDied("websocket send failed: %s" % (e or type(e).__name__))
        return i

    def send(self, method, params=None, session=None):
        """Fire and forget (safe to use from the reader thread)."""
        try:
            return self._send(method, params, session, False)
        except BrowserDied as e:
            log("send %s failed: %s" % (method, e))
            return None

    def wake(self):
        with self.cv:
            self.cv.notify_all()

    def call(self, method, params=None, session=None, timeout=CALL_TIMEOUT, abort=None):
        i = self._send(method, params, session, True)
        deadline = time.monotonic() + max(0.05, timeout)
        with self.cv:
            while i not in self.results:
                if self.closed:
                    raise BrowserDied(self.closed)
                if abort is not None and abort():
                    self.waiting.discard(i)
                    raise CDPError("%s abandoned: %s" % (method, abort()))
                left = deadline - time.monotonic()
                if left <= 0:
                    self.waiting.discard(i)
                    raise CDPTimeout("%s timed out after %.1fs" % (method, timeout))
                self.cv.wait(left)
            msg = self.results.pop(i)
        if "error" in msg:
            raise CDPError("%s: %s" % (method, msg["error"].get("message", msg["error"])))
        return msg.get("result", {})

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass


def _arg_text(a):
    t = a.get("type")
    if t == "string":
        return a.get("value", "")
    if "unserializableValue" in a:
        return a["unserializableValue"]
    if t == "undefined":
        return "undefined"
    if a.get("subtype") == "null":
        return "null"
    if "description" in a:
        return a["description"]
    if "value" in a:
        return json.dumps(a["value"])
    return t or ""


_API_LEVEL = {"warning": "warning", "error": "error", "assert": "error", "debug": "verbose"}


class Run:
    def __init__(self, rid):
        self.id = rid
        self.sessions = {}        # sessionId -> target type: the page + every attached descendant
        self.page_session = None
        self.target_id = None
        self.console = []
        self.dialogs = []
        self.crashed = None
        self.targets = []
        self.auth = []
        self.intercepting = False


class Driver:
    def __init__(self, profile, binary):
        self.profile = os.path.abspath(profile)
        self.binary = binary
        self.proc = None
        self.cdp = None
        self.run = None
        self.version = None
        self.user_agent = None
        self.auto_attach = {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True}

    # ---- browser life cycle ------------------------------------------------------------
    def start(self):
        if websocket is None:
            raise RuntimeError("python websocket module missing: apt-get install -y python3-websocket")
        exe = shutil.which(self.binary)
        if not exe:
            raise RuntimeError("%s not found: apt-get install -y chromium" % self.binary)
        try:
            vr = subprocess.run([exe, "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, timeout=30, text=True)
            self.version = vr.stdout.strip()
        except Exception as e:
            raise RuntimeError("%s --version failed: %s" % (exe, e))
        if not self.version:
            raise RuntimeError("%s --version printed nothing (exit %s)" % (exe, vr.returncode))

        shutil.rmtree(self.profile, ignore_errors=True)
        os.makedirs(self.profile, exist_ok=True)
        args = [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--user-data-dir=" + self.profile,
                "--remote-debugging-port=0", "--remote-allow-origins=*",
                # keep timers of the (never visible) tabs running at full speed
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--mute-audio", "--password-store=basic",
                "about:blank"]
        logf = open(os.path.join(self.profile, "chromium.log"), "wb")
        log("starting:", " ".join(args))
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
                                     start_new_session=True, preexec_fn=die_with_parent)
        logf.close()
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + 30
        ws_url = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("chromium exited during start-up (code %s), see %s" %
                                   (self.proc.returncode, os.path.join(self.profile, "chromium.log")))
            try:
                with open(port_file) as f:
                    lines = f.read().split("\n")
                if len(lines) >= 2 and lines[0].strip() and lines[1].strip():
                    ws_url = "ws://127.0.0.1:%s%s" % (lines[0].strip(), lines[1].strip())
                    break
            except OSError:
                pass
            time.sleep(0.05)
        if not ws_url:
            raise RuntimeError("chromium did not write %s within 30 s" % port_file)
        log("devtools:", ws_url)
        self.cdp = CDP(ws_url, self.on_event)
        self.fetch_mode = os.environ.get("CHROMIUM_DRIVER_FETCH", "none")
        if self.fetch_mode == "browser":
            try:
                self.cdp.call("Fetch.enable", {"handleAuthRequests": True,
                                               "patterns": [{"urlPattern": "*"}]}, timeout=15)
            except CDPError as e:  # keep going: only pages hitting HTTP auth would hang
                log("Fetch.enable failed, HTTP auth prompts will not be cancelled:", e)
        v = self.cdp.call("Browser.getVersion", timeout=15)
        self.user_agent = v.get("userAgent", "")
        log("browser:", v.get("product"), "protocol", v.get("protocolVersion"))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None and self.cdp is not None \
            and not self.cdp.closed

    def death_reason(self):
        if self.proc is not None and self.proc.poll() is not None:
            return "chromium exited with code %s" % self.proc.returncode
        if self.cdp is not None and self.cdp.closed:
            return "devtools connection lost (%s)" % self.cdp.closed
        return "chromium unresponsive"

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None and self.cdp is not None and not self.cdp.closed:
            try:
                self.cdp.call("Browser.close", timeout=3)
            except Exception:
                pass
            try:
                self.proc.wait(3)
            except Exception:
                pass
        if self.cdp is not None:
            self.cdp.close()
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 3), (signal.SIGKILL, 3)):
                try:
                    os.killpg(self.proc.pid, sig)  # our own process group (start_new_session)
                except Exception:
                    pass
                try:
                    self.proc.wait(wait)
                    break
                except Exception:
                    pass
        else:
            try:  # leftover helpers (renderers, zygote) of the group we started
                os.killpg(self.proc.pid, signal.SIGKILL)
            except Exception:
                pass

    # ---- CDP events (reader thread; must not block: only fire-and-forget sends) ----------
    def on_event(self, msg):
        if TRACE:
            log("event", msg.get("sessionId"), msg.get("method"), json.dumps(msg.get("params"))[:300])
        method = msg.get("method")
        if method == "Fetch.requestPaused":
            self.cdp.send("Fetch.continueRequest", {"requestId": msg["params"]["requestId"]},
                          session=msg.get("sessionId"))
            return
        if method == "Fetch.authRequired":
            p = msg["params"]
            run = self.run
            if run is not None:
                run.auth.append(p.get("request", {}).get("url"))
            self.cdp.send("Fetch.continueWithAuth", {"requestId": p["requestId"],
                          "authChallengeResponse": {"response": "CancelAuth"}},
                          session=msg.get("sessionId"))
            return
        run = self.run
        if run is None:
            return
        sid = msg.get("sessionId")
        if sid is None or sid not in run.sessions:
            return
        p = msg.get("params") or {}
        if method == "Log.entryAdded":
            e = p.get("entry") or {}
            item = {"level": e.get("level"), "source": e.get("source"), "text": e.get("text", ""),
                    "via": "log", "target": run.sessions.get(sid)}
            if e.get("url"):
                item["url"] = e["url"]
            run.console.append(item)
        elif method == "Runtime.consoleAPICalled":
            t = p.get("type", "log")
            item = {"level": _API_LEVEL.get(t, "info"), "source": "console-api",
                    "text": " ".join(_arg_text(a) for a in p.get("args", [])),
                    "via": "console-api", "type": t, "target": run.sessions.get(sid)}
            frames = (p.get("stackTrace") or {}).get("callFrames") or []
            if frames and frames[0].get("url"):
                item["url"] = frames[0]["url"]
            run.console.append(item)
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails") or {}
            ex = d.get("exception") or {}
            text = ex.get("description")
            if text is None:
                text = d.get("text", "")
                if "value" in ex or "unserializableValue" in ex:
                    text = "%s %s" % (text, _arg_text(ex))
            item = {"level": "error", "source": "javascript", "text": text, "via": "exception",
                    "target": run.sessions.get(sid)}
            if d.get("url"):
                item["url"] = d["url"]
            run.console.append(item)
        elif method == "Target.attachedToTarget":
            child = p.get("sessionId")
            info = p.get("targetInfo") or {}
            if not child:
                return
            ttype = info.get("type")
            run.sessions[child] = ttype
            run.targets.append(ttype)
            if ttype in ("iframe", "page"):
                for m in ("Runtime.enable", "Log.enable", "Page.enable"):
                    self.cdp.send(m, session=child)
                self.cdp.send("Target.setAutoAttach", self.auto_attach, session=child)
            elif ttype in ("worker", "shared_worker", "service_worker", "worklet",
                           "shared_storage_worklet", "auction_worklet"):
                for m in ("Runtime.enable", "Log.enable"):
                    self.cdp.send(m, session=child)
                self.cdp.send("Target.setAutoAttach", self.auto_attach, session=child)
            self.cdp.send("Runtime.runIfWaitingForDebugger", session=child)
        elif method == "Page.javascriptDialogOpening":
            run.dialogs.append(p.get("message", ""))
            self.cdp.send("Page.handleJavaScriptDialog", {"accept": False}, session=sid)
        elif method in ("Inspector.targetCrashed",):
            # only the top-level page matters for done detection; a crashed frame's process
            # is reported by Chromium in the console of its parent anyway
            if sid == run.page_session:
                run.crashed = "page renderer crashed"
                self.cdp.wake()
            else:
                log("run %s: renderer of a child target crashed" % run.id)

    # ---- one run -------------------------------------------------------------------------
    def do_run(self, cmd):
        rid = cmd.get("id")
        url = cmd.get("url")
        t_start = time.monotonic()
        try:
            timeout = float(cmd.get("timeout", 60))
            settle = max(0.0, float(cmd.get("settle", 0.4)))
        except (TypeError, ValueError):
            return ({"event": "result", "id": rid, "done": False, "seconds": 0, "console": [],
                     "dialogs": [], "error": "bad timeout/settle in run command"}, None)
        if timeout <= 0:
            timeout = 60.0
        hard_deadline = t_start + timeout + settle + 12  # protocol: never > timeout+settle+15

        def left(cap=CALL_TIMEOUT):
            return max(0.05, min(cap, hard_deadline - time.monotonic()))

        run = Run(rid)
        died = None
        done = False
        seconds = 0.0
        error = None
        try:
            if not isinstance(url, str) or not url:
                raise ValueError("run without url")
            if not self.alive():
                raise BrowserDied(self.death_reason())
            self.cdp.call("Storage.clearCookies", timeout=left())
            # `handleAuth` (the case answers 401 with WWW-Authenticate): intercept this run only, and
            # cancel the login prompt, as a user would; the page then gets the 401.
            run.intercepting = bool(cmd.get("handleAuth")) and self.fetch_mode != "browser"
            if run.intercepting:
                self.cdp.call("Fetch.enable", {"handleAuthRequests": True, "patterns": [{"urlPattern": "*"}]},
                              timeout=left())
            tgt = self.cdp.call("Target.createTarget", {"url": "about:blank"}, timeout=left())
            run.target_id = tgt["targetId"]
            self.run = run
            att = self.cdp.call("Target.attachToTarget", {"targetId": run.target_id, "flatten": True},
                                timeout=left())
            ps = att["sessionId"]
            run.page_session = ps
            run.sessions[ps] = "page"
            if not os.environ.get("CHROMIUM_DRIVER_KEEP_CACHE"):
                # HTTP cache *and* the CORS preflight cache (else a preflight cached by one case
                # is silently reused by the next)
                self.cdp.call("Network.clearBrowserCache", session=ps, timeout=left())
            for m in ("Runtime.enable", "Log.enable", "Page.enable"):
                self.cdp.call(m, session=ps, timeout=left())
            self.cdp.call("Target.setAutoAttach", self.auto_attach, session=ps, timeout=left())
            t_nav = time.monotonic()
            nav_deadline = min(t_nav + timeout, hard_deadline - settle - 3)
            try:  # returns once the navigation committed (or failed)
                nav = self.cdp.call("Page.navigate", {"url": url}, session=ps, timeout=left(timeout),
                                    abort=lambda: run.crashed)
            except CDPTimeout:
                nav = {"errorText": "no response within %gs (Page.navigate did not return)" % timeout}
            if nav.get("errorText"):  # error page: the title can never become "done"
                error = "navigation failed: %s" % nav["errorText"]
            while not error:
                if run.crashed:
                    error = error or run.crashed
                    break
                try:
                    r = self.cdp.call("Runtime.evaluate",
                                      {"expression": "document.title", "returnByValue": True},
                                      session=ps, timeout=left(max(0.1, min(5, nav_deadline - time.monotonic()))),
                                      abort=lambda: run.crashed)
                    if (r.get("result") or {}).get("value") == "done":
                        done = True
                        break
                except (CDPError, CDPTimeout) as e:  # navigation in progress, dialog, busy page
                    log("run %s: title poll: %s" % (rid, e))
                if time.monotonic() >= nav_deadline:
                    break
                time.sleep(POLL)
            seconds = time.monotonic() - t_nav
            if settle > 0:
                time.sleep(max(0.0, min(settle, hard_deadline - time.monotonic() - 2)))
        except BrowserDied as e:
            died = str(e) or "devtools connection lost"
        except Exception as e:
            error = "%s: %s" % (type(e).__name__, e)
            log("run %s: %s" % (rid, error))
        finally:
            if run.target_id and self.alive():
                try:
                    self.cdp.call("Target.closeTarget", {"targetId": run.target_id}, timeout=left(5))
                except Exception as e:
                    log("run %s: closeTarget: %s" % (rid, e))
            self.run = None
            if run.intercepting and self.alive():
                try:
                    self.cdp.call("Fetch.disable", timeout=left(5))
                except Exception as e:
                    log("run %s: Fetch.disable: %s" % (rid, e))
        if died or (error and not self.health_check(max(1.0, min(5.0, hard_deadline + 2 - time.monotonic())))):
            died = self.death_reason() if not self.alive() else (died or "chromium unresponsive")
            error = "browser died: %s" % died
        log("run %s: done=%s %.3fs total %.3fs targets=%s auth=%s" %
            (rid, done, seconds, time.monotonic() - t_start, run.targets, run.auth))
        return {"event": "result", "id": rid, "done": done, "seconds": round(seconds, 3),
                "console": list(run.console), "dialogs": list(run.dialogs) + ["authenticate (cancelled): %s" % u for u in run.auth],
                "error": error}, died

    def health_check(self, timeout=5.0):
        if not self.alive():
            return False
        try:
            self.cdp.call("Browser.getVersion", timeout=timeout)
            return True
        except Exception:
            return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", required=True)
    ap.add_argument("--binary", default="chromium")
    a = ap.parse_args()

    drv = Driver(a.profile, a.binary)

    def on_term(signum, frame):
        drv.stop()
        os._exit(0)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    try:
        drv.start()
    except Exception as e:
        log("fatal:", e)
        drv.stop()
        emit({"event": "fatal", "message": str(e)})
        sys.exit(2)
    emit({"event": "ready", "engine": ENGINE, "version": drv.version, "userAgent": drv.user_agent})

    code = 0
    try:
        for cmd in run_commands(iter(sys.stdin.readline, ""), emit):
            res, died = drv.do_run(cmd)
            emit(res)
            if died:
                log("browser died:", died)
                code = 3
                break
    finally:
        drv.stop()
    sys.exit(code)


if __name__ == "__main__":
    main()
