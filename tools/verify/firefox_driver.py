#!/usr/bin/python3
"""Firefox engine driver for `cors-harness verify` (protocol: tools/verify/PROTOCOL.md).

Drives Debian's firefox-esr headless over Marionette (TCP, length-prefixed JSON), one new tab per
run. Console lines come from a listener on Services.console, installed from the chrome context:
the console service lives in the parent process and receives every nsIScriptError the engine logs
for a page and all of its frames (out-of-process and sandboxed ones included), CORS lines
included; WebDriver BiDi log.entryAdded misses some of those warnings (see
tools/engine-probe/firefox_bidi_check.py). Browser-internal categories are filtered out, as in
tools/engine-probe/firefox_probe.py. Page console.log() calls (console API) are not captured.

Usage: /usr/bin/python3 tools/verify/firefox_driver.py --profile DIR [--binary PATH]
                                                       [--warmup SECONDS] [--browser-log FILE]

--warmup (default 0): idle that long after the session is up, before printing `ready`. It was
meant for preflight-cache entries that Firefox dropped "right after start-up"; the cause turned
out to be the first two cache checks per IP-literal host (see network.dns.disableIPv6 in PREFS),
which no warm-up avoids and the pref fixes, so it is off by default.
--pref NAME=JSON adds or overrides a user.js pref.
Browser output goes to --browser-log if given, else to this driver's stderr; stdout carries
protocol lines only.
"""
import argparse
import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver_protocol import die_with_parent, error_result, free_port, run_commands  # noqa: E402

ENGINE = "firefox"
DEFAULT_BIN = "firefox-esr"

# Protocol lines go to a private duplicate of the original stdout; fd 1 itself is pointed at
# stderr so that nothing else (Firefox, stray prints) can ever write to the protocol stream.
_OUT = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
os.dup2(2, 1)
sys.stdout = sys.stderr

PREFS = {
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "browser.aboutwelcome.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "network.proxy.type": 0,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "extensions.update.enabled": False,
    "browser.tabs.warnOnClose": False,
    "devtools.errorconsole.enabled": True,
    # Preflight-cache fix. CORSCacheEntry::CheckRequest (nsCORSListenerProxy.cpp) dooms an entry
    # when a DNS-cache record of the host (looked up once per address family: default,
    # RESOLVE_DISABLE_IPV6, RESOLVE_DISABLE_IPV4) is newer than the entry. For an IP-literal host
    # such as 127.0.0.1 the per-family records only come into being during that check, so the
    # first two cache checks per (host, network partition) always miss and send a second
    # OPTIONS, however long the browser has been up. With IPv6 disabled every lookup maps onto
    # the IPv4 record the request itself created (older than the entry): the cache behaves.
    # http://[::1]:PORT/ pages still load with this pref.
    "network.dns.disableIPv6": True,
}

# Browser-internal console messages that share Services.console with the page's.
NOISE_CATEGORIES = ("chrome javascript", "chrome registration", "component javascript")

# Chrome context. A console listener (installed once, kept on the browser window) collects
# every message while a run is on: Services.console.getMessageArray() alone keeps only the last
# 250 messages. arguments[0] == true: start of a run (clear cookies, start collecting, return the
# start time). Otherwise arguments[1] is that start time: stop collecting and return the messages.
RUN_JS = r"""
const MAX = 20000;
let st = window.__corsHarnessConsole;
if (!st) {
  st = window.__corsHarnessConsole = {buf: [], on: false, dropped: 0};
  st.listener = {observe(m) {
    if (!st.on) return;
    if (st.buf.length >= MAX) { st.dropped++; return; }
    try {
      let e = null;
      try { e = m.QueryInterface(Ci.nsIScriptError); } catch (x) { e = null; }
      if (!e) {
        st.buf.push({kind: 'nsIConsoleMessage', text: m.message, ts: m.timeStamp});
        return;
      }
      const f = e.flags;
      st.buf.push({kind: 'nsIScriptError', level: (f & 1) ? 'warning' : ((f & 8) ? 'info' : 'error'),
                   source: e.category, text: e.errorMessage, url: e.sourceName, ts: e.timeStamp});
    } catch (x) {
      st.buf.push({kind: 'driver', text: 'console listener: ' + x, ts: Date.now()});
    }
  }};
  Services.console.registerListener(st.listener);
}
if (arguments[0]) {
  Services.cookies.removeAll();
  st.buf = [];
  st.dropped = 0;
  st.on = true;
  return Date.now();
}
st.on = false;
const out = st.buf;
st.buf = [];
return {messages: out.filter(m => m.ts >= arguments[1]), dropped: st.dropped};
"""


def log(*a):
    print("[firefox_driver %s]" % time.strftime("%H:%M:%S"), *a, file=sys.stderr, flush=True)


def emit(obj):
    _OUT.write(json.dumps(obj, ensure_ascii=False) + "\n")
    _OUT.flush()


class BrowserDied(Exception):
    pass


class MarionetteTimeout(Exception):
    pass


class MarionetteError(Exception):
    def __init__(self, command, err):
        self.command = command
        self.err = err if isinstance(err, dict) else {"error": str(err)}
        self.error = self.err.get("error", "")
        self.text = (self.err.get("data") or {}).get("text") if isinstance(self.err.get("data"), dict) else None
        super().__init__("%s: %s: %s" % (command, self.error, self.err.get("message", "")))

    @property
    def is_alert(self):
        return self.error == "unexpected alert open"


class Marionette:
    """Minimal Marionette client: every call has a socket timeout; replies are matched by id, so
    a late reply to a call that timed out is skipped instead of being taken for the next one."""

    def __init__(self, port, proc, connect_timeout=60.0):
        self.proc = proc
        end = time.monotonic() + connect_timeout
        while True:
            if proc.poll() is not None:
                raise BrowserDied("firefox exited with status %s during start-up" % proc.returncode)
            try:
                self.s = socket.create_connection(("127.0.0.1", port), timeout=2)
                break
            except OSError:
                if time.monotonic() > end:
                    raise MarionetteTimeout("marionette did not come up on port %d within %.0f s"
                                            % (port, connect_timeout))
                time.sleep(0.1)
        self.buf = b""
        self.n = 0
        self.hello = self._read(time.monotonic() + 30)

    def _recv(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise MarionetteTimeout("timed out")
        self.s.settimeout(left)
        try:
            data = self.s.recv(65536)
        except socket.timeout:
            raise MarionetteTimeout("timed out")
        except OSError as e:
            raise BrowserDied("marionette connection failed: %s" % e)
        if not data:
            raise BrowserDied("marionette connection closed")
        self.buf += data

    def _read(self, deadline):
        while b":" not in self.buf:
            self._recv(deadline)
        ln, rest = self.buf.split(b":", 1)
        n = int(ln)
        while len(rest) < n:
            self._recv(deadline)
            ln, rest = self.buf.split(b":", 1)
        self.buf = rest[n:]
        return json.loads(rest[:n].decode("utf-8"))

    def call(self, name, params=None, timeout=10.0):
        if self.proc.poll() is not None:
            raise BrowserDied("firefox exited with status %s" % self.proc.returncode)
        self.n += 1
        data = json.dumps([0, self.n, name, params or {}]).encode("utf-8")
        try:
            self.s.settimeout(max(timeout, 0.5))
            self.s.sendall(str(len(data)).encode() + b":" + data)
        except socket.timeout:
            raise MarionetteTimeout("%s: send timed out" % name)
        except OSError as e:
            raise BrowserDied("marionette connection failed: %s" % e)
        deadline = time.monotonic() + max(timeout, 0.05)
        while True:
            try:
                msg = self._read(deadline)
            except MarionetteTimeout:
                raise MarionetteTimeout("%s: no reply within %.1f s" % (name, timeout))
            if msg[0] == 1 and msg[1] == self.n:
                if msg[2]:
                    raise MarionetteError(name, msg[2])
                return msg[3]


class Driver:
    def __init__(self, args):
        self.args = args
        self.proc = None
        self.m = None
        self.home = None
        self.context = None
        self.dead = None   # why the browser is considered dead, once it is
        self.hard = None   # hard deadline (monotonic) of the command being served

    # ---- process -------------------------------------------------------------------------

    def start(self):
        binary = self.args.binary
        path = shutil.which(binary) if os.sep not in binary else (binary if os.access(binary, os.X_OK) else None)
        if not path:
            emit({"event": "fatal", "message": "%s not found: apt-get install -y firefox-esr" % binary})
            sys.exit(2)
        try:
            ver = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
            lines = (ver.stdout.strip() or ver.stderr.strip()).splitlines()
            version = lines[-1] if lines else "unknown (%s --version printed nothing)" % path
        except Exception as e:
            emit({"event": "fatal", "message": "%s --version failed: %s" % (path, e)})
            sys.exit(2)

        prof = os.path.abspath(self.args.profile)
        shutil.rmtree(prof, ignore_errors=True)
        os.makedirs(prof)
        port = free_port()
        prefs = dict(PREFS)
        prefs["marionette.port"] = port
        for item in self.args.pref:
            k, _, v = item.partition("=")
            try:
                prefs[k] = json.loads(v)
            except ValueError:
                prefs[k] = v
        with open(os.path.join(prof, "user.js"), "w") as fh:
            for k, v in prefs.items():
                fh.write("user_pref(%s, %s);\n" % (json.dumps(k), json.dumps(v)))

        out = open(self.args.browser_log, "a") if self.args.browser_log else sys.stderr
        env = dict(os.environ, MOZ_HEADLESS="1")
        cmd = [path, "--headless", "--marionette", "-remote-allow-system-access", "-profile", prof,
               "-no-remote", "about:blank"]
        log("starting", " ".join(cmd), "(marionette port %d)" % port)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                     env=env, start_new_session=True, preexec_fn=lambda: die_with_parent(signal.SIGKILL))
        atexit.register(self.kill)
        try:
            self.m = Marionette(port, self.proc)
            self.m.call("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {
                "acceptInsecureCerts": True,
                "pageLoadStrategy": "none",
                "unhandledPromptBehavior": "dismiss and notify",
            }}}, timeout=60)
            self.context = "content"
            self.home = self.m.call("WebDriver:GetWindowHandle")["value"]
            ua = self.m.call("WebDriver:ExecuteScript",
                             {"script": "return navigator.userAgent;", "args": []})["value"]
        except (BrowserDied, MarionetteTimeout, MarionetteError) as e:
            emit({"event": "fatal", "message": "firefox did not start: %s" % e})
            self.kill()
            sys.exit(2)
        if self.args.warmup > 0:
            log("warm-up %.1f s" % self.args.warmup)
            time.sleep(self.args.warmup)
            if self.proc.poll() is not None:
                emit({"event": "fatal", "message": "firefox exited during warm-up (status %s)"
                      % self.proc.returncode})
                sys.exit(2)
        emit({"event": "ready", "engine": ENGINE, "version": version, "userAgent": ua})

    def kill(self):
        p = self.proc
        if p is None or p.poll() is not None:
            return
        sig = signal.SIGKILL if self.dead else signal.SIGTERM  # a hung (stopped) one ignores TERM
        try:
            os.killpg(p.pid, sig)
        except OSError:
            p.send_signal(sig)
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                p.kill()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                pass

    def quit(self):
        if self.m is not None and self.proc.poll() is None and not self.dead:
            try:
                self.m.call("WebDriver:DeleteSession", timeout=3)
            except Exception as e:
                log("DeleteSession:", e)
        self.kill()

    # ---- per run -------------------------------------------------------------------------

    def call(self, name, params=None, timeout=10.0, dialogs=None, deadline=None):
        """A Marionette call bounded by `timeout` and `deadline` (monotonic). It records and retries
        past user prompts: with "dismiss and notify" Marionette has already dismissed the prompt
        when it reports "unexpected alert open". A call that gets no reply for 2 s or more leads
        to a liveness probe; BrowserDied when that gets no reply either."""
        for attempt in range(6):
            if self.dead:
                raise BrowserDied(self.dead)
            t = timeout
            if deadline is not None:
                t = min(t, deadline - time.monotonic())
                if t <= 0.05:
                    raise MarionetteTimeout("%s: run deadline reached" % name)
            try:
                return self.m.call(name, params, timeout=t)
            except MarionetteError as e:
                if not e.is_alert or dialogs is None or attempt == 5:
                    raise
                text = e.text if e.text is not None else e.err.get("message", "")
                log("dismissed user prompt (%s): %r" % (name, text))
                if len(dialogs) < 100:
                    dialogs.append(text)
            except MarionetteTimeout:
                if t >= 2:
                    self.alive_check()
                raise
            except BrowserDied as e:
                self.dead = str(e)
                raise

    def alive_check(self):
        """Is Marionette still answering? Raises BrowserDied when not."""
        t = 3.0
        if self.hard is not None:
            t = max(0.5, min(t, self.hard - time.monotonic()))
        try:
            self.m.call("WebDriver:GetWindowHandles", timeout=t)
        except MarionetteError:
            pass
        except MarionetteTimeout:
            self.dead = "marionette stopped answering (no reply within %.1f s)" % t
            raise BrowserDied(self.dead)
        except BrowserDied as e:
            self.dead = str(e)
            raise

    def set_context(self, ctx, **kw):
        if self.context != ctx:
            self.context = None  # unknown until the call succeeds
            self.call("Marionette:SetContext", {"value": ctx}, **kw)
            self.context = ctx

    def run(self, cmd):
        rid = cmd.get("id")
        res = {"event": "result", "id": rid, "done": False, "seconds": 0.0, "console": [],
               "dialogs": [], "error": None}
        try:
            url = cmd["url"]
            timeout = float(cmd.get("timeout", 60))
            settle = float(cmd.get("settle", 0.4))
            if not isinstance(url, str) or timeout < 0 or settle < 0:
                raise ValueError("url must be a string, timeout and settle >= 0")
        except (KeyError, TypeError, ValueError) as e:
            res["error"] = "bad run command: %r" % (e,)
            return res
        t0 = time.monotonic()
        # Protocol: never longer than timeout + settle + 15 s for anything. The page part ends by
        # hard - 6, reading the console by hard - 4, closing the tab by hard - 1.5.
        self.hard = t0 + timeout + settle + 14
        dialogs = res["dialogs"]
        kw = {"dialogs": dialogs, "deadline": self.hard - 6}
        handle = None
        since = None
        errors = []
        try:
            self.set_context("chrome", **kw)
            since = self.call("WebDriver:ExecuteScript", {"script": RUN_JS, "args": [True, 0]}, **kw)["value"]
            self.set_context("content", **kw)
            handle = self.call("WebDriver:NewWindow", {"type": "tab", "focus": True}, **kw)["handle"]
            self.call("WebDriver:SwitchToWindow", {"handle": handle}, **kw)
            t_nav = time.monotonic()
            try:  # pageLoadStrategy "none": returns once the navigation has started
                self.call("WebDriver:Navigate", {"url": url}, timeout=min(max(timeout, 1), 30), **kw)
            except MarionetteError as e:
                errors.append("navigate: %s" % e)
            except MarionetteTimeout as e:
                log("navigate:", e)
            last_err = None
            while True:
                left = timeout - (time.monotonic() - t_nav)
                if left <= 0:
                    break
                try:
                    title = self.call("WebDriver:GetTitle", timeout=max(0.5, min(5.0, left)), **kw)["value"]
                    if title == "done":
                        res["done"] = True
                        break
                except MarionetteError as e:  # e.g. the navigation is still switching processes
                    if e.error == "no such window" and handle not in self.call(
                            "WebDriver:GetWindowHandles", **kw):  # the page closed its own tab
                        errors.append("the page's tab went away: %s" % e)
                        break
                    if str(e) != last_err:
                        log("poll:", e)
                        last_err = str(e)
                except MarionetteTimeout as e:
                    log("poll:", e)
                time.sleep(0.05)
            res["seconds"] = round(time.monotonic() - t_nav, 3)
            if not res["done"] and not errors:
                errors.append("timeout: document.title never became \"done\" within %g s" % timeout)
            time.sleep(max(0.0, min(settle, self.hard - 6 - time.monotonic())))
        except (MarionetteError, MarionetteTimeout) as e:
            errors.append(str(e))
        finally:
            if not self.dead:
                # Read the console even when the run failed half-way (it often says why).
                if since is not None:
                    self.read_console(since, res, errors, {"dialogs": dialogs, "deadline": self.hard - 4})
                self.cleanup(handle, {"dialogs": dialogs, "deadline": min(time.monotonic() + 8, self.hard - 1.5)})
        if errors:
            res["error"] = "; ".join(errors)
        return res

    def read_console(self, since, res, errors, kw):
        try:
            self.set_context("chrome", **kw)
            got = self.call("WebDriver:ExecuteScript", {"script": RUN_JS, "args": [False, since]}, **kw)["value"]
        except (MarionetteError, MarionetteTimeout) as e:
            errors.append("reading the console: %s" % e)
            return
        page, noise = [], 0
        for m in sorted(got["messages"], key=lambda x: x["ts"]):  # stable: ties keep log order
            if m["kind"] != "nsIScriptError" or m["source"] in NOISE_CATEGORIES:
                noise += 1
                continue
            entry = {"level": m["level"], "source": m["source"], "text": m["text"]}
            if m.get("url"):
                entry["url"] = m["url"]
            entry["via"] = "console-service"
            page.append(entry)
        res["console"] = page
        if noise:
            log("run %s: %d browser-internal console message(s) skipped" % (res["id"], noise))
        if got.get("dropped"):
            errors.append("console: %d message(s) beyond the first 20000 dropped" % got["dropped"])

    def cleanup(self, handle, kw):
        """Close the run's tab (and any window it opened), back to the home tab."""
        try:
            self.set_context("content", **kw)
            for h in self.call("WebDriver:GetWindowHandles", **kw):
                if h == self.home:
                    continue
                try:
                    self.call("WebDriver:SwitchToWindow", {"handle": h}, **kw)
                    self.call("WebDriver:CloseWindow", **kw)
                except MarionetteError as e:
                    log("closing %s: %s" % (h, e))
            self.call("WebDriver:SwitchToWindow", {"handle": self.home}, **kw)
        except (MarionetteTimeout, MarionetteError) as e:
            log("cleanup:", e)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profile", required=True)
    ap.add_argument("--binary", default=DEFAULT_BIN)
    ap.add_argument("--warmup", type=float, default=0.0)
    ap.add_argument("--browser-log", default=None)
    ap.add_argument("--pref", action="append", default=[], metavar="NAME=JSON",
                    help="extra user.js pref, e.g. --pref 'network.dns.disableIPv6=true'")
    args = ap.parse_args()

    drv = Driver(args)

    def on_signal(sig, frame):
        drv.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    drv.start()

    for cmd in run_commands(iter(sys.stdin.readline, ""), emit):
        try:
            res = drv.run(cmd)
            drv.hard = None
            if drv.dead:
                raise BrowserDied(drv.dead)
            if drv.proc.poll() is not None:
                raise BrowserDied("firefox exited with status %s" % drv.proc.returncode)
        except BrowserDied as e:
            log("browser died:", e)
            emit(error_result(cmd.get("id"), "browser died: %s" % e))
            drv.kill()
            sys.exit(3)
        emit(res)
    drv.quit()
    sys.exit(0)


if __name__ == "__main__":
    main()
