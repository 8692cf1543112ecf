#!/usr/bin/python3
"""Drive Debian's firefox-esr headless over Marionette; one new tab per scenario.

The console is read in the chrome context from Services.console.getMessageArray(), which
holds every nsIScriptError/nsIConsoleMessage (CORS lines included). Messages are filtered to
those logged after the scenario started. Usage: /usr/bin/python3 firefox_probe.py [ids...]
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time

import common

MPORT = 2828
BIN = os.environ.get("FIREFOX", "firefox-esr")

PREFS = {
    "marionette.port": MPORT,
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
}


class Marionette:
    def __init__(self, port):
        for _ in range(150):
            try:
                self.s = socket.create_connection(("127.0.0.1", port), timeout=60)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("marionette did not come up")
        self.buf = b""
        self.hello = self._read()
        self.n = 0

    def _read(self):
        while b":" not in self.buf:
            self.buf += self.s.recv(65536)
        ln, rest = self.buf.split(b":", 1)
        n = int(ln)
        while len(rest) < n:
            rest += self.s.recv(65536)
        self.buf = rest[n:]
        return json.loads(rest[:n].decode("utf-8"))

    def call(self, name, params=None):
        self.n += 1
        data = json.dumps([0, self.n, name, params or {}]).encode("utf-8")
        self.s.sendall(str(len(data)).encode() + b":" + data)
        while True:
            msg = self._read()
            if msg[0] == 1 and msg[1] == self.n:
                if msg[2]:
                    raise RuntimeError("%s: %s" % (name, msg[2]))
                return msg[3]


CONSOLE_JS = r"""
const since = arguments[0];
const out = [];
for (const m of (Services.console.getMessageArray() || [])) {
  let o = {};
  try {
    const e = m.QueryInterface(Components.interfaces.nsIScriptError);
    o = {kind: 'nsIScriptError', text: e.errorMessage, flags: e.flags,
         level: (e.flags & 1) ? 'warning' : ((e.flags & 8) ? 'info' : 'error'),
         category: e.category, sourceName: e.sourceName, lineNumber: e.lineNumber,
         columnNumber: e.columnNumber, innerWindowID: e.innerWindowID,
         timeStamp: e.timeStamp, isFromPrivateWindow: e.isFromPrivateWindow,
         isForwardedFromContentProcess: e.isForwardedFromContentProcess};
  } catch (x) {
    o = {kind: 'nsIConsoleMessage', text: m.message, timeStamp: m.timeStamp, logLevel: m.logLevel};
  }
  if (o.timeStamp >= since) out.push(o);
}
return out;
"""


def is_noise(msg):
    """Browser-internal messages that share Services.console with the page's."""
    if msg.get("kind") == "nsIConsoleMessage":
        return True
    return msg.get("category") in ("chrome javascript", "chrome registration", "component javascript")


def main():
    ids = common.select(sys.argv[1:])
    prof = "/tmp/engine-probe-firefox"
    shutil.rmtree(prof, ignore_errors=True)
    os.makedirs(prof)
    with open(os.path.join(prof, "user.js"), "w") as fh:
        for k, v in PREFS.items():
            fh.write("user_pref(%s, %s);\n" % (json.dumps(k), json.dumps(v)))
    verline = subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.strip()
    env = dict(os.environ, MOZ_HEADLESS="1")
    proc = subprocess.Popen([BIN, "--headless", "--marionette", "-remote-allow-system-access", "-profile", prof, "-no-remote", "about:blank"],
                            stdout=open("/tmp/engine-probe-firefox.log", "w"), stderr=subprocess.STDOUT, env=env)
    try:
        m = Marionette(MPORT)
        caps = m.call("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": True}}})
        c = caps.get("capabilities", caps)
        version = {"--version": verline, "browserVersion": c.get("browserVersion"),
                   "platformName": c.get("platformName")}
        home = m.call("WebDriver:GetWindowHandle")["value"]
        tag = "f%d" % (int(time.time()) % 100000)
        # PROBE_WARMUP=<seconds>: idle before the first scenario. Right after start-up Firefox
        # drops preflight-cache entries it has just stored (round 2, s61d/s68f), so cache
        # scenarios need a warm browser; round2-firefox.json was taken with PROBE_WARMUP=20.
        warm = float(os.environ.get("PROBE_WARMUP", "0") or 0)
        if warm:
            print("warm-up %.0f s" % warm, file=sys.stderr)
            time.sleep(warm)

        def run_one(key, url, wait, settle):
            m.call("Marionette:SetContext", {"value": "chrome"})
            since = m.call("WebDriver:ExecuteScript", {"script": "return Date.now();", "args": []})["value"]
            m.call("Marionette:SetContext", {"value": "content"})
            h = m.call("WebDriver:NewWindow", {"type": "tab"})["handle"]
            m.call("WebDriver:SwitchToWindow", {"handle": h})
            try:
                m.call("WebDriver:Navigate", {"url": url})
            except RuntimeError as e:
                print("navigate:", e, file=sys.stderr)
            rep = wait()
            time.sleep(settle)
            prompts = []
            for _ in range(3):
                m.call("Marionette:SetContext", {"value": "chrome"})
                try:
                    msgs = m.call("WebDriver:ExecuteScript", {"script": CONSOLE_JS, "args": [since - 1]})["value"]
                    break
                except RuntimeError as e:
                    # A user prompt (e.g. the HTTP-auth prompt Firefox shows for a credentialed
                    # cross-origin 401, round 3 s112) blocked the page; Marionette has just dismissed
                    # it. Record it, let the page finish, then read the console again.
                    if "unexpected alert open" not in str(e):
                        raise
                    prompts.append(str(e))
                    m.call("Marionette:SetContext", {"value": "content"})
                    rep = rep or wait()
                    time.sleep(settle)
            m.call("Marionette:SetContext", {"value": "content"})
            m.call("WebDriver:CloseWindow")
            m.call("WebDriver:SwitchToWindow", {"handle": home})
            page = [x for x in msgs if not is_noise(x)]
            noise = [x for x in msgs if is_noise(x)]
            out = {"console": page, "browser_noise": noise, "report_arrived": rep is not None}
            if prompts:
                out["prompts"] = prompts
            return out

        common.run_all("firefox", version, run_one, ids, tag)
        try:
            m.call("WebDriver:DeleteSession")
        except Exception:
            pass
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except Exception:
            proc.kill()


if __name__ == "__main__":
    main()
